// "Create Docker Setup": the files of a compose project that runs ACE-Step 1.5 on an NVIDIA GPU, in the same
// shape as the Docker wrapper the extension was designed around (one service `acestep`, `env_file: .env`,
// ACESTEP_MODE switching between the Gradio UI and the standalone API, ports from GRADIO_PORT / API_PORT).
//
// Image or build? Upstream ACE-Step documents no ready-to-run Docker image in its install guide (it has a CI
// workflow that pushes images for tagged releases, but their contents and tags change with the project), and
// the wrapper builds its image locally. So the default is `build` from the user's checkout of ACE-Step;
// `image` is there for people who have an image they trust. Either way the generated entrypoint is mounted
// into the container, so the mode switch works whatever the image's own entrypoint does.
import { setEnvValue } from './env-file';
import type { AcestepMode } from './types';

export interface DockerSetupOptions {
  source: 'image' | 'build';
  /** Image to run (source 'image'). */
  image?: string;
  /** ACE-Step checkout to build, relative to the setup folder or absolute (source 'build'; default "."). */
  checkoutPath?: string;
  mode: AcestepMode;
  ports: { gradio: number; api: number };
  /** DiT model, e.g. acestep-v15-turbo. */
  ditModel: string;
  /** 5 Hz LM, e.g. acestep-5Hz-lm-1.7B. */
  lmModel: string;
  lmBackend: 'vllm' | 'pt';
  /** GPU index as nvidia-smi numbers it ("0"). */
  gpuDevice: string;
  /** Load the LM: auto (by free VRAM), true, false. */
  initLlm?: 'auto' | 'true' | 'false';
  /** Optional API key; when empty the key line stays commented out (an empty key would lock every endpoint). */
  apiKey?: string;
}

export const SETUP_FILE_NAMES = ['docker-compose.yml', 'docker-entrypoint.sh', '.env.example', '.env'] as const;
export type DockerSetupFiles = Record<(typeof SETUP_FILE_NAMES)[number], string>;
/**
 * Folders the setup creates beside its files: `inputs` is mounted into the container (hand-off.ts); made here so it
 * belongs to the user, not to the root-owned folder Docker would create for a missing bind source.
 */
export const SETUP_FOLDERS = ['inputs'] as const;

export const DEFAULT_SETUP_OPTIONS: DockerSetupOptions = {
  source: 'build',
  checkoutPath: '.',
  mode: 'gradio',
  ports: { gradio: 8500, api: 8501 },
  ditModel: 'acestep-v15-turbo',
  lmModel: 'acestep-5Hz-lm-1.7B',
  lmBackend: 'vllm',
  gpuDevice: '0',
  initLlm: 'auto',
};

/** Where the generated entrypoint is mounted inside the container. */
export const ENTRYPOINT_IN_CONTAINER = '/opt/acestep-studio/entrypoint.sh';
/** Tag given to a locally built image. */
export const LOCAL_IMAGE_TAG = 'acestep-studio/acestep:local';

/** A YAML double-quoted scalar that compose will not interpolate. */
export function yamlString(s: string): string {
  return JSON.stringify(s.replace(/\$/g, '$$$$'));
}

