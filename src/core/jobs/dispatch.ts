// Several servers, one queue of songs: the Dispatcher (the contract and its rules: dispatch-types.ts) over one
// JobManager. Songs wait here until a server is about to be free, then go to the server that would finish them
// first (dispatch-estimate.ts does the arithmetic); once sent, a job stays on its server. Each server is asked
// every few seconds what it is doing (/v1/stats, else /health): its queue, and whether it still answers. A server
// that stops answering strands our jobs on it that never started; they move only through moveStranded().
// No vscode import.
import { capabilitiesOf } from '../api/capabilities';
import { isAceStepError } from '../api/errors';
import type { ServerInfo, ServerStats } from '../api/types';
import { msg } from '../l10n';
import type { ServerProfile } from '../servers/profiles';
import { errorMessage } from '../util/error-message';
import { serverText } from '../util/server-text';
import {
  accepts, DEAD_AFTER_MS, freeInSeconds, paceOrPeers, sampleOf, jobSeconds, learnedSpeed, loadViewOf, otherJobSeconds, pickServer, remainingSeconds, serverGone, whyNot,
  type LoadView, type Option, type ReachView, type SpeedSample,
} from './dispatch-estimate';
import type { DispatchEntry, DispatcherLike, DispatchInput, ServerLoad } from './dispatch-types';
import { entryDone } from './dispatch-view';
import type { JobManager } from './manager';
import { Emitter, isTerminal, systemClock, type Clock, type Disposable, type Event, type JobSnapshot } from './types';

export interface DispatcherOptions {
  manager: JobManager;
  /** The servers of this run (disabled ones are shown and get no jobs). */
  servers: readonly ServerProfile[];
  clock?: Clock;
  /** How often each server is asked what it is doing (ms). */
  probeIntervalMs?: number;
  /** How long a server must fail to answer before its unstarted jobs are stranded (ms). */
  deadAfterMs?: number;
  /** Our jobs allowed to wait on a server behind the running one. */
  lookahead?: number;
  /** Whether audio can be handed to this server through a Docker setup's inputs folder (needs.ts). */
  handOffAvailable?: (url: string) => boolean;
  /** onDidChange fires at most this often (ms). */
  changeEveryMs?: number;
}

interface ServerState {
  profile: ServerProfile;
  info?: ServerInfo;
  stats?: ServerStats;
  reach: ReachView;
  gone: boolean;
  /** It answers, but not usefully (a refused key…): no jobs. */
  broken?: string;
  error?: string;
  probing: boolean;
  samples: SpeedSample[];
  /** When our latest job on it was seen done. */
  lastFinishedAt?: number;
}

