// Light checks of the fake docker itself, so the CLI tests rest on something known.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { FAKE_DOCKER, sandbox, WRAPPER_COMPOSE } from './helpers';

function docker(box: ReturnType<typeof sandbox>, ...args: string[]) {
  return spawnSync(FAKE_DOCKER, args, { cwd: box.dir, env: box.env, encoding: 'utf8' });
}

test('fake docker: version, config, ps, and the call log', () => {
  const box = sandbox({ 'docker-compose.yml': WRAPPER_COMPOSE, '.env': 'ACESTEP_MODE=api\nAPI_PORT=9501\n' }, { psFormat: 'array' });
  try {
    assert.match(docker(box, 'compose', 'version').stdout, /Docker Compose version v2/);
    const config = JSON.parse(docker(box, 'compose', 'config', '--format', 'json').stdout) as { services: { acestep: { ports: unknown[] } } };
    assert.deepEqual(config.services.acestep.ports, [
      { mode: 'ingress', target: 7860, published: '8500', protocol: 'tcp' },
      { mode: 'ingress', target: 8001, published: '9501', protocol: 'tcp' },
    ]);
    assert.equal(docker(box, 'compose', 'ps', '--all', '--format', 'json').stdout.trim(), '[]');
    assert.deepEqual(box.calls().map(c => c.argv[1]), ['version', 'config', 'ps']);
    assert.equal(box.calls()[0]!.cwd, box.dir);
  } finally {
    box.cleanup();
  }
});

test('fake docker: failure switches print the real texts', () => {
  const box = sandbox({ 'docker-compose.yml': WRAPPER_COMPOSE, '.env': '' }, { engineDown: true });
  try {
    const down = docker(box, 'compose', 'up', '-d', 'acestep');
    assert.equal(down.status, 1);
    assert.match(down.stderr, /Cannot connect to the Docker daemon/);
    box.setState({ engineDown: false, nvidiaError: true });
    const gpu = docker(box, 'compose', 'up', '-d', 'acestep');
    assert.equal(gpu.status, 1);
    assert.match(gpu.stderr, /could not select device driver "nvidia" with capabilities: \[\[gpu\]\]/);
    box.setState({ nvidiaError: false, missingCompose: true });
    assert.match(docker(box, 'compose', 'version').stderr, /unknown command: docker compose/);
  } finally {
    box.cleanup();
  }
});

test('fake docker: up starts a detached process, logs --follow ends when stop kills it', async () => {
  const box = sandbox({ 'docker-compose.yml': WRAPPER_COMPOSE, '.env': 'ACESTEP_MODE=gradio\nGRADIO_PORT=0\n' }, { healthNever: true });
  try {
    assert.equal(docker(box, 'compose', 'up', '-d', '--force-recreate', 'acestep').status, 0);
    const c = box.state().container as { pid: number; mode: string; status: string };
    assert.equal(c.mode, 'gradio');
    assert.doesNotThrow(() => process.kill(c.pid, 0), 'the container process runs');
    const ps = JSON.parse(docker(box, 'compose', 'ps', '--all', '--format', 'json').stdout) as { State: string };
    assert.equal(ps.State, 'running');
    const follow = spawn(FAKE_DOCKER, ['compose', 'logs', '--follow', '--tail', '200', 'acestep'], { cwd: box.dir, env: box.env });
    let seen = '';
    follow.stdout.on('data', d => { seen += String(d); });
    const ended = new Promise<number | null>(resolve => follow.on('close', resolve));
    await new Promise(r => setTimeout(r, 300));
    assert.equal(docker(box, 'compose', 'stop').status, 0);
    assert.equal(await ended, 0);
    assert.match(seen, /acestep-1 {2}\| === Starting Gradio UI/);
    assert.throws(() => process.kill(c.pid, 0), 'stop killed it');
    assert.equal((box.state().container as { status: string }).status, 'exited');
  } finally {
    box.cleanup();
  }
});