function validate(o: DockerSetupOptions): void {
  if (o.source === 'image' && !o.image?.trim()) throw new Error('an image name is needed when the setup runs an image');
  for (const [name, port] of Object.entries(o.ports)) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name} port must be 1–65535, got ${port}`);
  }
  if (o.ports.gradio === o.ports.api) throw new Error('the Gradio and API ports must differ');
  if (!/^[\w.,-]+$/.test(o.gpuDevice)) throw new Error(`not a GPU device id: ${o.gpuDevice}`);
}

/** Where a service's image comes from: the image named, or a build of the checkout tagged LOCAL_IMAGE_TAG. */
export function sourceLines(o: Pick<DockerSetupOptions, 'source' | 'image' | 'checkoutPath'>): string[] {
  return o.source === 'image'
    ? [`    image: ${yamlString(o.image!.trim())}`]
    : [
      '    build:',
      `      context: ${yamlString((o.checkoutPath ?? '.').replace(/\\/g, '/') || '.')}`,
      `    image: ${LOCAL_IMAGE_TAG}`,
    ];
}

/** The bind mounts every ACE-Step service of a setup has (the models and caches are shared between services). */
export const VOLUME_LINES: readonly string[] = [
  '    volumes:',
  `      - ./docker-entrypoint.sh:${ENTRYPOINT_IN_CONTAINER}:ro`,
  '      - ./checkpoints:/app/checkpoints        # models (10–20 GB, downloaded on first start)',
  '      - ./gradio_outputs:/app/gradio_outputs  # songs made in the Gradio UI',
  '      - ./inputs:/app/inputs                  # takes ACE-Step Studio hands to the server to edit (repaint, cover…)',
  '      - ./cache:/app/cache                    # Hugging Face and compiler caches',
];

/** The environment lines every service has (the API's address inside the container, the cache folders). */
export const COMMON_ENVIRONMENT_LINES: readonly string[] = [
  '      ACESTEP_API_HOST: "0.0.0.0"',
  '      ACESTEP_API_PORT: "8001"',
  '      # Caches live in ./cache, so models and compiled kernels are downloaded and built only once.',
  '      HF_HOME: /app/cache/huggingface',
  '      TRITON_CACHE_DIR: /app/cache/triton',
  '      TORCHINDUCTOR_CACHE_DIR: /app/cache/torchinductor',
];

/** The device reservation of one GPU (an engine without the NVIDIA runtime refuses to start such a service). */
export function gpuReservationLines(deviceId: string): string[] {
  return [
    '    deploy:',
    '      resources:',
    '        reservations:',
    '          devices:',
    '            - driver: nvidia',
    `              device_ids: [${deviceId}]`,
    '              capabilities: [gpu]',
  ];
}

function composeFile(o: DockerSetupOptions): string {
  const source = sourceLines(o);
  return [
    '# ACE-Step 1.5 on your NVIDIA GPU, generated by ACE-Step Studio.',
    '#',
    '# One service, "acestep". ACESTEP_MODE in .env picks what it runs (see docker-entrypoint.sh):',
    '#   gradio  Gradio UI with the API mounted on it: container port 7860, host port GRADIO_PORT',
    '#   api     standalone REST API:                  container port 8001, host port API_PORT',
    '# Both load the models onto the GPU, so only one runs at a time. After changing .env, recreate the',
    '# container: docker compose up -d --force-recreate   (or: acestep-song mode api|gradio)',
    '#',
    o.source === 'image'
      ? '# Runs the image named below.'
      : '# Builds the image from your ACE-Step checkout (upstream documents no ready-made image to pull).',
    'services:',
    '  acestep:',
    ...source,
    '    env_file: .env',
    '    # The entrypoint comes from this folder, so the mode switch works with any ACE-Step image.',
    `    entrypoint: ["sh", "${ENTRYPOINT_IN_CONTAINER}"]`,
    '    environment:',
    ...COMMON_ENVIRONMENT_LINES,
    '    ports:',
    '      - "${GRADIO_PORT:-8500}:7860"   # Gradio UI + embedded API (ACESTEP_MODE=gradio)',
    '      - "${API_PORT:-8501}:8001"      # standalone REST API (ACESTEP_MODE=api)',
    ...VOLUME_LINES,
    ...gpuReservationLines('"${ACESTEP_GPU_DEVICE:-0}"'),
    '    restart: unless-stopped',
    '',
  ].join('\n');
}

export const ENTRYPOINT = `#!/bin/sh
# ACE-Step entrypoint, generated by ACE-Step Studio. ACESTEP_MODE (from .env) picks the server:
#   api     the standalone REST API on container port 8001 (host port API_PORT)
#   gradio  the Gradio UI with the API mounted on it, container port 7860 (host port GRADIO_PORT); the default
# Missing models are downloaded on first start into /app/checkpoints, a volume, so only once.
set -e
cd /app 2>/dev/null || true
mkdir -p /app/checkpoints /app/gradio_outputs /app/inputs /app/cache

# Runs an ACE-Step command: installed on PATH (pip install) or in the project environment (uv sync).
run() {
  if command -v "$1" >/dev/null 2>&1; then exec "$@"; fi
  if command -v uv >/dev/null 2>&1; then exec uv run "$@"; fi
  echo "ACE-Step Studio: this image has no '$1' command; is ACE-Step 1.5 installed in it?" >&2
  exit 127
}

