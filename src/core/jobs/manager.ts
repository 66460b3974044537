// The job lifecycle: submit → track → download, for several jobs and servers at once. No vscode import.
//
// JobManager is the façade; the work is done by:
// - store.ts: the records, persisted (debounced) through the injected storage with a bounded history; waiters.
// - submit.ts: /release_task with queue-full retries; the blocking flow of servers that generate inside it (G).
// - poller.ts: one poll loop per server, batched /query_result, adaptive timing (polling.ts), /v1/stats.
// - verdict.ts: pure decisions (lost, timed out, failed and why, queued or running).
// - download.ts and sidecar.ts: takes on disk, named from the song title, time and take number, each with a
//   JSON sidecar. If downloading fails the job keeps its result items, so the download can be retried.
// Pending jobs are persisted; resume() continues them.
import { randomUUID } from 'node:crypto';
import type { LoraSetting } from '../song/lora';
import type { AceStepClient } from '../api/client';
import { capabilitiesOf } from '../api/capabilities';
import type { Flavour, ReleaseRequest, ServerInfo, ServerStats } from '../api/types';
import { Downloader } from './download';
import { Poller } from './poller';
import { DEFAULT_POLLING, type PollingConfig } from './polling';
import { Servers } from './servers';
import { JobStore } from './store';
import { blocksOnRelease, Submitter, type SubmitterOptions } from './submit';
import { isTerminal, systemClock, type Clock, type Event, type JobLineage, type JobRecord, type JobSnapshot, type JobStorage } from './types';
import { DEFAULT_DEADLINE, type DeadlineConfig } from './verdict';
import { withoutCredentials } from '../util/server-text';

export { DEFAULT_DEADLINE, type DeadlineConfig } from './verdict';

/** A server URL as jobs keep it: credentials never stored (records, sidecars), no trailing slash. */
const cleanUrl = (url: string): string => withoutCredentials(url).replace(/\/+$/, '');

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
  /** How audio reaches a server that reads only paths on its own machine (see SubmitterOptions.handOff). */
  handOff?: SubmitterOptions['handOff'];
  /** Tries per take download. */
  downloadAttempts?: number;
  /** The slowest pace a take may arrive at after the grace period (bytes per second; 0: no limit). */
  downloadMinBytesPerSecond?: number;
  /** How long a take may arrive slower than that at first (ms). */
  downloadSlowGraceMs?: number;
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
  /** Where the takes go: decided by planJob (plan.ts), like the title. */
  outputDir: string;
  /** Skip flavour detection when it is already known. */
  flavour?: Flavour;
  /** An edit of a take: its parent and operation, kept in the job and its takes' sidecars. */
  lineage?: JobLineage;
  /** A style adapter to load on the server before the job (the song's `lora`). */
  lora?: LoraSetting;
  /** A song written by the server's LM from this sentence (describe-song.ts), kept in the takes' sidecars. */
  description?: string;
  /** The server profile's name (`acestep.servers`), kept in the job and its takes' sidecars. */
  serverName?: string;
}

export class JobManager {
  private readonly clock: Clock;
  private readonly disposed = new AbortController();
  private readonly store: JobStore;
  private readonly servers: Servers;
  private readonly poller: Poller;
  private readonly downloader: Downloader;
  private readonly submitter: Submitter;

  /** Fires on every change of a job (state, progress, queue position…). */
  readonly onDidChange: Event<JobSnapshot>;

