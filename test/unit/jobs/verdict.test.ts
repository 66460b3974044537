// The pure decisions about a job, with plain numbers for the time: nothing here waits.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AceStepError } from '../../../src/core/api/errors';
import type { ServerStats } from '../../../src/core/api/types';
import { backoffMs } from '../../../src/core/jobs/poller';
import {
  DEFAULT_DEADLINE, deadlineVerdict, expectedSecondsOf, failureError, guessState, initialDeadline, jobsAheadAt, lastLine, lostError,
  lostEvidence, pollFailureVerdict, toJobError, type ServerSeen,
} from '../../../src/core/jobs/verdict';

const cfg = DEFAULT_DEADLINE;
const T0 = 1_750_000_000_000;
const MIN = 60_000;

const stats = (queued: number, running: number, total = 10, avgJobSeconds = 30): ServerStats => ({
  jobs: { total, queued, running, succeeded: total - queued - running, failed: 0 },
  queueSize: queued, queueMaxsize: 200, avgJobSeconds,
});

const quiet: ServerSeen = { sawGap: false, restartSeen: false };

describe('verdict: the deadline', () => {
  test('set at submission from the expected time, at least minMs, plus the model-load grace', () => {
    assert.equal(expectedSecondsOf(undefined, undefined), 60);
    assert.equal(expectedSecondsOf(30, 3), 90);
    assert.equal(expectedSecondsOf(30, 0), 30, 'a position below 1 counts as 1');
    assert.equal(initialDeadline(T0, 60, false, cfg), T0 + 10 * MIN, '4 × 60 s is under the 10 min floor');
    assert.equal(initialDeadline(T0, 300, false, cfg), T0 + 20 * MIN, '4 × 300 s');
    assert.equal(initialDeadline(T0, 300, true, cfg), T0 + 35 * MIN, 'plus 15 min while the models load');
  });

  test('before the deadline: in time, whatever the progress', () => {
    const rec = { deadline: T0 + 10 * MIN, createdAt: T0, submittedAt: T0, taskId: 't1' };
    assert.deepEqual(deadlineVerdict(rec, undefined, T0 + 10 * MIN, cfg), { kind: 'in-time' }, 'at the deadline itself');
    assert.deepEqual(deadlineVerdict({ ...rec, deadline: undefined }, undefined, T0 + 999 * MIN, cfg), { kind: 'in-time' }, 'no deadline');
  });

  test('past the deadline with progress that moved lately: extended, not failed', () => {
    const rec = { deadline: T0 + 10 * MIN, expectedSeconds: 300, createdAt: T0, submittedAt: T0, taskId: 't1' };
    const now = T0 + 10 * MIN + 1;
    const v = deadlineVerdict(rec, now - 59_999, now, cfg);
    assert.deepEqual(v, { kind: 'extend', deadline: now + 150_000 }, 'half the expected time (> the alive window)');
    const short = deadlineVerdict({ ...rec, expectedSeconds: 20 }, now - 1_000, now, cfg);
    assert.deepEqual(short, { kind: 'extend', deadline: now + cfg.aliveWindowMs }, 'at least the alive window');
  });

  test('past the deadline with progress stalled (or none): timeout with the minutes and the task', () => {
    const rec = { deadline: T0 + 10 * MIN, createdAt: T0 - MIN, submittedAt: T0, taskId: 't1' };
    const now = T0 + 12 * MIN;
    for (const moved of [undefined, now - cfg.aliveWindowMs]) {
      const v = deadlineVerdict(rec, moved, now, cfg);
      assert.equal(v.kind, 'timeout');
      if (v.kind !== 'timeout') return;
      assert.equal(v.error.kind, 'timeout');
      assert.match(v.error.message, /No result after 12 min .* still lists the job as pending.*\(Task t1\.\)/);
    }
    const v = deadlineVerdict({ ...rec, submittedAt: undefined }, undefined, now, cfg);
    assert.match(v.kind === 'timeout' ? v.error.message : '', /after 13 min/, 'counted from creation when never accepted');
  });
});

