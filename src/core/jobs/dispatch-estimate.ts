// The arithmetic of dispatch: how fast a server renders, when it will be free, which server finishes a job first,
// whether a server may take one more job now, whether it has stopped answering, and whether it can do a job at all.
// Pure functions of plain numbers and what the servers said; the Dispatcher (dispatch.ts) feeds them. No vscode import.
import { capabilitiesOf } from '../api/capabilities';
import { loraRefusal } from '../api/lora';
import { needsOf, refusalFor } from '../api/needs';
import type { ReleaseRequest, ServerInfo, ServerStats } from '../api/types';
import { msg } from '../l10n';
import type { JobState } from './types';

/** A job's time on a server when nothing is known about the server (s). */
export const DEFAULT_JOB_SECONDS = 60;
/** How many of a server's latest finished jobs its speed is learned from. */
export const SPEED_SAMPLES = 20;

/** One finished job as seen from here: the GPU time it took and the audio it made. */
export interface SpeedSample {
  gpuSeconds: number;
  audioSeconds: number;
}

/** Seconds of GPU per second of audio, from the latest finished jobs (undefined without one). */
export function learnedSpeed(samples: readonly SpeedSample[]): number | undefined {
  const ok = samples.filter(s => s.gpuSeconds > 0 && s.audioSeconds > 0).slice(-SPEED_SAMPLES);
  if (!ok.length) return undefined;
  return ok.reduce((a, s) => a + s.gpuSeconds, 0) / ok.reduce((a, s) => a + s.audioSeconds, 0);
}

/** What is known of a server's pace: its learned speed, else its own average job time (/v1/stats). */
export interface Pace {
  secondsPerAudioSecond?: number;
  avgJobSeconds?: number;
}

/**
 * A server of which nothing is known yet (no finished job, no stats) is taken to be as fast as the others seen so
 * far (their mean speed), so it is tried and learned rather than left idle behind a guess; with no others, DEFAULT.
 */
export function paceOrPeers(own: Pace, peerSpeeds: readonly number[]): Pace {
  if (own.secondsPerAudioSecond !== undefined || (own.avgJobSeconds !== undefined && own.avgJobSeconds > 0)) return own;
  const known = peerSpeeds.filter(x => x > 0);
  return known.length ? { secondsPerAudioSecond: known.reduce((a, b) => a + b, 0) / known.length } : own;
}

/** How long a job of `audioSeconds` takes on a server of that pace (s). */
export function jobSeconds(pace: Pace, audioSeconds: number): number {
  if (pace.secondsPerAudioSecond !== undefined) return pace.secondsPerAudioSecond * Math.max(1, audioSeconds);
  if (pace.avgJobSeconds !== undefined && pace.avgJobSeconds > 0) return pace.avgJobSeconds;
  return DEFAULT_JOB_SECONDS;
}

/** What was seen of one finished job (ms since epoch). */
export interface FinishedJobView {
  submittedAt: number;
  /** The first poll that saw it running, where the server tells (capabilities: knowsRunningSince). */
  runningSince?: number;
  /** The first poll that saw it done. */
  serverFinishedAt: number;
  /** When our job before it on the same server was seen done, if there was one. */
  previousFinishedAt?: number;
  /** Jobs of others were waiting before it: its start cannot be told without the server saying so. */
  othersAhead?: boolean;
}

/**
 * The GPU time a finished job took (s): from its start to done where the server tells when it started, else from
 * its submission or the end of our job before it (the later), so what was ahead is not counted; undefined when
 * jobs of others were ahead of a job whose start the server does not tell.
 */
export function observedGpuSeconds(v: FinishedJobView): number | undefined {
  // Behind our own job it started when that one ended (seen in the same poll, often before it was seen running).
  const behindOurs = v.previousFinishedAt !== undefined && v.previousFinishedAt > v.submittedAt ? v.previousFinishedAt : undefined;
  let start: number;
  if (v.runningSince !== undefined) start = behindOurs !== undefined ? Math.min(v.runningSince, behindOurs) : v.runningSince;
  else if (v.othersAhead) return undefined;
  else start = behindOurs ?? v.submittedAt;
  const s = (v.serverFinishedAt - start) / 1000;
  return s > 0 ? s : undefined;
}

