// What the ACE-Step 1.5 servers answer, once checked at the edge (see parse.ts).

/**
 * W: Docker wrapper's standalone API; S: upstream (early); U: upstream (later); G: mounted on the Gradio UI;
 * C: an OpenAI-style chat completions endpoint (upstream's OpenRouter adapter; how a hosted ACE-Step is reached).
 */
export type Flavour = 'W' | 'S' | 'U' | 'G' | 'C';

/** The request sent to /release_task, server field names already (built from the .song file elsewhere). */
export interface ReleaseRequest {
  params: Record<string, unknown>;
  files: { src_audio?: string; reference_audio?: string };
}

export interface HealthInfo {
  status: string;
  service: string;
  version: string;
  /** U only. */
  modelsInitialized?: boolean;
  llmInitialized?: boolean;
  loadedModel?: string | null;
  loadedLmModel?: string | null;
}

export interface ModelInfo {
  /** Plain model name, e.g. `acestep-v15-turbo`. */
  name: string;
  /** The OpenAI-style id when the server gave one (`acestep/acestep-v15-turbo`). */
  id?: string;
  isDefault?: boolean;
  isLoaded?: boolean;
}

export interface ModelInventory {
  models: ModelInfo[];
  defaultModel: string | null;
  lmModels: { name: string; isLoaded: boolean }[];
  loadedLmModel: string | null;
  llmInitialized: boolean | null;
}

export interface ServerInfo {
  flavour: Flavour;
  service: string;
  version: string;
  models: ModelInfo[];
  defaultModel: string | null;
  /** Whether the 5 Hz LM is loaded; undefined when the server does not say (W, S, G). */
  lmLoaded?: boolean;
  lmModel?: string | null;
  /** U: whether the DiT models are loaded (false: the first job will load them, slowly). */
  modelsInitialized?: boolean;
  /** /v1/stats exists (not on G). */
  hasStats: boolean;
  /** The model list needed a key we do not have (W with ACESTEP_API_KEY). */
  authRequired?: boolean;
  health: HealthInfo;
}

export interface ServerStats {
  jobs: { total: number; queued: number; running: number; succeeded: number; failed: number };
  queueSize: number;
  queueMaxsize: number;
  avgJobSeconds: number;
}

export interface ReleaseAnswer {
  taskId: string;
  /** 'queued' (W/S/U) or 'succeeded' (G, which generates inside the request). */
  status: string;
  queuePosition?: number;
  /** Fields the server flavour does not take and that were therefore not sent. */
  warnings: string[];
}

/** `metas` of a result item; the server's "N/A" becomes null. */
export interface ResultMetas {
  bpm?: number | null;
  duration?: number | null;
  genres?: string | null;
  keyscale?: string | null;
  timesignature?: string | null;
  /** The user's own caption and lyrics (the item's `prompt`/`lyrics` are what was really sung). */
  prompt?: string;
  lyrics?: string;
}

export interface ResultItem {
  /** `file` as given: a `/v1/audio?path=` link (W/S/U) or the raw server path (G). */
  file: string;
  /** G: the download link. */
  url?: string;
  /** The link to download from (relative to the base URL, or absolute). */
  link: string;
  /** The server-side path (only ever used for the file extension). */
  serverPath?: string;
  prompt?: string;
  lyrics?: string;
  metas: ResultMetas;
  generationInfo?: string;
  seedValue?: string;
  /** Every seed of the batch, parsed from `seed_value` ("1234,1235"). */
  seeds: number[];
  /** This take's seed when the batch's seeds line up with the items. */
  seed?: number;
  lmModel?: string;
  ditModel?: string;
  createTime?: number;
  /** The item exactly as the server sent it. */
  raw: Record<string, unknown>;
}

export interface TaskStatus {
  taskId: string;
  /** 0 queued or running, 1 succeeded, 2 failed. */
  status: 0 | 1 | 2;
  /** status 0 with result "[]": the server does not know this id (or, on G, it is not done). */
  unknown: boolean;
  items: ResultItem[];
  /** S/U: this job's progress 0..1 and stage while it runs. */
  progress?: number;
  stage?: string;
  /** W: the traceback of a failed job. */
  error?: string;
  /** S/U: the server's last log line across all jobs (a liveness ticker). */
  progressText?: string;
}

export interface FormatInputRequest {
  prompt?: string;
  lyrics?: string;
  temperature?: number;
  duration?: number;
  bpm?: number;
  key?: string;
  timeSignature?: string;
  language?: string;
}

export interface FormatResult {
  caption: string;
  lyrics: string;
  bpm: number | null;
  keyScale: string | null;
  timeSignature: string | null;
  duration: number | null;
  vocalLanguage: string | null;
}

export type RandomSample =
  | { kind: 'simple'; description: string; instrumental: boolean; vocalLanguage: string | null; raw: Record<string, unknown> }
  | {
    kind: 'custom'; caption: string; lyrics: string; think: boolean | null; bpm: number | null; duration: number | null;
    keyscale: string | null; language: string | null; timesignature: string | null; raw: Record<string, unknown>;
  };

export interface DownloadProgress {
  received: number;
  total?: number;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  contentType?: string;
  attempts: number;
}
