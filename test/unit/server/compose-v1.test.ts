// Compose v1 (Debian's docker-compose 1.29) as the real engine showed it: no JSON `ps` or `config` (it prints its
// usage and exits 0), coloured log prefixes and an "Attaching to" line. The answers below are v1's own output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { composeConfigArgv, composePsArgv, isComposeV1, parseDockerInspect, pluginCompose } from '../../../src/core/server/compose';
import { containerLogLines, serverStatus } from '../../../src/core/server/control';
import { scriptedRunner, WRAPPER_COMPOSE } from './helpers';

const V1_USAGE = 'List containers.\n\nUsage: ps [options] [--] [SERVICE...]\n\nOptions:\n    -q, --quiet          Only display IDs\n';
const ID = '64faa7643defb0f82669bdb9b9b6cc1a26ee99d1cb38ddaf99a8b76ec84f9d46';
const INSPECT = JSON.stringify([{
  Id: ID, Name: '/c1_acestep_1',
  State: { Status: 'running', Running: true, Restarting: false, ExitCode: 0 },
  Config: { Labels: { 'com.docker.compose.project': 'c1', 'com.docker.compose.service': 'acestep', 'com.docker.compose.version': '1.29.2' } },
  NetworkSettings: { Ports: { '7860/tcp': [{ HostIp: '0.0.0.0', HostPort: '18500' }, { HostIp: '::', HostPort: '18500' }], '8001/tcp': null } },
}]);
const V1_CONFIG = `services:
  acestep:
    environment:
      ACESTEP_MODE: api
      API_PORT: '18501'
    image: acestep-studio-test-server:abc
    ports:
    - published: 18500
      target: 7860
    - published: 18501
      target: 8001
version: '3.9'
`;

test('v1 is told apart by its version: the standalone docker-compose 2.x speaks JSON', () => {
  const v1 = { kind: 'standalone' as const, program: 'docker-compose', prefix: [], version: '1.29.2' };
  assert.equal(isComposeV1(v1), true);
  assert.equal(isComposeV1({ ...v1, version: undefined }), true);
  assert.equal(isComposeV1({ ...v1, version: '2.29.7' }), false);
  assert.equal(isComposeV1(pluginCompose()), false);
  assert.deepEqual(composePsArgv(v1).args, ['ps', '--all', '-q']);
  assert.deepEqual(composeConfigArgv(v1).args, ['config']);
  assert.deepEqual(composePsArgv({ ...v1, version: '2.29.7' }).args, ['ps', '--all', '--format', 'json']);
});

test('parseDockerInspect reads the container as a ps entry', () => {
  assert.deepEqual(parseDockerInspect(INSPECT), [{
    name: 'c1_acestep_1', service: 'acestep', state: 'running', health: '', status: 'running', exitCode: 0,
    publishers: [{ url: '0.0.0.0', targetPort: 7860, publishedPort: 18500, protocol: 'tcp' }, { url: '::', targetPort: 7860, publishedPort: 18500, protocol: 'tcp' }],
  }]);
  assert.deepEqual(parseDockerInspect(''), []);
});

function v1Runner(ps: string) {
  return scriptedRunner((cmd, args) => {
    if (cmd === 'docker' && args[0] === 'compose') return { code: 1, stderr: "docker: unknown command: docker compose\n\nRun 'docker --help' for more information" };
    if (cmd === 'docker-compose' && args[0] === 'version') return { stdout: 'docker-compose version 1.29.2, build unknown\n' };
    if (cmd === 'docker-compose' && args[0] === 'config') return { stdout: args.includes('--format') ? V1_USAGE : V1_CONFIG };
    if (cmd === 'docker-compose' && args[0] === 'ps') return { stdout: args.includes('--format') ? V1_USAGE : ps };
    if (cmd === 'docker' && args[0] === 'inspect') return { stdout: INSPECT };
    return { code: 1, stderr: `unexpected ${cmd} ${args.join(' ')}` };
  });
}

test('server status with compose v1: the running container is found (it said "absent"), ports from v1\'s YAML config', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'acestep-v1-'));
  try {
    writeFileSync(path.join(dir, 'docker-compose.yml'), WRAPPER_COMPOSE);
    writeFileSync(path.join(dir, '.env'), 'ACESTEP_MODE=api\n');
    const runner = v1Runner(`${ID}\n`);
    const health = { data: { status: 'ok', service: 'ACE-Step API', version: '1.0' } };
    const r = await serverStatus({ runner, dockerPath: 'docker', composeDir: dir, fetchHealth: async () => health });
    assert.equal(r.state.container, 'running');
    assert.equal(r.state.state, 'up');
    assert.deepEqual(r.ports, { gradio: 18500, api: 18501 });
    assert.equal(r.problem, undefined);
    assert.deepEqual(runner.calls.find(c => c.args[0] === 'inspect')?.args, ['inspect', ID]);

    const none = await serverStatus({ runner: v1Runner(''), dockerPath: 'docker', composeDir: dir, fetchHealth: async () => { throw new Error('refused'); } });
    assert.deepEqual([none.state.container, none.state.state], ['absent', 'down']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('v1 log lines lose their colour codes, prefixes and the "Attaching to" line', async () => {
  const runner = scriptedRunner(() => ({ stdout: 'Attaching to c1_acestep_1\n\u001b[36macestep_1  |\u001b[0m === Starting standalone REST API on port 8001 ===\n\u001b[36macestep_1  |\u001b[0m torch.OutOfMemoryError: CUDA out of memory\n' }));
  const v1 = { kind: 'standalone' as const, program: 'docker-compose', prefix: [], version: '1.29.2' };
  assert.deepEqual(await containerLogLines({ runner, dockerPath: 'docker', composeDir: '.' }, v1, 20), [
    '=== Starting standalone REST API on port 8001 ===', 'torch.OutOfMemoryError: CUDA out of memory',
  ]);
});
