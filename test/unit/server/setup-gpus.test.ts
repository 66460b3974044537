// The setup for several GPUs: its files, each service's mode key in .env, compose argv per service, the profiles
// it writes, and the CLI switching one service's mode while the other keeps running (fake docker, compose v2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { CliIO } from '../../../src/cli/io';
import { run as runMode } from '../../../src/cli/mode';
import { run as runServer } from '../../../src/cli/server';
import { composeLogsArgv, composeStopArgv, composeUpArgv, pluginCompose } from '../../../src/core/server/compose';
import { readConfiguredMode, writeConfiguredMode } from '../../../src/core/server/control';
import { resolvePorts } from '../../../src/core/server/ports';
import { acestepServicesIn, configuredModeOf, modeKeyOf } from '../../../src/core/server/services';
import {
  createMultiGpuSetup, portsForService, profilesForSetup, profilesWithServiceUrl, type GpuServiceOptions, type MultiGpuSetupOptions,
} from '../../../src/core/server/setup-gpus';
import { readProfiles } from '../../../src/core/servers/profiles';
import { freePort, hasFakeServer, sandbox, WRAPPER_COMPOSE } from './helpers';

function options(ports: Array<{ gradio: number; api: number }> = [portsForService({ gradio: 8500, api: 8501 }, 0), portsForService({ gradio: 8500, api: 8501 }, 1)], extra: Partial<MultiGpuSetupOptions> = {}): MultiGpuSetupOptions {
  const services: GpuServiceOptions[] = [
    { gpu: '0', label: 'NVIDIA GeForce RTX 4090, 24 GB', mode: 'api', ports: ports[0]!, ditModel: 'acestep-v15-turbo', lmModel: 'acestep-5Hz-lm-4B', initLlm: 'auto' },
    { gpu: '1', label: 'NVIDIA GeForce RTX 5070 Ti, 16 GB', mode: 'gradio', ports: ports[1]!, ditModel: 'acestep-v15-turbo', lmModel: 'acestep-5Hz-lm-1.7B', initLlm: 'auto' },
  ];
  return { source: 'image', image: 'acestep:test', lmBackend: 'vllm', services, ...extra };
}

type Svc = { environment: Record<string, string>; ports: string[]; deploy?: { resources: { reservations: { devices: Array<{ device_ids: string[] }> } } } };