describe('verdict: a job the server no longer knows', () => {
  const rec = { deadline: T0 + 10 * MIN };

  test('a reachability gap that just ended: restarted', () => {
    assert.match(lostEvidence({ ...quiet, sawGap: true }, rec, T0, T0, cfg) ?? '', /unreachable for a while.*restarted/);
  });

  test("the server's job total went down: restarted", () => {
    assert.match(lostEvidence({ ...quiet, restartSeen: true }, rec, T0, T0, cfg) ?? '', /job count went down/);
  });

  test('no queued or running job, in figures read since the job went unknown: probably restarted', () => {
    const s: ServerSeen = { ...quiet, stats: stats(0, 0), statsAt: T0 + 100 };
    assert.match(lostEvidence(s, rec, T0 + 100, T0 + 100, cfg) ?? '', /no queued or running job/);
    assert.equal(lostEvidence({ ...s, statsAt: T0 }, rec, T0 + 100, T0 + 100, cfg), undefined, 'figures older than the first "[]" prove nothing');
    assert.equal(lostEvidence({ ...s, stats: stats(0, 1) }, rec, T0 + 100, T0 + 100, cfg), undefined, 'something still runs');
    assert.equal(lostEvidence({ ...s, stats: stats(1, 0) }, rec, T0 + 100, T0 + 100, cfg), undefined, 'something still waits');
  });

  test('unknown for the grace period without other evidence: lost, with the seconds', () => {
    assert.equal(lostEvidence(quiet, rec, T0, T0 + cfg.unknownGraceMs - 1, cfg), undefined, 'a moment of "[]" is tolerated');
    assert.equal(lostEvidence(quiet, rec, T0, T0 + cfg.unknownGraceMs, cfg), 'the server has not known it for 30 s');
  });

  test('the deadline passed: lost', () => {
    assert.equal(lostEvidence(quiet, rec, T0 + 10 * MIN, T0 + 10 * MIN + 1, cfg), 'its deadline passed');
    assert.equal(lostEvidence(quiet, {}, T0 + 10 * MIN, T0 + 10 * MIN + 1, cfg), undefined, 'no deadline, no verdict yet');
  });

  test('the message names the task and says what to do', () => {
    const e = lostError('t9', 'its deadline passed');
    assert.equal(e.kind, 'lost');
    assert.equal(e.message, 'The server no longer knows this job (task t9): its deadline passed. The job is lost; submit it again.');
  });
});

describe('verdict: queued or running', () => {
  test('S/U say it: stage "queued", or any stage or progress means running', () => {
    assert.equal(guessState({ stage: 'queued' }, {}, undefined, undefined, T0), 'queued');
    assert.equal(guessState({ stage: 'Generating' }, { queuePosition: 5, submittedAt: T0 }, stats(4, 1), 30, T0), 'running');
    assert.equal(guessState({ progress: 0 }, { queuePosition: 5, submittedAt: T0 }, stats(4, 1), 30, T0), 'running');
  });

  test('W says nothing: nothing ahead → running', () => {
    assert.equal(guessState({}, { submittedAt: T0 }, undefined, undefined, T0), 'running');
    assert.equal(guessState({}, { queuePosition: 1, submittedAt: T0 }, stats(3, 1), 30, T0), 'running');
  });

  test('W: jobs ahead → queued until the server has no queue or their average time has passed', () => {
    const rec = { queuePosition: 3, submittedAt: T0 };
    assert.equal(guessState({}, rec, stats(2, 1), 30, T0 + 59_999), 'queued');
    assert.equal(guessState({}, rec, stats(2, 1), 30, T0 + 60_000), 'running', '2 ahead × 30 s');
    assert.equal(guessState({}, rec, stats(0, 1), 30, T0 + 1), 'running', 'nothing queued on the server');
    assert.equal(guessState({}, rec, undefined, undefined, T0 + 59_999), 'queued', 'no figures: 30 s a job');
    assert.equal(guessState({}, rec, undefined, 10, T0 + 20_000), 'running', "the server's average");
  });

  test('queue_position counts waiting jobs only: position 1 behind a running job is 1 job ahead', () => {
    assert.equal(jobsAheadAt(1, 1), 1);
    assert.equal(jobsAheadAt(1, 0), 0);
    assert.equal(jobsAheadAt(3, 1), 3);
    assert.equal(jobsAheadAt(undefined, 1), undefined);
    const rec = { queuePosition: 1, jobsAhead: 1, submittedAt: T0 };
    assert.equal(guessState({}, rec, { ...stats(1, 1), queueSize: 1 }, 30, T0 + 1), 'queued', 'the running job is ahead of it');
  });

  test('W: jobs it rejected with 429 stay in jobs.queued forever; queue_size tells', () => {
    const rec = { queuePosition: 3, submittedAt: T0 };
    const w = { ...stats(5, 1), queueSize: 0 };
    assert.equal(guessState({}, rec, w, 30, T0 + 1), 'running', 'queue_size 0: nothing waits, whatever jobs.queued says');
  });
});

