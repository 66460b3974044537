// Issue 15 item 10: the CLI speaks to a terminal user. No setup here: `server status` says so (no invented
// mode, no port complaint) and how to point at one; start and mode name --compose-dir; every subcommand's --help
// gives its options, their defaults and an example; a failed job is said once.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import type { CliIO } from '../../../src/cli/io';
import { run as runMode } from '../../../src/cli/mode';
import { run as runServer } from '../../../src/cli/server';
import { freePort, sandbox, type Sandbox } from './helpers';
import { tempDir } from '../api/helpers';

function io(box: Pick<Sandbox, 'dir' | 'env'>): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: t => stdout.push(t), err: t => stderr.push(t), env: { ...box.env }, cwd: box.dir };
}

describe('the CLI in a folder without a Docker setup', () => {
  test('server status: no invented mode, no port complaint; how to point at a setup; exit 3', async () => {
    const box = sandbox({});
    try {
      const s = io(box);
      assert.equal(await runServer(['status'], s), 3);
      const all = [...s.stdout, ...s.stderr].join('\n');
      assert.doesNotMatch(all, /configured mode|gradio|does not publish/i, all);
      assert.match(all, /no Docker setup here/);
      assert.match(all, /--compose-dir/);
      assert.deepEqual(box.calls(), [], 'docker was not asked');
      const j = io(box);
      assert.equal(await runServer(['status', '--json'], j), 3);
      assert.equal(JSON.parse(j.stdout.join('\n')).state, 'no-setup');
    } finally {
      box.cleanup();
    }
  });

  test('server start and mode name --compose-dir, not the extension', async () => {
    const box = sandbox({});
    try {
      for (const [run, args] of [[runServer, ['start']], [runMode, ['api']]] as const) {
        const r = io(box);
        assert.equal(await run([...args], r), 1);
        const all = r.stderr.join('\n');
        assert.match(all, /--compose-dir/, all);
        assert.doesNotMatch(all, /extension|ACE-Step: Create/, all);
      }
    } finally {
      box.cleanup();
    }
  });
});

test('every subcommand\'s --help gives its options, their defaults and an example', async t => {
  const dir = tempDir(t);
  for (const name of ['lint', 'estimate', 'mode', 'server', 'generate', 'status', 'download']) {
    const r = io({ dir, env: {} });
    assert.equal(await main([name, '--help'], r), 0, name);
    const help = r.stdout.join('\n');
    assert.match(help, /^usage: acestep-song /, name);
    assert.match(help, /\nexamples?:\n {2}acestep-song /, `${name}: an example`);
    const options = [...help.split('\n')[0]!.matchAll(/--[a-z-]+/g)].map(m => m[0]);
    for (const o of options) assert.match(help, new RegExp(`\\n {2}${o}\\b`), `${name}: ${o} is explained`);
    for (const o of options.filter(x => ['--server', '--out', '--compose-dir', '--timeout', '--disable'].includes(x))) {
      assert.match(help, new RegExp(`\\n {2}${o}\\b[^\\n]*default`), `${name}: the default of ${o}`);
    }
  }
  const top = io({ dir, env: {} });
  assert.equal(await main(['--help'], top), 0);
  assert.match(top.stderr.join('\n'), /download/);
});

test('an unreachable server: the failure is said once', async t => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, 'x.song'), '---\ntitle: X\ncaption: y\nduration: 30\n---\n[Verse]\nla\n');
  const r = io({ dir, env: {} });
  assert.equal(await main(['generate', 'x.song', '--server', `http://127.0.0.1:${await freePort()}`], r), 1);
  const failed = r.stderr.filter(l => /failed/.test(l));
  assert.equal(failed.length, 1, r.stderr.join('\n'));
});
