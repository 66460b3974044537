// The job lifecycle: submit → track → download, for several jobs and servers at once. No vscode import.
//
// - One poll loop per server; each round asks /query_result about all of that server's jobs at once.
// - Poll timing is adaptive (polling.ts): quick at first, sparse in the middle, quick near the expected end,
//   with at most ~2 requests/s per job on average.
// - A job the server no longer knows (status 0 with "[]" plus evidence such as a restart) becomes `lost`.
// - G (Gradio-mounted API) generates inside /release_task; its job is then read once from /query_result.
// - Results are streamed to disk, named from the song title, time and take number, with a JSON sidecar.
//   If downloading fails the job keeps its result items, so the download can be retried.
// - Pending jobs and a bounded history are persisted through the injected storage; resume() continues them.
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { AceStepClient, audioExtension } from '../api/client';
import { AceStepError, isAceStepError } from '../api/errors';
import type { Flavour, ReleaseRequest, ResultItem, ServerInfo, ServerStats, TaskStatus } from '../api/types';
import { DEFAULT_POLLING, expectedEnd, nextPollAt, type PollingConfig, type PollView, type ProgressSample } from './polling';
import { allocateTakeNumbers, ensureDir, safeExtension, takePrefix, writeFileAtomic } from './files';
import {
  Emitter, isTerminal, systemClock, type Clock, type Event, type JobError, type JobRecord, type JobSnapshot, type JobState,
  type JobStorage, type TakeRecord,
} from './types';

export interface DeadlineConfig {
  /** Deadline = submission + max(minMs, multiple × expected time) + grace. */
  multiple: number;
  minMs: number;
  /** Added when the server still has to load its models (U before its first job). */
  modelLoadGraceMs: number;
  /** A job the server answers "[]" for this long (with no other evidence) is lost. */
  unknownGraceMs: number;
  /** Past the deadline, a job whose progress moved within this window gets more time. */
  aliveWindowMs: number;
}

export const DEFAULT_DEADLINE: DeadlineConfig = {
  multiple: 4,
  minMs: 10 * 60_000,
  modelLoadGraceMs: 15 * 60_000,
  unknownGraceMs: 30_000,
  aliveWindowMs: 60_000,
};

export interface JobManagerOptions {
  storage: JobStorage;
  /** The API key for a server (only ever sent to that server). */
  apiKey?: string | ((serverUrl: string) => string | undefined);
  /** Overrides client creation (tests, custom dispatchers). */
  clientFor?: (serverUrl: string) => AceStepClient;
  clock?: Clock;
  polling?: Partial<PollingConfig>;
  deadline?: Partial<DeadlineConfig>;
  /** Pauses between tries when the server's queue is full (429); one more try than entries. */
  queueFullDelaysMs?: number[];
  /** Tries per take download. */
  downloadAttempts?: number;
  /** Refresh /v1/stats this often while jobs are pending. */
  statsIntervalMs?: number;
  /** Finished jobs kept. */
  historyLimit?: number;
  log?: (message: string) => void;
}

export interface SubmitInput {
  serverUrl: string;
  request: ReleaseRequest;
  /** Song title (file names). */
  title: string;
  songPath?: string;
  /** Where the takes go, as planJob() decided it (src/core/jobs/plan.ts). */
  outputDir: string;
  /** Skip flavour detection when it is already known. */
  flavour?: Flavour;
}

interface Runtime {
  abort: AbortController;
  lastPollAt?: number;
  prevPollAt?: number;
  firstProgress?: ProgressSample;
  lastProgress?: ProgressSample;
  lastProgressChangeAt?: number;
  unknownSince?: number;
  extraStartMs?: number;
  avgJobSeconds?: number;
  busy?: Promise<void>;
}

interface Tracker {
  url: string;
  jobIds: Set<string>;
  timer?: unknown;
  timerAt?: number;
  polling: boolean;
  lastPollAt: number;
  failures: number;
  unreachableSince?: number;
  /** A reachability gap ended: jobs now unknown were lost in a restart. */
  sawGap: boolean;
  badAnswers: number;
  stats?: ServerStats;
  statsAt?: number;
  /** The job total went down between two /v1/stats answers: the server restarted. */
  restartSeen: boolean;
}

const sleep = (clock: Clock, ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  if (signal?.aborted) return reject(new AceStepError('cancelled', 'Cancelled.'));
  const h = clock.setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
  const onAbort = () => { clock.clearTimeout(h); reject(new AceStepError('cancelled', 'Cancelled.')); };
  signal?.addEventListener('abort', onAbort, { once: true });
});

function toJobError(e: unknown): JobError {
  if (isAceStepError(e)) {
    const out: JobError = { kind: e.kind, message: e.message };
    if (e.serverMessage) out.serverMessage = e.serverMessage;
    if (e.endpoint) out.endpoint = e.endpoint;
    if (e.status !== undefined) out.status = e.status;
    return out;
  }
  return { kind: 'server', message: e instanceof Error ? e.message : String(e) };
}

