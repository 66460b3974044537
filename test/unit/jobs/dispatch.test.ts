// The Dispatcher over one JobManager with two test servers of different speeds: every song goes to a server and
// its takes carry that server's name; a pinned song goes to its server; what no server can do is refused with every
// server's reason; a server that dies strands its unstarted jobs until the user moves them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Dispatcher } from '../../../src/core/jobs/dispatch';
import type { DispatchInput } from '../../../src/core/jobs/dispatch-types';
import { JobManager, MemoryJobStorage, isTerminal } from '../../../src/core/jobs';
import type { ServerProfile } from '../../../src/core/servers/profiles';
import { timedByDuration } from '../../server/fake-acestep';
import { fake, tempDir, until } from '../api/helpers';

const FAST_POLLING = { earlyMs: 40, earlyPhaseMs: 10_000, nearEndMs: 40, nearWindowMinMs: 200, midMinMs: 40, midMaxMs: 100, midMaxWithProgressMs: 100, maxPerSecond: 50, minGapMs: 20, failureBackoffMs: 40, failureBackoffMaxMs: 100 };

const profile = (name: string, url: string): ServerProfile => ({ name, url, kind: 'acestep', enabled: true, isDefault: false });

function song(dir: string, i: number, seconds: number, params: Record<string, unknown> = {}): DispatchInput {
  return {
    title: `song ${i}`, outputDir: path.join(dir, `song-${i}`), audioSeconds: seconds,
    request: { params: { prompt: `song ${i}`, audio_duration: seconds, batch_size: 1, ...params }, files: {} },
  };
}

async function setup(t: import('node:test').TestContext, msPerSecond: [number, number], flavours: ['S' | 'U' | 'W', 'S' | 'U' | 'W'] = ['S', 'S']) {
  const a = await fake(t, { flavour: flavours[0], generationMs: timedByDuration(msPerSecond[0]), audioBytes: 4096 });
  const b = await fake(t, { flavour: flavours[1], generationMs: timedByDuration(msPerSecond[1]), audioBytes: 4096 });
  const manager = new JobManager({ storage: new MemoryJobStorage(), polling: FAST_POLLING, deadline: { minMs: 3_000, multiple: 0.2, aliveWindowMs: 1_000 } });
  const d = new Dispatcher({ manager, servers: [profile('gpu0', a.url), profile('gpu1', b.url)], probeIntervalMs: 50, deadAfterMs: 300, changeEveryMs: 10 });
  t.after(async () => { await d.dispose(); await manager.dispose(); });
  return { a, b, manager, d };
}

