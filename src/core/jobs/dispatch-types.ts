// The contract of dispatch (several servers, one queue of songs): what the CLI's album render, "Generate All Songs
// in Folder" and Generate Song use. The Dispatcher (dispatch.ts) implements it over one JobManager.
//
// Rules it keeps:
// - A new job goes to the server that will finish it first (its queue from /v1/stats where the server has it,
//   else the jobs we sent it; its speed from the jobs we watched it finish, else its stats), among the servers that
//   can do the job (capabilities table and needs.ts: task type, uploads, LM for thinking/descriptions, the model
//   named, LoRA). Jobs wait here (not on a server) until a server is about to be free: binding late keeps the choice
//   right when the estimates were wrong.
// - A job stays on its server for its whole life (task ids and audio paths belong to one server).
// - When a server stops answering, its jobs that never started become 'stranded': they move to another server only
//   when the user agrees (moveStranded), since GPU time is theirs to spend. A job running there ends lost at once
//   (what it made lives only on that server), so a render never waits out a deadline for a server that is gone.
// - A song can pin a server (`server: name` in its frontmatter): it goes there or waits for it.
// No vscode import.
import type { Flavour } from '../api/types';
import type { ServerProfile } from '../servers/profiles';
import type { SubmitInput } from './manager';
import type { Event, JobSnapshot } from './types';

export interface DispatchInput extends Omit<SubmitInput, 'serverUrl' | 'flavour'> {
  /** How long the song is expected to be (s, from the song's duration or the lyrics estimate): the job's size. */
  audioSeconds: number;
  /** The profile the song names (`server:`): only that server may take it. */
  pin?: string;
}

/**
 * waiting: here, no server yet; dispatched: a job on a server (see `job`); refused: no server can do it (`reason`);
 * stranded: its server stopped answering before it started (`reason`): moveStranded() sends it elsewhere.
 */
export type EntryState = 'waiting' | 'dispatched' | 'refused' | 'stranded';

export interface DispatchEntry {
  id: string;
  title: string;
  songPath?: string;
  audioSeconds: number;
  state: EntryState;
  /** While waiting: 1 for the next entry to go. */
  waitingPosition?: number;
  /** The profile name of its server, once dispatched. */
  server?: string;
  serverUrl?: string;
  /** The job manager's job once dispatched, and its latest snapshot (state, queue position, stage, takes). */
  jobId?: string;
  job?: JobSnapshot;
  /** Why it was refused or stranded, in words. */
  reason?: string;
  /** Expected seconds until it is done (an estimate; undefined when nothing is known). */
  etaSeconds?: number;
}

export interface ServerLoad {
  name: string;
  url: string;
  /** undefined until first asked. */
  up?: boolean;
  flavour?: Flavour;
  /** What was wrong the last time it was asked (unreachable, key refused…). */
  error?: string;
  /** Jobs waiting on the server (everyone's, from /v1/stats; else ours). */
  queued: number;
  /** Jobs running on it (0 or 1). */
  running: number;
  /** Our jobs on it that are not finished. */
  ours: number;
  /** Seconds of GPU time per second of audio, once known (from our finished jobs, else its stats). */
  secondsPerAudioSecond?: number;
  /** Estimated seconds until it can start a new job. */
  freeInSeconds?: number;
}

export interface DispatcherLike {
  /** Fires on any change of an entry or a server's load (many times a second at most a few). */
  readonly onDidChange: Event<void>;
  /** Adds songs to the queue (longest first is the caller's choice of order: the queue keeps it). */
  enqueue(inputs: DispatchInput[]): DispatchEntry[];
  entries(): DispatchEntry[];
  servers(): ServerLoad[];
  /** The user agreed: stranded entries (all, or these ids) go back to the queue for the other servers. */
  moveStranded(ids?: string[]): void;
  /** A waiting entry leaves the queue; a dispatched one is cancelled in the job manager. */
  cancel(id: string): boolean;
  /**
   * Resolves when no entry (of `ids`, else none at all) is waiting or on a server: each finished (its job terminal),
   * refused or stranded; with the entries (those of `ids`: one cancelled while waiting has left).
   */
  settled(ids?: readonly string[]): Promise<DispatchEntry[]>;
  dispose(): Promise<void>;
}

export type { ServerProfile };
