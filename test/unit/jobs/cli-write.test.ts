import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { run as write } from '../../../src/cli/write';
import { main } from '../../../src/cli';
import { analyzeSong, parseSong } from '../../../src/core/song';
import { descriptionHints } from '../../server/sample';
import { cliIO as io } from './cli-io';
import { fake, tempDir } from '../api/helpers';

const DIMMU = 'a creative black metal song with good lyrics, in English, with cool guitar solos, kind of in the style of Dimmu Borgir';

describe('acestep-song write', () => {
  for (const flavour of ['W', 'S', 'U'] as const) {
    test(`${flavour}: the server LM writes the song; the .song is lint-clean, beside its takes, quoting the description`, async t => {
      const dir = tempDir(t);
      const server = await fake(t, { flavour, generationMs: 200 });
      const { cli, out, err } = io(dir);
      const code = await write([DIMMU, '--duration', '180', '--server', server.url, '--json'], cli);
      assert.equal(code, 0, err.join('\n'));
      const res = JSON.parse(out.join('\n'));
      assert.equal(res.status, 'succeeded');
      assert.equal(res.song, path.join(dir, 'a-creative-black-metal-song.song'));
      const text = readFileSync(res.song, 'utf8');
      const parsed = parseSong(text);
      assert.match(String(parsed.params.caption), /black metal/);
      assert.ok(Math.abs(Number(parsed.params.duration) - 180) <= 2, 'the LM kept to the length asked');
      assert.equal(parsed.params.language, 'en');
      assert.match(text, /^# "a creative black metal song/m);
      assert.match(text, /\[Chorus\]/);
      const problems = analyzeSong(text, { baseDir: dir }).diagnostics.filter(d => d.severity === 'error' || d.severity === 'warning');
      assert.deepEqual(problems.map(d => `${d.code}: ${d.message}`), []);
      assert.deepEqual(res.lint.remaining.filter((r: { severity: string }) => r.severity === 'error'), []);
      for (const f of res.files) assert.ok(f.startsWith(path.join(dir, 'acestep-output', 'a-creative-black-metal-song') + path.sep));
      const side = JSON.parse(readFileSync(res.sidecars[0], 'utf8'));
      assert.equal(side.description, DIMMU);
      assert.equal(side.song, res.song);
      assert.equal(side.request.params.sample_query, `${DIMMU}. About 180 seconds long.`);
    });
  }

  test('--instrumental and --language reach the server as it reads them; a second run never replaces the first song', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S', generationMs: 50 });
    const first = io(dir);
    assert.equal(await write(['calm piano by the sea', '--instrumental', '--server', server.url, '--out', 'songs'], first.cli), 0, first.err.join('\n'));
    const second = io(dir);
    assert.equal(await write(['calm piano by the sea', '--language', 'de', '--server', server.url, '--out', 'songs'], second.cli), 0, second.err.join('\n'));
    assert.deepEqual(readdirSync(path.join(dir, 'songs')).filter(f => f.endsWith('.song')).sort(), ['calm-piano-by-the-sea-2.song', 'calm-piano-by-the-sea.song']);
    const one = parseSong(readFileSync(path.join(dir, 'songs', 'calm-piano-by-the-sea.song'), 'utf8'));
    assert.equal(one.params.instrumental, true);
    assert.equal(server.jobs[0].params.sample_query, 'calm piano by the sea. Instrumental, no vocals.');
    assert.equal(server.jobs[1].params.vocal_language, 'de');
    assert.equal(parseSong(readFileSync(path.join(dir, 'songs', 'calm-piano-by-the-sea-2.song'), 'utf8')).params.language, 'de');
  });

  test('G: takes, and a .song whose caption is the description (the Gradio API does not return what its LM wrote)', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'G', generationMs: 50 });
    const { cli, out, err } = io(dir);
    assert.equal(await write(['warm lofi beat', '--server', server.url, '--json'], cli), 0, err.join('\n'));
    const res = JSON.parse(out.join('\n'));
    assert.equal(parseSong(readFileSync(res.song, 'utf8')).params.caption, 'warm lofi beat');
    assert.ok(err.some(l => /did not say what its LM wrote/.test(l)), err.join('\n'));
  });

  for (const flavour of ['W', 'S', 'G'] as const) {
    test(`${flavour} without the LM: refused, the .env fix said, no .song`, async t => {
      const dir = tempDir(t);
      const server = await fake(t, { flavour, generationMs: 50, lmLoaded: false });
      const { cli, err } = io(dir);
      const code = await write([DIMMU, '--server', server.url], cli);
      assert.equal(code, 1, err.join('\n'));
      assert.ok(err.some(l => /ACESTEP_INIT_LLM=true/.test(l) && /acestep-5Hz-lm-0\.6B/.test(l)), err.join('\n'));
      assert.equal(readdirSync(dir).filter(f => f.endsWith('.song')).length, 0);
    });
  }

  test('usage: help with options, defaults and an example; bad values are usage errors; registered in acestep-song', async t => {
    const dir = tempDir(t);
    const help = io(dir);
    assert.equal(await write(['--help'], help.cli), 0);
    assert.match(help.out.join('\n'), /--language CODE[\s\S]*--instrumental[\s\S]*--duration SECONDS[\s\S]*default[\s\S]*example:/);
    for (const args of [[], ['a', 'b'], ['x', '--duration', '5'], ['x', '--language', 'klingon']]) {
      const bad = io(dir);
      assert.equal(await write(args, bad.cli), 2, args.join(' '));
    }
    const top = io(dir);
    await main(['--help'], top.cli);
    assert.match(top.err.join('\n'), /write\s+let the server's LM write a song/);
    assert.ok(!existsSync(path.join(dir, 'acestep-output')));
  });

  test('the test server reads hints like the real one: language words, "instrumental", "pure music", a trailing "solo"', () => {
    assert.deepEqual(descriptionHints('Pop rock. English'), { language: 'en', instrumental: false });
    assert.deepEqual(descriptionHints('a soft german ballad'), { language: 'de', instrumental: false });
    assert.deepEqual(descriptionHints('pure music for sleeping'), { instrumental: true });
    assert.deepEqual(descriptionHints('jazz guitar solo'), { instrumental: true });
  });
});
