// The CLI's server-control scenarios, written once and run twice: against a real Docker engine with the compose
// it has (test/docker/cli-engine.test.ts: Debian's docker-compose v1) and against the fake docker, compose v2
// (test/unit/server/cli-scenarios-fake.test.ts). A backend gives a compose folder shaped like the wrapper's
// (service `acestep`, env_file: .env, ports from GRADIO_PORT / API_PORT, ACESTEP_MODE picks the server), whose
// container runs the test ACE-Step server in the mode's flavour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { CliIO } from '../../src/cli/io';
import { run as runMode } from '../../src/cli/mode';
import { run as runServer } from '../../src/cli/server';

export interface ScenarioFolder {
  dir: string;
  gradioPort: number;
  apiPort: number;
  /** The environment the CLI runs with. */
  env: Record<string, string | undefined>;
  cleanup(): Promise<void>;
}

export interface Backend {
  /** Named in every test title, e.g. "real engine, compose 1.29.2". */
  name: string;
  /** Why the scenarios cannot run here (they are skipped with this reason), if so. */
  skip?: string;
  /** A new compose folder; `envLines` go at the end of its .env. */
  folder(mode: 'api' | 'gradio', envLines?: string[]): Promise<ScenarioFolder>;
  /** Makes the engine unreachable for this folder's CLI runs. */
  engineDown(f: ScenarioFolder): void;
}

type Io = CliIO & { stdout: string[]; stderr: string[]; text(): string };

function io(f: ScenarioFolder): Io {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: t => stdout.push(t), err: t => stderr.push(t), env: f.env, cwd: f.dir, text: () => [...stdout, ...stderr].join('\n') };
}

async function cli(f: ScenarioFolder, which: 'mode' | 'server', args: string[]): Promise<{ code: number; io: Io }> {
  const i = io(f);
  const code = await (which === 'mode' ? runMode : runServer)(args, i);
  return { code, io: i };
}

async function health(port: number): Promise<{ service?: string }> {
  const r = await fetch(`http://127.0.0.1:${port}/health`);
  return ((await r.json()) as { data: { service?: string } }).data;
}

