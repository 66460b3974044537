// `acestep-song mode` and `acestep-song server` against the fake docker (and, when it is built, the fake
// ACE-Step server it starts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CliIO } from '../../../src/cli/io';
import { run as runMode } from '../../../src/cli/mode';
import { run as runServer } from '../../../src/cli/server';
import { FAKE_DOCKER, freePort, hasFakeServer, sandbox, WRAPPER_COMPOSE, type Sandbox } from './helpers';

function io(box: Sandbox, extraEnv: Record<string, string | undefined> = {}): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: t => stdout.push(t), err: t => stderr.push(t), env: { ...box.env, ...extraEnv }, cwd: box.dir };
}

async function wrapperBox(mode: 'gradio' | 'api', state: Record<string, unknown> = {}): Promise<Sandbox & { gradioPort: number; apiPort: number; envText: string }> {
  const gradioPort = await freePort();
  const apiPort = await freePort();
  const envText = `# ports\r\nGRADIO_PORT=${gradioPort}\r\nAPI_PORT=${apiPort}\r\n\r\n# === Mode ===\r\nACESTEP_MODE=${mode}\r\n#ACESTEP_MODE=api\r\n`;
  return Object.assign(sandbox({ 'docker-compose.yml': WRAPPER_COMPOSE, '.env': envText }, state), { gradioPort, apiPort, envText });
}

test('mode api, status, mode gradio, stop: the whole round with the fake server', { skip: !hasFakeServer && 'out/test/server/fake-acestep-cli.js is not built' }, async () => {
  const box = await wrapperBox('gradio');
  try {
    const a = io(box);
    assert.equal(await runMode(['api', '--timeout', '60'], a), 0, a.stderr.join('\n'));
    assert.match(a.stdout.join('\n'), new RegExp(`^API mode ready on :${box.apiPort} \\(http://localhost:${box.apiPort}\\)$`));
    assert.equal(readFileSync(path.join(box.dir, '.env'), 'utf8'), box.envText.replace('ACESTEP_MODE=gradio\r\n', 'ACESTEP_MODE=api\r\n'));
    const up = box.calls().find(c => c.argv.includes('up'))!;
    assert.deepEqual(up.argv, ['compose', 'up', '-d', '--force-recreate', 'acestep']);
    assert.equal(up.cwd, box.dir);
    assert.ok(a.stderr.some(l => /Starting container|Recreating/.test(l)), 'progress was shown');

    const s = io(box);
    assert.equal(await runServer(['status'], s), 0, s.stderr.join('\n'));
    assert.match(s.stdout.join('\n'), /state: up\nconfigured mode: api\nrunning mode: api\ncontainer: running\nurl: http:\/\/localhost:\d+\nservice: ACE-Step API/);

    const g = io(box);
    assert.equal(await runMode(['gradio', '--compose-dir', box.dir], g), 0, g.stderr.join('\n'));
    assert.match(g.stdout.join('\n'), new RegExp(`Gradio mode ready on :${box.gradioPort}`));

    const st = io(box);
    assert.equal(await runServer(['stop'], st), 0, st.stderr.join('\n'));
    assert.deepEqual(st.stdout, ['Server stopped.']);
    const s2 = io(box);
    assert.equal(await runServer(['status', '--json'], s2), 3);
    const json = JSON.parse(s2.stdout.join('\n')) as { state: string; container: string; configuredMode: string };
    assert.deepEqual([json.state, json.container, json.configuredMode], ['down', 'exited', 'gradio']);

    const start = io(box);
    assert.equal(await runServer(['start'], start), 0, start.stderr.join('\n'));
    assert.match(start.stdout.join('\n'), /Gradio mode ready/);
  } finally {
    box.cleanup();
  }
});

test('mode --no-wait returns once the container is up', async () => {
  const box = await wrapperBox('gradio', { healthNever: true });
  try {
    const a = io(box);
    assert.equal(await runMode(['api', '--no-wait'], a), 0, a.stderr.join('\n'));
    assert.match(a.stdout.join('\n'), new RegExp(`API mode starting on :${box.apiPort}.*not waiting`));
  } finally {
    box.cleanup();
  }
});

