// What each of the four server generations (and the hosted chat-only server, C) does, declared in one place per flavour (see the API notes
// shared with the team): W (the Docker wrapper's standalone API), S (upstream, early), U (upstream, later:
// progress, lazy model load) and G (the API mounted on the Gradio UI). The handlers read this table; none of
// them branches on the flavour letter.
import type { Flavour, FakeOptions } from './options';

export interface FlavourBehaviour {
  /** `data.service` of `/health`: how a client tells G from the others. */
  service: string;
  /** `/health` also reports model, LM and GPU state (and says whether the models are loaded yet). */
  healthDetails: boolean;
  /** Where the server writes audio when the test names no folder. */
  defaultOutputDir(): string;
  /** `GET /v1/models`: the wrapped native list behind the key, or OpenRouter's unwrapped list, open to all. */
  models: 'native' | 'openrouter';
  /** `GET /v1/model_inventory` exists (else 404). */
  modelInventory: boolean;
  /** `GET /v1/stats` exists (else 404). */
  stats: boolean;
  /** How `modelLoadMs` shows: connections refused that long after each start, the first job loading the
   *  models while the whole server blocks, or not at all. */
  modelLoad: 'refuse-connections' | 'first-job' | 'none';
  /** `/release_task` runs the whole generation inside the request (blocking the server), answers
   *  `succeeded` or an HTTP 500, takes no uploads; `/query_result` then answers only status 1 or 0. */
  blockingRelease: boolean;
  /** `lm_backend` values a queued `/release_task` accepts (others: plain-text 500). null: never checked. */
  lmBackends: readonly string[] | null;
  /** `audio_format` values kept as asked (others become flac). null: every format the server knows. */
  audioFormats: readonly string[] | null;
  /** `seed` is used when `use_random_seed` is false (else seeds are random). W and S build GenerationConfig with
   *  `seeds=None` (api_server.py, _run_one_job / _blocking_generate), G too (gradio_ui/api_routes.py): generate_music
   *  then takes its seeds from `config.seeds` only, so `seed` never reaches generation. U resolves `seed` into
   *  `config.seeds` when use_random_seed is false (acestep/api/job_generation_setup.py, _resolve_generation_seeds). */
  honoursSeed: boolean;
  /** What a multipart or form-encoded `/release_task` does: the uploads reach generation, or (S) HTTP 500 with a
   *  plain-text body: its multipart and form branches pass `reference_audio_path`/`src_audio_path` to
   *  `_build_request`, which sets them from the parser already (TypeError: multiple values for a keyword argument). */
  formRelease: 'accepted' | 'type-error';
  /** A JSON `/release_task` reads `src_audio_path`/`reference_audio_path` as paths on the server's machine
   *  (S: _build_request reads them; U: build_generate_music_request). W's _build_request does not read them. */
  jsonServerPaths: boolean;
  /** Task fields (source audio, instruction, repaint range, cover strength) and uploads reach generation. G's
   *  api_routes.py builds GenerationParams from the basic fields only: no source or reference audio, no
   *  instruction, no range, so a cover or repaint runs as text to music. */
  taskFields: boolean;
  /** The instruction a job gets when the client sends none (or the default): TASK_INSTRUCTIONS[task_type]
   *  verbatim, `{TRACK_NAME}` included (W, S: api_server.py "Auto-select instruction based on task_type"), or
   *  filled from `track_name`/`track_classes` (U: job_generation_setup.py, _resolve_instruction). */
  instructionFill: 'verbatim' | 'track-fields';
  /** A job refused with 429 stays "queued" in `/v1/stats` jobs forever: api_server.py creates the job record
   *  (store.create()) before it finds the queue full. `queue_size` stays exact. */
  rejectedStayQueued: boolean;
  /** Job states are also kept in a disk cache (api_server.py _update_local_cache, acestep/local_cache.py on
   *  diskcache) that `/query_result` reads first: after a process restart that keeps the cache, a job that was
   *  waiting or running is answered with its last state, progress frozen, for TASK_TIMEOUT_SECONDS (an hour). */
  diskCache: boolean;
  /** Running and queued items carry `progress` and `stage`, and entries carry `progress_text`. */
  progress: boolean;
  /** A failed job's item: `error` holds the traceback, is null, or is absent. */
  failureError: 'traceback' | 'null' | 'absent';
  /** How download links quote the path: `quote` (W/S/U) or Python's `quote_plus` (G, in `url`). */
  audioLink: 'quote' | 'quote-plus';
  /** `/v1/audio` refuses paths outside the output folder (403). */
  confinedAudio: boolean;
  /** The 404 detail of `/v1/audio` for a file it does not have. */
  audioNotFound(path: string): string;
  /** `/format_input` without the LM: a soft error before auth, or HTTP 503 after it. */
  formatWithoutLm: 'soft' | 'http-503';
  /** `/format_input` reads `param_obj`. */
  formatParamObj: boolean;
  /** `/v1/lora/{load,unload,toggle,scale,status}` and `/v1/transcribe` exist (else 404). */
  adapterRoutes: boolean;
  /** `POST /v1/chat/completions` (chat.ts): upstream's adapter mounted on the API (S, U: acestep/openrouter_adapter.py,
   *  included by api_server.py), or the hosted-only server that has nothing else (C: openrouter/openrouter_api_server.py). */
  chat: 'mounted' | 'standalone' | null;
}

