// Handing a take to the server of the user's Docker setup: the setup's inputs folder found through
// `docker compose config` (the fake docker prints it the way compose v2 does), the file copied there, its path
// inside the container sent.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { NodeProcessRunner } from '../../../src/core/server/compose';
import { bindMountsOf, containerPathOf, dockerHandOff, inputsMount } from '../../../src/core/server/hand-off';
import { createDockerSetup, DEFAULT_SETUP_OPTIONS } from '../../../src/core/server/setup-templates';
import { FAKE_DOCKER, sandbox, WRAPPER_COMPOSE } from './helpers';

describe('Docker hand-off', () => {
  test('bind mounts: short and long forms, relative sources resolved, named volumes and read-only noted', () => {
    const doc = { services: { acestep: { volumes: [
      './inputs:/app/inputs', './docker-entrypoint.sh:/app/entry.sh:ro', 'models:/app/models',
      { type: 'bind', source: '/srv/take-inputs', target: '/data/inputs' }, { type: 'volume', source: 'cache', target: '/app/cache' },
    ] } } };
    const mounts = bindMountsOf(doc, '/home/me/acestep');
    assert.deepEqual(mounts, [
      { host: path.resolve('/home/me/acestep/inputs'), container: '/app/inputs', readOnly: false },
      { host: path.resolve('/home/me/acestep/docker-entrypoint.sh'), container: '/app/entry.sh', readOnly: true },
      { host: path.resolve('/srv/take-inputs'), container: '/data/inputs', readOnly: false },
    ]);
    assert.equal(inputsMount(mounts)?.container, '/app/inputs');
    assert.equal(containerPathOf(mounts[0], path.resolve('/home/me/acestep/inputs/a b.wav')), '/app/inputs/a b.wav');
    assert.equal(containerPathOf(mounts[0], path.resolve('/home/me/elsewhere.wav')), undefined);
    assert.equal(inputsMount([{ host: '/x', container: '/app/inputs', readOnly: true }]), undefined, 'read-only: not a hand-off');
  });

  test('"Create Docker Setup" mounts ./inputs; the fake docker\'s compose config finds it; the take is copied there', async t => {
    const files = createDockerSetup(DEFAULT_SETUP_OPTIONS);
    assert.match(files['docker-compose.yml'], /- \.\/inputs:\/app\/inputs /);
    const box = sandbox({ 'docker-compose.yml': files['docker-compose.yml'], '.env': files['.env'] });
    t.after(() => box.cleanup());
    const runner = new NodeProcessRunner({ ...process.env, ...box.env });
    const take = path.join(box.dir, 'my take.wav');
    writeFileSync(take, 'RIFF take bytes');
    const handOff = await dockerHandOff(`http://localhost:${DEFAULT_SETUP_OPTIONS.ports.api}`, { runner, dockerPath: FAKE_DOCKER, composeDir: box.dir });
    assert.ok(handOff, 'the API port of the setup, with an inputs folder');
    const inContainer = await handOff('src_audio', take);
    assert.match(inContainer, /^\/app\/inputs\/[0-9a-f]{12}-my_take\.wav$/);
    const onHost = path.join(box.dir, 'inputs', path.posix.basename(inContainer));
    assert.equal(readFileSync(onHost, 'utf8'), 'RIFF take bytes');
    assert.equal(await handOff('src_audio', take), inContainer, 'the same take: the same file');
    assert.ok(box.calls().some(c => c.argv.includes('config')), 'read from docker compose config');

    assert.equal(await dockerHandOff(`http://localhost:${DEFAULT_SETUP_OPTIONS.ports.gradio}`, { runner, dockerPath: FAKE_DOCKER, composeDir: box.dir }), undefined, 'the Gradio port');
    assert.equal(await dockerHandOff(`http://studio.example:${DEFAULT_SETUP_OPTIONS.ports.api}`, { runner, dockerPath: FAKE_DOCKER, composeDir: box.dir }), undefined, 'another machine');
  });

  test('a setup without an inputs folder (the wrapper\'s compose file): no hand-off', async t => {
    const box = sandbox({ 'docker-compose.yml': WRAPPER_COMPOSE, '.env': 'ACESTEP_MODE=api\n' });
    t.after(() => box.cleanup());
    const runner = new NodeProcessRunner({ ...process.env, ...box.env });
    assert.equal(await dockerHandOff('http://localhost:8501', { runner, dockerPath: FAKE_DOCKER, composeDir: box.dir }), undefined);
    assert.ok(!existsSync(path.join(box.dir, 'inputs')));
  });
});
