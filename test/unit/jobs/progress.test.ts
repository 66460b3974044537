import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clock, describeProgress, progressLine, timeAgo, timing, type ProgressView } from '../../../src/core/jobs/progress';
import { setTranslator } from '../../../src/core/l10n';

const job = (v: Partial<ProgressView>): ProgressView => ({ state: 'running', elapsedMs: 0, ...v });

describe('describeProgress', () => {
  test('each state in words', () => {
    assert.equal(describeProgress(job({ state: 'submitting' })), 'submitting');
    assert.equal(describeProgress(job({ state: 'queued' })), 'queued');
    assert.equal(describeProgress(job({ state: 'queued', queuePosition: 3 })), 'queued, position 3');
    assert.equal(describeProgress(job({ state: 'queued', queuePosition: 1, jobsAhead: 1 })), 'queued, 1 job ahead');
    assert.equal(describeProgress(job({ state: 'queued', queuePosition: 2, jobsAhead: 2 })), 'queued, 2 jobs ahead');
    assert.equal(describeProgress(job({ state: 'downloading', stage: 'downloading 1.0 MB' })), 'downloading');
    assert.equal(describeProgress(job({ state: 'succeeded', takes: [{ index: 0, file: '/a.mp3' }] })), 'done, 1 take');
    assert.equal(describeProgress(job({ state: 'succeeded', takes: [{ index: 0, file: '/a.mp3' }, { index: 1, file: '/b.mp3' }, { index: 2 }] })), 'done, 2 takes');
    assert.equal(describeProgress(job({ state: 'failed', error: { kind: 'server', message: 'CUDA out of memory' } })), 'failed: CUDA out of memory');
    assert.equal(describeProgress(job({ state: 'failed' })), 'failed: unknown error');
    assert.equal(describeProgress(job({ state: 'lost' })), 'lost: the server no longer knows this job');
    assert.equal(describeProgress(job({ state: 'cancelled' })), 'cancelled');
  });

  test('running: the percentage and the server\'s stage (without its trailing dots)', () => {
    assert.equal(describeProgress(job({})), 'generating');
    assert.equal(describeProgress(job({ progress: 0.424 })), 'generating 42%');
    assert.equal(describeProgress(job({ progress: 0.5, stage: 'Decoding audio...' })), '50% Decoding audio');
    assert.equal(describeProgress(job({ stage: 'Preparing inputs…' })), 'Preparing inputs');
    assert.equal(describeProgress(job({ stage: 'queued' })), 'generating');
    // The manager's own stage for a Gradio job says it already.
    assert.equal(describeProgress(job({ stage: 'generating (the Gradio API answers when the song is done)' })), 'generating (the Gradio API answers when the song is done)');
  });

  test('the texts go through the translator', t => {
    setTranslator((template, args) => `[${template}]${args.join('|')}`);
    t.after(() => setTranslator());
    assert.equal(describeProgress(job({ progress: 0.5 })), '[generating {0}%]50');
  });
});

describe('timing', () => {
  test('clock: m:ss', () => {
    assert.equal(clock(0), '0:00');
    assert.equal(clock(75_000), '1:15');
    assert.equal(clock(-5), '0:00');
  });
  test('elapsed, and the time left when known', () => {
    assert.equal(timing({ elapsedMs: 42_000 }), '0:42');
    assert.equal(timing({ elapsedMs: 42_000, etaMs: 30_000 }), '0:42, about 0:30 left');
    // Past the expected time (issue 12 case 13): not "about 0:00 left" or "about 0:01 left" for ever.
    assert.equal(timing({ elapsedMs: 42_000, etaMs: 0 }), '0:42, waiting for the server');
    assert.equal(timing({ elapsedMs: 42_000, etaMs: 300 }), '0:42, about 0:01 left');
  });
  test('progressLine: state and timing in one line', () => {
    assert.equal(progressLine(job({ progress: 0.1, elapsedMs: 5000, etaMs: 60_000 })), 'generating 10% · 0:05, about 1:00 left');
  });
  test('timeAgo', () => {
    assert.equal(timeAgo(40_000), '40 s ago');
    assert.equal(timeAgo(5 * 60_000), '5 min ago');
    assert.equal(timeAgo(3 * 3600_000), '3 h ago');
    assert.equal(timeAgo(48 * 3600_000), '2 days ago');
  });
});
