import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chainLookup } from '../../../src/core/server/interpolate';
import {
  parsePortEntry, portsFromComposeConfig, portsFromComposeFile, resolvePorts, serverUrlForMode,
} from '../../../src/core/server/ports';
import { sandbox, scriptedRunner, WRAPPER_COMPOSE } from './helpers';

const UPSTREAM_COMPOSE = `services:
  acestep:
    build: .
    ports:
      - "7860:7860"
    environment:
      - ACESTEP_MODE=gradio
`;

test('portsFromComposeConfig reads compose\'s JSON (published as string or number)', () => {
  const json = JSON.stringify({
    name: 'acestep',
    services: {
      acestep: { ports: [
        { mode: 'ingress', target: 7860, published: '18500', protocol: 'tcp' },
        { mode: 'ingress', target: 8001, published: 18501, protocol: 'tcp' },
        { mode: 'ingress', target: 9999, published: '1', protocol: 'tcp' },
      ] },
    },
  });
  assert.deepEqual(portsFromComposeConfig(json), { gradio: 18500, api: 18501 });
  assert.equal(portsFromComposeConfig('{"services":{"web":{}}}'), undefined);
});

test('short port syntax: host ip, protocol, ranges, unpublished', () => {
  assert.deepEqual(parsePortEntry('8500:7860'), [{ target: 7860, published: 8500, protocol: 'tcp' }]);
  assert.deepEqual(parsePortEntry('127.0.0.1:8500:7860/tcp'), [{ target: 7860, published: 8500, protocol: 'tcp' }]);
  assert.deepEqual(parsePortEntry('[::1]:8501:8001'), [{ target: 8001, published: 8501, protocol: 'tcp' }]);
  assert.deepEqual(parsePortEntry('7860'), [{ target: 7860, published: undefined, protocol: 'tcp' }]);
  assert.deepEqual(parsePortEntry('8500-8501:7860-7861').map(m => [m.target, m.published]), [[7860, 8500], [7861, 8501]]);
  assert.deepEqual(parsePortEntry({ target: 8001, published: '9001', host_ip: '127.0.0.1' }), [{ target: 8001, published: 9001, protocol: 'tcp' }]);
});

test('portsFromComposeFile interpolates the wrapper\'s ${VAR:-default} ports; the shell wins over .env', () => {
  assert.deepEqual(portsFromComposeFile(WRAPPER_COMPOSE, chainLookup({})), { gradio: 8500, api: 8501 });
  assert.deepEqual(portsFromComposeFile(WRAPPER_COMPOSE, chainLookup({ API_PORT: '9501' })), { gradio: 8500, api: 9501 });
  assert.deepEqual(portsFromComposeFile(WRAPPER_COMPOSE, chainLookup({ API_PORT: '7001' }, { API_PORT: '9501', GRADIO_PORT: '9500' })), { gradio: 9500, api: 7001 });
  assert.deepEqual(portsFromComposeFile(UPSTREAM_COMPOSE, chainLookup({})), { gradio: 7860, api: undefined });
  const dollarForm = 'services:\n  acestep:\n    ports: ["$GP:7860", "${AP}:8001"]\n';
  assert.deepEqual(portsFromComposeFile(dollarForm, chainLookup({ GP: '1234', AP: '2345' })), { gradio: 1234, api: 2345 });
});

test('serverUrlForMode', () => {
  assert.equal(serverUrlForMode('api', { gradio: 8500, api: 8501 }), 'http://localhost:8501');
  assert.equal(serverUrlForMode('gradio', { gradio: 8500, api: 8501 }), 'http://localhost:8500');
  assert.equal(serverUrlForMode('api', { gradio: 7860 }), undefined);
});

test('resolvePorts: compose config first, the files when docker is absent', async () => {
  const box = sandbox({ 'docker-compose.yml': WRAPPER_COMPOSE, '.env': 'GRADIO_PORT=18500 # ui\nAPI_PORT="18501"\n' });
  try {
    const config = { services: { acestep: { ports: [{ target: 8001, published: '28501' }], environment: { ACESTEP_MODE: 'api', EMPTY: null } } } };
    const viaDocker = scriptedRunner(() => ({ stdout: JSON.stringify(config) }));
    const compose = { kind: 'plugin' as const, program: 'docker', prefix: ['compose'] };
    const a = await resolvePorts({ dir: box.dir, runner: viaDocker, compose });
    assert.deepEqual(a, { ports: { api: 28501 }, source: 'compose-config', environment: { ACESTEP_MODE: 'api' } });
    assert.equal(viaDocker.calls[0]!.options?.cwd, box.dir);

    const broken = scriptedRunner(() => ({ code: 1, stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' }));
    const b = await resolvePorts({ dir: box.dir, runner: broken, compose });
    assert.deepEqual(b.ports, { gradio: 18500, api: 18501 });
    assert.equal(b.source, 'files');

    const c = await resolvePorts({ dir: box.dir, env: { GRADIO_PORT: '7777' } });
    assert.deepEqual(c.ports, { gradio: 7777, api: 18501 });
  } finally {
    box.cleanup();
  }
});
