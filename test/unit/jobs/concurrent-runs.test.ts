// Two runs of one song finishing together (two CLI processes here; the editor and the CLI are the same case):
// each claims its own take names and temp files, nothing is overwritten, both succeed with their own audio.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fake, listFiles, tempDir } from '../api/helpers';

const CLI = path.resolve(__dirname, '../../../src/cli.js');

const SONG = ['---', 'title: Twin Runs', 'caption: ambient drone', 'duration: 30', 'batch_size: 2', '---', '[Verse]', 'Two at once', ''].join('\n');

function runCli(args: string[], cwd: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', d => { out += d; });
    child.stderr.on('data', d => { err += d; });
    child.on('close', code => resolve({ code, out, err }));
  });
}

describe('two runs of one song at once', () => {
  test('two CLI runs whose jobs finish together: both succeed, each take is its own and complete', { timeout: 60_000 }, async t => {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, 'twin.song'), SONG);
    // Both jobs end at the same moment and every download waits a little, so the two runs claim names and
    // write their takes into one folder at the same time.
    const server = await fake(t, { flavour: 'S', workers: 2, generationMs: 100, finishAt: Date.now() + 2_500, downloadDelayMs: 500, audioBytes: 300_000 });
    const [a, b] = await Promise.all([
      runCli(['generate', 'twin.song', '--server', server.url, '--json'], dir),
      runCli(['generate', 'twin.song', '--server', server.url, '--json'], dir),
    ]);
    assert.equal(a.code, 0, a.err);
    assert.equal(b.code, 0, b.err);
    const results = [JSON.parse(a.out), JSON.parse(b.out)];
    assert.notEqual(results[0].task_id, results[1].task_id);
    const files = results.flatMap(r => r.files as string[]);
    assert.equal(files.length, 4);
    assert.equal(new Set(files).size, 4, `takes share a name: ${files.join(', ')}`);
    for (const r of results) {
      for (const sidecar of r.sidecars as string[]) {
        const side = JSON.parse(readFileSync(sidecar, 'utf8'));
        assert.equal(side.task_id, r.task_id);
        const audio = path.join(path.dirname(sidecar), side.file);
        assert.ok(r.files.includes(audio), `${audio} is not one of this run's files`);
        const job = server.jobs.find(j => j.id === r.task_id)!;
        const expected = server.expectedBytes(job.files[side.index]);
        assert.ok(readFileSync(audio).equals(expected), `${path.basename(audio)} is not the audio of its own job's take ${side.index}`);
      }
    }
    const left = listFiles(path.join(dir, 'acestep-output', 'twin'));
    assert.equal(left.length, 8, left.join(', '));
    assert.ok(left.every(n => /_take\d+\.(mp3|json)$/.test(n)), left.join(', '));
  });
});
