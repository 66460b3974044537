import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PsEntry } from '../../../src/core/server/compose';
import { parseHealth, type HealthInfo } from '../../../src/core/server/health-wait';
import { combineServerState, containerStateFromPs, probeServerState, TtlCache } from '../../../src/core/server/server-state';

const ports = { gradio: 8500, api: 8501 };
const api = parseHealth({ data: { status: 'ok', service: 'ACE-Step API' } })!;
const gradio = parseHealth({ data: { status: 'ok', service: 'ACE-Step Gradio API' } })!;
const ps = (state: string, service = 'acestep'): PsEntry => ({ name: 'x', service, state, health: '', status: '', publishers: [] });

test('containerStateFromPs', () => {
  assert.equal(containerStateFromPs([]), 'absent');
  assert.equal(containerStateFromPs([ps('running', 'db')]), 'absent');
  assert.equal(containerStateFromPs([ps('running')]), 'running');
  assert.equal(containerStateFromPs([ps('restarting')]), 'restarting');
  assert.equal(containerStateFromPs([ps('exited')]), 'exited');
  assert.equal(containerStateFromPs([ps('created')]), 'exited');
});

test('combineServerState: up, starting, down, unknown', () => {
  const up = combineServerState({ configuredMode: 'api', container: 'running', ports, health: { api } });
  assert.deepEqual([up.state, up.runningMode, up.url, up.note], ['up', 'api', 'http://localhost:8501', undefined]);
  assert.equal(combineServerState({ configuredMode: 'api', container: 'running', ports, health: {} }).state, 'starting');
  assert.equal(combineServerState({ configuredMode: 'api', container: 'exited', ports, health: {} }).state, 'down');
  assert.equal(combineServerState({ configuredMode: 'api', container: 'absent', ports, health: {} }).state, 'down');
  assert.equal(combineServerState({ configuredMode: 'api', container: 'unknown', ports, health: {} }).state, 'unknown');
  assert.equal(combineServerState({ configuredMode: 'gradio', container: 'unknown', ports, health: { gradio } }).state, 'up');
});

test('combineServerState: .env says api but the container still runs Gradio', () => {
  const s = combineServerState({ configuredMode: 'api', container: 'running', ports, health: { gradio } });
  assert.equal(s.state, 'up');
  assert.equal(s.runningMode, 'gradio');
  assert.equal(s.url, 'http://localhost:8500');
  assert.match(s.note!, /runs in Gradio mode, but \.env asks for API mode/);
});

test('combineServerState: an unpublished port is explained', () => {
  const s = combineServerState({ configuredMode: 'api', container: 'exited', ports: { gradio: 7860 }, health: {} });
  assert.equal(s.url, undefined);
  assert.match(s.note!, /8001/);
});

test('probeServerState probes the other mode only when a container runs and the first probe fails', async () => {
  const probed: string[] = [];
  const probe = (answers: Record<string, HealthInfo | undefined>) => async (url: string) => { probed.push(url); return answers[url]; };
  const s1 = await probeServerState({ configuredMode: 'api', ports, containerState: async () => 'running', probe: probe({ 'http://localhost:8500': gradio }) });
  assert.deepEqual(probed, ['http://localhost:8501', 'http://localhost:8500']);
  assert.equal(s1.runningMode, 'gradio');
  probed.length = 0;
  const s2 = await probeServerState({ configuredMode: 'api', ports, containerState: async () => 'exited', probe: probe({}) });
  assert.deepEqual(probed, ['http://localhost:8501']);
  assert.equal(s2.state, 'down');
  const s3 = await probeServerState({ configuredMode: 'gradio', ports, containerState: async () => { throw new Error('docker gone'); }, probe: async () => { throw new Error('refused'); } });
  assert.equal(s3.state, 'unknown');
});

test('TtlCache shares loads, expires, does not keep failures, and can be invalidated', async () => {
  let now = 0;
  let loads = 0;
  const cache = new TtlCache<number>(1000, () => now);
  const load = async () => ++loads;
  const [a, b] = await Promise.all([cache.get(load), cache.get(load)]);
  assert.deepEqual([a, b, loads], [1, 1, 1]);
  now = 999;
  assert.equal(await cache.get(load), 1);
  assert.equal(cache.peek(), 1);
  now = 1000;
  assert.equal(cache.peek(), undefined);
  assert.equal(await cache.get(load), 2);
  await assert.rejects(new TtlCache<number>(1000, () => now).get(async () => { throw new Error('x'); }));
  const failing = new TtlCache<number>(1000, () => now);
  await failing.get(async () => { throw new Error('once'); }).catch(() => undefined);
  assert.equal(await failing.get(async () => 7), 7);
  cache.invalidate();
  assert.equal(await cache.get(load), 3);
});