/** One server's load as the estimate sees it: seconds for each job, not jobs. */
/** A finished job as a speed sample; undefined when its GPU time cannot be told (see observedGpuSeconds). */
export function sampleOf(
  snap: { submittedAt?: number; runningSince?: number; jobsAhead?: number; serverFinishedAt: number },
  previousFinishedAt: number | undefined, knowsRunningSince: boolean, audioSeconds: number,
): SpeedSample | undefined {
  if (snap.submittedAt === undefined) return undefined;
  const prev = previousFinishedAt;
  const gpuSeconds = observedGpuSeconds({
    submittedAt: snap.submittedAt,
    serverFinishedAt: snap.serverFinishedAt,
    ...(knowsRunningSince && snap.runningSince !== undefined ? { runningSince: snap.runningSince } : {}),
    ...(prev !== undefined ? { previousFinishedAt: prev } : {}),
    othersAhead: (snap.jobsAhead ?? 0) > 0 && !(prev !== undefined && prev > snap.submittedAt),
  });
  return gpuSeconds === undefined ? undefined : { gpuSeconds, audioSeconds };
}

export interface LoadView {
  /** The job running there (ours or another's), if any. */
  running?: { expectedSeconds: number; elapsedSeconds?: number; progress?: number };
  /** Expected seconds of each of our jobs waiting there (submitted, not yet running). */
  ourQueued: readonly number[];
  /** Jobs of others waiting there (its /v1/stats queue minus ours). */
  othersQueued: number;
  pace: Pace;
}

/** One of our jobs on a server, as the load sees it. */
export interface OurJob {
  state: JobState;
  audioSeconds: number;
  runningSince?: number;
  progress?: number;
}

/**
 * A server's load from our unfinished jobs on it and its /v1/stats: our running job (else another's, when the
 * stats say one runs), our jobs not yet running, and the others' waiting jobs (its queue minus ours there).
 * `knowsRunningSince`: the server tells when a job started (capabilities), so the running job's elapsed time counts.
 */
export function loadViewOf(jobs: readonly OurJob[], stats: ServerStats | undefined, pace: Pace, knowsRunningSince: boolean, now: number): LoadView {
  let running: LoadView['running'];
  const ourQueued: number[] = [];
  let oursInServerQueue = 0;
  for (const job of jobs) {
    const expected = jobSeconds(pace, job.audioSeconds);
    if (job.state === 'running') {
      running = { expectedSeconds: expected };
      if (knowsRunningSince && job.runningSince !== undefined) running.elapsedSeconds = Math.max(0, (now - job.runningSince) / 1000);
      if (job.progress !== undefined) running.progress = job.progress;
    } else if (job.state === 'submitting' || job.state === 'queued') {
      ourQueued.push(expected);
      if (job.state === 'queued') oursInServerQueue++;
    }
  }
  if (!running && stats && stats.jobs.running > 0) running = { expectedSeconds: otherJobSeconds(pace) };
  const othersQueued = stats ? Math.max(0, stats.queueSize - oursInServerQueue) : 0;
  return { ...(running ? { running } : {}), ourQueued, othersQueued, pace };
}

/** A job of someone else's (its length unknown): the server's average job time. */
export function otherJobSeconds(pace: Pace): number {
  return pace.avgJobSeconds !== undefined && pace.avgJobSeconds > 0 ? pace.avgJobSeconds : DEFAULT_JOB_SECONDS;
}

