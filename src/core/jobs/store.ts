// The job records: what is kept (pending jobs and a bounded history), persisted through the injected storage
// (debounced), announced to listeners, and awaited. No vscode import.
import type { ProgressSample } from './polling';
import { toJobError } from './verdict';
import {
  Emitter, isTerminal, type Clock, type JobError, type JobRecord, type JobSnapshot, type JobState, type JobStorage,
} from './types';

/** What is known about a job while this process follows it (never persisted). */
export interface JobRuntime {
  abort: AbortController;
  lastPollAt?: number;
  prevPollAt?: number;
  firstProgress?: ProgressSample;
  lastProgress?: ProgressSample;
  lastProgressChangeAt?: number;
  unknownSince?: number;
  extraStartMs?: number;
  avgJobSeconds?: number;
  /** The piece of the job's life now running (submission, download…). */
  busy?: Promise<void>;
  /** Takes that came inside the server's answer (a chat completions endpoint), by take index, until written. */
  inlineAudio?: Map<number, Buffer>;
}

export interface JobStoreOptions {
  storage: JobStorage;
  clock: Clock;
  historyLimit: number;
  log: (message: string) => void;
  /** Aborted when the manager shuts down: a job cancelled by that is left for resume(). */
  disposed: AbortSignal;
  /** Expected time left of a pending job, if there is an estimate. */
  eta: (rec: JobRecord, now: number) => number | undefined;
  /** A job reached a terminal state (stop following it). */
  onFinish: (rec: JobRecord) => void;
}

/** A lazy save waits this long after the last one. */
const LAZY_SAVE_MS = 5_000;

export class JobStore {
  readonly records = new Map<string, JobRecord>();
  private readonly runtime = new Map<string, JobRuntime>();
  private readonly waiters = new Map<string, ((s: JobSnapshot) => void)[]>();
  private readonly emitter = new Emitter<JobSnapshot>();
  readonly onDidChange = this.emitter.event;
  private saveDirty = false;
  private saving?: Promise<void>;
  private lastSaveAt = 0;

  constructor(private readonly o: JobStoreOptions) {
    let loaded: JobRecord[] = [];
    try {
      loaded = o.storage.load() ?? [];
    } catch (e) {
      o.log(`Could not read the saved jobs: ${(e as Error).message}`);
    }
    for (const r of loaded) {
      if (r && typeof r.id === 'string' && typeof r.state === 'string') this.records.set(r.id, r);
    }
  }

  get(id: string): JobRecord | undefined {
    return this.records.get(id);
  }

  all(): JobRecord[] {
    return [...this.records.values()];
  }

  add(rec: JobRecord): void {
    this.records.set(rec.id, rec);
    this.runtime.set(rec.id, { abort: new AbortController() });
  }

  /** Forgets a record (and its runtime); saves at once. */
  delete(id: string): void {
    this.records.delete(id);
    this.runtime.delete(id);
    this.persist('now');
  }

  /** The runtime of a job, created on first use. */
  rt(rec: JobRecord): JobRuntime {
    let rt = this.runtime.get(rec.id);
    if (!rt) {
      rt = { abort: new AbortController() };
      this.runtime.set(rec.id, rt);
    }
    return rt;
  }

  /** The runtime of a job, if it has one (never creates it). */
  peekRt(id: string): JobRuntime | undefined {
    return this.runtime.get(id);
  }

  runtimes(): JobRuntime[] {
    return [...this.runtime.values()];
  }

  snapshot(rec: JobRecord): JobSnapshot {
    const now = this.o.clock.now();
    const s: JobSnapshot = { ...rec, elapsedMs: Math.max(0, (rec.finishedAt ?? now) - rec.createdAt) };
    if (!isTerminal(rec.state) && rec.submittedAt !== undefined && rec.state !== 'downloading') {
      const eta = this.o.eta(rec, now);
      if (eta !== undefined) s.etaMs = eta;
    }
    return s;
  }

