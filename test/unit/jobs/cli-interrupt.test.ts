// Issue 12 case 12: Ctrl-C during a download, once or twice, leaves no temporary file behind; a rerun removes the
// stale temporary files of its own song and nothing else. A real `acestep-song` process (dist/cli.js) against
// the test server, with a slow download.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fake, listFiles, sleep, tempDir, until } from '../api/helpers';

const SONG = ['---', 'title: Slow Burn', 'caption: drone', 'duration: 30', 'batch_size: 2', '---', '[Verse]', 'la', ''].join('\n');
const CLI = path.resolve('dist/cli.js');

function runCli(args: string[], cwd: string) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ACESTEP_URL: '' } });
  let stderr = '';
  child.stderr.on('data', d => { stderr += String(d); });
  child.stdout.on('data', () => undefined);
  // A shell reports 130 both for exit(130) and for a death by SIGINT (a Ctrl-C after the run had cleaned up).
  const exited = new Promise<number | null>(resolve => child.on('exit', (code, signal) => resolve(signal === 'SIGINT' ? 130 : code)));
  return { child, exited, stderr: () => stderr };
}

const temps = (dir: string) => listFiles(dir).filter(f => /\.part$|\.tmp$/.test(f));

describe('acestep-song generate and Ctrl-C', () => {
  const cases = [
    { name: 'Ctrl-C once', signals: ['SIGINT'], code: 130 },
    { name: 'Ctrl-C twice', signals: ['SIGINT', 'SIGINT'], code: 130 },
    { name: 'SIGTERM', signals: ['SIGTERM'], code: 143 },
  ] as const;
  for (const c of cases) {
    test(`${c.name} during a download: the process ends and no .part file is left`, async t => {
      const dir = tempDir(t);
      writeFileSync(path.join(dir, 'slow.song'), SONG);
      const server = await fake(t, { flavour: 'S', generationMs: 100, audioBytes: 4 * 1024 * 1024, downloadChunkDelayMs: 50 });
      const run = runCli(['generate', 'slow.song', '--server', server.url, '--out', 'takes'], dir);
      t.after(() => { if (run.child.exitCode === null) run.child.kill('SIGKILL'); });
      const takes = path.join(dir, 'takes');
      await until('a .part file', () => temps(takes).length >= 1, 15_000);
      for (const [i, sig] of c.signals.entries()) {
        if (i > 0) await sleep(5);
        run.child.kill(sig);
      }
      const code = await run.exited;
      assert.deepEqual(temps(takes), [], run.stderr());
      assert.equal(code, c.code, run.stderr());
    });
  }

  test('a rerun removes the stale temporary files of its own song, never a fresh one nor anyone else\'s', async t => {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, 'slow.song'), SONG);
    const takes = path.join(dir, 'takes');
    mkdirSync(takes);
    const old = new Date(Date.now() - 60 * 60_000);
    const stale = ['slow-burn_2026-01-05_1200_take1.mp3.part', '.slow-burn_2026-01-05_1200_take1.json.4242.0a1b2c3d.tmp'];
    const keep = ['slow-burn-remix_2026-01-05_1200_take1.mp3.part', 'notes.part', 'slow-burn_2026-01-05_1200_take1.mp3.part.bak', 'my.slow-burn_2026-01-05_1200_take2.mp3.part'];
    for (const f of [...stale, ...keep]) {
      writeFileSync(path.join(takes, f), 'x');
      utimesSync(path.join(takes, f), old, old);
    }
    const fresh = 'slow-burn_2026-01-05_1201_take1.mp3.part';
    writeFileSync(path.join(takes, fresh), 'x');
    const server = await fake(t, { flavour: 'S', generationMs: 100 });
    const run = runCli(['generate', 'slow.song', '--server', server.url, '--out', 'takes'], dir);
    assert.equal(await run.exited, 0, run.stderr());
    const left = listFiles(takes);
    for (const f of stale) assert.ok(!left.includes(f), `${f} is still there`);
    for (const f of [...keep, fresh]) assert.ok(left.includes(f), `${f} was removed`);
    assert.match(run.stderr(), /removed 2 stale temporary file/);
  });
});
