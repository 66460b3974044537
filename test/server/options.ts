// What a test can ask of the fake ACE-Step server, and what it gets when it asks for nothing.
import { behaviourOf } from './flavours';
import { Params } from './params';

/** W, S, U, G: the ACE-Step server generations; C: the hosted-only chat completions server (chat.ts). */
export type Flavour = 'W' | 'S' | 'U' | 'G' | 'C';
/** 'echo': a 200 plain-text body that is not JSON and repeats the request's Authorization header. */
export type GarbageKind = 'html' | 'truncated' | 'wrong-types' | 'echo';
/**
 * A hostile server's texts (progress text, stage, a failed job's error, result fields, the service name):
 * 'echo-key' repeats the request's Authorization header in them, 'escapes' adds terminal escape sequences
 * (a window title, a screen clear, a link, colours, a carriage return).
 */
export type HostileKind = 'echo-key' | 'escapes';

export interface GarbageOption {
  kind: GarbageKind;
  /** Paths to spoil (e.g. ['/query_result']); all JSON endpoints when absent. */
  endpoints?: string[];
  /** How many answers to spoil; unlimited when absent. */
  times?: number;
}

export interface CutOption {
  /** Close the connection after this many body bytes. */
  bytes: number;
  /** Cut every download (true) or just the next one. */
  always?: boolean;
}

export interface TrickleOption {
  /** One byte goes out every this many ms (after `afterBytes` went out at full speed). */
  intervalMs: number;
  afterBytes?: number;
  /** Trickle every download (true) or just the next one. */
  always?: boolean;
}

export interface NotAudioOption {
  /** What /v1/audio sends with status 200 and the file's audio content type ('' : nothing). */
  body: string;
  /** 'length' (Content-Length, the default) or 'chunked' (no Content-Length). */
  framing?: 'length' | 'chunked';
}

export interface FakeOptions {
  flavour: Flavour;
  /** Generation time per job; a function may vary it per request. */
  generationMs: number | ((params: Record<string, unknown>) => number);
  /** S/U: how many distinct progress values a running job reports. */
  progressSteps: number;
  /** Like ACESTEP_API_KEY (W/S/U) or `--api-key` (G). null: open server. '' locks everything. */
  apiKey: string | null;
  /** The next job (or the next N jobs) fails. */
  failNext: boolean | number;
  /** /release_task answers 429 "Server busy: queue is full". */
  queueFull: boolean;
  /** /release_task answers HTTP 500 with a plain-text body (what an invalid enum value does). */
  plainText500: boolean;
  garbage: GarbageKind | GarbageOption | null;
  hostile: HostileKind[];
  /** Drop the connection in the middle of /v1/audio bodies: a number means once. */
  cutDownloadAt: number | CutOption | null;
  /** Send /v1/audio bodies one byte at a time (the idle timer never fires). */
  trickleDownloads: TrickleOption | null;
  /** /v1/audio answers 200 with this instead of the audio (an empty take, a text). */
  notAudio: NotAudioOption | null;
  /** /v1/audio waits this long before answering (downloads overlap). */
  downloadDelayMs: number;
  /** A finished job lists this many result items, whatever its batch size. */
  resultItems: number | null;
  /** Every job ends at this time (ms since epoch; not before it starts), and /query_result holds its answers
   *  until then: jobs finishing together, every client hearing of it at the same moment. */
  finishAt: number | null;
  /** A slow download: 16 KB, then this pause, and so on (0: as fast as the socket takes it). */
  downloadChunkDelayMs: number;
  /** Size in bytes of each generated audio file. */
  audioBytes: number;
  /** Whether the 5 Hz LM is loaded (thinking / format / sample need it). */
  lmLoaded: boolean;
  /** U: the first job loads the models and blocks the whole server meanwhile. W/S: refuse connections that long after start/restart. */
  modelLoadMs: number;
  /** Refuse connections. */
  down: boolean;
  /** Jobs generated at the same time (a real server has 1). */
  workers: number;
  queueMaxsize: number;
  /** Added delay before each answer. */
  latencyMs: number;
  /** Where the server pretends to write audio. */
  outputDir: string;
  /** DiT models loaded (first is the default). */
  models: string[];
  lmModel: string;
  /** /create_random_sample has no examples (soft error). */
  examplesMissing: boolean;
  /** U: OPENAI_API_KEY is set in the server's environment (else /v1/transcribe answers 400). */
  transcriptionKey: boolean;
  /** U: adapter paths that exist on the server's machine (/v1/lora/load of any other: "LoRA path not found"). */
  loraAdapters: string[];
  /** /v1/chat/completions: the audio part is not base64 ('invalid-base64') or absent ('missing', a file gone). */
  chatAudio: 'invalid-base64' | 'missing' | null;
  /** The stream's heartbeat ("." every 2 s on the real servers). */
  chatHeartbeatMs: number;
  /** A blocking chat request answers 504 after this (ACESTEP_GENERATION_TIMEOUT, 600 s). */
  chatTimeoutMs: number;
  /** The stream's connection drops this long after its first chunk (a proxy or the server going away). */
  chatStreamCutAfterMs: number | null;
  /** Port to listen on (0: any free port). */
  port: number;
}

export const DEFAULT_OPTIONS: Readonly<FakeOptions> = {
  flavour: 'S',
  generationMs: 300,
  progressSteps: 10,
  apiKey: null,
  failNext: false,
  queueFull: false,
  plainText500: false,
  garbage: null,
  hostile: [],
  cutDownloadAt: null,
  trickleDownloads: null,
  notAudio: null,
  downloadDelayMs: 0,
  resultItems: null,
  finishAt: null,
  downloadChunkDelayMs: 0,
  audioBytes: 64 * 1024,
  lmLoaded: true,
  modelLoadMs: 0,
  down: false,
  workers: 1,
  queueMaxsize: 200,
  latencyMs: 0,
  outputDir: '',
  models: ['acestep-v15-turbo'],
  lmModel: 'acestep-5Hz-lm-1.7B',
  examplesMissing: false,
  transcriptionKey: false,
  loraAdapters: [],
  chatAudio: null,
  chatHeartbeatMs: 2000,
  chatTimeoutMs: 600_000,
  chatStreamCutAfterMs: null,
  port: 0,
};

/** The defaults overlaid with what the test asked; an empty output folder becomes the flavour's own. */
export function resolveOptions(partial: Partial<FakeOptions>): FakeOptions {
  const opts: FakeOptions = { ...DEFAULT_OPTIONS, ...partial };
  if (!opts.outputDir) opts.outputDir = behaviourOf(opts).defaultOutputDir();
  return opts;
}

/**
 * A server's speed, for `generationMs`: each job takes its `audio_duration` (s; 60 when absent, like a song
 * without one) times this many ms. Two instances with different factors are a fast and a slow GPU.
 */
export function timedByDuration(msPerAudioSecond: number, fallbackSeconds = 60): (params: Record<string, unknown>) => number {
  return params => {
    const seconds = new Params(params).float('audio_duration');
    return Math.round((seconds !== undefined && seconds > 0 ? seconds : fallbackSeconds) * msPerAudioSecond);
  };
}
