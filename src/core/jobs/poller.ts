// One poll loop per server: each round asks /query_result about all of that server's jobs at once, paced by
// polling.ts, backing off while the server fails; /v1/stats is refreshed on the way (average job time, restart
// detection). What each answer means for a job is decided in verdict.ts. No vscode import.
import { capabilitiesOf } from '../api/capabilities';
import { AceStepError, isAceStepError } from '../api/errors';
import { seedMismatch } from '../api/needs';
import type { ServerStats, TaskStatus } from '../api/types';
import { DEFAULT_POLLING, expectedEnd, nextPollAt, type PollingConfig, type PollView } from './polling';
import type { Servers } from './servers';
import type { JobStore } from './store';
import { isTerminal, type Clock, type JobRecord } from './types';
import {
  deadlineVerdict, failureError, guessState, lostError, lostEvidence, pollFailureVerdict, toJobError, type DeadlineConfig,
  type ServerSeen,
} from './verdict';

interface Tracker extends ServerSeen {
  url: string;
  jobIds: Set<string>;
  timer?: unknown;
  timerAt?: number;
  polling: boolean;
  lastPollAt: number;
  failures: number;
  unreachableSince?: number;
  badAnswers: number;
  stats?: ServerStats;
  statsAt?: number;
  /**
   * The server restarted after this moment (the last /v1/stats read before its job total went down): a job it had
   * accepted by then is gone, whatever its disk cache still answers for it (W and S: the last state, progress
   * frozen, for an hour).
   */
  restartAfter?: number;
}

export interface PollerOptions {
  store: JobStore;
  servers: Servers;
  clock: Clock;
  polling: PollingConfig;
  deadline: DeadlineConfig;
  /** Refresh /v1/stats this often while jobs are pending. */
  statsIntervalMs: number;
  /** Aborted when the manager shuts down. */
  disposed: AbortSignal;
  /** The server has the job's result (the poller has stopped following it). */
  onResult: (rec: JobRecord, status: TaskStatus) => void;
}

/** Pause after `failures` failed polls in a row. */
export function backoffMs(failures: number, config: Pick<PollingConfig, 'failureBackoffMs' | 'failureBackoffMaxMs'> = DEFAULT_POLLING): number {
  return Math.min(config.failureBackoffMaxMs, config.failureBackoffMs * 2 ** Math.min(4, failures - 1));
}

export class Poller {
  private readonly trackers = new Map<string, Tracker>();

  constructor(private readonly o: PollerOptions) {}

  /** Follows a submitted job (it has a task id) until the server has its result. */
  track(rec: JobRecord): void {
    const tr = this.tracker(rec.serverUrl);
    tr.jobIds.add(rec.id);
    const rt = this.o.store.rt(rec);
    if (rt.avgJobSeconds === undefined && tr.stats) rt.avgJobSeconds = tr.stats.avgJobSeconds;
    this.schedule(tr);
  }

  untrack(id: string): void {
    for (const tr of this.trackers.values()) tr.jobIds.delete(id);
  }

  isTracked(id: string): boolean {
    for (const tr of this.trackers.values()) if (tr.jobIds.has(id)) return true;
    return false;
  }

  /** The server's average job time, as last read (refreshed if stale). */
  async averageJobSeconds(url: string): Promise<number | undefined> {
    return (await this.freshStats(url))?.avgJobSeconds;
  }

  /** The server's /v1/stats, refreshed now (unless read within the last second); undefined where it has none. */
  async freshStats(url: string): Promise<ServerStats | undefined> {
    const tr = this.tracker(url);
    await this.refreshStats(tr, true).catch(() => undefined);
    return tr.stats;
  }

  /** The server's /v1/stats read now (unless read within the last second); throws when the server does not answer. */
  async readStats(url: string): Promise<ServerStats | undefined> {
    const tr = this.tracker(url);
    await this.refreshStats(tr, true);
    return tr.stats;
  }

  /** Expected time left of a submitted job, when there is something to go on. */
  eta(rec: JobRecord, now: number): number | undefined {
    const v = this.pollView(rec);
    if (v && (v.avgJobSeconds !== undefined || v.lastProgress)) return Math.max(0, expectedEnd(v).end - now);
    return undefined;
  }