  constructor(options: JobManagerOptions) {
    const clock = this.clock = options.clock ?? systemClock;
    const disposed = this.disposed.signal;
    const deadline = { ...DEFAULT_DEADLINE, ...(options.deadline ?? {}) };
    this.store = new JobStore({
      storage: options.storage,
      clock,
      historyLimit: options.historyLimit ?? 200,
      log: options.log ?? (() => undefined),
      disposed,
      eta: (rec, now) => this.poller.eta(rec, now),
      onFinish: rec => this.poller.untrack(rec.id),
    });
    this.onDidChange = this.store.onDidChange;
    const store = this.store;
    this.servers = new Servers({ clock, apiKey: options.apiKey, clientFor: options.clientFor });
    const servers = this.servers;
    this.poller = new Poller({
      store, servers, clock, deadline, disposed,
      polling: { ...DEFAULT_POLLING, ...(options.polling ?? {}) },
      statsIntervalMs: options.statsIntervalMs ?? 10_000,
      // Downloads run on their own: the poll loop keeps serving the server's other jobs.
      onResult: (rec, st) => store.run(rec, () => this.downloader.accept(rec, st)),
    });
    this.downloader = new Downloader({
      store, servers, clock, disposed, attempts: options.downloadAttempts ?? 4,
      ...(options.downloadMinBytesPerSecond !== undefined ? { minBytesPerSecond: options.downloadMinBytesPerSecond } : {}),
      ...(options.downloadSlowGraceMs !== undefined ? { slowGraceMs: options.downloadSlowGraceMs } : {}),
    });
    this.submitter = new Submitter({
      store, servers, clock, deadline, poller: this.poller, downloader: this.downloader,
      queueFullDelaysMs: options.queueFullDelaysMs ?? [2_000, 5_000, 10_000],
      ...(options.handOff ? { handOff: options.handOff } : {}),
    });
  }

  list(): JobSnapshot[] {
    return this.store.all().map(r => this.store.snapshot(r));
  }

  pending(): JobSnapshot[] {
    return this.list().filter(j => !isTerminal(j.state));
  }

  history(): JobSnapshot[] {
    return this.list().filter(j => isTerminal(j.state));
  }

  get(id: string): JobSnapshot | undefined {
    const r = this.store.get(id);
    return r ? this.store.snapshot(r) : undefined;
  }

  /** Starts a job; returns at once (state 'submitting'). Follow it with onDidChange or waitFor(). */
  submit(input: SubmitInput): JobSnapshot {
    const outputDir = input.outputDir;
    const rec: JobRecord = {
      id: randomUUID(),
      // Credentials in a URL are never stored (records, sidecars): the key lives in its setting.
      serverUrl: cleanUrl(input.serverUrl),
      title: input.title,
      outputDir,
      request: { params: { ...input.request.params }, files: { ...input.request.files } },
      state: 'submitting',
      createdAt: this.clock.now(),
    };
    if (input.flavour) rec.flavour = input.flavour;
    if (input.songPath) rec.songPath = input.songPath;
    if (input.lineage) rec.lineage = { parent: { ...input.lineage.parent }, operation: { ...input.lineage.operation } };
    if (input.lora) rec.lora = { ...input.lora };
    if (input.description) rec.description = input.description;
    if (input.serverName) rec.serverName = input.serverName;
    this.store.add(rec);
    this.store.changed(rec, 'now');
    this.store.run(rec, () => this.submitter.submit(rec));
    return this.store.snapshot(rec);
  }

  /**
   * Follows a job submitted elsewhere (an earlier run, the editor) by its server task id; once the server has
   * its result the takes are downloaded like any job's, with sidecars. What was asked is unknown here.
   */
  adopt(input: Omit<SubmitInput, 'request' | 'flavour'> & { taskId: string }): JobSnapshot {
    const now = this.clock.now();
    const rec: JobRecord = {
      id: randomUUID(),
      serverUrl: cleanUrl(input.serverUrl),
      title: input.title,
      outputDir: input.outputDir,
      request: { params: {}, files: {} },
      state: 'queued',
      taskId: input.taskId,
      createdAt: now,
      submittedAt: now,
    };
    if (input.songPath) rec.songPath = input.songPath;
    if (input.lineage) rec.lineage = { parent: { ...input.lineage.parent }, operation: { ...input.lineage.operation } };
    this.store.add(rec);
    this.store.changed(rec, 'now');
    this.poller.track(rec);
    return this.store.snapshot(rec);
  }

  /** Resolves when the job reaches succeeded, failed, lost or cancelled. */
  waitFor(id: string): Promise<JobSnapshot> {
    return this.store.waitFor(id);
  }