const API_AUDIO_DIR = '/app/.cache/acestep/tmp/api_audio';
const notFoundNamingPath = (path: string) => `Audio file not found: ${path}`;
const notFoundPlain = () => 'Audio file not found';

export const FLAVOURS: Readonly<Record<Flavour, Readonly<FlavourBehaviour>>> = {
  W: {
    service: 'ACE-Step API',
    healthDetails: false,
    defaultOutputDir: () => API_AUDIO_DIR,
    models: 'native',
    modelInventory: false,
    stats: true,
    modelLoad: 'refuse-connections',
    blockingRelease: false,
    lmBackends: ['vllm', 'pt'],
    audioFormats: ['mp3', 'wav', 'flac'],
    honoursSeed: false,
    progress: false,
    failureError: 'traceback',
    audioLink: 'quote',
    confinedAudio: false,
    audioNotFound: notFoundNamingPath,
    formatWithoutLm: 'http-503',
    formatParamObj: true,
    adapterRoutes: false,
    formRelease: 'accepted',
    jsonServerPaths: false,
    taskFields: true,
    instructionFill: 'verbatim',
    rejectedStayQueued: true,
    diskCache: true,
    chat: null,
  },
  S: {
    service: 'ACE-Step API',
    healthDetails: false,
    defaultOutputDir: () => API_AUDIO_DIR,
    models: 'openrouter',
    modelInventory: false,
    stats: true,
    modelLoad: 'refuse-connections',
    blockingRelease: false,
    lmBackends: ['vllm', 'pt', 'mlx'],
    audioFormats: ['mp3', 'wav', 'flac'],
    honoursSeed: false,
    progress: true,
    failureError: 'absent',
    audioLink: 'quote',
    confinedAudio: true,
    audioNotFound: notFoundPlain,
    formatWithoutLm: 'http-503',
    formatParamObj: true,
    adapterRoutes: false,
    formRelease: 'type-error',
    jsonServerPaths: true,
    taskFields: true,
    instructionFill: 'verbatim',
    rejectedStayQueued: true,
    diskCache: true,
    chat: 'mounted',
  },
  U: {
    service: 'ACE-Step API',
    healthDetails: true,
    defaultOutputDir: () => API_AUDIO_DIR,
    models: 'openrouter',
    modelInventory: true,
    stats: true,
    modelLoad: 'first-job',
    blockingRelease: false,
    lmBackends: ['vllm', 'pt', 'mlx'],
    audioFormats: null,
    honoursSeed: true,
    progress: true,
    failureError: 'null',
    audioLink: 'quote',
    confinedAudio: true,
    audioNotFound: notFoundPlain,
    formatWithoutLm: 'http-503',
    formatParamObj: true,
    adapterRoutes: true,
    formRelease: 'accepted',
    jsonServerPaths: true,
    taskFields: true,
    instructionFill: 'track-fields',
    rejectedStayQueued: false,
    diskCache: false,
    chat: 'mounted',
  },
  G: {
    service: 'ACE-Step Gradio API',
    healthDetails: false,
    defaultOutputDir: () => `/app/gradio_outputs/api_${Math.floor(Date.now() / 1000)}`,
    models: 'native',
    modelInventory: false,
    stats: false,
    modelLoad: 'none',
    blockingRelease: true,
    lmBackends: null,
    audioFormats: ['mp3', 'wav', 'flac'],
    honoursSeed: false,
    progress: false,
    failureError: 'absent', // never shown: a failed job is an HTTP 500 of /release_task
    audioLink: 'quote-plus',
    confinedAudio: false,
    audioNotFound: notFoundNamingPath,
    formatWithoutLm: 'soft',
    formatParamObj: false,
    adapterRoutes: false,
    formRelease: 'accepted',
    jsonServerPaths: false,
    taskFields: false,
    instructionFill: 'verbatim',
    rejectedStayQueued: false,
    diskCache: false,
    chat: null,
  },
  // The hosted-only server: /health (unwrapped), /api/v1/models and /v1/chat/completions, nothing else (chat.ts).
  // The rows below it are never read: every other path is a 404 there.
  C: {
    service: 'ACE-Step OpenRouter API',
    healthDetails: false,
    defaultOutputDir: () => '/app/.cache/openrouter/tmp',
    models: 'openrouter',
    modelInventory: false,
    stats: false,
    modelLoad: 'none',
    blockingRelease: true,
    lmBackends: null,
    audioFormats: ['mp3', 'wav', 'flac'],
    honoursSeed: true,
    progress: false,
    failureError: 'absent',
    audioLink: 'quote',
    confinedAudio: true,
    audioNotFound: notFoundPlain,
    formatWithoutLm: 'http-503',
    formatParamObj: false,
    adapterRoutes: false,
    formRelease: 'accepted',
    jsonServerPaths: false,
    taskFields: true,
    instructionFill: 'verbatim',
    rejectedStayQueued: false,
    diskCache: false,
    chat: 'standalone',
  },
};

/** The behaviour of the flavour the options name now (tests may switch it with setOptions). */
export const behaviourOf = (opts: Pick<FakeOptions, 'flavour'>): Readonly<FlavourBehaviour> => FLAVOURS[opts.flavour];
