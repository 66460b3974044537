// The arithmetic of dispatch with plain numbers: speed, free time, the choice of server, late binding, a server
// gone, and what a server cannot do.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  paceOrPeers, accepts, DEFAULT_JOB_SECONDS, freeInSeconds, jobSeconds, learnedSpeed, loadViewOf, observedGpuSeconds, pickServer, remainingSeconds,
  serverGone, whyNot,
} from '../../../src/core/jobs/dispatch-estimate';
import type { ServerInfo } from '../../../src/core/api/types';

const info = (over: Partial<ServerInfo> = {}): ServerInfo => ({
  flavour: 'U', service: 'ACE-Step API', version: '1.5', models: [{ name: 'acestep-v15-turbo' }], defaultModel: 'acestep-v15-turbo',
  lmLoaded: true, hasStats: true, health: { status: 'ok', service: 'ACE-Step API', version: '1.5' }, ...over,
});

describe('dispatch estimate', () => {
  test('speed: GPU seconds per audio second over the latest jobs; none without a sample', () => {
    assert.equal(learnedSpeed([]), undefined);
    assert.equal(learnedSpeed([{ gpuSeconds: 30, audioSeconds: 120 }, { gpuSeconds: 15, audioSeconds: 60 }]), 0.25);
    assert.equal(learnedSpeed([{ gpuSeconds: 0, audioSeconds: 60 }]), undefined);
  });

  test('a job\'s time: speed × audio, else the server\'s average job, else the default', () => {
    assert.equal(jobSeconds({ secondsPerAudioSecond: 0.5, avgJobSeconds: 99 }, 200), 100);
    assert.equal(jobSeconds({ avgJobSeconds: 42 }, 200), 42);
    assert.equal(jobSeconds({}, 200), DEFAULT_JOB_SECONDS);
  });

  test('observed GPU time: run start to done; behind our own job from its end; unknown behind others\' without a start', () => {
    const t = 1_000_000;
    assert.equal(observedGpuSeconds({ submittedAt: t, runningSince: t + 5_000, serverFinishedAt: t + 35_000 }), 30);
    // Seen running a poll after our job before it ended: it started when that one ended.
    assert.equal(observedGpuSeconds({ submittedAt: t, runningSince: t + 12_000, previousFinishedAt: t + 10_000, serverFinishedAt: t + 40_000 }), 30);
    // W does not say when a job started: submission or the end of ours before it.
    assert.equal(observedGpuSeconds({ submittedAt: t, previousFinishedAt: t + 10_000, serverFinishedAt: t + 40_000 }), 30);
    assert.equal(observedGpuSeconds({ submittedAt: t, serverFinishedAt: t + 20_000 }), 20);
    assert.equal(observedGpuSeconds({ submittedAt: t, othersAhead: true, serverFinishedAt: t + 20_000 }), undefined);
    assert.equal(observedGpuSeconds({ submittedAt: t, serverFinishedAt: t }), undefined);
  });

  test('the running job\'s rest: from progress, else elapsed against the estimate, else half of it', () => {
    assert.equal(remainingSeconds({ expectedSeconds: 60, elapsedSeconds: 30, progress: 0.75 }), 10);
    assert.equal(remainingSeconds({ expectedSeconds: 60, elapsedSeconds: 20 }), 40);
    assert.equal(remainingSeconds({ expectedSeconds: 60, elapsedSeconds: 90 }), 0);
    assert.equal(remainingSeconds({ expectedSeconds: 60 }), 30);
  });

  test('free in: the running job\'s rest, our waiting jobs, the others\' at the server\'s average', () => {
    assert.equal(freeInSeconds({ running: { expectedSeconds: 60, elapsedSeconds: 20 }, ourQueued: [30, 10], othersQueued: 2, pace: { avgJobSeconds: 5 } }), 90);
    assert.equal(freeInSeconds({ ourQueued: [], othersQueued: 0, pace: {} }), 0);
  });

  test('the load of a server from our jobs and its stats: ours in its queue are not counted twice', () => {
    const now = 100_000;
    const stats = { jobs: { total: 9, queued: 3, running: 1, succeeded: 5, failed: 0 }, queueSize: 3, queueMaxsize: 200, avgJobSeconds: 20 };
    const jobs = [
      { state: 'running' as const, audioSeconds: 100, runningSince: now - 10_000 },
      { state: 'queued' as const, audioSeconds: 40 },
      { state: 'submitting' as const, audioSeconds: 60 },
      { state: 'downloading' as const, audioSeconds: 60 },
    ];
    const v = loadViewOf(jobs, stats, { secondsPerAudioSecond: 0.5, avgJobSeconds: 20 }, true, now);
    assert.deepEqual(v.running, { expectedSeconds: 50, elapsedSeconds: 10 });
    assert.deepEqual(v.ourQueued, [20, 30]);
    assert.equal(v.othersQueued, 2);
    assert.equal(freeInSeconds(v), 40 + 50 + 40);
    // W: no running-since, so the elapsed time is not trusted; someone else's running job when none of ours runs.
    assert.equal(loadViewOf(jobs.slice(0, 1), undefined, {}, false, now).running?.elapsedSeconds, undefined);
    assert.deepEqual(loadViewOf([], stats, { avgJobSeconds: 20 }, true, now).running, { expectedSeconds: 20 });
  });

  test('late binding: a server takes one more job while fewer than `lookahead` wait on it', () => {
    assert.equal(accepts({ ourQueued: [], othersQueued: 0 }), true);
    assert.equal(accepts({ ourQueued: [10], othersQueued: 0 }), false);
    assert.equal(accepts({ ourQueued: [], othersQueued: 1 }), false);
    assert.equal(accepts({ ourQueued: [10], othersQueued: 0 }, 2), true);
  });

  test('the server that finishes first wins, even when it is busy and another is free: the job waits for it', () => {
    const fastBusy = { name: 'fast', finishSeconds: 50, accepts: false, ours: 2 };
    const slowFree = { name: 'slow', finishSeconds: 80, accepts: true, ours: 0 };
    assert.deepEqual(pickServer([slowFree, fastBusy]), { best: fastBusy, bindNow: false });
    assert.deepEqual(pickServer([{ ...fastBusy, accepts: true }, slowFree])?.bindNow, true);
    // A tie goes to the server with fewer of our jobs.
    assert.equal(pickServer([{ name: 'a', finishSeconds: 10, accepts: true, ours: 1 }, { name: 'b', finishSeconds: 10, accepts: true, ours: 0 }])?.best.name, 'b');
    assert.equal(pickServer([]), undefined);
  });

  test('a server is gone after failing over at least two probes spanning the window', () => {
    assert.equal(serverGone({ failures: 0 }, 100_000, 10_000), false);
    assert.equal(serverGone({ failingSince: 90_000, failures: 1 }, 100_000, 10_000), false);
    assert.equal(serverGone({ failingSince: 95_000, failures: 3 }, 100_000, 10_000), false);
    assert.equal(serverGone({ failingSince: 90_000, failures: 2 }, 100_000, 10_000), true);
  });

  test('what a server cannot do: the task on G, the LM for thinking, a model it has not, LoRA', () => {
    const plain = { request: { params: { prompt: 'x' }, files: {} } };
    assert.equal(whyNot(plain, info()), undefined);
    assert.match(whyNot({ request: { params: { task_type: 'cover' }, files: { src_audio: '/a.mp3' } } }, info({ flavour: 'G' }))!, /standalone API/);
    assert.match(whyNot({ request: { params: { thinking: true }, files: {} } }, info({ lmLoaded: false }))!, /LM is not loaded/);
    // A server that does not say whether its LM is loaded gets the job.
    assert.equal(whyNot({ request: { params: { thinking: true }, files: {} } }, info({ flavour: 'S', lmLoaded: undefined })), undefined);
    assert.match(whyNot({ request: { params: { model: 'acestep-v15-base' }, files: {} } }, info())!, /no model acestep-v15-base/);
    assert.match(whyNot({ ...plain, lora: { path: '/x' } }, info({ flavour: 'W' }))!, /LoRA/);
    assert.equal(whyNot({ ...plain, lora: { path: '/x' } }, info()), undefined);
  });
});

describe('dispatch estimate: a server nothing is known of', () => {
  test('is taken to be as fast as the others seen so far, so it is tried', () => {
    assert.deepEqual(paceOrPeers({}, [2, 4]), { secondsPerAudioSecond: 3 });
    assert.deepEqual(paceOrPeers({}, []), {}, 'nothing known anywhere: the default applies');
    assert.deepEqual(paceOrPeers({ avgJobSeconds: 30 }, [2]), { avgJobSeconds: 30 }, 'its own stats win');
    assert.deepEqual(paceOrPeers({ secondsPerAudioSecond: 1 }, [2]), { secondsPerAudioSecond: 1 });
  });
});