  /** Tells the listeners; 'now' saves at once, 'lazy' within a few seconds, 'none' not at all. */
  changed(rec: JobRecord, persist: 'now' | 'lazy' | 'none' = 'lazy'): void {
    if (persist !== 'none') this.persist(persist);
    this.emitter.fire(this.snapshot(rec));
  }

  setState(rec: JobRecord, state: JobState): void {
    if (rec.state === state) return;
    rec.state = state;
    if (state === 'running' && rec.runningSince === undefined) rec.runningSince = this.o.clock.now();
    this.changed(rec, 'now');
  }

  finish(rec: JobRecord, state: JobState, error?: JobError): void {
    rec.state = state;
    rec.finishedAt = this.o.clock.now();
    if (error) rec.error = error;
    else delete rec.error;
    this.o.onFinish(rec);
    this.changed(rec, 'now');
    if (!this.rt(rec).busy) this.resolveWaiters(rec);
  }

  /** Runs one piece of a job's life, turning any escape into a failed job. */
  run(rec: JobRecord, work: () => Promise<void>): void {
    const rt = this.rt(rec);
    const p = (async () => {
      try {
        await work();
      } catch (e) {
        if (!isTerminal(rec.state)) {
          const err = toJobError(e);
          if (err.kind === 'cancelled' && this.o.disposed.aborted) return; // shutting down: resume later
          this.finish(rec, err.kind === 'cancelled' ? 'cancelled' : 'failed', err);
        }
      }
    })();
    rt.busy = p;
    void p.finally(() => {
      if (rt.busy === p) rt.busy = undefined;
      if (isTerminal(rec.state)) this.resolveWaiters(rec);
    });
  }

  /** Resolves when the job reaches a terminal state and nothing of it is running any more. */
  waitFor(id: string): Promise<JobSnapshot> {
    const r = this.records.get(id);
    if (!r) return Promise.reject(new Error(`No job ${id}.`));
    if (isTerminal(r.state) && !this.runtime.get(id)?.busy) return Promise.resolve(this.snapshot(r));
    return new Promise(resolve => {
      const list = this.waiters.get(id) ?? [];
      list.push(resolve);
      this.waiters.set(id, list);
    });
  }

  private resolveWaiters(rec: JobRecord): void {
    const list = this.waiters.get(rec.id);
    if (!list?.length) return;
    this.waiters.delete(rec.id);
    const s = this.snapshot(rec);
    for (const w of list) w(s);
  }

  persist(mode: 'now' | 'lazy'): void {
    if (mode === 'lazy' && this.o.clock.now() - this.lastSaveAt < LAZY_SAVE_MS) {
      this.saveDirty = true;
      return;
    }
    this.saveDirty = true;
    if (this.saving) return;
    this.saving = (async () => {
      while (this.saveDirty) {
        this.saveDirty = false;
        this.lastSaveAt = this.o.clock.now();
        try {
          await this.o.storage.save(this.recordsToKeep());
        } catch (e) {
          this.o.log(`Could not save the job list: ${(e as Error).message}`);
        }
      }
    })().finally(() => { this.saving = undefined; });
  }

  /** Waits for pending writes to storage. */
  async flush(): Promise<void> {
    while (this.saving) await this.saving;
  }

  dispose(): void {
    this.emitter.dispose();
  }

  /** Pending jobs plus the newest `historyLimit` finished ones (older ones are dropped from memory too). */
  private recordsToKeep(): JobRecord[] {
    const all = [...this.records.values()];
    const finished = all.filter(r => isTerminal(r.state)).sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0));
    for (const old of finished.slice(this.o.historyLimit)) {
      this.records.delete(old.id);
      this.runtime.delete(old.id);
    }
    return [...this.records.values()].map(r => JSON.parse(JSON.stringify(r)) as JobRecord);
  }
}
