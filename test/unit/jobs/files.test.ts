import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { outputDirFor, slugify, takePrefix } from '../../../src/core/jobs';
import { writeJobFile } from '../../../src/core/jobs/files';
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
