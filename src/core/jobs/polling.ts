// When to ask the server again. Pure functions of what we know about a job, so they are easy to test.
//
// - quick at first (a failure or the queue position shows up early),
// - sparse in the middle, paced by the expected end (from S/U progress, else /v1/stats avg_job_seconds),
// - quick again near the expected end, then gently slower if the estimate was too optimistic,
// - never more than `maxPerSecond` requests per job on average since its submission (plus a small burst);
//   a batched /query_result asking about n jobs costs each of them 1/n, and `minGapMs` bounds the
//   rate per server whatever the number of jobs.

export interface PollingConfig {
  /** Interval during the first `earlyPhaseMs`. */
  earlyMs: number;
  earlyPhaseMs: number;
  /** Interval near the expected end. */
  nearEndMs: number;
  /** "Near" = within max(nearWindowMinMs, nearWindowFraction × expected duration) of the end. */
  nearWindowMinMs: number;
  nearWindowFraction: number;
  /** Middle phase: a third of the time left, within these bounds. */
  midMinMs: number;
  midMaxMs: number;
  /** With live progress (S/U) the middle stays a little denser, for the progress display. */
  midMaxWithProgressMs: number;
  /** After the expected end passed: nearEndMs growing by this fraction of the overrun, up to lateMaxMs. */
  lateGrowth: number;
  lateMaxMs: number;
  /** Polls per second per job on average since submission, at most (the k-th poll waits until k / maxPerSecond s). */
  maxPerSecond: number;
  /** Polls allowed beyond that budget. */
  burst: number;
  /** Never two polls of one server closer than this. */
  minGapMs: number;
  /** After failed polls in a row: this pause, doubling with each failure up to `failureBackoffMaxMs`. */
  failureBackoffMs: number;
  failureBackoffMaxMs: number;
}

export const DEFAULT_POLLING: PollingConfig = {
  earlyMs: 750,
  earlyPhaseMs: 3_000,
  nearEndMs: 250,
  nearWindowMinMs: 1_500,
  nearWindowFraction: 0.2,
  midMinMs: 1_000,
  midMaxMs: 8_000,
  midMaxWithProgressMs: 3_000,
  lateGrowth: 0.1,
  lateMaxMs: 2_000,
  failureBackoffMs: 1_000,
  failureBackoffMaxMs: 15_000,
  maxPerSecond: 2,
  burst: 0,
  minGapMs: 250,
};

export interface ProgressSample {
  /** Best guess of when the server reached this progress (midpoint between two polls). */
  at: number;
  progress: number;
}

export interface PollView {
  /** When the server accepted the job. */
  submittedAt: number;
  /** Last time a poll carried this job (submittedAt if none). */
  lastPollAt: number;
  /** Its share of the polls so far (a poll carrying n jobs counts 1/n for each). */
  polls: number;
  /** The server's average job time, seconds. */
  avgJobSeconds?: number;
  /** 1-based; 1 = nothing ahead. */
  queuePosition?: number;
  runningSince?: number;
  /** First and latest distinct progress values seen (S/U). */
  firstProgress?: ProgressSample;
  lastProgress?: ProgressSample;
  /** Extra time expected before the job can start (e.g. U loading its models). */
  extraStartMs?: number;
}

/** Expected end of the job (ms since epoch) and its expected total duration. */
export function expectedEnd(v: PollView): { end: number; durationMs: number } {
  const avgMs = Math.max(0.5, v.avgJobSeconds ?? 30) * 1000;
  const fp = v.firstProgress;
  const lp = v.lastProgress;
  if (fp && lp && lp.progress > fp.progress && lp.at > fp.at) {
    const msPerUnit = (lp.at - fp.at) / (lp.progress - fp.progress);
    const start = fp.at - fp.progress * msPerUnit;
    return { end: lp.at + (1 - lp.progress) * msPerUnit, durationMs: Math.max(1, msPerUnit) + Math.max(0, start - v.submittedAt) };
  }
  if (v.runningSince !== undefined) {
    return { end: v.runningSince + avgMs, durationMs: v.runningSince - v.submittedAt + avgMs };
  }
  const ahead = Math.max(0, (v.queuePosition ?? 1) - 1);
  const d = (ahead + 1) * avgMs + (v.extraStartMs ?? 0);
  return { end: v.submittedAt + d, durationMs: d };
}

/** The earliest moment the per-job request budget allows the next poll. */
export function budgetEarliest(v: PollView, cfg: PollingConfig = DEFAULT_POLLING): number {
  const needed = v.polls + 1 - cfg.burst;
  // +10 ms: timers may fire a millisecond early against Date.now(); never round into the budget.
  return needed <= 0 ? v.submittedAt : v.submittedAt + (needed / cfg.maxPerSecond) * 1000 + 10;
}

/** When this job would like the next poll (ms since epoch), budget included. */
export function nextPollAt(v: PollView, now: number, cfg: PollingConfig = DEFAULT_POLLING): number {
  const sinceSubmit = now - v.submittedAt;
  const { end, durationMs } = expectedEnd(v);
  const remaining = end - now;
  const window = Math.max(cfg.nearWindowMinMs, cfg.nearWindowFraction * durationMs);
  let delay: number;
  if (remaining <= 0) {
    delay = Math.min(cfg.lateMaxMs, cfg.nearEndMs + cfg.lateGrowth * -remaining);
  } else if (remaining <= window) {
    delay = cfg.nearEndMs;
  } else {
    const cap = v.lastProgress ? cfg.midMaxWithProgressMs : cfg.midMaxMs;
    // Land the next poll no later than the start of the near-end window.
    delay = Math.min(cap, Math.max(cfg.midMinMs, (remaining - window) / 2), remaining - window + cfg.nearEndMs);
    delay = Math.max(cfg.nearEndMs, delay);
  }
  if (sinceSubmit < cfg.earlyPhaseMs) delay = Math.min(delay, cfg.earlyMs);
  const wanted = v.lastPollAt + delay;
  return Math.max(wanted, budgetEarliest(v, cfg));
}
