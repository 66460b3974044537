import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CliIO } from '../../../src/cli/io';
import { run as lint } from '../../../src/cli/lint';
import { run as estimate } from '../../../src/cli/estimate';
import { song, TEMPEST } from './helpers';

function fakeIO(cwd: string): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: t => { stdout.push(t); }, err: t => { stderr.push(t); }, env: {}, cwd };
}

let dir = '';
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'song-cli-'));
  writeFileSync(path.join(dir, 'good.song'), TEMPEST.replace('duration: 210', 'duration: 60'));
  writeFileSync(path.join(dir, 'bad.song'), song(['caption: rock', 'bpm: 400', 'prompt: x'], ['[Verse]', 'walking through the empty streets']));
  writeFileSync(path.join(dir, 'warn.song'), song(['caption: rock', 'key: Dm'], ['[Verse]', 'walking through the empty streets']));
  writeFileSync(path.join(dir, 'cover.song'), song(['caption: rock', 'task_type: cover', 'src_audio: missing.wav'], ['[Verse]', 'walking through the empty streets']));
  mkdirSync(path.join(dir, 'folder.song'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('acestep-song lint', () => {
  test('clean file: no output, exit 0', async () => {
    const io = fakeIO(dir);
    assert.equal(await lint(['good.song'], io), 0);
    assert.deepEqual(io.stdout, []);
  });

  test('errors: file:line:col severity code message (1-based), exit 1', async () => {
    const io = fakeIO(dir);
    assert.equal(await lint(['bad.song', 'good.song'], io), 1);
    assert.ok(io.stdout.includes('bad.song:3:6 error out-of-range bpm must be at most 300 (got 400)'), io.stdout.join('\n'));
    assert.ok(io.stdout.some(l => l.startsWith('bad.song:4:1 hint key-alias ')));
    assert.match(io.stderr.join('\n'), /1 error/);
  });

  test('warnings only: exit 0', async () => {
    const io = fakeIO(dir);
    assert.equal(await lint(['warn.song'], io), 0);
    assert.ok(io.stdout.some(l => l.includes('warning key-spelling')));
  });

  test('src_audio is checked next to the .song file', async () => {
    const io = fakeIO(path.parse(dir).root);
    assert.equal(await lint([path.join(dir, 'cover.song')], io), 1);
    assert.ok(io.stdout.some(l => l.includes('error file-not-found')));
  });

  test('--json: 0-based ranges per file', async () => {
    const io = fakeIO(dir);
    assert.equal(await lint(['bad.song', 'good.song', '--json'], io), 1);
    const report = JSON.parse(io.stdout.join(''));
    assert.equal(report.length, 2);
    assert.equal(report[0].file, 'bad.song');
    assert.deepEqual(report[1], { file: 'good.song', diagnostics: [] });
    const range = report[0].diagnostics.find((d: { code: string }) => d.code === 'out-of-range');
    assert.deepEqual(range, {
      severity: 'error', code: 'out-of-range', message: 'bpm must be at most 300 (got 400)',
      range: { start: { line: 2, character: 5 }, end: { line: 2, character: 8 } },
    });
  });

  test('--disable', async () => {
    const io = fakeIO(dir);
    assert.equal(await lint(['bad.song', '--disable', 'out-of-range,key-alias,duplicate-key'], io), 0);
    assert.deepEqual(io.stdout, []);
  });

  test('unreadable files: one-line error, exit 2', async () => {
    for (const name of ['nope.song', 'folder.song']) {
      const io = fakeIO(dir);
      assert.equal(await lint([name], io), 2);
      assert.equal(io.stderr.length, 1);
      assert.match(io.stderr[0], new RegExp(`cannot read ${name.replace('.', '\\.')}: `));
    }
    const io = fakeIO(dir);
    assert.equal(await lint(['nope.song', 'bad.song'], io), 2, 'unreadable wins over lint errors');
    assert.equal(await lint([], fakeIO(dir)), 2);
    assert.equal(await lint(['--bogus', 'a'], fakeIO(dir)), 2);
  });
});

describe('acestep-song estimate', () => {
  test('human output: a table and the total', async () => {
    const io = fakeIO(dir);
    assert.equal(await estimate(['good.song'], io), 0);
    assert.match(io.stdout[0], /^section\s+seconds\s+range$/);
    assert.ok(io.stdout.some(l => /^Verse 1 - aggressive\s+\d+\s+\d+–\d+$/.test(l)));
    assert.ok(io.stdout.some(l => /^≈ \d+:\d\d \(\d+:\d\d–\d+:\d\d\)$/.test(l)), io.stdout.join('\n'));
    assert.ok(io.stdout.includes('duration in the file: 1:00'));
  });

  test('--json', async () => {
    const io = fakeIO(dir);
    assert.equal(await estimate(['good.song', '--json'], io), 0);
    const e = JSON.parse(io.stdout.join(''));
    assert.deepEqual(Object.keys(e), ['seconds', 'min', 'max', 'sections']);
    assert.deepEqual(e.sections.map((s: { name: string }) => s.name), ['Intro - orchestral', 'Verse 1 - aggressive', 'Chorus - anthemic']);
    assert.deepEqual(Object.keys(e.sections[0]), ['name', 'seconds']);
  });

  test('errors: exit 2', async () => {
    const io = fakeIO(dir);
    assert.equal(await estimate(['nope.song'], io), 2);
    assert.equal(io.stderr.length, 1);
    assert.equal(await estimate([], fakeIO(dir)), 2);
    assert.equal(await estimate(['a.song', 'b.song'], fakeIO(dir)), 2);
  });

  test('registered in the acestep-song command map (the bundled CLI)', () => {
    // The bundle resolves the command map's dynamic imports; the file-by-file out/ tree does not.
    const cli = path.resolve('dist/cli.js');
    const r = spawnSync(process.execPath, [cli, 'estimate', 'good.song', '--json'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(JSON.parse(r.stdout).seconds >= 10);
    const l = spawnSync(process.execPath, [cli, 'lint', 'bad.song'], { cwd: dir, encoding: 'utf8' });
    assert.equal(l.status, 1, l.stderr);
    assert.match(l.stdout, /bad\.song:3:6 error out-of-range/);
  });
});

// Issue 12, case 11: a 52 MB song of short lines made 8.7 million diagnostics and ran out of memory.
describe('acestep-song lint on a huge song', () => {
  test('lists at most 1,000 diagnostics plus one that counts the rest, within a small heap', () => {
    const big = path.join(dir, 'huge.song');
    const lines = ['---', 'title: Huge', 'caption: rock', 'bpm: 400', '---', '[Verse]'];
    while (lines.length < 1_000_000) lines.push('la', 'oh no');
    lines.push('[Chorus', 'la');
    writeFileSync(big, lines.join('\n')); // about 5 MB
    const r = spawnSync(process.execPath, ['--max-old-space-size=320', path.resolve('dist/cli.js'), 'lint', '--json', 'huge.song'],
      { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(r.status, 1, `exit ${r.status} ${r.signal ?? ''}: ${r.stderr.slice(0, 500)}`); // bpm 400 is an error
    const [report] = JSON.parse(r.stdout) as { diagnostics: { code: string; severity: string; message: string }[]; notListed: Record<string, number> }[];
    assert.equal(report.diagnostics.length, 1001);
    assert.equal(report.diagnostics[0].code, 'more-diagnostics');
    // The unclosed tag near the end and the lyrics past 2,048 tokens (text-cut) are past the cap, so the summary is
    // a warning and says so.
    assert.equal(report.diagnostics[0].severity, 'warning');
    assert.equal(report.notListed.warning, 2);
    // One syllables hint per short line (999,995 of them); 999 are listed after the bpm error.
    assert.equal(report.notListed.information, 999_995 - 999);
    assert.match(report.diagnostics[0].message, /^\d+ more diagnostics are not listed \(only the first 1000 are\)/);
    assert.ok(report.diagnostics.some(d => d.code === 'out-of-range'), 'the error in the frontmatter is listed');
    // The text form counts what is not listed too.
    const t = spawnSync(process.execPath, ['--max-old-space-size=320', path.resolve('dist/cli.js'), 'lint', 'huge.song'],
      { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(t.stdout.trim().split('\n').length, 1001);
    assert.match(t.stderr, /^1 error, \d+ warnings?$/m);
  });
});