describe('verdict: failures', () => {
  test('the server\'s traceback: its last line, the whole text kept', () => {
    const tb = 'Traceback (most recent call last):\n  File "x.py", line 1\nRuntimeError: CUDA out of memory\n\n';
    const e = failureError({ error: tb }, { thinking: true }, false);
    assert.equal(e.kind, 'server');
    assert.equal(e.message, 'The server reports that the job failed: RuntimeError: CUDA out of memory');
    assert.equal(e.serverMessage, tb);
    assert.equal(lastLine('one line'), 'one line');
  });

  test('no reason given: a job needing the 5 Hz LM says so, sharper when the server said it is not loaded', () => {
    // S and U give no reason: the message says so and where the server's log is.
    assert.equal(failureError({}, { prompt: 'x' }, undefined).message, 'The server reports that the job failed: no reason given. This server does not report why a job failed; its log does (docker compose logs in the ACE-Step folder, or the terminal the server runs in)');
    assert.match(failureError({}, { thinking: true }, false).message, /needs the 5 Hz LM, which the server has not loaded\)\. This server does not report why/);
    assert.match(failureError({}, { use_format: 'true' }, undefined).message, /needs the 5 Hz LM: is it loaded on the server\?\)\. /);
    assert.match(failureError({}, { sample_mode: true }, true).message, /is it loaded on the server\?/);
    assert.equal(failureError({}, { thinking: false }, false).serverMessage, undefined);
  });

  test('a failed poll: retried, lost once the deadline passed, failed after five bad answers', () => {
    const err = new AceStepError('unreachable', 'Cannot reach the server.');
    const rec = { deadline: T0 + 10 * MIN };
    assert.deepEqual(pollFailureVerdict(err, 0, rec, T0, T0 + MIN), { kind: 'retry', progressText: 'Cannot reach the server. Retrying…' });
    const lost = pollFailureVerdict(err, 0, rec, T0, T0 + 11 * MIN);
    assert.equal(lost.kind, 'lost');
    assert.match(lost.kind === 'lost' ? lost.error.message : '', /^Gave up on the job: its deadline passed and the server has not answered properly since .+ \(Cannot reach the server\.\)\.$/);
    const bad = new AceStepError('bad-response', 'Not JSON.', { endpoint: '/query_result' });
    assert.deepEqual(pollFailureVerdict(bad, 5, rec, undefined, T0 + MIN), { kind: 'failed', error: { kind: 'bad-response', message: 'Not JSON.', endpoint: '/query_result' } });
    assert.equal(pollFailureVerdict(bad, 4, rec, undefined, T0 + MIN).kind, 'retry');
  });

  test('errors of any origin become job errors; the backoff doubles up to 15 s', () => {
    assert.deepEqual(toJobError(new Error('boom')), { kind: 'server', message: 'boom' });
    assert.deepEqual(toJobError('plain'), { kind: 'server', message: 'plain' });
    assert.deepEqual([1, 2, 3, 4, 5, 6, 9].map(n => backoffMs(n)), [1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000]);
    assert.deepEqual([1, 2, 5].map(n => backoffMs(n, { failureBackoffMs: 10, failureBackoffMaxMs: 100 })), [10, 20, 100]);
  });
});