describe('Dispatcher', () => {
  test('songs spread over two servers of different speeds; every take names its server in its sidecar', async t => {
    const dir = tempDir(t);
    const { a, b, d } = await setup(t, [3, 5]);
    const lengths = [200, 180, 150, 120, 100, 90, 60, 40];
    const added = d.enqueue(lengths.map((s, i) => song(dir, i, s)));
    // settled(ids): only those songs are waited for, and only they come back.
    const firstTwo = await d.settled(added.slice(0, 2).map(e => e.id));
    assert.deepEqual(firstTwo.map(e => e.id), added.slice(0, 2).map(e => e.id));
    assert.ok(firstTwo.every(e => e.job?.state === 'succeeded'));
    let bothBusy = false;
    const sub = d.onDidChange(() => { if (d.servers().every(s => s.running + s.queued > 0)) bothBusy = true; });
    const done = await d.settled();
    sub.dispose();
    assert.ok(bothBusy, 'both servers were busy at once');
    assert.ok(a.jobs.length > 0 && b.jobs.length > 0, `${a.jobs.length} and ${b.jobs.length} jobs`);
    assert.equal(a.jobs.length + b.jobs.length, lengths.length, 'each song sent once');
    for (const e of done) {
      assert.equal(e.state, 'dispatched');
      assert.equal(e.job?.state, 'succeeded', `${e.title}: ${e.job?.error?.message}`);
      assert.equal(e.job?.serverName, e.server);
      for (const take of e.job!.takes!) {
        const side = JSON.parse(readFileSync(take.sidecar!, 'utf8'));
        assert.equal(side.server.name, e.server);
        assert.equal(side.server.url, e.serverUrl);
        assert.equal(side.server.label, 'upstream standalone API (early 2026)');
      }
    }
    const loads = d.servers();
    assert.ok(loads.every(l => l.up && l.secondsPerAudioSecond !== undefined), JSON.stringify(loads));
    // The learned speeds come out in the servers' order (3 ms vs 5 ms per audio second).
    assert.ok(loads[0].secondsPerAudioSecond! < loads[1].secondsPerAudioSecond!, JSON.stringify(loads));
  });

  test('a pinned song goes only to its server; what no server can do is refused with each server\'s reason', async t => {
    const dir = tempDir(t);
    const { b, d } = await setup(t, [2, 2], ['U', 'S']);
    const entries = d.enqueue([
      { ...song(dir, 0, 30), pin: 'GPU1' },
      { ...song(dir, 1, 30), pin: 'nowhere' },
      song(dir, 2, 30, { model: 'acestep-v15-xl' }),
    ]);
    assert.equal(entries.length, 3);
    const done = await d.settled();
    assert.equal(done[0].server, 'gpu1');
    assert.equal(done[0].job?.state, 'succeeded');
    assert.equal(b.jobs.length, 1);
    assert.equal(done[1].state, 'refused');
    assert.match(done[1].reason!, /"nowhere", which is not one of the servers/);
    assert.equal(done[2].state, 'refused');
    assert.match(done[2].reason!, /gpu0: it has no model acestep-v15-xl.*gpu1: it has no model acestep-v15-xl/);
  });

  test('a server that dies strands its unstarted jobs; moved, they finish on the other', async t => {
    const dir = tempDir(t);
    const { a, b, d, manager } = await setup(t, [4, 4]);
    d.enqueue([0, 1, 2, 3, 4, 5].map(i => song(dir, i, 100)));
    await until('both servers have a waiting job', () => d.entries().filter(e => e.job?.state === 'queued').length >= 2, 5_000);
    await b.close();
    await until('stranded', () => d.entries().some(e => e.state === 'stranded'), 5_000);
    const first = await d.settled();
    const stranded = first.filter(e => e.state === 'stranded');
    assert.ok(stranded.length >= 1);
    for (const e of stranded) {
      assert.equal(e.server, 'gpu1');
      assert.match(e.reason!, /gpu1 stopped answering before the job started/);
      assert.equal(manager.get(e.jobId!)?.state, 'cancelled');
    }
    // The job that was running on it ends lost at once, saying why (no deadline to wait out).
    assert.ok(first.every(e => e.state !== 'dispatched' || isTerminal(e.job!.state)));
    const wasRunning = first.filter(e => e.state === 'dispatched' && e.server === 'gpu1' && e.job?.state !== 'succeeded');
    for (const e of wasRunning) {
      assert.equal(e.job?.state, 'lost');
      assert.match(e.job!.error!.message, /gpu1 stopped answering while the song was being made/);
    }
    const before = a.jobs.length;
    d.moveStranded();
    const after = await d.settled();
    assert.equal(a.jobs.length, before + stranded.length);
    for (const e of after.filter(x => stranded.some(s => s.id === x.id))) {
      assert.equal(e.server, 'gpu0');
      assert.equal(e.job?.state, 'succeeded');
    }
    assert.equal(d.servers()[1].up, false);
  });

  test('cancel: a waiting song leaves the queue, a dispatched one is cancelled in the job manager', async t => {
    const dir = tempDir(t);
    const { d, manager } = await setup(t, [5, 5]);
    const entries = d.enqueue([0, 1, 2, 3, 4, 5].map(i => song(dir, i, 200)));
    await until('dispatched', () => d.entries().filter(e => e.state === 'dispatched').length >= 2, 5_000);
    const waiting = d.entries().find(e => e.state === 'waiting')!;
    assert.equal(d.cancel(waiting.id), true);
    assert.equal(d.entries().some(e => e.id === waiting.id), false);
    const sent = d.entries().find(e => e.state === 'dispatched')!;
    assert.equal(d.cancel(sent.id), true);
    assert.equal(manager.get(sent.jobId!)?.state, 'cancelled');
    for (const e of d.entries()) d.cancel(e.id);
    const done = await d.settled();
    assert.ok(done.length < entries.length);
  });

  test('a hosted chat endpoint is one of the servers: asked without /health, sent jobs as takes, named in the sidecars', async t => {
    const dir = tempDir(t);
    const a = await fake(t, { flavour: 'S', generationMs: timedByDuration(5), audioBytes: 4096 });
    const hosted = await fake(t, { flavour: 'C', generationMs: timedByDuration(3), chatHeartbeatMs: 10, audioBytes: 4096 });
    const manager = new JobManager({ storage: new MemoryJobStorage(), polling: FAST_POLLING });
    const cloud: ServerProfile = { name: 'cloud', url: `${hosted.url}/v1/chat/completions`, kind: 'chat', enabled: true, isDefault: false };
    const d = new Dispatcher({ manager, servers: [profile('gpu0', a.url), cloud], probeIntervalMs: 50, changeEveryMs: 10 });
    t.after(async () => { await d.dispose(); await manager.dispose(); });
    d.enqueue([120, 100, 90, 60].map((s, i) => song(dir, i, s)));
    const done = await d.settled();
    assert.ok(done.every(e => e.job?.state === 'succeeded'), JSON.stringify(done.map(e => [e.server, e.job?.state, e.job?.error?.message, e.reason])));
    const onCloud = done.filter(e => e.server === 'cloud');
    assert.ok(onCloud.length > 0 && done.some(e => e.server === 'gpu0'), JSON.stringify([done.map(e => e.server), d.servers(), hosted.requests.map(r => r.method + ' ' + r.path)]));
    for (const e of onCloud) {
      assert.equal(e.job?.flavour, 'C');
      assert.equal(JSON.parse(readFileSync(e.job!.takes![0].sidecar!, 'utf8')).server.name, 'cloud');
    }
    assert.ok(!hosted.requests.some(r => r.path === '/health' || r.path === '/v1/stats'), hosted.requests.map(r => r.path).join(' '));
  });
});
