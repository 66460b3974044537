import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ResultItem } from '../../../src/core/api/types';
import type { JobSnapshot } from '../../../src/core/jobs';
import { jobSource } from '../../../src/vscode/player/views';
import { tempDir } from '../api/helpers';

const item = (seed: number | undefined): ResultItem => ({
  file: '/v1/audio?path=x.mp3', link: '/v1/audio?path=x.mp3', prompt: 'symphonic metal, choir', metas: { bpm: 160 },
  seeds: [1234, 1235], ...(seed === undefined ? {} : { seed }), raw: { seed_value: '1234,1235' },
});

test("each take of a batch shows its own seed, not the batch's first; an unknown seed stays unknown", async t => {
  const dir = tempDir(t);
  const files = ['a.mp3', 'b.mp3'].map(f => path.join(dir, f));
  for (const f of files) writeFileSync(f, Buffer.alloc(16));
  const job = {
    id: 'j1', serverUrl: 'http://127.0.0.1:8001', title: 'Tempest', outputDir: dir, state: 'succeeded', createdAt: 0, elapsedMs: 0,
    request: { params: { prompt: 'symphonic metal', batch_size: 2 }, files: {} },
    items: [item(1234), item(1235)],
    takes: [{ index: 0, file: files[0] }, { index: 1, file: files[1] }],
  } as unknown as JobSnapshot;
  const src = await jobSource(job);
  assert.deepEqual(src.takes.map(t => t.meta.seed), [1234, 1235]);
  const unknown = await jobSource({ ...job, items: [item(undefined), item(undefined)] } as JobSnapshot);
  assert.deepEqual(unknown.takes.map(t => t.meta.seed), [undefined, undefined], 'seeds that do not line up with the takes are not guessed');
});

test('Time the Lyrics is offered only where the server that made the take can transcribe', async t => {
  const dir = tempDir(t);
  const file = path.join(dir, 'a.mp3');
  writeFileSync(file, Buffer.alloc(16));
  const job = (flavour?: string) => ({
    id: 'j', serverUrl: 'http://127.0.0.1:8001', title: 'T', outputDir: dir, state: 'succeeded', createdAt: 0, elapsedMs: 0,
    request: { params: {}, files: {} }, items: [item(1)], takes: [{ index: 0, file }], ...(flavour ? { flavour } : {}),
  }) as unknown as JobSnapshot;
  const offered = async (flavour?: string) => (await jobSource(job(flavour))).takes[0].actions?.includes('timeLyrics');
  assert.equal(await offered('U'), true);
  for (const f of ['W', 'S', 'G']) assert.equal(await offered(f), false, f);
  assert.equal(await offered(undefined), true, 'unknown: offered, and the server says what it can do');
});