test('two GPUs: two services, each with its GPU, ports, models and mode key; .env round-trips through the services reader', () => {
  const files = createMultiGpuSetup(options());
  const doc = parseYaml(files['docker-compose.yml']) as { services: Record<string, Svc> };
  assert.deepEqual(Object.keys(doc.services), ['acestep-gpu0', 'acestep-gpu1']);
  assert.deepEqual(acestepServicesIn(files['docker-compose.yml']), ['acestep-gpu0', 'acestep-gpu1']);
  assert.deepEqual(doc.services['acestep-gpu1']!.deploy!.resources.reservations.devices[0]!.device_ids, ['1']);
  assert.deepEqual(doc.services['acestep-gpu1']!.ports, ['${GRADIO_PORT_GPU1:-8510}:7860', '${API_PORT_GPU1:-8511}:8001']);
  assert.equal(doc.services['acestep-gpu0']!.environment.ACESTEP_LM_MODEL_PATH, '${ACESTEP_LM_MODEL_PATH_GPU0:-acestep-5Hz-lm-4B}');
  assert.equal(modeKeyOf(files['docker-compose.yml'], 'acestep-gpu1'), 'ACESTEP_MODE_GPU1');
  assert.equal(configuredModeOf(files['docker-compose.yml'], files['.env'], 'acestep-gpu0'), 'api');
  assert.equal(configuredModeOf(files['docker-compose.yml'], files['.env'], 'acestep-gpu1'), 'gradio');
  assert.match(files['.env'], /^ACESTEP_LM_MODEL_PATH_GPU1=acestep-5Hz-lm-1\.7B$/m);
  assert.match(files['.env'], /# ==== GPU 0: NVIDIA GeForce RTX 4090, 24 GB \(service acestep-gpu0\) ====/);
  assert.doesNotMatch(files['.env'], /^ACESTEP_MODE=/m, 'no shared mode: each service has its own');
  // The single-service setup keeps its key.
  assert.equal(modeKeyOf(WRAPPER_COMPOSE), 'ACESTEP_MODE');
  assert.equal(configuredModeOf(WRAPPER_COMPOSE, 'ACESTEP_MODE=api\n'), 'api');
  // The test's engine has no NVIDIA runtime: the reservation can be left out.
  const bare = parseYaml(createMultiGpuSetup(options(undefined, { reserveGpus: false }))['docker-compose.yml']) as { services: Record<string, Svc> };
  assert.equal(bare.services['acestep-gpu0']!.deploy, undefined);
});

test('clashing ports, a GPU twice and no GPU are refused before anything is written', () => {
  assert.throws(() => createMultiGpuSetup(options([{ gradio: 8500, api: 8501 }, { gradio: 8501, api: 8511 }])), /port 8501 is given to both acestep-gpu0 and acestep-gpu1/);
  const twice = options();
  twice.services[1]!.gpu = '0';
  assert.throws(() => createMultiGpuSetup(twice), /GPU 0 is chosen twice/);
  assert.throws(() => createMultiGpuSetup({ ...options(), services: [] }), /at least one GPU/);
});

test('compose commands name the service', () => {
  const c = pluginCompose('docker');
  assert.deepEqual(composeUpArgv(c, { service: 'acestep-gpu1' }).args, ['compose', 'up', '-d', '--force-recreate', 'acestep-gpu1']);
  assert.deepEqual(composeStopArgv(c, 'acestep-gpu1').args, ['compose', 'stop', 'acestep-gpu1']);
  assert.deepEqual(composeStopArgv(c).args, ['compose', 'stop']);
  assert.deepEqual(composeLogsArgv(c, { follow: false, tail: 5, service: 'acestep-gpu0' }).args, ['compose', 'logs', '--tail', '5', 'acestep-gpu0']);
});

test('profiles: one per service, URL by its mode; others kept; a mode switch moves only that profile\'s URL', () => {
  const o = options();
  const existing = [{ name: 'remote', url: 'http://box:8001' }, { name: 'gpu1', url: 'http://old:1' }];
  const list = profilesForSetup(existing, '${workspaceFolder}/ace', o.services);
  assert.deepEqual(list, [
    { name: 'remote', url: 'http://box:8001' },
    { name: 'gpu0', url: 'http://localhost:8501', composeDirectory: '${workspaceFolder}/ace', composeService: 'acestep-gpu0', enabled: true },
    { name: 'gpu1', url: 'http://localhost:8510', composeDirectory: '${workspaceFolder}/ace', composeService: 'acestep-gpu1', enabled: true },
  ]);
  const read = readProfiles({ servers: list, defaultUrl: 'http://localhost:8001', baseDir: '/w' });
  assert.deepEqual(read.problems, []);
  assert.deepEqual(read.profiles.map(p => [p.name, p.compose?.service]), [['default', undefined], ['remote', undefined], ['gpu0', 'acestep-gpu0'], ['gpu1', 'acestep-gpu1']]);
  const moved = profilesWithServiceUrl(list, f => f === '${workspaceFolder}/ace', 'acestep-gpu1', 'http://localhost:8511')!;
  assert.equal((moved[1] as { url: string }).url, 'http://localhost:8501');
  assert.equal((moved[2] as { url: string }).url, 'http://localhost:8511');
  assert.equal(profilesWithServiceUrl(moved, () => true, 'acestep-gpu1', 'http://localhost:8511'), undefined, 'nothing to change');
});

test('the mode key of one service changes in .env, byte for byte; ports resolve per service from the files', async () => {
  const files = createMultiGpuSetup(options());
  const box = sandbox({ 'docker-compose.yml': files['docker-compose.yml'], '.env': files['.env'].replace(/\n/g, '\r\n') });
  try {
    assert.equal(await writeConfiguredMode(box.dir, 'api', 'acestep-gpu1'), true);
    const after = readFileSync(path.join(box.dir, '.env'), 'utf8');
    assert.equal(after, files['.env'].replace(/\n/g, '\r\n').replace('ACESTEP_MODE_GPU1=gradio', 'ACESTEP_MODE_GPU1=api'));
    assert.equal(await readConfiguredMode(box.dir, 'acestep-gpu1'), 'api');
    assert.equal(await readConfiguredMode(box.dir, 'acestep-gpu0'), 'api');
    assert.deepEqual((await resolvePorts({ dir: box.dir, service: 'acestep-gpu1' })).ports, { gradio: 8510, api: 8511 });
  } finally {
    box.cleanup();
  }
});

function io(env: Record<string, string | undefined>, cwd: string): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: t => stdout.push(t), err: t => stderr.push(t), env, cwd };
}

