// The job queue and its clock: when each job starts and ends on the workers, what state it is in at a given
// time, what the progress looks like, and the files the jobs leave behind.
import { randomUUID } from 'node:crypto';
import type { PayloadSpec } from './audio-payload';
import type { Faults } from './faults';
import { behaviourOf } from './flavours';
import type { FakeOptions } from './options';
import { hash32, Params } from './params';
import { TRACEBACK_NO_LM, TRACEBACK_OOM } from './responses';
import { taskOf, type FakeTask } from './tasks';

export interface FakeUpload {
  filename: string;
  contentType?: string;
  data: Buffer;
}

export interface FakeJob {
  id: string;
  params: Record<string, unknown>;
  uploads: Record<string, FakeUpload>;
  submittedAt: number;
  /** When generation really starts (after queueing and any model load). */
  startAt: number;
  /** When the server marks the job done. */
  endAt: number;
  generationMs: number;
  fail: boolean;
  failReason: string;
  batchSize: number;
  ext: string;
  files: string[];
  seeds: number[];
  /** What of the task reached generation (see tasks.ts). */
  task: FakeTask;
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed';

const INITIAL_AVG_JOB_SECONDS = 5.0;
const KNOWN_EXT: Record<string, string> = { mp3: 'mp3', wav: 'wav', flac: 'flac', opus: 'opus', aac: 'aac', wav32: 'wav' };

export const now = () => Date.now();

export class Scheduler {
  readonly jobs: FakeJob[] = [];
  /** Jobs refused with 429 that the server's job store keeps as queued (flavours.ts rejectedStayQueued). */
  rejectedQueued = 0;
  /** Jobs a restart caught waiting or running, as the disk cache keeps them (flavours.ts diskCache): the job and
   *  the moment its state froze. */
  readonly frozen = new Map<string, { job: FakeJob; at: number }>();
  /** Every file the server can send: the jobs' audio and what tests add. */
  readonly files = new Map<string, PayloadSpec>();
  /** The server answers nothing before this time (a model load, a blocking generation). */
  blockedUntil = 0;
  private workerFreeAt: number[] = [];
  private modelsLoaded = false;
  private lastLog = '';
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly opts: FakeOptions, private readonly faults: Faults) {}

  stateOf(job: FakeJob, t = now()): JobState {
    if (t < job.startAt) return 'queued';
    if (t < job.endAt) return 'running';
    return job.fail ? 'failed' : 'succeeded';
  }

  find(id: string): FakeJob | undefined {
    return this.jobs.find(j => j.id === id);
  }

  avgJobSeconds(): number {
    const t = now();
    const done = this.jobs.filter(j => j.endAt <= t).sort((a, b) => a.endAt - b.endAt).slice(-50);
    if (!done.length) return INITIAL_AVG_JOB_SECONDS;
    return done.reduce((s, j) => s + (j.endAt - j.startAt) / 1000, 0) / done.length;
  }

  waitingCount(t = now()): number {
    return this.jobs.filter(j => this.stateOf(j, t) === 'queued').length;
  }

  /** Whether the models are loaded and the server is past loading them. */
  modelsReady(): boolean {
    return this.modelsLoaded && now() >= this.blockedUntil;
  }

  /** Where a running job is: a progress step and the stage the server names. */
  stageAt(job: FakeJob, t: number): { progress: number; stage: string } {
    const frac = Math.min(0.999, Math.max(0, (t - job.startAt) / Math.max(1, job.endAt - job.startAt)));
    const steps = Math.max(1, this.opts.progressSteps);
    const progress = Math.floor(frac * steps) / steps;
    const stage = frac < 0.1 ? 'Preparing inputs...' : frac < 0.85 ? `Generating music (batch size: ${job.batchSize})...` : 'Decoding audio...';
    return { progress, stage };
  }

  /** The server's last log line: a tqdm bar of the newest running job, else whatever came before. */
  progressText(t: number): string {
    const running = this.jobs.filter(j => this.stateOf(j, t) === 'running').sort((a, b) => b.startAt - a.startAt)[0];
    if (running) {
      const steps = new Params(running.params).int('inference_steps') ?? 8;
      const done = Math.min(steps, Math.floor(((t - running.startAt) / Math.max(1, running.endAt - running.startAt)) * steps));
      const pct = Math.floor((done / steps) * 100);
      const bar = '█'.repeat(Math.floor(pct / 10)).padEnd(10, ' ');
      this.lastLog = `${String(pct).padStart(3)}%|${bar}| ${done}/${steps} [00:0${Math.min(9, Math.floor((t - running.startAt) / 1000))}<00:00,  2.61it/s]`;
    }
    return this.lastLog;
  }

