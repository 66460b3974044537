import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { outputDirFor, slugify, takePrefix } from '../../../src/core/jobs';
import { claimTakeNumber, publishClaim, writeJobFile } from '../../../src/core/jobs/files';
import { AceStepError } from '../../../src/core/api';
import { tempDir } from '../api/helpers';

describe('output names', () => {
  test('default output folder: <song dir>/acestep-output/<song name>/', () => {
    assert.equal(outputDirFor('', { songPath: path.join('/songs', 'tempest.song'), title: 'Tempest' }), path.join('/songs', 'acestep-output', 'tempest'));
  });
  test('slugify', () => {
    assert.equal(slugify('Tempest of the Night'), 'tempest-of-the-night');
    assert.equal(slugify('  Ça va? Déjà vu!  '), 'ca-va-deja-vu');
    assert.equal(slugify('../../etc/passwd'), 'etc-passwd');
    assert.equal(slugify('???'), 'song');
    assert.ok(slugify('x'.repeat(200)).length <= 60);
  });
  test('take prefix carries the local date and time', () => {
    const ms = new Date(2026, 10, 25, 14, 32).getTime();
    assert.equal(takePrefix('Tempest of the Night', ms), 'tempest-of-the-night_2026-11-25_1432_take');
  });
});

describe('atomic writes', () => {
  test('writes through a temp file and leaves nothing else', async t => {
    const dir = tempDir(t);
    const file = path.join(dir, 'sub', 'a.json');
    await writeJobFile(file, '{"a":1}');
    await writeJobFile(file, '{"a":2}');
    assert.equal(readFileSync(file, 'utf8'), '{"a":2}');
    assert.deepEqual(readdirSync(path.dirname(file)), ['a.json']);
  });
  test('a disk problem is an AceStepError of kind disk', async t => {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, 'f'), 'x');
    await assert.rejects(writeJobFile(path.join(dir, 'f', 'a.json'), 'x'), (e: unknown) => e instanceof AceStepError && e.kind === 'disk');
  });
});

describe('take names are claimed exclusively', () => {
  test('twenty claims at once in one folder get twenty different numbers', async t => {
    const dir = tempDir(t);
    const claims = await Promise.all(Array.from({ length: 20 }, () => claimTakeNumber(dir, 'song_2026-01-01_1200_take')));
    assert.deepEqual(claims.map(c => c.number).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
  });
  test('taken numbers, any extension, and a claim left behind are skipped; a free preferred number is kept', async t => {
    const dir = tempDir(t);
    for (const n of ['p_take1.wav', 'p_take2.json', 'p_take3.json.part', 'p_take5.mp3.part', 'other_take9.mp3']) writeFileSync(path.join(dir, n), 'x');
    assert.equal((await claimTakeNumber(dir, 'p_take')).number, 6);
    assert.equal((await claimTakeNumber(dir, 'p_take', 4)).number, 4);
    assert.equal((await claimTakeNumber(dir, 'p_take', 1)).number, 7);
  });
  test('a published sidecar never replaces a file of that name', async t => {
    const dir = tempDir(t);
    const claim = await claimTakeNumber(dir, 'p_take');
    writeFileSync(path.join(dir, 'p_take1.json'), 'someone else');
    await assert.rejects(publishClaim(claim, path.join(dir, 'p_take1.json'), '{}'), (e: unknown) => e instanceof AceStepError && e.kind === 'disk' && /not replaced/.test(e.message));
    assert.equal(readFileSync(path.join(dir, 'p_take1.json'), 'utf8'), 'someone else');
  });
});