test('CLI: mode --service switches one GPU\'s server while the other keeps running; status lists both', { skip: !hasFakeServer && 'out/test/server/fake-acestep-cli.js is not built' }, async () => {
  const ports = [{ gradio: await freePort(), api: await freePort() }, { gradio: await freePort(), api: await freePort() }];
  const files = createMultiGpuSetup(options(ports));
  const box = sandbox({ 'docker-compose.yml': files['docker-compose.yml'], '.env': files['.env'] });
  try {
    const noService = io(box.env, box.dir);
    assert.equal(await runMode(['api', '--timeout', '30'], noService), 1);
    assert.match(noService.stderr.join('\n'), /one ACE-Step service per GPU \(acestep-gpu0, acestep-gpu1\).*\nPass --service NAME/);

    for (const service of ['acestep-gpu0', 'acestep-gpu1']) {
      const s = io(box.env, box.dir);
      assert.equal(await runServer(['start', '--service', service, '--timeout', '30'], s), 0, s.stderr.join('\n'));
    }
    const gpu0 = (box.state().containers as Record<string, { pid: number }>)['acestep-gpu0']!.pid;

    const m = io(box.env, box.dir);
    assert.equal(await runMode(['api', '--service', 'acestep-gpu1', '--timeout', '30'], m), 0, m.stderr.join('\n'));
    assert.match(m.stdout.join('\n'), new RegExp(`^API mode ready on :${ports[1]!.api} `));
    assert.ok(m.stderr.includes('.env: ACESTEP_MODE_GPU1=api'), m.stderr.join('\n'));
    assert.deepEqual(box.calls().filter(c => c.argv.includes('up')).map(c => c.argv.at(-1)), ['acestep-gpu0', 'acestep-gpu1', 'acestep-gpu1']);
    assert.equal((box.state().containers as Record<string, { pid: number }>)['acestep-gpu0']!.pid, gpu0, 'gpu0 was not recreated');

    const st = io(box.env, box.dir);
    assert.equal(await runServer(['status'], st), 0, st.stderr.join('\n'));
    assert.deepEqual(st.stdout, [
      `acestep-gpu0: up, api mode, container running, http://localhost:${ports[0]!.api}`,
      `acestep-gpu1: up, api mode, container running, http://localhost:${ports[1]!.api}`,
    ]);

    const stop = io(box.env, box.dir);
    assert.equal(await runServer(['stop', '--service', 'acestep-gpu1'], stop), 0, stop.stderr.join('\n'));
    const after = io(box.env, box.dir);
    assert.equal(await runServer(['status', '--json'], after), 3);
    const json = JSON.parse(after.stdout.join('\n')) as Array<{ service: string; state: string }>;
    assert.deepEqual(json.map(j => [j.service, j.state]), [['acestep-gpu0', 'up'], ['acestep-gpu1', 'down']]);
  } finally {
    box.cleanup();
  }
});

test('a GPU reservation on an engine without the NVIDIA runtime is named (fake docker)', { skip: !hasFakeServer && 'not built' }, async () => {
  const files = createMultiGpuSetup(options([{ gradio: await freePort(), api: await freePort() }, { gradio: await freePort(), api: await freePort() }]));
  const box = sandbox({ 'docker-compose.yml': files['docker-compose.yml'], '.env': files['.env'] }, { noNvidiaRuntime: true });
  try {
    const r = io(box.env, box.dir);
    assert.equal(await runServer(['start', '--service', 'acestep-gpu0', '--timeout', '30'], r), 1);
    assert.match(r.stderr.join('\n'), /NVIDIA/);
  } finally {
    box.cleanup();
  }
});
