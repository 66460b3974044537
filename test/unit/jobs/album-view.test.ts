// What an album render prints: the live view's lines, the summary table; server text cleaned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveLines, summaryTable } from '../../../src/cli/album-view';
import type { DispatchEntry, ServerLoad } from '../../../src/core/jobs/dispatch-types';

const job = (over: Record<string, unknown>) => ({ id: 'j', serverUrl: 'http://a', title: 't', outputDir: '/o', request: { params: {}, files: {} }, createdAt: 0, elapsedMs: 65_000, ...over }) as DispatchEntry['job'];

test('the live view: a line per server and per song, escapes from a server removed, cut to the width', () => {
  const servers: ServerLoad[] = [
    { name: 'gpu0', url: 'http://a:1', up: true, queued: 1, running: 1, ours: 2, secondsPerAudioSecond: 0.25 },
    { name: 'gpu1', url: 'http://b:2', up: false, error: 'connection refused', queued: 0, running: 0, ours: 0 },
  ];
  const entries: DispatchEntry[] = [
    { id: 'd1', title: 'Night Drive', audioSeconds: 200, state: 'dispatched', server: 'gpu0', job: job({ state: 'running', progress: 0.42, stage: 'Decoding audio\x1b]0;pwned\x07...' }), etaSeconds: 30 },
    { id: 'd2', title: 'Harbour', audioSeconds: 120, state: 'waiting', waitingPosition: 1, etaSeconds: 90 },
  ];
  const lines = liveLines(entries, servers, 200);
  assert.equal(lines.length, 4);
  assert.match(lines[0]!, /gpu0 \(http:\/\/a:1\) busy: 1 running, 1 waiting \(2 ours\) · 0\.25 s per s of audio/);
  assert.match(lines[1]!, /gpu1 \(http:\/\/b:2\) not answering: connection refused/);
  assert.match(lines[2]!, /Night Drive — gpu0 · 42% Decoding audio.* · about 0:30 left/);
  assert.ok(!lines.join('').includes('\x1b') && !lines.join('').includes('\x07'));
  assert.match(lines[3]!, /Harbour · waiting for a server, 1 in line · about 1:30 left/);
  assert.ok(liveLines(entries, servers, 20).every(l => l.length <= 20));
});

test('the summary table: song, server, state, takes, time; a song never sent says so', () => {
  const table = summaryTable([
    { title: 'Night Drive', entry: { id: 'd1', title: 'Night Drive', audioSeconds: 200, state: 'dispatched', server: 'gpu0', job: job({ state: 'succeeded', takes: [{ index: 0, file: '/o/a.mp3' }] }) } },
    { title: 'Harbour', entry: { id: 'd2', title: 'Harbour', audioSeconds: 1, state: 'stranded', server: 'gpu1', reason: 'gone' } },
    { title: 'Late' },
  ]);
  assert.match(table[0]!, /^song\s+server\s+outcome\s+takes\s+time$/);
  assert.match(table[2]!, /^Night Drive\s+gpu0\s+succeeded\s+1\s+1:05$/);
  assert.match(table[3]!, /^Harbour\s+gpu1\s+stranded\s+0\s+-$/);
  assert.match(table[4]!, /^Late\s+-\s+not sent \(stopped\)\s+0\s+-$/);
});
