import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { hasPendingJobs, JOBS_STATE_KEY, storedJobs } from '../../../src/vscode/generate/job-state';

/** A Memento holding `value` under the jobs key. */
const memento = (value: unknown) => ({ get: (key: string) => (key === JOBS_STATE_KEY ? value : undefined) }) as unknown as vscode.Memento;

test('activation loads generation only when stored jobs are pending', () => {
  assert.equal(hasPendingJobs(memento(undefined)), false, 'nothing stored');
  assert.equal(hasPendingJobs(memento('not a list')), false);
  assert.equal(hasPendingJobs(memento([{ id: 'a', state: 'succeeded' }, { id: 'b', state: 'failed' }, { id: 'c', state: 'cancelled' }, { id: 'd', state: 'lost' }])), false);
  for (const state of ['submitting', 'queued', 'running', 'downloading']) {
    assert.equal(hasPendingJobs(memento([{ id: 'a', state: 'succeeded' }, { id: 'b', state }])), true, state);
  }
  assert.deepEqual(storedJobs(memento([{ id: 'x', state: 'queued' }])).map(r => r.id), ['x']);
});