  /** Queues a job on the worker that frees up first and registers the files it will write. */
  createJob(raw: Record<string, unknown>, uploads: Record<string, FakeUpload>): FakeJob {
    const { opts } = this;
    const behaviour = behaviourOf(opts);
    const p = new Params(raw);
    const t = now();
    const id = randomUUID();
    const generationMs = typeof opts.generationMs === 'function' ? opts.generationMs(raw) : opts.generationMs;
    const batchSize = Math.min(8, Math.max(1, p.int('batch_size') ?? 2));
    let format = p.str('audio_format', 'mp3').toLowerCase();
    if (behaviour.audioFormats && !behaviour.audioFormats.includes(format)) format = 'flac';
    const ext = KNOWN_EXT[format] ?? 'flac';
    const needsLm = p.bool('thinking') || p.bool('use_format') || p.bool('sample_mode') || !!p.str('sample_query').trim();
    let fail = false;
    let failReason = '';
    if (this.faults.takeFailure()) {
      fail = true;
      failReason = TRACEBACK_OOM;
    } else if (needsLm && !opts.lmLoaded) {
      fail = true;
      failReason = TRACEBACK_NO_LM;
    }
    // Seeds: some flavours ignore `seed`; the others honour it when use_random_seed is false.
    const seedParam = p.int('seed') ?? -1;
    const honour = behaviour.honoursSeed && !p.bool('use_random_seed', true) && seedParam >= 0;
    const base = honour ? seedParam : hash32(id) % 4_000_000_000;
    const seeds = Array.from({ length: batchSize }, (_, i) => base + i);
    // Schedule on the worker that frees up first.
    const { workerFreeAt } = this;
    while (workerFreeAt.length < Math.max(1, opts.workers)) workerFreeAt.push(0);
    let w = 0;
    for (let i = 1; i < workerFreeAt.length; i++) if (workerFreeAt[i] < workerFreeAt[w]) w = i;
    let startAt = Math.max(t, workerFreeAt[w]);
    if (behaviour.modelLoad === 'first-job' && !this.modelsLoaded) {
      this.modelsLoaded = true;
      if (opts.modelLoadMs > 0) {
        this.blockedUntil = Math.max(this.blockedUntil, startAt + opts.modelLoadMs);
        startAt += opts.modelLoadMs;
      }
    }
    const endAt = opts.finishAt !== null && opts.finishAt !== undefined ? Math.max(startAt, opts.finishAt) : startAt + Math.max(0, generationMs);
    workerFreeAt[w] = endAt;
    const job: FakeJob = {
      id, params: raw, uploads, submittedAt: t, startAt, endAt, generationMs, fail, failReason, batchSize, ext,
      files: fail ? [] : Array.from({ length: this.faults.itemCount(batchSize) }, (_, i) => `${opts.outputDir}/${hash32(id + i).toString(16).padStart(8, '0')}-${id.slice(0, 8)}-take${i}.${ext}`),
      seeds,
      task: taskOf(behaviour, p, uploads),
    };
    for (const path of job.files) this.files.set(path, { path, size: opts.audioBytes, ext });
    this.jobs.push(job);
    this.lastLog = `Job ${id} queued`;
    return job;
  }

  /** Resolves at time t, unless the server closes first (then never, like a request cut off). */
  waitUntil(t: number): Promise<void> {
    return new Promise<void>(resolve => {
      const timer = setTimeout(() => { this.timers.delete(timer); resolve(); }, Math.max(0, t - now()));
      this.timers.add(timer);
    });
  }

  cancelTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Forgets every job and file, like a process restart; `keepCache`: the disk cache survives it (a process
   *  restart in the same container), so pending jobs stay frozen there. */
  reset(keepCache = false): void {
    const t = now();
    this.frozen.clear();
    if (keepCache && behaviourOf(this.opts).diskCache) {
      for (const job of this.jobs) if (t < job.endAt) this.frozen.set(job.id, { job, at: t });
    }
    this.rejectedQueued = 0;
    this.jobs.length = 0;
    this.files.clear();
    this.workerFreeAt = [];
    this.modelsLoaded = false;
    this.blockedUntil = 0;
    this.lastLog = '';
  }
}
