// Issue 12 case 13: a failed download names a command that exists, and that command fetches the takes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { run as download } from '../../../src/cli/download';
import { run as generate } from '../../../src/cli/generate';
import { cliIO as io } from './cli-io';
import { fake, listFiles, tempDir } from '../api/helpers';

const SONG = ['---', 'title: Second Chance', 'caption: lo-fi', 'duration: 30', 'batch_size: 2', '---', '[Verse]', 'la', ''].join('\n');


/** The words of a command line as a shell splits them (plain words and single quotes). */
const shellWords = (line: string): string[] => [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map(m => m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!);

describe('acestep-song download', () => {
  test('a failed download names the download command; running it fetches the takes with sidecars', async t => {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, 'chance.song'), SONG);
    const server = await fake(t, { flavour: 'S', generationMs: 150, apiKey: 'dl-key-1234', cutDownloadAt: { bytes: 1000, always: true } });
    const env = { ACESTEP_API_KEY: 'dl-key-1234' };
    const g = io(dir, env);
    assert.equal(await generate(['chance.song', '--server', server.url, '--out', 'my takes'], g.cli), 1, g.all());
    const said = g.err.join('\n');
    assert.match(said, /result is kept/);
    const line = /fetch them with (acestep-song download .*)$/m.exec(said)?.[1];
    assert.ok(line, said);
    const [, sub, ...args] = shellWords(line);
    assert.equal(sub, 'download');
    assert.equal(args[0], server.jobs[0].id);

    await server.setOptions({ cutDownloadAt: null });
    const d = io(dir, env);
    assert.equal(await download([...args, '--json'], d.cli), 0, d.all());
    const res = JSON.parse(d.out.join('\n'));
    assert.equal(res.status, 'succeeded');
    assert.equal(res.task_id, server.jobs[0].id);
    assert.equal(res.files.length, 2);
    assert.ok(res.files.every((f: string) => f.startsWith(path.join(dir, 'my takes') + path.sep)), res.files.join('\n'));
    const side = JSON.parse(readFileSync(res.sidecars[0], 'utf8'));
    assert.equal(side.task_id, server.jobs[0].id);
    assert.equal(side.server.url, server.url);
    assert.deepEqual(listFiles(path.join(dir, 'my takes')).filter(f => /\.part$|\.tmp$/.test(f)), []);
  });

  test('a task the server does not know: exit 1 at once, with the reason; usage errors exit 2', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'S' });
    const r = io(dir);
    assert.equal(await download(['no-such-task', '--server', server.url], r.cli), 1);
    assert.match(r.err.join('\n'), /does not know task no-such-task/);
    assert.deepEqual(listFiles(dir), []);
    assert.equal(await download([], io(dir).cli), 2);
    assert.equal(await download(['a', 'b'], io(dir).cli), 2);
    const h = io(dir);
    assert.equal(await download(['--help'], h.cli), 0);
    assert.match(h.out.join('\n'), /--out DIR[\s\S]*example:/);
  });

  test('no progress from the server: past the expected time the CLI says "waiting for the server", not "about 0:01 left"', async t => {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, 'chance.song'), SONG);
    writeFileSync(path.join(dir, 'quick.song'), SONG.replace('batch_size: 2', 'batch_size: 1'));
    // W reports no progress. A quick job first sets the server's average job time (0.3 s); the next takes 2.5 s.
    const server = await fake(t, { flavour: 'W', generationMs: p => (Number(p.batch_size) === 1 ? 300 : 2_500) });
    assert.equal(await generate(['quick.song', '--server', server.url], io(dir).cli), 0);
    const g = io(dir);
    assert.equal(await generate(['chance.song', '--server', server.url], g.cli), 0, g.all());
    const lines = g.err.filter(l => /generating/.test(l));
    const waiting = lines.findIndex(l => /waiting for the server/.test(l));
    assert.ok(waiting > 0, lines.join('\n'));
    assert.ok(lines.slice(waiting).every(l => !/left/.test(l)), lines.join('\n'));
  });
});