/** Defines the scenarios as node:test tests. */
export function cliScenarios(b: Backend): void {
  const opts = { skip: b.skip ?? false, timeout: 180_000 };
  const withFolder = (mode: 'api' | 'gradio', envLines: string[], body: (f: ScenarioFolder) => Promise<void>) => async () => {
    const f = await b.folder(mode, envLines);
    try { await body(f); } finally { await f.cleanup(); }
  };

  test(`${b.name}: mode api and back with health waits; status, stop, start`, opts, withFolder('gradio', [], async f => {
    const api = await cli(f, 'mode', ['api', '--timeout', '60']);
    assert.equal(api.code, 0, api.io.text());
    assert.match(api.io.stdout.join('\n'), new RegExp(`^API mode ready on :${f.apiPort} `));
    assert.equal((await health(f.apiPort)).service, 'ACE-Step API');
    const s1 = await cli(f, 'server', ['status']);
    assert.equal(s1.code, 0, s1.io.text());
    assert.match(s1.io.stdout.join('\n'), /state: up\nconfigured mode: api\nrunning mode: api\ncontainer: running\n/);

    const gradio = await cli(f, 'mode', ['gradio', '--timeout', '60']);
    assert.equal(gradio.code, 0, gradio.io.text());
    assert.match(gradio.io.stdout.join('\n'), new RegExp(`^Gradio mode ready on :${f.gradioPort} `));
    assert.equal((await health(f.gradioPort)).service, 'ACE-Step Gradio API');
    await assert.rejects(health(f.apiPort), 'the API server went with the old container');
    const s2 = await cli(f, 'server', ['status']);
    assert.match(s2.io.stdout.join('\n'), /state: up\nconfigured mode: gradio\nrunning mode: gradio\ncontainer: running\n/);

    const stop = await cli(f, 'server', ['stop']);
    assert.equal(stop.code, 0, stop.io.text());
    const s3 = await cli(f, 'server', ['status', '--json']);
    assert.equal(s3.code, 3);
    const json = JSON.parse(s3.io.stdout.join('\n')) as { state: string; container: string };
    assert.deepEqual([json.state, json.container], ['down', 'exited']);

    const start = await cli(f, 'server', ['start', '--timeout', '60']);
    assert.equal(start.code, 0, start.io.text());
    assert.match(start.io.stdout.join('\n'), /^Gradio mode ready/);
  }));

  test(`${b.name}: a container that exits at start ends the wait with its last log lines`, opts, withFolder('gradio', ['ACESTEP_TEST_CRASH=1'], async f => {
    const t0 = Date.now();
    const r = await cli(f, 'mode', ['api', '--timeout', '60']);
    assert.equal(r.code, 1, r.io.text());
    assert.ok(Date.now() - t0 < 45_000, `took ${Date.now() - t0} ms`);
    assert.match(r.io.stderr.join('\n'), /container stopped before the server answered/);
    // Quoted in the message itself, even when a restart policy has already begun the next start.
    assert.match(r.io.stderr.join('\n'), /Its last words: torch\.OutOfMemoryError: CUDA out of memory/);
  }));

  test(`${b.name}: a host port already taken is named`, opts, withFolder('gradio', [], async f => {
    const blocker = net.createServer();
    await new Promise<void>((resolve, reject) => { blocker.once('error', reject); blocker.listen(f.apiPort, '0.0.0.0', resolve); });
    try {
      const r = await cli(f, 'mode', ['api', '--timeout', '60']);
      assert.equal(r.code, 1, r.io.text());
      assert.match(r.io.stderr.join('\n'), new RegExp(`Port ${f.apiPort} on this computer is already in use`));
    } finally {
      await new Promise(resolve => blocker.close(resolve));
    }
  }));

  test(`${b.name}: an empty ACESTEP_API_KEY= locks the API server, and the start says so`, opts, withFolder('gradio', ['ACESTEP_API_KEY='], async f => {
    const r = await cli(f, 'mode', ['api', '--timeout', '60']);
    assert.equal(r.code, 0, r.io.text());
    assert.match(r.io.stderr.join('\n'), /ACESTEP_API_KEY= is empty in \.env/);
    const job = await fetch(`http://127.0.0.1:${f.apiPort}/release_task`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer any-key' }, body: '{"prompt":"x"}',
    });
    assert.equal(job.status, 401, 'every key is refused');
    // Gradio ignores ACESTEP_API_KEY: no warning there.
    const g = await cli(f, 'mode', ['gradio', '--timeout', '60']);
    assert.equal(g.code, 0, g.io.text());
    assert.doesNotMatch(g.io.stderr.join('\n'), /ACESTEP_API_KEY/);
  }));

  test(`${b.name}: an engine that does not answer is named, and status still reads the files`, opts, withFolder('gradio', [], async f => {
    b.engineDown(f);
    const r = await cli(f, 'mode', ['api', '--timeout', '60']);
    assert.equal(r.code, 1, r.io.text());
    assert.match(r.io.stderr.join('\n'), /The Docker engine is not running/);
    const s = await cli(f, 'server', ['status']);
    assert.equal(s.code, 3, s.io.text());
    assert.match(s.io.stdout.join('\n'), /state: (?:down|unknown)\nconfigured mode: api\n/);
  }));

  test(`${b.name}: .env edited while the container runs: status names the mismatch, start recreates`, opts, withFolder('gradio', [], async f => {
    const api = await cli(f, 'mode', ['api', '--timeout', '60']);
    assert.equal(api.code, 0, api.io.text());
    const envFile = path.join(f.dir, '.env');
    writeFileSync(envFile, readFileSync(envFile, 'utf8').replace('ACESTEP_MODE=api', 'ACESTEP_MODE=gradio'));
    const s = await cli(f, 'server', ['status']);
    assert.equal(s.code, 0, s.io.text());
    assert.match(s.io.stdout.join('\n'), /configured mode: gradio\nrunning mode: api\ncontainer: running/);
    assert.match(s.io.stderr.join('\n'), /recreate the container to switch/);
    const start = await cli(f, 'server', ['start', '--timeout', '60']);
    assert.equal(start.code, 0, start.io.text());
    assert.match(start.io.stdout.join('\n'), new RegExp(`^Gradio mode ready on :${f.gradioPort} `));
  }));
}
