// The words of a render: one line per song and per server, the tally, the end table.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DispatchEntry, ServerLoad } from '../../../src/core/jobs/dispatch-types';
import { allSucceeded, entryLine, formatTable, serverState, summaryRows, tally, tallyLine } from '../../../src/core/jobs/dispatch-view';
import type { JobSnapshot } from '../../../src/core/jobs/types';

const job = (state: JobSnapshot['state'], extra: Partial<JobSnapshot> = {}): JobSnapshot => ({
  id: 'j', serverUrl: 'http://a', title: 'T', outputDir: '/o', request: { params: {}, files: {} }, state, createdAt: 0, elapsedMs: 65_000, ...extra,
} as JobSnapshot);
const entry = (e: Partial<DispatchEntry>): DispatchEntry => ({ id: 'e', title: 'Neon', audioSeconds: 200, state: 'waiting', ...e });

describe('dispatch view', () => {
  test('a song\'s line says where it is and when it ends', () => {
    assert.equal(entryLine(entry({ waitingPosition: 2 })), 'Neon · waiting for a server, 2 in line');
    assert.equal(entryLine(entry({ state: 'dispatched', server: 'gpu1', job: job('queued', { queuePosition: 2 }), etaSeconds: 80 })), 'Neon — gpu1 · queued, position 2 · about 1:20 left');
    assert.equal(entryLine(entry({ state: 'dispatched', server: 'gpu1', job: job('running', { progress: 0.4, stage: 'Decoding audio...' }), etaSeconds: 0 })), 'Neon — gpu1 · 40% Decoding audio · any moment');
    assert.equal(entryLine(entry({ state: 'stranded', server: 'gpu1', reason: 'gpu1 stopped answering' })), 'Neon — gpu1 · not started: gpu1 stopped answering');
    assert.equal(entryLine(entry({ state: 'dispatched', server: 'a', job: job('succeeded', { takes: [{ index: 0, file: '/x' }] }), etaSeconds: 9 })), 'Neon — a · done, 1 take');
  });

  test('a server\'s state', () => {
    const s = (x: Partial<ServerLoad>): ServerLoad => ({ name: 'a', url: 'http://a', queued: 0, running: 0, ours: 0, ...x });
    assert.equal(serverState(s({})), 'not asked yet');
    assert.equal(serverState(s({ up: true })), 'idle');
    assert.equal(serverState(s({ up: true, running: 1, queued: 2, ours: 2 })), 'busy: 1 running, 2 waiting (2 ours)');
    assert.equal(serverState(s({ up: false, error: 'connection refused' })), 'not answering: connection refused');
  });

  test('the tally, the verdict and the end table', () => {
    const entries = [
      entry({ id: '1', state: 'dispatched', server: 'a', job: job('succeeded', { takes: [{ index: 0, file: '/x' }, { index: 1, file: '/y' }] }) }),
      entry({ id: '2', title: 'Harbour Waltz', state: 'dispatched', server: 'b', job: job('failed') }),
      entry({ id: '3', state: 'stranded', server: 'b' }),
      entry({ id: '4', state: 'waiting' }),
    ];
    const t = tally(entries);
    assert.deepEqual(t, { total: 4, succeeded: 1, failed: 1, running: 0, waiting: 1, stranded: 1, refused: 0 });
    assert.equal(tallyLine(t), '1 of 4 done · 1 waiting · 1 failed · 1 not started (server down)');
    assert.equal(allSucceeded(entries), false);
    assert.equal(allSucceeded([entries[0]]), true);
    assert.equal(allSucceeded([]), false, 'nothing rendered is not a success');
    assert.deepEqual(formatTable(summaryRows([...entries.slice(0, 2).map(entry => ({ title: entry.title, entry })), { title: 'Late' }])), [
      'song           server  outcome             takes  time',
      '-------------  ------  ------------------  -----  ----',
      'Neon           a       succeeded           2      1:05',
      'Harbour Waltz  b       failed              0      1:05',
      'Late           -       not sent (stopped)  0      -',
    ]);
  });
});
