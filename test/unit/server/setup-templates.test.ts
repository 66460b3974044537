import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { parse as parseYaml } from 'yaml';
import { parseEnv } from '../../../src/core/server/env-file';
import { createDockerSetup, DEFAULT_SETUP_OPTIONS, ENTRYPOINT_IN_CONTAINER } from '../../../src/core/server/setup-templates';
import { portsFromComposeConfig } from '../../../src/core/server/ports';
import { FAKE_DOCKER, sandbox } from './helpers';

interface Service {
  build?: { context: string };
  image?: string;
  env_file?: string;
  entrypoint?: string[];
  ports?: string[];
  volumes?: string[];
  restart?: string;
  environment?: Record<string, string>;
  deploy?: { resources: { reservations: { devices: Array<{ driver: string; device_ids: string[]; capabilities: string[] }> } } };
}

const options = { ...DEFAULT_SETUP_OPTIONS, mode: 'api' as const, ports: { gradio: 18500, api: 18501 }, lmModel: 'acestep-5Hz-lm-4B', apiKey: 'sk-test $ecret' };

test('the compose file: one acestep service, env_file, ports from variables, GPU, volumes, restart', () => {
  const files = createDockerSetup(options);
  const doc = parseYaml(files['docker-compose.yml']) as { services: Record<string, Service> };
  assert.deepEqual(Object.keys(doc.services), ['acestep']);
  const s = doc.services.acestep!;
  assert.deepEqual(s.build, { context: '.' });
  assert.equal(s.env_file, '.env');
  assert.deepEqual(s.ports, ['${GRADIO_PORT:-8500}:7860', '${API_PORT:-8501}:8001']);
  assert.deepEqual(s.entrypoint, ['sh', ENTRYPOINT_IN_CONTAINER]);
  assert.ok(s.volumes!.includes(`./docker-entrypoint.sh:${ENTRYPOINT_IN_CONTAINER}:ro`));
  for (const v of ['./checkpoints:/app/checkpoints', './cache:/app/cache', './gradio_outputs:/app/gradio_outputs', './inputs:/app/inputs']) assert.ok(s.volumes!.includes(v), v);
  assert.equal(s.environment!.HF_HOME, '/app/cache/huggingface');
  assert.equal(s.environment!.ACESTEP_API_HOST, '0.0.0.0');
  assert.equal(s.restart, 'unless-stopped');
  const device = s.deploy!.resources.reservations.devices[0]!;
  assert.equal(device.driver, 'nvidia');
  assert.deepEqual(device.capabilities, ['gpu']);
  assert.deepEqual(device.device_ids, ['${ACESTEP_GPU_DEVICE:-0}']);
});

test('image source: no build section; names with $ are escaped for compose', () => {
  const files = createDockerSetup({ ...options, source: 'image', image: 'registry.example/ace$step:1.5' });
  const s = (parseYaml(files['docker-compose.yml']) as { services: Record<string, Service> }).services.acestep!;
  assert.equal(s.build, undefined);
  assert.equal(s.image, 'registry.example/ace$$step:1.5');
  assert.throws(() => createDockerSetup({ ...options, source: 'image' }), /image name/);
  assert.throws(() => createDockerSetup({ ...options, ports: { gradio: 1, api: 1 } }), /differ/);
});

test('.env holds the choices, .env.example the defaults; no empty API key anywhere', () => {
  const files = createDockerSetup(options);
  const env = parseEnv(files['.env']);
  assert.equal(env.ACESTEP_MODE, 'api');
  assert.equal(env.GRADIO_PORT, '18500');
  assert.equal(env.API_PORT, '18501');
  assert.equal(env.ACESTEP_LM_MODEL_PATH, 'acestep-5Hz-lm-4B');
  assert.equal(env.ACESTEP_API_KEY, 'sk-test $ecret');
  const example = parseEnv(files['.env.example']);
  assert.equal(example.ACESTEP_MODE, 'gradio');
  assert.equal(example.API_PORT, '8501');
  assert.equal(example.ACESTEP_API_KEY, undefined, 'an empty key would lock every endpoint');
  assert.equal(parseEnv(createDockerSetup({ ...options, apiKey: '' })['.env']).ACESTEP_API_KEY, undefined);
  assert.ok(files['.env.example'].split('\n').filter(l => l.startsWith('#')).length > 10, 'the example is commented');
});

test('the entrypoint switches on ACESTEP_MODE with the right commands and ports', () => {
  const sh = createDockerSetup(options)['docker-entrypoint.sh'];
  assert.ok(sh.startsWith('#!/bin/sh\n'));
  assert.match(sh, /MODE="\$\{ACESTEP_MODE:-gradio\}"/);
  assert.match(sh, /run acestep-api --host 0\.0\.0\.0 --port 8001/);
  assert.match(sh, /--server-name 0\.0\.0\.0 --port 7860 --enable-api/);
  assert.match(sh, /--api-key "\$ACESTEP_API_KEY"/);
  const check = spawnSync('sh', ['-n'], { input: sh });
  assert.equal(check.status, 0, `sh -n: ${check.stderr}`);
});

test('the entrypoint runs the mode\'s command (stub acestep commands on PATH)', () => {
  const sh = createDockerSetup(options)['docker-entrypoint.sh'];
  const box = sandbox({ 'entry.sh': sh, 'acestep-api': '#!/bin/sh\necho "API $*"\n', 'acestep': '#!/bin/sh\necho "UI $*"\n' });
  try {
    spawnSync('chmod', ['+x', `${box.dir}/acestep-api`, `${box.dir}/acestep`]);
    const runIt = (env: Record<string, string>) => spawnSync('sh', [`${box.dir}/entry.sh`], { env: { PATH: `${box.dir}:/usr/bin:/bin`, ...env }, encoding: 'utf8' });
    const a = runIt({ ACESTEP_MODE: 'api' });
    assert.match(a.stdout, /^API --host 0\.0\.0\.0 --port 8001$/m);
    const g = runIt({ ACESTEP_MODE: 'gradio', ACESTEP_LM_MODEL_PATH: 'acestep-5Hz-lm-4B', ACESTEP_INIT_LLM: 'auto', ACESTEP_API_KEY: 'k' });
    assert.match(g.stdout, /^UI --server-name 0\.0\.0\.0 --port 7860 --enable-api --init_service true --lm_model_path acestep-5Hz-lm-4B --api-key k$/m);
    const other = runIt({ ACESTEP_MODE: 'nonsense' });
    assert.match(other.stdout, /^UI /m);
    assert.match(other.stderr, /neither api nor gradio/);
  } finally {
    box.cleanup();
  }
});

test('the fake docker accepts `compose config` on the generated files and resolves the ports', () => {
  const files = createDockerSetup(options);
  const box = sandbox(files);
  try {
    const r = spawnSync(FAKE_DOCKER, ['compose', 'config', '--format', 'json'], { cwd: box.dir, env: box.env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(portsFromComposeConfig(r.stdout), { gradio: 18500, api: 18501 });
    const svc = (JSON.parse(r.stdout) as { services: Record<string, Service> }).services.acestep!;
    assert.equal(svc.environment!.ACESTEP_MODE, 'api');
  } finally {
    box.cleanup();
  }
});