interface Item {
  entry: DispatchEntry;
  input: DispatchInput;
  sampled?: boolean;
}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export class Dispatcher implements DispatcherLike {
  private readonly clock: Clock;
  private readonly emitter = new Emitter<void>();
  readonly onDidChange: Event<void> = this.emitter.event;
  private readonly servers_: ServerState[];
  private items: Item[] = [];
  private readonly byJob = new Map<string, Item>();
  private readonly sub: Disposable;
  private readonly aborter = new AbortController();
  private probeTimer: unknown;
  private fireTimer: unknown;
  private pumping = false;
  private pumpAgain = false;
  private settledWaiters: { ids: readonly string[] | undefined; done: () => void }[] = [];
  private nextId = 1;

  constructor(private readonly o: DispatcherOptions) {
    this.clock = o.clock ?? systemClock;
    this.servers_ = o.servers.map(profile => ({ profile, reach: { failures: 0 }, gone: false, probing: false, samples: [] }));
    this.sub = o.manager.onDidChange(s => this.onJob(s));
  }

  enqueue(inputs: DispatchInput[]): DispatchEntry[] {
    const added = inputs.map(input => {
      const entry: DispatchEntry = { id: `d${this.nextId++}`, title: input.title, audioSeconds: input.audioSeconds, state: 'waiting' };
      if (input.songPath) entry.songPath = input.songPath;
      const item: Item = { entry, input };
      this.items.push(item);
      return item;
    });
    this.probeAll();
    this.pump();
    return added.map(i => ({ ...i.entry }));
  }

  entries(): DispatchEntry[] {
    return this.items.map(i => ({ ...i.entry }));
  }

  servers(): ServerLoad[] {
    const now = this.clock.now();
    return this.servers_.map(s => {
      const v = this.view(s, now);
      const load: ServerLoad = {
        name: s.profile.name, url: s.profile.url, queued: v.ourQueued.length + v.othersQueued, running: v.running ? 1 : 0,
        ours: this.ours(s).length,
      };
      const up = s.gone || s.broken || s.reach.failures > 0 ? false : s.info ? true : undefined;
      if (up !== undefined) load.up = up;
      if (s.info) load.flavour = s.info.flavour;
      if (s.error) load.error = s.error;
      const learned = learnedSpeed(s.samples);
      if (learned !== undefined) load.secondsPerAudioSecond = learned;
      if (up) load.freeInSeconds = freeInSeconds(v);
      return load;
    });
  }

  moveStranded(ids?: string[]): void {
    for (const { entry: e } of this.items) {
      if (e.state !== 'stranded' || (ids && !ids.includes(e.id))) continue;
      e.state = 'waiting';
      for (const k of ['server', 'serverUrl', 'jobId', 'job', 'reason', 'etaSeconds'] as const) delete e[k];
    }
    this.probeAll();
    this.pump();
  }

  cancel(id: string): boolean {
    const item = this.items.find(i => i.entry.id === id);
    if (!item) return false;
    if (item.entry.state === 'waiting') {
      this.items = this.items.filter(i => i !== item);
      this.pump();
      return true;
    }
    return item.entry.state === 'dispatched' && !!item.entry.jobId && this.o.manager.cancel(item.entry.jobId);
  }

  settled(ids?: readonly string[]): Promise<DispatchEntry[]> {
    const pick = () => this.entries().filter(e => !ids || ids.includes(e.id));
    if (!this.isActive(ids)) return Promise.resolve(pick());
    return new Promise(resolve => this.settledWaiters.push({ ids, done: () => resolve(pick()) }));
  }

  async dispose(): Promise<void> {
    this.aborter.abort();
    this.sub.dispose();
    if (this.probeTimer !== undefined) this.clock.clearTimeout(this.probeTimer);
    if (this.fireTimer !== undefined) this.clock.clearTimeout(this.fireTimer);
    this.probeTimer = this.fireTimer = undefined;
    this.emitter.dispose();
  }

  // ---- jobs ---------------------------------------------------------------------------------------

  private onJob(snap: JobSnapshot): void {
    const item = this.byJob.get(snap.id);
    if (!item || item.entry.jobId !== snap.id) return;
    const e = item.entry;
    e.job = snap;
    if (e.state !== 'dispatched') { this.changed(); return; }
    const s = this.serverOf(e);
    if (s && snap.serverFinishedAt !== undefined && !item.sampled) this.learn(item, s, snap);
    // A job that could not even be sent because the server did not answer never started: stranded, not failed.
    if (snap.state === 'failed' && !snap.taskId && (snap.error?.kind === 'unreachable' || snap.error?.kind === 'timeout')) {
      e.state = 'stranded';
      e.reason = msg('{0} did not answer when the job was sent ({1}); it was not sent elsewhere: move it to another server when you agree.', e.server ?? '', serverText(snap.error.message));
    }
    this.pump();
  }

  private learn(item: Item, s: ServerState, snap: JobSnapshot): void {
    item.sampled = true;
    const finished = snap.serverFinishedAt!;
    const prev = s.lastFinishedAt;
    const knows = !s.info || capabilitiesOf(s.info.flavour).knowsRunningSince;
    const sample = sampleOf({ ...snap, serverFinishedAt: finished }, prev, knows, item.entry.audioSeconds);
    if (sample) s.samples = [...s.samples, sample].slice(-40);
    s.lastFinishedAt = Math.max(prev ?? 0, finished);
  }

  private bind(item: Item, s: ServerState): void {
    const e = item.entry;
    const { audioSeconds: _a, pin: _p, ...submit } = item.input;
    e.state = 'dispatched';
    e.server = s.profile.name;
    e.serverUrl = s.profile.url;
    delete e.waitingPosition;
    let job: JobSnapshot;
    try {
      job = this.o.manager.submit({ ...submit, serverUrl: s.profile.url, flavour: s.info!.flavour, serverName: s.profile.name });
    } catch (err) {
      e.state = 'refused';
      e.reason = errorMessage(err);
      return;
    }
    e.jobId = job.id;
    this.byJob.set(job.id, item);
    // The snapshot may have moved on already (submit fires its changes synchronously).
    e.job = this.o.manager.get(job.id) ?? job;
  }

  // ---- servers ------------------------------------------------------------------------------------

  private probeAll(): void {
    if (this.aborter.signal.aborted) return;
    if (this.probeTimer !== undefined) this.clock.clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    for (const s of this.servers_) if (s.profile.enabled && !s.probing) void this.probe(s);
    if (this.isActive()) this.probeTimer = this.clock.setTimeout(() => { this.probeTimer = undefined; this.probeAll(); }, this.o.probeIntervalMs ?? 2_000);
  }

  private async probe(s: ServerState): Promise<void> {
    s.probing = true;
    const started = this.clock.now();
    const signal = this.aborter.signal;
    try {
      s.info = await this.o.manager.serverInfo(s.profile.url, signal);
      s.stats = await this.o.manager.serverStats(s.profile.url, signal);
      s.reach = { failures: 0 };
      s.gone = false;
      delete s.broken;
      delete s.error;
    } catch (err) {
      if (signal.aborted) return;
      s.error = serverText(errorMessage(err));
      if (isAceStepError(err) && (err.kind === 'unreachable' || err.kind === 'timeout')) {
        s.reach = { failingSince: s.reach.failingSince ?? started, failures: s.reach.failures + 1 };
        if (!s.gone && serverGone(s.reach, this.clock.now(), this.o.deadAfterMs ?? DEAD_AFTER_MS)) this.strand(s);
      } else {
        s.reach = { failures: 0 };
        s.broken = s.error;
      }
    } finally {
      s.probing = false;
    }
    this.pump();
  }

  /** The server stopped answering: our jobs on it that never started stay ours, stranded, until the user moves them. */
  private strand(s: ServerState): void {
    s.gone = true;
    for (const item of this.ours(s)) {
      const e = item.entry;
      const job = this.o.manager.get(e.jobId!);
      if (!job || isTerminal(job.state) || job.state === 'downloading') continue;
      if (!(job.state === 'submitting' || (job.state === 'queued' && job.runningSince === undefined))) {
        // Running there when it went: what it made lives only on that server; the song is not waited for in vain.
        this.o.manager.cancel(e.jobId!, msg('{0} stopped answering while the song was being made ({1}); it was not sent elsewhere.', s.profile.name, s.error ?? ''), 'lost');
        continue;
      }
      e.state = 'stranded';
      e.reason = msg('{0} stopped answering before the job started ({1}); it was not sent elsewhere: move it to another server when you agree.', s.profile.name, s.error ?? '');
      this.o.manager.cancel(e.jobId!, e.reason);
    }
  }

  private serverOf(e: DispatchEntry): ServerState | undefined {
    return this.servers_.find(s => s.profile.name === e.server);
  }

  /** Our unfinished jobs on the server, oldest first. */
  private ours(s: ServerState): Item[] {
    return this.items.filter(i => i.entry.state === 'dispatched' && i.entry.server === s.profile.name && i.entry.job && !isTerminal(i.entry.job.state));
  }

  private pace(s: ServerState): LoadView['pace'] {
    const speed = learnedSpeed(s.samples);
    const own = {
      ...(speed !== undefined ? { secondsPerAudioSecond: speed } : {}),
      ...(s.stats && s.stats.avgJobSeconds > 0 ? { avgJobSeconds: s.stats.avgJobSeconds } : {}),
    };
    const peers = this.servers_.filter(o => o !== s).map(o => learnedSpeed(o.samples)).filter((x): x is number => x !== undefined);
    return paceOrPeers(own, peers);
  }

  /** The server's load in seconds: the running job, our waiting jobs there and the others' (its /v1/stats). */
  private view(s: ServerState, now: number): LoadView {
    const knows = !s.info || capabilitiesOf(s.info.flavour).knowsRunningSince;
    const jobs = this.ours(s).map(i => ({ ...i.entry.job!, audioSeconds: i.entry.audioSeconds }));
    return loadViewOf(jobs, s.stats, this.pace(s), knows, now);
  }

  // ---- the queue ----------------------------------------------------------------------------------

  /** The servers that could take the entry, with when each would finish it; or why none can. */
  private optionsFor(item: Item, now: number): { options: (Option & { server: ServerState })[]; reasons: string[]; undecided: boolean } {
    const { pin } = item.input;
    const options: (Option & { server: ServerState })[] = [];
    const reasons: string[] = [];
    let undecided = false;
    const pool = pin ? this.servers_.filter(s => sameName(s.profile.name, pin)) : this.servers_;
    if (pin && !pool.length) reasons.push(msg('the song names the server "{0}", which is not one of the servers of this run', pin));
    for (const s of pool) {
      const name = s.profile.name;
      if (!s.profile.enabled) { reasons.push(msg('{0}: disabled', name)); continue; }
      if (s.gone) { reasons.push(msg('{0}: not answering ({1})', name, s.error ?? '')); continue; }
      if (s.broken) { reasons.push(`${name}: ${s.broken}`); continue; }
      if (!s.info || s.reach.failures > 0) { undecided = true; continue; }
      const why = whyNot(item.input, s.info, this.o.handOffAvailable?.(s.profile.url) ?? false);
      if (why) { reasons.push(`${name}: ${why}`); continue; }
      const v = this.view(s, now);
      options.push({
        name, server: s, finishSeconds: freeInSeconds(v) + jobSeconds(v.pace, item.entry.audioSeconds),
        accepts: accepts(v, this.o.lookahead ?? 1), ours: this.ours(s).length,
      });
    }
    return { options, reasons, undecided };
  }

  private pump(): void {
    if (this.pumping) { this.pumpAgain = true; return; }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        const now = this.clock.now();
        for (const item of this.items) {
          if (item.entry.state !== 'waiting') continue;
          const { options, reasons, undecided } = this.optionsFor(item, now);
          if (!options.length) {
            if (!undecided) {
              item.entry.state = 'refused';
              item.entry.reason = msg('No server can do it: {0}', reasons.join('; '));
            }
            continue;
          }
          const pick = pickServer(options)!;
          if (pick.bindNow) this.bind(item, options.find(o => o.name === pick.best.name)!.server);
        }
      } while (this.pumpAgain);
    } finally {
      this.pumping = false;
    }
    this.estimate();
    if (!this.isActive() && this.probeTimer !== undefined) {
      this.clock.clearTimeout(this.probeTimer);
      this.probeTimer = undefined;
    }
    const ready = this.settledWaiters.filter(w => !this.isActive(w.ids));
    this.settledWaiters = this.settledWaiters.filter(w => !ready.includes(w));
    for (const w of ready) w.done();
    this.changed();
  }

  /** Waiting positions and ETAs: our jobs on each server in turn, then the waiting ones placed as they would go. */
  private estimate(): void {
    const now = this.clock.now();
    const freeAt = new Map<ServerState, number>();
    for (const s of this.servers_) {
      const v = this.view(s, now);
      let t = (v.running ? remainingSeconds(v.running) : 0) + v.othersQueued * otherJobSeconds(v.pace);
      for (const item of this.ours(s)) {
        const job = item.entry.job!;
        if (job.state === 'running') { item.entry.etaSeconds = v.running ? remainingSeconds(v.running) : 0; continue; }
        if (job.state === 'downloading') { item.entry.etaSeconds = 0; continue; }
        t += jobSeconds(v.pace, item.entry.audioSeconds);
        item.entry.etaSeconds = t;
      }
      freeAt.set(s, t);
    }
    let position = 0;
    for (const item of this.items) {
      const e = item.entry;
      if (e.state !== 'waiting') {
        delete e.waitingPosition;
        if (e.state !== 'dispatched' || (e.job && isTerminal(e.job.state))) delete e.etaSeconds;
        continue;
      }
      e.waitingPosition = ++position;
      const { options } = this.optionsFor(item, now);
      let best: { s: ServerState; end: number } | undefined;
      for (const o of options) {
        const end = (freeAt.get(o.server) ?? 0) + jobSeconds(this.pace(o.server), e.audioSeconds);
        if (!best || end < best.end) best = { s: o.server, end };
      }
      if (best) { e.etaSeconds = best.end; freeAt.set(best.s, best.end); } else delete e.etaSeconds;
    }
  }

  /** Whether any entry (of `ids`, else any) is still waiting or on a server. */
  private isActive(ids?: readonly string[]): boolean {
    return this.items.some(({ entry: e }) => (!ids || ids.includes(e.id)) && !entryDone(e));
  }

  private changed(): void {
    if (this.fireTimer !== undefined || this.aborter.signal.aborted) return;
    this.fireTimer = this.clock.setTimeout(() => { this.fireTimer = undefined; this.emitter.fire(); }, this.o.changeEveryMs ?? 100);
  }
}
