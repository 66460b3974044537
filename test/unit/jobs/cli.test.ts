import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { run as generate } from '../../../src/cli/generate';
import { run as status } from '../../../src/cli/status';
import { cliIO as io } from './cli-io';
import { fake, listFiles, tempDir } from '../api/helpers';

const SONG = [
  '---',
  'title: Tempest of the Night',
  'caption: symphonic black metal, choir, blast beats',
  'duration: 60',
  'bpm: 160',
  'key: D minor',
  'batch_size: 2',
  '---',
  '[Verse 1]',
  'Through frozen wastelands we march on',
  'Beneath the vast and blackened sky',
  '',
].join('\n');


describe('acestep-song generate', () => {
  test('generates, downloads, prints JSON; progress on stderr', async t => {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, 'tempest.song'), SONG);
    const server = await fake(t, { flavour: 'S', generationMs: 600, apiKey: 'cli-key' });
    const { cli, out, err } = io(dir, { ACESTEP_API_KEY: 'cli-key' });
    const code = await generate(['tempest.song', '--server', server.url, '--json'], cli);
    assert.equal(code, 0, err.join('\n'));
    const res = JSON.parse(out.join('\n'));
    assert.equal(res.status, 'succeeded');
    assert.equal(res.task_id, server.jobs[0].id);
    assert.equal(res.files.length, 2);
    assert.equal(res.sidecars.length, 2);
    for (const f of [...res.files, ...res.sidecars]) assert.ok(existsSync(f));
    assert.ok(res.files[0].startsWith(path.join(dir, 'acestep-output', 'tempest') + path.sep));
    assert.match(path.basename(res.files[0]), /^tempest-of-the-night_.*_take1\.mp3$/);
    assert.ok(err.some(l => /generating/.test(l)), err.join('\n'));
    const sent = server.jobs[0].params;
    assert.equal(sent.bpm, 160);
    assert.equal(sent.key_scale, 'D minor');
    assert.equal(sent.batch_size, 2);
    const side = JSON.parse(readFileSync(res.sidecars[0], 'utf8'));
    assert.equal(side.song, path.join(dir, 'tempest.song'));
  });

  test('a failing job: exit 1 and the reason; --out is honoured; nothing written', async t => {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, 'tempest.song'), SONG);
    const server = await fake(t, { flavour: 'W', generationMs: 100, failNext: true });
    const { cli, out, err } = io(dir);
    const code = await generate(['tempest.song', '--server', server.url, '--out', 'takes', '--json'], cli);
    assert.equal(code, 1);
    const res = JSON.parse(out.join('\n'));
    assert.equal(res.status, 'failed');
    assert.deepEqual(res.files, []);
    assert.match(res.error.message, /CUDA out of memory/);
    assert.ok(err.some(l => /failed/.test(l)));
    assert.deepEqual(listFiles(path.join(dir, 'takes')), []);
  });

  test('usage errors and unreadable files exit 2', async t => {
    const dir = tempDir(t);
    assert.equal(await generate([], io(dir).cli), 2);
    assert.equal(await generate(['x.song', '--bogus'], io(dir).cli), 2);
    const r = io(dir);
    assert.equal(await generate(['missing.song'], r.cli), 2);
    assert.match(r.err.join('\n'), /no such file/);
  });
});

describe('acestep-song status', () => {
  test('reports flavour, models, LM and queue', async t => {
    const server = await fake(t, { flavour: 'U', models: ['acestep-v15-turbo', 'acestep-v15-base'] });
    const r = io('/');
    assert.equal(await status(['--server', server.url], r.cli), 0, r.err.join('\n'));
    const text = r.out.join('\n');
    assert.match(text, /flavour\s+U \(upstream standalone API \(current\)\)/);
    assert.match(text, /acestep-v15-turbo \(default\)/);
    assert.match(text, /LM loaded\s+not yet/);
    assert.match(text, /avg job time\s+5\.0 s/);
    const j = io('/', { ACESTEP_URL: server.url });
    assert.equal(await status(['--json'], j.cli), 0);
    const res = JSON.parse(j.out.join('\n'));
    assert.equal(res.flavour, 'U');
    assert.equal(res.stats.avgJobSeconds, 5);
  });

  test('an unreachable server: exit 1 with a clear message', async t => {
    const server = await fake(t, { down: true });
    const r = io('/');
    assert.equal(await status(['--server', server.url], r.cli), 1);
    assert.match(r.err.join('\n'), /Cannot reach the ACE-Step server/);
  });
});
