// What becomes of a job, decided from what the poll loop saw: pure functions of a record, the server's
// figures, `now` and the config. No I/O, no timers, no clock: callers pass `now`, tests pass plain numbers.
import { isAceStepError } from '../api/errors';
import { needsOf } from '../api/needs';
import type { ServerStats, TaskStatus } from '../api/types';
import type { JobError, JobRecord } from './types';
import { errorMessage } from '../util/error-message';

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

/** What the poll loop knows about one server when it judges that server's jobs. */
export interface ServerSeen {
  /** A reachability gap just ended (the server was unreachable, now answers). */
  sawGap: boolean;
  /** The job total went down between two /v1/stats answers: the server restarted. */
  restartSeen: boolean;
  stats?: ServerStats;
  /** When `stats` was read. */
  statsAt?: number;
}

/** An error of any origin as a job keeps it. */
export function toJobError(e: unknown): JobError {
  if (isAceStepError(e)) {
    const out: JobError = { kind: e.kind, message: e.message };
    if (e.serverMessage) out.serverMessage = e.serverMessage;
    if (e.endpoint) out.endpoint = e.endpoint;
    if (e.status !== undefined) out.status = e.status;
    return out;
  }
  return { kind: 'server', message: errorMessage(e) };
}

/** The last meaningful line of a Python traceback. */
export function lastLine(text: string): string {
  const lines = text.split('\n').map(l => l.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? text;
}

// ---- deadline -------------------------------------------------------------------------------------

/** Seconds the job should take, from the server's average and the queue ahead of it. */
export function expectedSecondsOf(avgJobSeconds: number | undefined, queuePosition: number | undefined): number {
  return (avgJobSeconds ?? 60) * Math.max(1, queuePosition ?? 1);
}

/** The deadline set at submission; `modelLoad`: the server must load its models first. */
export function initialDeadline(submittedAt: number, expectedSeconds: number, modelLoad: boolean, cfg: DeadlineConfig): number {
  const grace = modelLoad ? cfg.modelLoadGraceMs : 0;
  return submittedAt + Math.max(cfg.minMs, cfg.multiple * expectedSeconds * 1000) + grace;
}

export type DeadlineVerdict =
  | { kind: 'in-time' }
  /** Past the deadline but the progress moved lately: a new deadline. */
  | { kind: 'extend'; deadline: number }
  | { kind: 'timeout'; error: JobError };

/** For a job the server still lists as pending. */
export function deadlineVerdict(
  rec: Pick<JobRecord, 'deadline' | 'expectedSeconds' | 'submittedAt' | 'createdAt' | 'taskId'>,
  lastProgressChangeAt: number | undefined, now: number, cfg: DeadlineConfig,
): DeadlineVerdict {
  if (rec.deadline === undefined || now <= rec.deadline) return { kind: 'in-time' };
  if (lastProgressChangeAt !== undefined && now - lastProgressChangeAt < cfg.aliveWindowMs) {
    return { kind: 'extend', deadline: now + Math.max(cfg.aliveWindowMs, (rec.expectedSeconds ?? 60) * 500) };
  }
  const mins = Math.round((now - (rec.submittedAt ?? rec.createdAt)) / 60_000);
  return {
    kind: 'timeout',
    error: {
      kind: 'timeout',
      message: `No result after ${mins} min although the server still lists the job as pending; stopped waiting. (Task ${rec.taskId}.)`,
    },
  };
}

// ---- lost jobs ------------------------------------------------------------------------------------

/** Why a job the server answers "[]" for must be lost, or undefined: wait a little longer. */
export function lostEvidence(
  server: ServerSeen, rec: Pick<JobRecord, 'deadline'>, unknownSince: number | undefined, now: number, cfg: DeadlineConfig,
): string | undefined {
  if (server.sawGap) return 'the server was unreachable for a while and came back without it: it was restarted';
  if (server.restartSeen) return "the server's job count went down: it was restarted";
  const s = server.stats;
  if (s && server.statsAt !== undefined && unknownSince !== undefined && server.statsAt >= unknownSince && s.jobs.queued + s.jobs.running === 0) {
    return 'the server has no queued or running job: it was probably restarted';
  }
  if (unknownSince !== undefined && now - unknownSince >= cfg.unknownGraceMs) {
    return `the server has not known it for ${Math.round((now - unknownSince) / 1000)} s`;
  }
  if (rec.deadline !== undefined && now > rec.deadline) return 'its deadline passed';
  return undefined;
}

export function lostError(taskId: string | undefined, why: string): JobError {
  return { kind: 'lost', message: `The server no longer knows this job (task ${taskId}): ${why}. The job is lost; submit it again.` };
}

// ---- state ----------------------------------------------------------------------------------------

/**
 * Jobs ahead of a job just accepted. The servers' `queue_position` counts only the jobs still waiting, this one
 * included, not the one running: position 1 behind a running job is one job ahead. `running`: the jobs running on
 * the server just before (its /v1/stats, or a job of ours known to run there).
 */
export function jobsAheadAt(queuePosition: number | undefined, running: number): number | undefined {
  if (queuePosition === undefined) return undefined;
  return Math.max(0, queuePosition - 1) + Math.max(0, running);
}

/**
 * Queued or running, for a job the server lists as pending. S/U say so (stage, progress); W says nothing
 * while a job waits or runs, so it is guessed from the queue position and the server's figures.
 */
export function guessState(
  st: Pick<TaskStatus, 'stage' | 'progress'>, rec: Pick<JobRecord, 'queuePosition' | 'jobsAhead' | 'submittedAt'>,
  stats: ServerStats | undefined, avgJobSeconds: number | undefined, now: number,
): 'queued' | 'running' {
  if (st.stage === 'queued') return 'queued';
  if (st.stage !== undefined || st.progress !== undefined) return 'running';
  const ahead = rec.jobsAhead ?? Math.max(0, (rec.queuePosition ?? 1) - 1);
  // queue_size, not jobs.queued: W counts jobs it rejected with 429 as queued forever.
  const started = ahead === 0 || (stats !== undefined && stats.queueSize === 0)
    || now - (rec.submittedAt ?? now) >= ahead * (avgJobSeconds ?? 30) * 1000;
  return started ? 'running' : 'queued';
}

// ---- failures -------------------------------------------------------------------------------------

/** A job the server reports failed (status 2); `lmLoaded`: what the server's /health said, if anything. */
export function failureError(st: Pick<TaskStatus, 'error'>, params: Record<string, unknown>, lmLoaded: boolean | undefined): JobError {
  const needsLm = needsOf({ params, files: {} }).lm;
  // S and U record no reason on a failed job: the server's own log is the only place that has it.
  const reason = st.error ? lastLine(st.error) : 'no reason given' + (needsLm ? (lmLoaded === false
    ? ' (this job needs the 5 Hz LM, which the server has not loaded)'
    : ' (this job needs the 5 Hz LM: is it loaded on the server?)') : '')
      + '. This server does not report why a job failed; its log does (docker compose logs in the ACE-Step folder, or the terminal the server runs in)';
  const err: JobError = { kind: 'server', message: `The server reports that the job failed: ${reason}` };
  if (st.error) err.serverMessage = st.error;
  return err;
}

export type PollFailureVerdict =
  | { kind: 'failed'; error: JobError }
  | { kind: 'lost'; error: JobError }
  /** Keep trying; show this meanwhile. */
  | { kind: 'retry'; progressText: string };

/**
 * A poll of the server failed (not an auth error, which fails every job at once). `badAnswers`: failed polls in
 * a row that were not about reachability; `unreachableSince`: when the server stopped answering, if it did.
 */
export function pollFailureVerdict(
  err: unknown, badAnswers: number, rec: Pick<JobRecord, 'deadline'>, unreachableSince: number | undefined, now: number,
): PollFailureVerdict {
  const message = errorMessage(err);
  if (badAnswers >= 5) return { kind: 'failed', error: toJobError(err) };
  if (rec.deadline !== undefined && now > rec.deadline) {
    const since = unreachableSince !== undefined ? ` since ${new Date(unreachableSince).toLocaleTimeString()}` : '';
    return {
      kind: 'lost',
      error: { kind: 'lost', message: `Gave up on the job: its deadline passed and the server has not answered properly${since} (${message}).` },
    };
  }
  return { kind: 'retry', progressText: `${message} Retrying…` };
}