  dispose(): void {
    for (const tr of this.trackers.values()) {
      if (tr.timer !== undefined) this.o.clock.clearTimeout(tr.timer);
      tr.timer = undefined;
    }
  }

  private tracker(url: string): Tracker {
    let tr = this.trackers.get(url);
    if (!tr) {
      tr = { url, jobIds: new Set(), polling: false, lastPollAt: 0, failures: 0, sawGap: false, badAnswers: 0, restartSeen: false };
      this.trackers.set(url, tr);
    }
    return tr;
  }

  private pollView(rec: JobRecord): PollView | undefined {
    if (rec.submittedAt === undefined) return undefined;
    const rt = this.o.store.peekRt(rec.id);
    const tr = this.trackers.get(rec.serverUrl);
    const v: PollView = {
      submittedAt: rec.submittedAt,
      lastPollAt: rt?.lastPollAt ?? rec.submittedAt,
      polls: rec.pollCost ?? rec.polls ?? 0,
    };
    const avg = rt?.avgJobSeconds ?? tr?.stats?.avgJobSeconds;
    if (avg !== undefined) v.avgJobSeconds = avg;
    // The view counts this job and every one before it, the running job included (queue_position leaves that out).
    if (rec.jobsAhead !== undefined) v.queuePosition = rec.jobsAhead + 1;
    else if (rec.queuePosition !== undefined) v.queuePosition = rec.queuePosition;
    // A flavour that cannot tell when a job started (W) would only mislead the estimate with a guess.
    if (rec.runningSince !== undefined && (!rec.flavour || capabilitiesOf(rec.flavour).knowsRunningSince)) v.runningSince = rec.runningSince;
    if (rt?.firstProgress) v.firstProgress = rt.firstProgress;
    if (rt?.lastProgress) v.lastProgress = rt.lastProgress;
    if (rt?.extraStartMs) v.extraStartMs = rt.extraStartMs;
    return v;
  }

  /** The jobs of a tracker still worth asking about. */
  private pending(tr: Tracker): JobRecord[] {
    return [...tr.jobIds].map(id => this.o.store.get(id)).filter((r): r is JobRecord => !!r && !isTerminal(r.state) && !!r.taskId);
  }

  private schedule(tr: Tracker): void {
    const { clock, polling } = this.o;
    if (tr.polling || this.o.disposed.aborted) return;
    const now = clock.now();
    let at = Infinity;
    for (const rec of this.pending(tr)) {
      const v = this.pollView(rec);
      if (v) at = Math.min(at, nextPollAt(v, now, polling));
    }
    if (at === Infinity) {
      if (tr.timer !== undefined) clock.clearTimeout(tr.timer);
      tr.timer = undefined;
      return;
    }
    if (tr.failures > 0) at = Math.max(at, tr.lastPollAt + backoffMs(tr.failures, polling));
    at = Math.max(at, tr.lastPollAt + polling.minGapMs);
    if (tr.timer !== undefined && tr.timerAt !== undefined && tr.timerAt <= at) return;
    if (tr.timer !== undefined) clock.clearTimeout(tr.timer);
    tr.timerAt = at;
    tr.timer = clock.setTimeout(() => {
      tr.timer = undefined;
      tr.timerAt = undefined;
      void this.poll(tr);
    }, Math.max(0, at - now));
  }

  private async refreshStats(tr: Tracker, force: boolean): Promise<void> {
    const info = this.o.servers.cachedInfo(tr.url);
    const flavour = info?.flavour ?? [...tr.jobIds].map(id => this.o.store.get(id)?.flavour).find(Boolean);
    if ((flavour && !capabilitiesOf(flavour).stats) || info?.hasStats === false) return;
    const now = this.o.clock.now();
    if (!force && tr.statsAt !== undefined && now - tr.statsAt < this.o.statsIntervalMs) return;
    if (force && tr.statsAt !== undefined && now - tr.statsAt < 1_000) return;
    const stats = await this.o.servers.client(tr.url).stats({ signal: this.o.disposed });
    if (!stats) return;
    if (tr.stats && stats.jobs.total < tr.stats.jobs.total) {
      tr.restartSeen = true;
      tr.restartAfter = tr.statsAt;
    }
    tr.stats = stats;
    tr.statsAt = this.o.clock.now();
    for (const id of tr.jobIds) {
      const rt = this.o.store.peekRt(id);
      if (rt && stats.avgJobSeconds > 0) rt.avgJobSeconds = stats.avgJobSeconds;
    }
  }