/** Seconds until the running job ends: from its progress where known, else its elapsed time against the estimate. */
export function remainingSeconds(r: NonNullable<LoadView['running']>): number {
  const { expectedSeconds, elapsedSeconds, progress } = r;
  if (elapsedSeconds !== undefined && progress !== undefined && progress >= 0.05 && progress < 1) {
    return Math.max(0, elapsedSeconds / progress - elapsedSeconds);
  }
  if (elapsedSeconds !== undefined) return Math.max(0, expectedSeconds - elapsedSeconds);
  return expectedSeconds / 2;
}

/** Seconds until the server can start a new job. */
export function freeInSeconds(v: LoadView): number {
  const others = v.othersQueued * otherJobSeconds(v.pace);
  return (v.running ? remainingSeconds(v.running) : 0) + v.ourQueued.reduce((a, s) => a + s, 0) + others;
}

/**
 * Whether the server may be given one more job now (late binding): while it has fewer than `lookahead` jobs waiting
 * (ours and others'), so that it never waits for us between two jobs, and a job is bound as late as can be.
 */
export function accepts(v: Pick<LoadView, 'ourQueued' | 'othersQueued'>, lookahead = 1): boolean {
  return v.ourQueued.length + v.othersQueued < Math.max(1, lookahead);
}

/** A server a job could go to. */
export interface Option {
  name: string;
  /** When it would finish the job, seconds from now. */
  finishSeconds: number;
  /** It may take a job now. */
  accepts: boolean;
  /** Our jobs on it not finished (ties go to the one with fewer). */
  ours: number;
}

/**
 * The server that would finish the job first (ties: fewer of our jobs, then the order given); `bindNow` when it
 * may take it now. Otherwise the job waits for that server, even when another is free: the other would finish later.
 */
export function pickServer(options: readonly Option[]): { best: Option; bindNow: boolean } | undefined {
  let best: Option | undefined;
  for (const o of options) {
    if (!best || o.finishSeconds < best.finishSeconds - 1e-9 || (Math.abs(o.finishSeconds - best.finishSeconds) <= 1e-9 && o.ours < best.ours)) best = o;
  }
  return best ? { best, bindNow: best.accepts } : undefined;
}

/** What is known of a server's answers to our probes (ms since epoch). */
export interface ReachView {
  /** When it first failed to answer (unreachable or timed out) since it last answered; undefined while it answers. */
  failingSince?: number;
  /** Failed probes in a row. */
  failures: number;
}

/** How long a server must fail to answer, over at least two probes, before it counts as gone. */
export const DEAD_AFTER_MS = 15_000;

/** Whether the server has stopped answering: unreachable over at least `minFailures` probes spanning `windowMs`. */
export function serverGone(v: ReachView, now: number, windowMs = DEAD_AFTER_MS, minFailures = 2): boolean {
  return v.failingSince !== undefined && v.failures >= minFailures && now - v.failingSince >= windowMs;
}

/** What the job asks of a server, beside its request. */
export interface JobAsk {
  request: ReleaseRequest;
  /** The song names a style adapter. */
  lora?: unknown;
}

/**
 * Why this server cannot do the job, in words, or undefined when it can: the task and its audio (needs.ts), the
 * 5 Hz LM for thinking and descriptions where the server says it is not loaded, the model the song names, LoRA.
 */
export function whyNot(job: JobAsk, info: ServerInfo, handOffAvailable = false): string | undefined {
  const refusal = refusalFor(job.request, info.flavour, handOffAvailable);
  if (refusal) return refusal.message;
  if (needsOf(job.request).lm && capabilitiesOf(info.flavour).reportsLm && info.lmLoaded === false) {
    return msg('its 5 Hz LM is not loaded, and the song needs it (thinking, formatting or a description)');
  }
  const model = job.request.params.model;
  if (typeof model === 'string' && model.trim() && capabilitiesOf(info.flavour).fullParameters && info.models.length
    && !info.models.some(m => m.name === model.trim() || m.id === model.trim())) {
    return msg('it has no model {0} (it has {1})', model.trim(), info.models.map(m => m.name).join(', '));
  }
  if (job.lora) {
    const r = loraRefusal(info.flavour);
    if (r) return r;
  }
  return undefined;
}