  /**
   * Stops tracking a job (ACE-Step has no cancel endpoint: the server may still finish it). `message`: why, in
   * words, when it was not the user's own cancel (a dispatcher giving up on a server that stopped answering).
   */
  cancel(id: string, message?: string, as: 'cancelled' | 'lost' = 'cancelled'): boolean {
    const rec = this.store.get(id);
    if (!rec || isTerminal(rec.state)) return false;
    this.store.peekRt(id)?.abort.abort();
    this.poller.untrack(id);
    this.store.finish(rec, as, { kind: as, message: message ?? 'Cancelled here; the server may still finish the job (ACE-Step has no cancel).' });
    return true;
  }

  /** What a server says about itself (its /health and models, asked again after a minute). Throws when it does not answer. */
  serverInfo(url: string, signal?: AbortSignal): Promise<ServerInfo> {
    return this.servers.info(cleanUrl(url), signal ?? this.disposed.signal);
  }

  /**
   * A server's /v1/stats read now (undefined where the server has none: then its /health is asked, so a dead server
   * still shows). Throws when it does not answer: how a dispatcher tells a server stopped answering.
   */
  async serverStats(url: string, signal?: AbortSignal): Promise<ServerStats | undefined> {
    const u = cleanUrl(url);
    const info = this.servers.cachedInfo(u);
    if (info && (!info.hasStats || !capabilitiesOf(info.flavour).stats)) {
      // A hosted chat endpoint has no /health: its route is asked again (without generating) instead.
      const client = this.servers.client(u);
      if (capabilitiesOf(info.flavour).chatCompletions) await client.detectFlavour({ signal: signal ?? this.disposed.signal });
      else await client.health({ signal: signal ?? this.disposed.signal });
      return undefined;
    }
    return this.poller.readStats(u);
  }

  /** Downloads the takes still missing of a job whose result is known (after a failed download). */
  retryDownload(id: string): Promise<JobSnapshot> {
    const rec = this.store.get(id);
    if (!rec) return Promise.reject(new Error(`No job ${id}.`));
    if (!rec.items?.length) return Promise.reject(new Error('This job has no result to download.'));
    if (rec.state === 'downloading') return this.waitFor(id);
    this.store.rt(rec).abort = new AbortController();
    delete rec.error;
    rec.state = 'downloading';
    delete rec.finishedAt;
    this.store.changed(rec, 'now');
    this.store.run(rec, () => this.downloader.downloadAll(rec));
    return this.waitFor(id);
  }

  /** Continues the jobs left pending in storage (e.g. after a VS Code reload). */
  resume(): void {
    const { store } = this;
    for (const rec of store.all()) {
      if (isTerminal(rec.state) || store.peekRt(rec.id)?.busy || this.poller.isTracked(rec.id)) continue;
      store.rt(rec);
      switch (rec.state) {
        case 'submitting':
          store.finish(rec, 'lost', {
            kind: 'lost',
            message: 'The job was interrupted while being submitted (reload or exit); whether the server got it is unknown. Submit it again.',
          });
          break;
        case 'queued':
        case 'running':
          if (!rec.taskId) {
            store.finish(rec, 'lost', { kind: 'lost', message: 'The job has no server task id; it cannot be followed.' });
          } else if (blocksOnRelease(rec)) {
            store.run(rec, () => this.submitter.fetchOnce(rec));
          } else {
            this.poller.track(rec);
          }
          break;
        case 'downloading':
          store.run(rec, () => this.downloader.downloadAll(rec));
          break;
      }
    }
  }

  /** Forgets a finished job from the history (files stay on disk). */
  remove(id: string): boolean {
    const rec = this.store.get(id);
    if (!rec || !isTerminal(rec.state)) return false;
    this.store.delete(id);
    return true;
  }

  /** Waits for pending writes to storage. */
  flush(): Promise<void> {
    return this.store.flush();
  }

  /** Stops all timers and requests, leaving pending jobs as they are in storage (resume() picks them up). */
  async dispose(): Promise<void> {
    this.disposed.abort();
    this.poller.dispose();
    const runtimes = this.store.runtimes();
    for (const rt of runtimes) rt.abort.abort();
    await Promise.allSettled(runtimes.map(rt => rt.busy));
    this.store.persist('now');
    await this.store.flush();
    await this.servers.close();
    this.store.dispose();
  }
}