/** The last meaningful line of a Python traceback. */
function lastLine(text: string): string {
  const lines = text.split('\n').map(l => l.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? text;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export class JobManager {
  private readonly storage: JobStorage;
  private readonly clock: Clock;
  private readonly polling: PollingConfig;
  private readonly deadline: DeadlineConfig;
  private readonly queueFullDelays: number[];
  private readonly downloadAttempts: number;
  private readonly statsInterval: number;
  private readonly historyLimit: number;
  private readonly log: (m: string) => void;
  private readonly options: JobManagerOptions;

  private readonly records = new Map<string, JobRecord>();
  private readonly runtime = new Map<string, Runtime>();
  private readonly trackers = new Map<string, Tracker>();
  private readonly clients = new Map<string, AceStepClient>();
  private readonly infos = new Map<string, { info: ServerInfo; at: number }>();
  private readonly waiters = new Map<string, ((s: JobSnapshot) => void)[]>();
  private readonly reserved = new Set<string>();
  private readonly emitter = new Emitter<JobSnapshot>();
  private readonly disposed = new AbortController();
  private saveDirty = false;
  private saving?: Promise<void>;
  private lastSaveAt = 0;

  /** Fires on every change of a job (state, progress, queue position…). */
  readonly onDidChange: Event<JobSnapshot> = this.emitter.event;

  constructor(options: JobManagerOptions) {
    this.options = options;
    this.storage = options.storage;
    this.clock = options.clock ?? systemClock;
    this.polling = { ...DEFAULT_POLLING, ...(options.polling ?? {}) };
    this.deadline = { ...DEFAULT_DEADLINE, ...(options.deadline ?? {}) };
    this.queueFullDelays = options.queueFullDelaysMs ?? [2_000, 5_000, 10_000];
    this.downloadAttempts = options.downloadAttempts ?? 4;
    this.statsInterval = options.statsIntervalMs ?? 10_000;
    this.historyLimit = options.historyLimit ?? 200;
    this.log = options.log ?? (() => undefined);
    let loaded: JobRecord[] = [];
    try {
      loaded = this.storage.load() ?? [];
    } catch (e) {
      this.log(`Could not read the saved jobs: ${(e as Error).message}`);
    }
    for (const r of loaded) {
      if (r && typeof r.id === 'string' && typeof r.state === 'string') this.records.set(r.id, r);
    }
  }

  // ---- public API ---------------------------------------------------------------------------------

  list(): JobSnapshot[] {
    return [...this.records.values()].map(r => this.snapshot(r));
  }

  pending(): JobSnapshot[] {
    return this.list().filter(j => !isTerminal(j.state));
  }

  history(): JobSnapshot[] {
    return this.list().filter(j => isTerminal(j.state));
  }

  get(id: string): JobSnapshot | undefined {
    const r = this.records.get(id);
    return r ? this.snapshot(r) : undefined;
  }

  /** Starts a job; returns at once (state 'submitting'). Follow it with onDidChange or waitFor(). */
  submit(input: SubmitInput): JobSnapshot {
    const now = this.clock.now();
    const rec: JobRecord = {
      id: randomUUID(),
      serverUrl: input.serverUrl.replace(/\/+$/, ''),
      title: input.title,
      outputDir: input.outputDir,
      request: { params: { ...input.request.params }, files: { ...input.request.files } },
      state: 'submitting',
      createdAt: now,
    };
    if (input.flavour) rec.flavour = input.flavour;
    if (input.songPath) rec.songPath = input.songPath;
    this.records.set(rec.id, rec);
    this.runtime.set(rec.id, { abort: new AbortController() });
    this.changed(rec, 'now');
    this.run(rec, () => this.submitJob(rec));
    return this.snapshot(rec);
  }

  /** Resolves when the job reaches succeeded, failed, lost or cancelled. */
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

  /** Stops tracking a job (ACE-Step has no cancel endpoint: the server may still finish it). */
  cancel(id: string): boolean {
    const rec = this.records.get(id);
    if (!rec || isTerminal(rec.state)) return false;
    this.runtime.get(id)?.abort.abort();
    for (const tr of this.trackers.values()) tr.jobIds.delete(id);
    this.finish(rec, 'cancelled', { kind: 'cancelled', message: 'Cancelled here; the server may still finish the job (ACE-Step has no cancel).' });
    return true;
  }

  /** Downloads the takes still missing of a job whose result is known (after a failed download). */
  retryDownload(id: string): Promise<JobSnapshot> {
    const rec = this.records.get(id);
    if (!rec) return Promise.reject(new Error(`No job ${id}.`));
    if (!rec.items?.length) return Promise.reject(new Error('This job has no result to download.'));
    if (rec.state === 'downloading') return this.waitFor(id);
    const rt = this.rt(rec);
    rt.abort = new AbortController();
    delete rec.error;
    rec.state = 'downloading';
    delete rec.finishedAt;
    this.changed(rec, 'now');
    this.run(rec, () => this.downloadAll(rec));
    return this.waitFor(id);
  }

  /** Continues the jobs left pending in storage (e.g. after a VS Code reload). */
  resume(): void {
    for (const rec of this.records.values()) {
      if (isTerminal(rec.state) || this.runtime.get(rec.id)?.busy || this.isTracked(rec.id)) continue;
      this.rt(rec);
      switch (rec.state) {
        case 'submitting':
          this.finish(rec, 'lost', {
            kind: 'lost',
            message: 'The job was interrupted while being submitted (reload or exit); whether the server got it is unknown. Submit it again.',
          });
          break;
        case 'queued':
        case 'running':
          if (!rec.taskId) {
            this.finish(rec, 'lost', { kind: 'lost', message: 'The job has no server task id; it cannot be followed.' });
          } else if (rec.flavour === 'G') {
            this.run(rec, () => this.fetchOnce(rec));
          } else {
            this.track(rec);
          }
          break;
        case 'downloading':
          this.run(rec, () => this.downloadAll(rec));
          break;
      }
    }
  }

  /** Forgets a finished job from the history (files stay on disk). */
  remove(id: string): boolean {
    const rec = this.records.get(id);
    if (!rec || !isTerminal(rec.state)) return false;
    this.records.delete(id);
    this.runtime.delete(id);
    this.persist('now');
    return true;
  }

  /** Waits for pending writes to storage. */
  async flush(): Promise<void> {
    while (this.saving) await this.saving;
  }

  /** Stops all timers and requests, leaving pending jobs as they are in storage (resume() picks them up). */
  async dispose(): Promise<void> {
    this.disposed.abort();
    for (const tr of this.trackers.values()) {
      if (tr.timer !== undefined) this.clock.clearTimeout(tr.timer);
      tr.timer = undefined;
    }
    for (const rt of this.runtime.values()) rt.abort.abort();
    await Promise.allSettled([...this.runtime.values()].map(rt => rt.busy));
    this.persist('now');
    await this.flush();
    await Promise.allSettled([...this.clients.values()].map(c => c.close()));
    this.emitter.dispose();
  }

  // ---- internals: bookkeeping ---------------------------------------------------------------------

  private rt(rec: JobRecord): Runtime {
    let rt = this.runtime.get(rec.id);
    if (!rt) {
      rt = { abort: new AbortController() };
      this.runtime.set(rec.id, rt);
    }
    return rt;
  }

  private isTracked(id: string): boolean {
    for (const tr of this.trackers.values()) if (tr.jobIds.has(id)) return true;
    return false;
  }

  /** Runs one piece of a job's life, turning any escape into a failed job. */
  private run(rec: JobRecord, work: () => Promise<void>): void {
    const rt = this.rt(rec);
    const p = (async () => {
      try {
        await work();
      } catch (e) {
        if (!isTerminal(rec.state)) {
          const err = toJobError(e);
          if (err.kind === 'cancelled' && this.disposed.signal.aborted) return; // shutting down: resume later
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

  private resolveWaiters(rec: JobRecord): void {
    const list = this.waiters.get(rec.id);
    if (!list?.length) return;
    this.waiters.delete(rec.id);
    const s = this.snapshot(rec);
    for (const w of list) w(s);
  }

  private snapshot(rec: JobRecord): JobSnapshot {
    const now = this.clock.now();
    const s: JobSnapshot = { ...rec, elapsedMs: Math.max(0, (rec.finishedAt ?? now) - rec.createdAt) };
    if (!isTerminal(rec.state) && rec.submittedAt !== undefined && rec.state !== 'downloading') {
      const v = this.pollView(rec);
      if (v && (v.avgJobSeconds !== undefined || v.lastProgress)) s.etaMs = Math.max(0, expectedEnd(v).end - now);
    }
    return s;
  }

  private changed(rec: JobRecord, persist: 'now' | 'lazy' | 'none' = 'lazy'): void {
    if (persist !== 'none') this.persist(persist);
    this.emitter.fire(this.snapshot(rec));
  }

  private setState(rec: JobRecord, state: JobState): void {
    if (rec.state === state) return;
    rec.state = state;
    if (state === 'running' && rec.runningSince === undefined) rec.runningSince = this.clock.now();
    this.changed(rec, 'now');
  }

  private finish(rec: JobRecord, state: JobState, error?: JobError): void {
    rec.state = state;
    rec.finishedAt = this.clock.now();
    if (error) rec.error = error;
    else delete rec.error;
    for (const tr of this.trackers.values()) tr.jobIds.delete(rec.id);
    this.changed(rec, 'now');
    if (!this.rt(rec).busy) this.resolveWaiters(rec);
  }

  private persist(mode: 'now' | 'lazy'): void {
    if (mode === 'lazy' && this.clock.now() - this.lastSaveAt < 5_000) {
      this.saveDirty = true;
      return;
    }
    this.saveDirty = true;
    if (this.saving) return;
    this.saving = (async () => {
      while (this.saveDirty) {
        this.saveDirty = false;
        this.lastSaveAt = this.clock.now();
        try {
          await this.storage.save(this.recordsToKeep());
        } catch (e) {
          this.log(`Could not save the job list: ${(e as Error).message}`);
        }
      }
    })().finally(() => { this.saving = undefined; });
  }

  /** Pending jobs plus the newest `historyLimit` finished ones (older ones are dropped from memory too). */
  private recordsToKeep(): JobRecord[] {
    const all = [...this.records.values()];
    const finished = all.filter(r => isTerminal(r.state)).sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0));
    for (const old of finished.slice(this.historyLimit)) {
      this.records.delete(old.id);
      this.runtime.delete(old.id);
    }
    return [...this.records.values()].map(r => JSON.parse(JSON.stringify(r)) as JobRecord);
  }

  private client(url: string): AceStepClient {
    let c = this.clients.get(url);
    if (!c) {
      if (this.options.clientFor) c = this.options.clientFor(url);
      else {
        const k = this.options.apiKey;
        const apiKey = typeof k === 'function' ? k(url) : k;
        c = new AceStepClient({ baseUrl: url, ...(apiKey ? { apiKey } : {}) });
      }
      this.clients.set(url, c);
    }
    return c;
  }

  private async serverInfo(url: string, signal: AbortSignal): Promise<ServerInfo> {
    const cached = this.infos.get(url);
    if (cached && this.clock.now() - cached.at < 60_000) return cached.info;
    const info = await this.client(url).detectFlavour({ signal });
    this.infos.set(url, { info, at: this.clock.now() });
    return info;
  }

  // ---- submission ---------------------------------------------------------------------------------

  private async submitJob(rec: JobRecord): Promise<void> {
    const rt = this.rt(rec);
    const signal = rt.abort.signal;
    const client = this.client(rec.serverUrl);
    let info: ServerInfo | undefined;
    if (!rec.flavour) {
      info = await this.serverInfo(rec.serverUrl, signal);
      rec.flavour = info.flavour;
    } else {
      info = this.infos.get(rec.serverUrl)?.info;
    }
    client.flavour = rec.flavour;
    if (rec.flavour === 'G') return this.submitBlocking(rec, client, signal);

    // The server's own timing figure, for the deadline and the poll pacing.
    const tr = this.tracker(rec.serverUrl);
    await this.refreshStats(tr, true).catch(() => undefined);
    const avg = tr.stats?.avgJobSeconds;
    if (avg !== undefined && avg > 0) rt.avgJobSeconds = avg;
    if (rec.flavour === 'U' && info?.modelsInitialized === false) rt.extraStartMs = this.deadline.modelLoadGraceMs / 3;

    const answer = await this.releaseWithRetry(rec, client, signal);
    const now = this.clock.now();
    rec.taskId = answer.taskId;
    rec.submittedAt = now;
    if (answer.queuePosition !== undefined) rec.queuePosition = answer.queuePosition;
    if (answer.warnings.length) rec.warnings = [...(rec.warnings ?? []), ...answer.warnings];
    const expected = (rt.avgJobSeconds ?? 60) * Math.max(1, rec.queuePosition ?? 1);
    rec.expectedSeconds = expected;
    const grace = rec.flavour === 'U' && info?.modelsInitialized === false ? this.deadline.modelLoadGraceMs : 0;
    rec.deadline = now + Math.max(this.deadline.minMs, this.deadline.multiple * expected * 1000) + grace;
    rec.state = (rec.queuePosition ?? 1) > 1 ? 'queued' : 'running';
    if (rec.state === 'running') rec.runningSince = now;
    this.changed(rec, 'now');
    this.track(rec);
  }

  private async releaseWithRetry(rec: JobRecord, client: AceStepClient, signal: AbortSignal) {
    const tries = this.queueFullDelays.length + 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await client.releaseTask(rec.request, { signal, flavour: rec.flavour });
      } catch (e) {
        if (!(isAceStepError(e) && e.kind === 'queue-full')) throw e;
        if (attempt >= tries) {
          throw new AceStepError('queue-full', `The server's queue is still full after ${tries} tries; try again later. (${e.serverMessage ?? e.message})`, {
            endpoint: '/release_task', status: 429, serverMessage: e.serverMessage,
          });
        }
        const wait = this.queueFullDelays[attempt - 1];
        rec.stage = `queue full, retrying in ${Math.round(wait / 1000)} s (${attempt}/${tries - 1})`;
        this.changed(rec, 'none');
        await sleep(this.clock, wait, signal);
      }
    }
  }

  /** G: /release_task runs the whole generation, then the files are read once from /query_result. */
  private async submitBlocking(rec: JobRecord, client: AceStepClient, signal: AbortSignal): Promise<void> {
    rec.submittedAt = this.clock.now();
    rec.stage = 'generating (the Gradio API answers when the song is done)';
    this.setState(rec, 'running');
    const answer = await client.releaseTask(rec.request, { signal, flavour: 'G' });
    rec.taskId = answer.taskId;
    if (answer.warnings.length) rec.warnings = [...(rec.warnings ?? []), ...answer.warnings];
    rec.serverFinishedAt = this.clock.now();
    this.changed(rec, 'now');
    await this.fetchOnce(rec);
  }

  /** Reads a finished G job's result (also used on resume). */
  private async fetchOnce(rec: JobRecord): Promise<void> {
    const signal = this.rt(rec).abort.signal;
    const [status] = await this.client(rec.serverUrl).queryResult([rec.taskId!], { signal });
    rec.polls = (rec.polls ?? 0) + 1;
    rec.pollCost = (rec.pollCost ?? 0) + 1;
    if (!status || status.unknown || status.status !== 1) {
      this.finish(rec, 'lost', {
        kind: 'lost',
        message: `The server does not have the result of task ${rec.taskId} (it may have restarted). The job is lost; submit it again.`,
      });
      return;
    }
    await this.accept(rec, status);
  }

  // ---- tracking -----------------------------------------------------------------------------------

  private tracker(url: string): Tracker {
    let tr = this.trackers.get(url);
    if (!tr) {
      tr = { url, jobIds: new Set(), polling: false, lastPollAt: 0, failures: 0, sawGap: false, badAnswers: 0, restartSeen: false };
      this.trackers.set(url, tr);
    }
    return tr;
  }

  private track(rec: JobRecord): void {
    const tr = this.tracker(rec.serverUrl);
    tr.jobIds.add(rec.id);
    const rt = this.rt(rec);
    if (rt.avgJobSeconds === undefined && tr.stats) rt.avgJobSeconds = tr.stats.avgJobSeconds;
    this.schedule(tr);
  }

  private pollView(rec: JobRecord): PollView | undefined {
    if (rec.submittedAt === undefined) return undefined;
    const rt = this.runtime.get(rec.id);
    const tr = this.trackers.get(rec.serverUrl);
    const v: PollView = {
      submittedAt: rec.submittedAt,
      lastPollAt: rt?.lastPollAt ?? rec.submittedAt,
      polls: rec.pollCost ?? rec.polls ?? 0,
    };
    const avg = rt?.avgJobSeconds ?? tr?.stats?.avgJobSeconds;
    if (avg !== undefined) v.avgJobSeconds = avg;
    if (rec.queuePosition !== undefined) v.queuePosition = rec.queuePosition;
    if (rec.runningSince !== undefined && rec.flavour !== 'W') v.runningSince = rec.runningSince;
    if (rt?.firstProgress) v.firstProgress = rt.firstProgress;
    if (rt?.lastProgress) v.lastProgress = rt.lastProgress;
    if (rt?.extraStartMs) v.extraStartMs = rt.extraStartMs;
    return v;
  }

  private schedule(tr: Tracker): void {
    if (tr.polling || this.disposed.signal.aborted) return;
    const now = this.clock.now();
    let at = Infinity;
    for (const id of tr.jobIds) {
      const rec = this.records.get(id);
      if (!rec || isTerminal(rec.state) || !rec.taskId) continue;
      const v = this.pollView(rec);
      if (v) at = Math.min(at, nextPollAt(v, now, this.polling));
    }
    if (at === Infinity) {
      if (tr.timer !== undefined) this.clock.clearTimeout(tr.timer);
      tr.timer = undefined;
      return;
    }
    if (tr.failures > 0) {
      const backoff = Math.min(15_000, 1_000 * 2 ** Math.min(4, tr.failures - 1));
      at = Math.max(at, tr.lastPollAt + backoff);
    }
    at = Math.max(at, tr.lastPollAt + this.polling.minGapMs);
    if (tr.timer !== undefined && tr.timerAt !== undefined && tr.timerAt <= at) return;
    if (tr.timer !== undefined) this.clock.clearTimeout(tr.timer);
    tr.timerAt = at;
    tr.timer = this.clock.setTimeout(() => {
      tr.timer = undefined;
      tr.timerAt = undefined;
      void this.poll(tr);
    }, Math.max(0, at - now));
  }

  private async refreshStats(tr: Tracker, force: boolean): Promise<void> {
    const info = this.infos.get(tr.url)?.info;
    const flavour = info?.flavour ?? [...tr.jobIds].map(id => this.records.get(id)?.flavour).find(Boolean);
    if (flavour === 'G' || info?.hasStats === false) return;
    const now = this.clock.now();
    if (!force && tr.statsAt !== undefined && now - tr.statsAt < this.statsInterval) return;
    if (force && tr.statsAt !== undefined && now - tr.statsAt < 1_000) return;
    const stats = await this.client(tr.url).stats({ signal: this.disposed.signal });
    if (!stats) return;
    if (tr.stats && stats.jobs.total < tr.stats.jobs.total) tr.restartSeen = true;
    tr.stats = stats;
    tr.statsAt = this.clock.now();
    for (const id of tr.jobIds) {
      const rt = this.runtime.get(id);
      if (rt && stats.avgJobSeconds > 0) rt.avgJobSeconds = stats.avgJobSeconds;
    }
  }

  private async poll(tr: Tracker): Promise<void> {
    if (tr.polling || this.disposed.signal.aborted) return;
    const recs = [...tr.jobIds].map(id => this.records.get(id)).filter((r): r is JobRecord => !!r && !isTerminal(r.state) && !!r.taskId);
    if (!recs.length) return;
    tr.polling = true;
    const started = this.clock.now();
    try {
      const results = await this.client(tr.url).queryResult(recs.map(r => r.taskId!), { signal: this.disposed.signal });
      const now = this.clock.now();
      if (tr.failures > 0) tr.sawGap = true;
      tr.failures = 0;
      tr.unreachableSince = undefined;
      tr.badAnswers = 0;
      tr.lastPollAt = now;
      for (const rec of recs) {
        const rt = this.rt(rec);
        rt.prevPollAt = rt.lastPollAt ?? rec.submittedAt;
        rt.lastPollAt = now;
        rec.polls = (rec.polls ?? 0) + 1;
        rec.pollCost = (rec.pollCost ?? 0) + 1 / recs.length;
      }
      const byId = new Map(results.map(r => [r.taskId, r] as const));
      const anyUnknown = recs.some(r => !byId.get(r.taskId!) || byId.get(r.taskId!)!.unknown);
      await this.refreshStats(tr, anyUnknown).catch(() => undefined);
      for (const rec of recs) {
        if (isTerminal(rec.state) || !tr.jobIds.has(rec.id)) continue;
        const st = byId.get(rec.taskId!) ?? { taskId: rec.taskId!, status: 0 as const, unknown: true, items: [] };
        this.handle(tr, rec, st, now);
      }
      tr.sawGap = false;
      tr.restartSeen = false;
    } catch (e) {
      if (this.disposed.signal.aborted) return;
      const err = isAceStepError(e) ? e : new AceStepError('server', String((e as Error)?.message ?? e));
      tr.lastPollAt = this.clock.now();
      if (err.kind === 'auth') {
        for (const rec of recs) this.finish(rec, 'failed', toJobError(err));
      } else {
        tr.failures++;
        if (err.kind === 'unreachable' || err.kind === 'timeout') tr.unreachableSince ??= started;
        else tr.badAnswers++;
        const now = this.clock.now();
        for (const rec of recs) {
          if (tr.badAnswers >= 5) {
            this.finish(rec, 'failed', toJobError(err));
          } else if (rec.deadline !== undefined && now > rec.deadline) {
            const since = tr.unreachableSince !== undefined ? ` since ${new Date(tr.unreachableSince).toLocaleTimeString()}` : '';
            this.finish(rec, 'lost', {
              kind: 'lost',
              message: `Gave up on the job: its deadline passed and the server has not answered properly${since} (${err.message}).`,
            });
          } else {
            rec.progressText = `${err.message} Retrying…`;
            this.changed(rec, 'none');
          }
        }
      }
    } finally {
      tr.polling = false;
      this.schedule(tr);
    }
  }

  /** Why a job answering "[]" must be lost (or undefined: wait a little longer). */
  private unknownEvidence(tr: Tracker, rec: JobRecord, rt: Runtime, now: number): string | undefined {
    if (tr.sawGap) return 'the server was unreachable for a while and came back without it: it was restarted';
    if (tr.restartSeen) return "the server's job count went down: it was restarted";
    const s = tr.stats;
    if (s && tr.statsAt !== undefined && rt.unknownSince !== undefined && tr.statsAt >= rt.unknownSince && s.jobs.queued + s.jobs.running === 0) {
      return 'the server has no queued or running job: it was probably restarted';
    }
    if (rt.unknownSince !== undefined && now - rt.unknownSince >= this.deadline.unknownGraceMs) {
      return `the server has not known it for ${Math.round((now - rt.unknownSince) / 1000)} s`;
    }
    if (rec.deadline !== undefined && now > rec.deadline) return 'its deadline passed';
    return undefined;
  }

  private handle(tr: Tracker, rec: JobRecord, st: TaskStatus, now: number): void {
    const rt = this.rt(rec);
    if (st.progressText !== undefined) rec.progressText = st.progressText;
    if (st.status === 1) {
      tr.jobIds.delete(rec.id);
      rec.serverFinishedAt = now;
      // Downloads run on their own: the poll loop keeps serving the server's other jobs.
      this.run(rec, () => this.accept(rec, st));
      return;
    }
    if (st.status === 2) {
      tr.jobIds.delete(rec.id);
      const needsLm = ['thinking', 'use_format', 'sample_mode'].some(k => rec.request.params[k] === true || rec.request.params[k] === 'true');
      const lmOff = this.infos.get(rec.serverUrl)?.info.lmLoaded === false;
      const reason = st.error ? lastLine(st.error) : 'no reason given' + (needsLm ? (lmOff
        ? ' (this job needs the 5 Hz LM, which the server has not loaded)'
        : ' (this job needs the 5 Hz LM: is it loaded on the server?)') : '');
      const err: JobError = { kind: 'server', message: `The server reports that the job failed: ${reason}` };
      if (st.error) err.serverMessage = st.error;
      this.finish(rec, 'failed', err);
      return;
    }
    if (st.unknown) {
      rt.unknownSince ??= now;
      const why = this.unknownEvidence(tr, rec, rt, now);
      if (why) {
        this.finish(rec, 'lost', {
          kind: 'lost',
          message: `The server no longer knows this job (task ${rec.taskId}): ${why}. The job is lost; submit it again.`,
        });
      }
      return;
    }
    rt.unknownSince = undefined;
    // Progress (S/U): remember when it moved, to extrapolate the end.
    if (st.progress !== undefined && st.progress > 0 && (!rt.lastProgress || st.progress > rt.lastProgress.progress)) {
      const at = ((rt.prevPollAt ?? rec.submittedAt ?? now) + now) / 2;
      const sample = { at, progress: st.progress };
      if (!rt.firstProgress) rt.firstProgress = sample;
      rt.lastProgress = sample;
      rt.lastProgressChangeAt = now;
    }
    if (st.progress !== undefined) rec.progress = st.progress;
    if (st.stage !== undefined) rec.stage = st.stage;
    let state: JobState;
    if (st.stage === 'queued') state = 'queued';
    else if (st.stage !== undefined || st.progress !== undefined) state = 'running';
    else {
      // W says nothing while a job waits or runs: guess from the queue position and the server's figures.
      const s = tr.stats;
      const ahead = Math.max(0, (rec.queuePosition ?? 1) - 1);
      const started = ahead === 0 || (s !== undefined && s.jobs.queued === 0)
        || now - (rec.submittedAt ?? now) >= ahead * (rt.avgJobSeconds ?? 30) * 1000;
      state = started ? 'running' : 'queued';
    }
    if (state !== rec.state) {
      if (state === 'running' && rec.runningSince === undefined) rec.runningSince = now;
      rec.state = state;
      this.changed(rec, 'now');
    } else {
      this.changed(rec, 'lazy');
    }
    if (rec.deadline !== undefined && now > rec.deadline) {
      if (rt.lastProgressChangeAt !== undefined && now - rt.lastProgressChangeAt < this.deadline.aliveWindowMs) {
        rec.deadline = now + Math.max(this.deadline.aliveWindowMs, (rec.expectedSeconds ?? 60) * 500);
      } else {
        const mins = Math.round((now - (rec.submittedAt ?? rec.createdAt)) / 60_000);
        this.finish(rec, 'failed', {
          kind: 'timeout',
          message: `No result after ${mins} min although the server still lists the job as pending; stopped waiting. (Task ${rec.taskId}.)`,
        });
      }
    }
  }

  // ---- results ------------------------------------------------------------------------------------

  private async accept(rec: JobRecord, st: TaskStatus): Promise<void> {
    rec.progress = 1;
    rec.items = st.items;
    if (!st.items.length) {
      this.finish(rec, 'failed', { kind: 'bad-response', message: 'The server reports the job done but lists no audio file.', endpoint: '/query_result' });
      return;
    }
    rec.state = 'downloading';
    rec.stage = 'downloading';
    this.changed(rec, 'now');
    await this.downloadAll(rec);
  }

  private async downloadAll(rec: JobRecord): Promise<void> {
    const items = rec.items ?? [];
    const takes: TakeRecord[] = items.map((_, i) => rec.takes?.find(t => t.index === i) ?? { index: i });
    rec.takes = takes;
    const signal = this.rt(rec).abort.signal;
    const missing = takes.filter(t => !t.file);
    if (missing.length) {
      await ensureDir(rec.outputDir);
      const prefix = takePrefix(rec.title, rec.submittedAt ?? rec.createdAt);
      const needNumbers = missing.filter(t => t.takeNumber === undefined);
      const numbers = await allocateTakeNumbers(rec.outputDir, prefix, needNumbers.length, this.reserved);
      needNumbers.forEach((t, i) => { t.takeNumber = numbers[i]; });
      const mine: string[] = [];
      for (const t of missing) {
        const name = path.join(rec.outputDir, `${prefix}${t.takeNumber}.${this.extensionFor(rec, items[t.index])}`);
        this.reserved.add(name);
        mine.push(name);
      }
      try {
        const received = new Map<number, { received: number; total?: number }>();
        const outcomes = await Promise.allSettled(missing.map(t => this.downloadTake(rec, items[t.index], t, prefix, signal, received)));
        outcomes.forEach((o, i) => {
          if (o.status === 'rejected') missing[i].error = toJobError(o.reason);
          else delete missing[i].error;
        });
      } finally {
        for (const n of mine) this.reserved.delete(n);
      }
    }
    if (signal.aborted && this.disposed.signal.aborted) throw new AceStepError('cancelled', 'Shutting down.');
    const failed = takes.filter(t => !t.file);
    if (!failed.length) {
      rec.stage = 'done';
      this.finish(rec, 'succeeded');
      return;
    }
    const first = failed.find(t => t.error)?.error ?? { kind: 'server' as const, message: 'The download failed.' };
    if (first.kind === 'cancelled') {
      this.finish(rec, 'cancelled', first);
      return;
    }
    this.finish(rec, 'failed', {
      ...first,
      message: `Downloaded ${takes.length - failed.length} of ${takes.length} take(s). ${first.message} The result is kept: retry the download.`,
    });
  }

  private extensionFor(rec: JobRecord, item: ResultItem): string {
    const fromPath = audioExtension(item);
    const hasPathExt = /\.[A-Za-z0-9]{2,5}$/.test(item.serverPath ?? '');
    if (hasPathExt) return safeExtension(fromPath);
    const fmt = String(rec.request.params.audio_format ?? 'mp3').toLowerCase();
    return safeExtension(fmt === 'wav32' ? 'wav' : fmt);
  }

  private async downloadTake(
    rec: JobRecord, item: ResultItem, take: TakeRecord, prefix: string, signal: AbortSignal,
    received: Map<number, { received: number; total?: number }>,
  ): Promise<void> {
    const client = this.client(rec.serverUrl);
    const ext = this.extensionFor(rec, item);
    const dest = path.join(rec.outputDir, `${prefix}${take.takeNumber}.${ext}`);
    const result = await client.download(item, dest, {
      signal,
      attempts: this.downloadAttempts,
      onProgress: p => {
        received.set(take.index, p);
        let got = 0;
        let total = 0;
        for (const v of received.values()) { got += v.received; total += v.total ?? 0; }
        rec.stage = `downloading ${(got / 1e6).toFixed(1)}${total ? ` of ${(total / 1e6).toFixed(1)}` : ''} MB`;
        this.changed(rec, 'none');
      },
    });
    const downloadedAt = this.clock.now();
    const sidecar = dest.replace(/\.[^.\\/]+$/, '') + '.json';
    const content = {
      generator: 'ACE-Step Studio',
      title: rec.title,
      song: rec.songPath ?? null,
      take: take.takeNumber,
      index: take.index,
      file: path.basename(dest),
      bytes: result.bytes,
      content_type: result.contentType ?? null,
      task_id: rec.taskId ?? null,
      server: { url: rec.serverUrl, flavour: rec.flavour ?? null },
      request: rec.request,
      result: {
        caption: item.prompt ?? null,
        lyrics: item.lyrics ?? null,
        seed: item.seed ?? null,
        seeds: item.seeds,
        dit_model: item.ditModel ?? null,
        lm_model: item.lmModel ?? null,
        metas: item.metas,
        generation_info: item.generationInfo ?? null,
        item: item.raw,
      },
      timings: {
        created: iso(rec.createdAt),
        submitted: iso(rec.submittedAt),
        finished_on_server: iso(rec.serverFinishedAt),
        downloaded: iso(downloadedAt),
      },
      warnings: rec.warnings ?? [],
    };
    try {
      await writeFileAtomic(sidecar, JSON.stringify(content, null, 2) + '\n');
    } catch (e) {
      await fsp.rm(dest, { force: true }).catch(() => undefined);
      throw e;
    }
    take.file = dest;
    take.sidecar = sidecar;
    take.bytes = result.bytes;
    take.downloadedAt = downloadedAt;
    this.changed(rec, 'now');
  }
}
