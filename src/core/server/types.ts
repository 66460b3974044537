// Small shared vocabulary of the server-control core.

/** What `ACESTEP_MODE` selects in the wrapper's entrypoint: Gradio UI + embedded API, or the standalone API. */
export type AcestepMode = 'gradio' | 'api';


/** The compose service every supported setup defines. */
export const ACESTEP_SERVICE = 'acestep';

/** The `.env` key the entrypoint switches on. */
export const MODE_KEY = 'ACESTEP_MODE';

/** Container ports the two servers listen on inside the container. */
export const CONTAINER_PORTS: Readonly<Record<AcestepMode, number>> = { gradio: 7860, api: 8001 };

/** Host ports the Docker wrapper publishes them on by default (GRADIO_PORT, API_PORT). */
export const WRAPPER_PORTS: Readonly<Record<AcestepMode, number>> = { gradio: 8500, api: 8501 };

export function isAcestepMode(v: unknown): v is AcestepMode {
  return v === 'gradio' || v === 'api';
}

export function modeLabel(mode: AcestepMode): string {
  return mode === 'api' ? 'API' : 'Gradio';
}
