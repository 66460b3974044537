// What each ACE-Step server generation can do: the one place that knows. Everything that used to ask
// "is this flavour G?" asks this table instead, so a new server kind is one new row.
// Facts from the servers' own code (see shared notes on the API); no vscode import.
import { text, translatable } from '../l10n';
import type { Flavour, ServerInfo } from './types';

export type TaskType = 'text2music' | 'repaint' | 'cover' | 'extract' | 'lego' | 'complete';

export interface Capabilities {
  /** A short name a user understands ("standalone API (Docker wrapper)"), in English: show it through serverKindLabel. */
  label: string;
  /** /release_task generates inside the request and answers when done (no queue to poll). */
  blockingRelease: boolean;
  /** /release_task takes multipart uploads (src_audio, reference_audio) that really reach generation. */
  uploads: boolean;
  /** /release_task takes src_audio_path / reference_audio_path in JSON as paths on the server's machine. */
  serverPaths: boolean;
  /** Task types the server really carries out (others run as plain text to music, or fail). */
  taskTypes: readonly TaskType[];
  /** Request fields beyond the basic set reach generation (model choice, task fields, advanced LM fields). */
  fullParameters: boolean;
  /** /v1/stats exists (queue figures, average job time). */
  stats: boolean;
  /** Running items carry this job's progress (0–1) and stage. */
  progress: boolean;
  /** Failed items carry the server's error text. */
  failureReason: boolean;
  /** `seed` with `use_random_seed: false` really reproduces a take. */
  seedsHonoured: boolean;
  /** /health says whether the 5 Hz LM and the DiT models are loaded. */
  reportsLm: boolean;
  /** The first job loads the models (slowly); /health answers before that. */
  lazyModelLoad: boolean;
  /** /v1/lora/* routes. */
  lora: boolean;
  /** /v1/transcribe (word timestamps, LRC). */
  transcribe: boolean;
  /** /format_input takes `param_obj`. */
  formatParamObj: boolean;
  /** The running job's start can be told from the server's answers (W says nothing while a job waits or runs). */
  knowsRunningSince: boolean;
  /** Jobs go to an OpenAI-style POST /v1/chat/completions that answers with the audio (base64), not /release_task. */
  chatCompletions: boolean;
  /** A reference audio reaches generation on its own, in any task (else audio is taken only as a cover's or repaint's source, with an optional reference beside it). */
  referenceAlone: boolean;
}

const ALL_TASKS: readonly TaskType[] = ['text2music', 'repaint', 'cover', 'extract', 'lego', 'complete'];

/** What a standalone API with a job queue does; each server generation below lists only where it differs. */
const QUEUED_API: Omit<Capabilities, 'label'> = {
  blockingRelease: false, uploads: true, serverPaths: false, taskTypes: ALL_TASKS, fullParameters: true,
  stats: true, progress: true, failureReason: false, seedsHonoured: false, reportsLm: false, lazyModelLoad: false,
  lora: false, transcribe: false, formatParamObj: true, knowsRunningSince: true, chatCompletions: false,
  referenceAlone: true,
};

export const CAPABILITIES: Readonly<Record<Flavour, Capabilities>> = {
  W: { ...QUEUED_API, label: translatable('standalone API (Docker wrapper)'), progress: false, failureReason: true, knowsRunningSince: false },
  // Multipart or form /release_task answers 500 on S (the file paths are passed twice): uploads do not work.
  S: { ...QUEUED_API, label: translatable('upstream standalone API (early 2026)'), uploads: false, serverPaths: true },
  U: {
    ...QUEUED_API, label: translatable('upstream standalone API (current)'),
    serverPaths: true, seedsHonoured: true, reportsLm: true, lazyModelLoad: true, lora: true, transcribe: true,
  },
  G: {
    ...QUEUED_API, label: translatable('Gradio UI with its API'),
    blockingRelease: true, uploads: false, taskTypes: ['text2music'], fullParameters: false, stats: false, progress: false,
    failureReason: true, formatParamObj: false,
  },
  // Upstream's OpenAI-style route (acestep/openrouter_adapter.py, mounted on the standalone API; also its own
  // server, openrouter/openrouter_api_server.py): one request generates and answers with the audio itself, base64.
  // Audio goes in as base64 parts of the message; cover and repaint route the first one to src_audio. extract,
  // lego and complete get no instruction there (the adapter has no instruction field), and audio on text to music
  // turns the task into "music_continuation" (the first audio is taken as the source of a cover or repaint, too):
  // neither is offered. Fields it has no place for are not sent (chat-request.ts says which).
  C: {
    ...QUEUED_API, label: translatable('hosted chat endpoint (OpenAI-style)'),
    blockingRelease: true, taskTypes: ['text2music', 'cover', 'repaint'], stats: false, progress: false,
    failureReason: true, formatParamObj: false, knowsRunningSince: false, chatCompletions: true, referenceAlone: false,
  },
};

/** The capabilities of a server generation. */
export function capabilitiesOf(flavour: Flavour): Capabilities {
  const c = CAPABILITIES[flavour];
  if (!c) throw new Error(`Unknown ACE-Step server generation: ${String(flavour)}`);
  return c;
}

/**
 * The server kind in words, for people ("standalone API (Docker wrapper)"), never the one-letter tag alone;
 * translated. A tag this table does not know (an old stored job) is shown as it is.
 */
export function serverKindLabel(flavour: Flavour): string {
  const c = CAPABILITIES[flavour] as Capabilities | undefined;
  return c ? text(c.label) : String(flavour);
}

/**
 * What is known about the server's 5 Hz LM: loaded or not (only servers that report it, U), not loaded yet because
 * the models load on the first job (U before its first job), or not reported at all (W, S, G).
 */
export type LmState = 'loaded' | 'not-loaded' | 'loads-on-first-job' | 'unreported';

export function lmState(info: Pick<ServerInfo, 'flavour' | 'lmLoaded' | 'modelsInitialized'>): LmState {
  const c = CAPABILITIES[info.flavour] as Capabilities | undefined;
  if (!c?.reportsLm) return 'unreported';
  if (info.lmLoaded === undefined) return c.lazyModelLoad && info.modelsInitialized === false ? 'loads-on-first-job' : 'unreported';
  return info.lmLoaded ? 'loaded' : 'not-loaded';
}
