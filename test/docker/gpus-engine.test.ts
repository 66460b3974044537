// A setup for two GPUs, written by the template, on a real Docker engine (the one test/docker/engine.mjs prepared;
// Debian's docker-compose v1). The engine has no NVIDIA runtime, and an engine without it refuses a service that
// reserves a GPU ("could not select device driver"), so the project is written with reserveGpus: false; the
// container runs the test image's stand-ins for ACE-Step through the generated entrypoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { CliIO } from '../../src/cli/io';
import { run as runMode } from '../../src/cli/mode';
import { run as runServer } from '../../src/cli/server';
import { createMultiGpuSetup, portsForService } from '../../src/core/server/setup-gpus';
import { composeDown, engineInfo, freePorts } from './engine-env';

const engine = engineInfo();

function io(dir: string): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const env = { ...process.env, ACESTEP_COMPOSE_DIR: undefined, ACESTEP_DOCKER: undefined };
  return { stdout, stderr, out: t => stdout.push(t), err: t => stderr.push(t), env, cwd: dir };
}

test('real engine: two GPU services from the template; one switches mode while the other keeps running', { skip: typeof engine === 'string' ? engine : false, timeout: 180_000 }, async () => {
  if (typeof engine === 'string') return;
  const dir = mkdtempSync(path.join(tmpdir(), 'acestep-gpus-'));
  try {
    // The second service's ports are the first's plus 10: look for a pair whose +10 is free too.
    const [g, a] = await freePorts(2) as [number, number];
    const first = { gradio: g, api: a };
    const files = createMultiGpuSetup({
      source: 'image', image: engine.image, lmBackend: 'pt', reserveGpus: false,
      services: [0, 1].map(i => ({ gpu: String(i), mode: 'api' as const, ports: portsForService(first, i), ditModel: 'acestep-v15-turbo', lmModel: 'acestep-5Hz-lm-0.6B', initLlm: 'false' as const })),
    });
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text, { mode: name.endsWith('.sh') ? 0o755 : 0o644 });
    mkdirSync(path.join(dir, 'inputs'));
    for (const service of ['acestep-gpu0', 'acestep-gpu1']) {
      const s = io(dir);
      assert.equal(await runServer(['start', '--service', service, '--timeout', '60'], s), 0, [...s.stdout, ...s.stderr].join('\n'));
    }
    const id0 = (): string => spawnSync(engine.composeArgv[0]!, [...engine.composeArgv.slice(1), 'ps', '-q', 'acestep-gpu0'], { cwd: dir, encoding: 'utf8' }).stdout.trim();
    const before = id0();
    assert.ok(before, 'gpu0 runs');
    const m = io(dir);
    assert.equal(await runMode(['gradio', '--service', 'acestep-gpu1', '--timeout', '60'], m), 0, [...m.stdout, ...m.stderr].join('\n'));
    assert.match(m.stdout.join('\n'), new RegExp(`^Gradio mode ready on :${g + 10} `));
    assert.match(readFileSync(path.join(dir, '.env'), 'utf8'), /^ACESTEP_MODE_GPU1=gradio$/m);
    assert.equal(id0(), before, 'gpu0\'s container was not recreated');
    const r = await fetch(`http://127.0.0.1:${a}/health`);
    assert.equal(((await r.json()) as { data: { service: string } }).data.service, 'ACE-Step API', 'gpu0 still answers in API mode');
    const st = io(dir);
    assert.equal(await runServer(['status'], st), 0, [...st.stdout, ...st.stderr].join('\n'));
    assert.deepEqual(st.stdout, [
      `acestep-gpu0: up, api mode, container running, http://localhost:${a}`,
      `acestep-gpu1: up, gradio mode, container running, http://localhost:${g + 10}`,
    ]);
  } finally {
    composeDown(engine, dir);
  }
});
