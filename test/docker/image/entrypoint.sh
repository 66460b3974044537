#!/bin/sh
# The test image's entrypoint, shaped like the Docker wrapper's: ACESTEP_MODE (from .env) picks the server.
#   api  the standalone API on container port 8001; anything else: the Gradio API on 7860
case "${ACESTEP_MODE:-gradio}" in
  api)
    echo "=== Starting standalone REST API on port 8001 ==="
    exec acestep-api --host 0.0.0.0 --port 8001
    ;;
  *)
    echo "=== Starting Gradio UI + embedded API on port 7860 ==="
    if [ -n "$ACESTEP_API_KEY" ]; then exec acestep --server-name 0.0.0.0 --port 7860 --api-key "$ACESTEP_API_KEY"; fi
    exec acestep --server-name 0.0.0.0 --port 7860
    ;;
esac