MODE="\${ACESTEP_MODE:-gradio}"
case "$MODE" in
  api)
    echo "=== Starting the standalone ACE-Step API on port 8001 (host port \${API_PORT:-8501}) ==="
    # acestep-api reads ACESTEP_CONFIG_PATH, ACESTEP_LM_MODEL_PATH, ACESTEP_LM_BACKEND, ACESTEP_INIT_LLM
    # and ACESTEP_API_KEY from the environment.
    run acestep-api --host 0.0.0.0 --port 8001
    ;;
  *)
    if [ "$MODE" != "gradio" ]; then
      echo "ACESTEP_MODE='$MODE' is neither api nor gradio: starting Gradio" >&2
    fi
    echo "=== Starting the Gradio UI with the API on port 7860 (host port \${GRADIO_PORT:-8500}) ==="
    set -- --server-name 0.0.0.0 --port 7860 --enable-api --init_service true
    if [ -n "$ACESTEP_CONFIG_PATH" ]; then set -- "$@" --config_path "$ACESTEP_CONFIG_PATH"; fi
    if [ -n "$ACESTEP_LM_MODEL_PATH" ]; then set -- "$@" --lm_model_path "$ACESTEP_LM_MODEL_PATH"; fi
    if [ -n "$ACESTEP_LM_BACKEND" ]; then set -- "$@" --backend "$ACESTEP_LM_BACKEND"; fi
    case "$ACESTEP_INIT_LLM" in true|false) set -- "$@" --init_llm "$ACESTEP_INIT_LLM" ;; esac
    # The Gradio server ignores ACESTEP_API_KEY; pass it so both modes ask for the same key.
    if [ -n "$ACESTEP_API_KEY" ]; then set -- "$@" --api-key "$ACESTEP_API_KEY"; fi
    run acestep "$@"
    ;;
esac
`;

function envTemplate(): string {
  return [
    '# ACE-Step Docker settings, read by docker-compose.yml (env_file and port variables).',
    '# After editing, recreate the container: docker compose up -d --force-recreate',
    '',
    '# ==== Mode ====',
    '# gradio = Gradio UI + embedded API on GRADIO_PORT',
    '# api    = standalone REST API on API_PORT (the better fit for scripts and AI assistants)',
    '# Both load the models onto the GPU, so only one runs at a time.',
    'ACESTEP_MODE=gradio',
    '',
    '# ==== Ports on this computer ====',
    '# Change them when something else already uses them.',
    'GRADIO_PORT=8500',
    'API_PORT=8501',
    '',
    '# ==== Models ====',
    '# DiT model: acestep-v15-turbo (8 steps, fast, recommended), acestep-v15-sft, acestep-v15-base',
    'ACESTEP_CONFIG_PATH=acestep-v15-turbo',
    '# Language model, by free VRAM: acestep-5Hz-lm-0.6B (~3 GB), acestep-5Hz-lm-1.7B (~8 GB), acestep-5Hz-lm-4B (~12 GB)',
    'ACESTEP_LM_MODEL_PATH=acestep-5Hz-lm-1.7B',
    '# LM backend: vllm (faster) or pt (plain PyTorch, when vllm gives trouble)',
    'ACESTEP_LM_BACKEND=vllm',
    '# Load the LM: auto (decide by VRAM), true, false (DiT only: no thinking, format or sample modes)',
    'ACESTEP_INIT_LLM=auto',
    '',
    '# ==== GPU ====',
    '# Which GPU the container gets (the index nvidia-smi shows).',
    'ACESTEP_GPU_DEVICE=0',
    'ACESTEP_DEVICE=cuda',
    '',
    '# ==== Security ====',
    '# Set a key to require "Authorization: Bearer <key>". Leave the line commented out for no key:',
    '# an empty ACESTEP_API_KEY= locks every protected endpoint.',
    '# ACESTEP_API_KEY=change-me',
    '',
  ].join('\n');
}

function envFile(o: DockerSetupOptions, withKey: boolean): string {
  let text = envTemplate();
  text = setEnvValue(text, 'ACESTEP_MODE', o.mode);
  text = setEnvValue(text, 'GRADIO_PORT', String(o.ports.gradio));
  text = setEnvValue(text, 'API_PORT', String(o.ports.api));
  text = setEnvValue(text, 'ACESTEP_CONFIG_PATH', o.ditModel);
  text = setEnvValue(text, 'ACESTEP_LM_MODEL_PATH', o.lmModel);
  text = setEnvValue(text, 'ACESTEP_LM_BACKEND', o.lmBackend);
  text = setEnvValue(text, 'ACESTEP_INIT_LLM', o.initLlm ?? 'auto');
  text = setEnvValue(text, 'ACESTEP_GPU_DEVICE', o.gpuDevice);
  if (withKey && o.apiKey) text = setEnvValue(text, 'ACESTEP_API_KEY', o.apiKey);
  return text;
}

/** The four files of a Docker setup, as text. `.env` holds the choices (and the key); `.env.example` the defaults. */
export function createDockerSetup(options: DockerSetupOptions): DockerSetupFiles {
  validate(options);
  return {
    'docker-compose.yml': composeFile(options),
    'docker-entrypoint.sh': ENTRYPOINT,
    '.env.example': envFile({ ...DEFAULT_SETUP_OPTIONS, source: options.source }, false),
    '.env': envFile(options, true),
  };
}