  private async poll(tr: Tracker): Promise<void> {
    const { store, clock, disposed } = this.o;
    if (tr.polling || disposed.aborted) return;
    const recs = this.pending(tr);
    if (!recs.length) return;
    tr.polling = true;
    const started = clock.now();
    try {
      const results = await this.o.servers.client(tr.url).queryResult(recs.map(r => r.taskId!), { signal: disposed });
      const now = clock.now();
      if (tr.failures > 0) tr.sawGap = true;
      tr.failures = 0;
      tr.unreachableSince = undefined;
      tr.badAnswers = 0;
      tr.lastPollAt = now;
      for (const rec of recs) {
        const rt = store.rt(rec);
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
      if (disposed.aborted) return;
      const err = isAceStepError(e) ? e : new AceStepError('server', String((e as Error)?.message ?? e));
      tr.lastPollAt = clock.now();
      if (err.kind === 'auth') {
        for (const rec of recs) store.finish(rec, 'failed', toJobError(err));
      } else {
        tr.failures++;
        if (err.kind === 'unreachable' || err.kind === 'timeout') tr.unreachableSince ??= started;
        else tr.badAnswers++;
        const now = clock.now();
        for (const rec of recs) {
          const v = pollFailureVerdict(err, tr.badAnswers, rec, tr.unreachableSince, now);
          if (v.kind === 'retry') {
            rec.progressText = v.progressText;
            store.changed(rec, 'none');
          } else {
            store.finish(rec, v.kind, v.error);
          }
        }
      }
    } finally {
      tr.polling = false;
      this.schedule(tr);
    }
  }

  /** Applies one /query_result answer about one job. */
  private handle(tr: Tracker, rec: JobRecord, st: TaskStatus, now: number): void {
    const { store, deadline } = this.o;
    const rt = store.rt(rec);
    if (st.progressText !== undefined) rec.progressText = st.progressText;
    if (st.status === 1) {
      tr.jobIds.delete(rec.id);
      rec.serverFinishedAt = now;
      const seedWarning = seedMismatch(rec.request, rec.flavour, st.items.flatMap(i => i.seeds));
      if (seedWarning) rec.warnings = [...(rec.warnings ?? []), seedWarning];
      this.o.onResult(rec, st);
      return;
    }
    if (st.status === 2) {
      tr.jobIds.delete(rec.id);
      store.finish(rec, 'failed', failureError(st, rec.request.params, this.o.servers.cachedInfo(rec.serverUrl)?.lmLoaded));
      return;
    }
    if (st.unknown) {
      rt.unknownSince ??= now;
      const why = lostEvidence(tr, rec, rt.unknownSince, now, deadline);
      if (why) store.finish(rec, 'lost', lostError(rec.taskId, why));
      return;
    }
    rt.unknownSince = undefined;
    if (tr.restartAfter !== undefined && rec.submittedAt !== undefined && rec.submittedAt <= tr.restartAfter) {
      tr.jobIds.delete(rec.id);
      store.finish(rec, 'lost', lostError(rec.taskId, "the server restarted (its job count went down) after accepting it; what it still answers is its cache's last word from before the restart, frozen"));
      return;
    }
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
    const state = guessState(st, rec, tr.stats, rt.avgJobSeconds, now);
    if (state !== rec.state) {
      if (state === 'running' && rec.runningSince === undefined) rec.runningSince = now;
      rec.state = state;
      store.changed(rec, 'now');
    } else {
      store.changed(rec, 'lazy');
    }
    const verdict = deadlineVerdict(rec, rt.lastProgressChangeAt, now, deadline);
    if (verdict.kind === 'extend') rec.deadline = verdict.deadline;
    else if (verdict.kind === 'timeout') store.finish(rec, 'failed', verdict.error);
  }
}
