// Job records as the JobManager keeps, persists and reports them. No vscode import.
import type { AceStepErrorKind } from '../api/errors';
import type { Flavour, ReleaseRequest, ResultItem } from '../api/types';
import type { LoraSetting } from '../song/lora';
import type { LoadedLora } from './lora-step';

export type JobState = 'submitting' | 'queued' | 'running' | 'downloading' | 'succeeded' | 'failed' | 'lost' | 'cancelled';

export const TERMINAL_STATES: readonly JobState[] = ['succeeded', 'failed', 'lost', 'cancelled'];

export function isTerminal(state: JobState): boolean {
  return TERMINAL_STATES.includes(state);
}

export interface JobError {
  kind: AceStepErrorKind | 'lost';
  message: string;
  serverMessage?: string;
  endpoint?: string;
  status?: number;
}

/** One audio file of a job (batch_size takes per job). */
export interface TakeRecord {
  /** Position in the server's result list (0-based). */
  index: number;
  /** The number in the file name (`…_take3.mp3`). */
  takeNumber?: number;
  /** Where the audio is on disk, once downloaded. */
  file?: string;
  sidecar?: string;
  bytes?: number;
  downloadedAt?: number;
  error?: JobError;
}

/** Who an edited take comes from: the source take and what was done to it (the operation as edit.ts plans it). */
export interface JobLineage {
  parent: { file: string; sidecar?: string };
  /** The operation, as planned (`{ kind: 'repaint', start, end, … }`). */
  operation: { kind: string } & Record<string, unknown>;
}

export interface JobRecord {
  /** Local id (the server's task id is `taskId`). */
  id: string;
  serverUrl: string;
  /** The server profile's name, when the job went to a named server (several servers: dispatch.ts). */
  serverName?: string;
  flavour?: Flavour;
  /** Song title, used for file names. */
  title: string;
  songPath?: string;
  outputDir: string;
  request: ReleaseRequest;
  state: JobState;
  taskId?: string;
  /** When the job was created locally (ms since epoch). */
  createdAt: number;
  /** When the server accepted it. */
  submittedAt?: number;
  /** First time the job was seen running. */
  runningSince?: number;
  /** First poll that saw it done on the server. */
  serverFinishedAt?: number;
  /** When it reached a terminal state here. */
  finishedAt?: number;
  /** The server's `queue_position`: waiting jobs only, this one included (the running job is not counted). */
  queuePosition?: number;
  /** Jobs ahead of this one when it was accepted: the waiting ones before it and the one running (verdict.ts). */
  jobsAhead?: number;
  stage?: string;
  /** 0..1 (S/U report it; W does not). */
  progress?: number;
  progressText?: string;
  /** What the server's statistics led us to expect, in seconds. */
  expectedSeconds?: number;
  /** Past this (ms since epoch) the job is given up. */
  deadline?: number;
  /** The server's result items, kept so a failed download can be retried. */
  items?: ResultItem[];
  takes?: TakeRecord[];
  error?: JobError;
  warnings?: string[];
  /** An edit of a take: the take it started from and the operation (see edit.ts). */
  lineage?: JobLineage;
  /** The style adapter the song asks for (loaded before /release_task), and what the server loaded. */
  lora?: LoraSetting;
  loraLoaded?: LoadedLora;
  /** The sentence the server's LM wrote the song from (New Song from a Description). */
  description?: string;
  /** /query_result calls that carried this job. */
  polls?: number;
  /** This job's share of those calls (a call asking about n jobs costs each 1/n): what the request budget counts. */
  pollCost?: number;
}

/** What listeners see: the record plus derived timings. */
export interface JobSnapshot extends JobRecord {
  /** Since creation (until finished). */
  elapsedMs: number;
  /** Expected time left, while pending. */
  etaMs?: number;
}

/** Where pending jobs and the history live (VS Code's workspace state, a JSON file, memory). */
export interface JobStorage {
  load(): JobRecord[];
  save(records: JobRecord[]): Promise<void>;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    return t;
  },
  clearTimeout: h => clearTimeout(h as NodeJS.Timeout),
};

export interface Disposable {
  dispose(): void;
}

export type Listener<T> = (e: T) => void;
export type Event<T> = (listener: Listener<T>) => Disposable;

/** A tiny event emitter with VS Code's shape, so adapters can forward it as is. */
export class Emitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event: Event<T> = listener => {
    this.listeners.add(listener);
    return { dispose: () => { this.listeners.delete(listener); } };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) {
      try { l(e); } catch { /* one listener's failure must not stop the others */ }
    }
  }
  dispose(): void {
    this.listeners.clear();
  }
}
