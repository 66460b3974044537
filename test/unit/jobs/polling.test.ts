import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_POLLING, expectedEnd, nextPollAt, type PollView } from '../../../src/core/jobs/polling';
import { assertProperty } from '../property';

const T0 = 1_000_000;

describe('adaptive polling', () => {
  test('quick at first, sparse in the middle, quick near the expected end', () => {
    const v: PollView = { submittedAt: T0, lastPollAt: T0, polls: 0, avgJobSeconds: 60 };
    assert.ok(nextPollAt(v, T0) - T0 <= DEFAULT_POLLING.earlyMs);
    const mid = { ...v, lastPollAt: T0 + 20_000, polls: 6 };
    const midDelay = nextPollAt(mid, T0 + 20_000) - (T0 + 20_000);
    assert.ok(midDelay >= 5_000, `middle delay ${midDelay}`);
    const near = { ...v, lastPollAt: T0 + 58_500, polls: 12 };
    assert.equal(nextPollAt(near, T0 + 58_500) - (T0 + 58_500), DEFAULT_POLLING.nearEndMs);
    const late = { ...v, lastPollAt: T0 + 90_000, polls: 40 };
    const lateDelay = nextPollAt(late, T0 + 90_000) - (T0 + 90_000);
    assert.ok(lateDelay > DEFAULT_POLLING.nearEndMs && lateDelay <= DEFAULT_POLLING.lateMaxMs, `late ${lateDelay}`);
  });

  test('progress (S/U) predicts the end better than the average', () => {
    // 10 s job, 40 % done 4 s in: the end is ~10 s even though the server's average says 60 s.
    const v: PollView = {
      submittedAt: T0, lastPollAt: T0 + 4000, polls: 5, avgJobSeconds: 60,
      firstProgress: { at: T0 + 1000, progress: 0.1 }, lastProgress: { at: T0 + 4000, progress: 0.4 },
    };
    const { end } = expectedEnd(v);
    assert.ok(Math.abs(end - (T0 + 10_000)) < 1, `end ${end - T0}`);
  });

  test('the queue position pushes the expected end out', () => {
    const v: PollView = { submittedAt: T0, lastPollAt: T0, polls: 0, avgJobSeconds: 20, queuePosition: 3 };
    assert.equal(expectedEnd(v).end, T0 + 60_000);
  });

  test('never more than 2 requests/s per job on average (plus a small burst), whatever happens', () => {
    assertProperty(fc.property(
      fc.double({ min: 0.5, max: 600, noNaN: true }),
      fc.double({ min: 0.5, max: 900, noNaN: true }),
      fc.boolean(),
      (avg, actual, withProgress) => {
        let v: PollView = { submittedAt: T0, lastPollAt: T0, polls: 0, avgJobSeconds: avg };
        let now = T0;
        const end = T0 + actual * 1000;
        for (let i = 0; i < 400 && now < end; i++) {
          const at = Math.max(nextPollAt(v, now), now);
          assert.ok(at >= v.lastPollAt, 'never in the past');
          now = at;
          const polls = v.polls + 1;
          assert.ok(polls <= 2 * ((now - T0) / 1000) + DEFAULT_POLLING.burst + 1e-9, `${polls} polls after ${(now - T0) / 1000}s`);
          v = { ...v, polls, lastPollAt: now };
          if (withProgress) {
            const p = Math.min(0.99, (now - T0) / (end - T0));
            if (p > 0) v = { ...v, firstProgress: v.firstProgress ?? { at: now, progress: p }, lastProgress: { at: now, progress: p } };
          }
        }
      },
    ), { numRuns: 200 });
  });
});