test('a server that never answers ends in a timeout that says so', async () => {
  const box = await wrapperBox('api', { healthNever: true });
  try {
    const a = io(box);
    assert.equal(await runServer(['start', '--timeout', '1.5'], a), 1);
    assert.match(a.stderr.join('\n'), /did not answer http:\/\/localhost:\d+\/health within 2 s/);
  } finally {
    box.cleanup();
  }
});

test('a container that crashes ends the wait early with its last log lines', async () => {
  const box = await wrapperBox('gradio', { crashOnStart: true });
  try {
    const a = io(box);
    const t0 = Date.now();
    assert.equal(await runMode(['api'], a), 1);
    assert.ok(Date.now() - t0 < 20_000);
    const err = a.stderr.join('\n');
    assert.match(err, /container stopped before the server answered/);
    assert.match(err, /CUDA out of memory/);
  } finally {
    box.cleanup();
  }
});

test('docker problems come out as a message and a next step', async () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ nvidiaError: true }, /NVIDIA Container Toolkit/],
    [{ engineDown: true }, /Docker engine is not running/],
    [{ missingCompose: true }, /Docker Compose is not/],
    [{ portInUse: true }, /Port \d+ on this computer is already in use/],
  ];
  for (const [state, expected] of cases) {
    const box = await wrapperBox('gradio', state);
    try {
      const a = io(box);
      assert.equal(await runMode(['api'], a), 1, JSON.stringify(state));
      assert.match(a.stderr.join('\n'), expected);
    } finally {
      box.cleanup();
    }
  }
});

test('a compose file that sets ACESTEP_MODE itself (or ignores .env) is named before anything restarts', async () => {
  const pinned = WRAPPER_COMPOSE.replace('    restart:', '    environment:\n      - ACESTEP_MODE=gradio\n    restart:');
  const noEnvFile = WRAPPER_COMPOSE.replace('    env_file:\n      - .env\n', '');
  for (const [compose, expected] of [[pinned, /sets ACESTEP_MODE=gradio for the container itself/], [noEnvFile, /does not pass \.env/]] as const) {
    const box = await wrapperBox('gradio');
    try {
      writeFileSync(path.join(box.dir, 'docker-compose.yml'), compose);
      const a = io(box);
      assert.equal(await runMode(['api'], a), 1);
      assert.match(a.stderr.join('\n'), expected);
      assert.ok(!box.calls().some(c => c.argv.includes('up')), 'no container was recreated');
    } finally {
      box.cleanup();
    }
  }
});

test('no compose file: nothing runs and .env is not touched', async () => {
  const box = await wrapperBox('gradio');
  try {
    rmSync(path.join(box.dir, 'docker-compose.yml'));
    const a = io(box);
    assert.equal(await runMode(['api'], a), 1);
    assert.match(a.stderr.join('\n'), /No compose file was found in/);
    assert.equal(readFileSync(path.join(box.dir, '.env'), 'utf8'), box.envText);
    assert.deepEqual(box.calls(), []);
  } finally {
    box.cleanup();
  }
});

test('docker missing from PATH; ACESTEP_DOCKER names it', async () => {
  const box = await wrapperBox('gradio', { healthNever: true });
  try {
    const noPath = io(box, { PATH: box.nodeOnlyPath });
    assert.equal(await runServer(['start', '--no-wait'], noPath), 1);
    assert.match(noPath.stderr.join('\n'), /Docker was not found/);
    const named = io(box, { PATH: box.nodeOnlyPath, ACESTEP_DOCKER: FAKE_DOCKER });
    assert.equal(await runServer(['start', '--no-wait'], named), 0, named.stderr.join('\n'));
  } finally {
    box.cleanup();
  }
});

test('usage errors exit 2', async () => {
  const box = await wrapperBox('gradio');
  try {
    for (const args of [[], ['both'], ['api', 'extra'], ['api', '--bogus'], ['api', '--timeout', 'x']]) {
      assert.equal(await runMode(args, io(box)), 2, JSON.stringify(args));
    }
    for (const args of [[], ['restart'], ['start', 'now']]) assert.equal(await runServer(args, io(box)), 2, JSON.stringify(args));
    const h = io(box);
    assert.equal(await runServer(['--help'], h), 0);
    assert.match(h.stdout[0]!, /usage: acestep-song server/);
  } finally {
    box.cleanup();
  }
});
