// detect.ts on its own: which server generation answers, told from /health and the /v1/models shape, with
// hasStats from the capability table. The fake covers the four real servers; a scripted server the shapes
// in between (a G without /v1/models, a U whose inventory fails, a protected model list).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AceStepError, capabilitiesOf, lmState } from '../../../src/core/api';
import { detectFlavour } from '../../../src/core/api/detect';
import { Transport } from '../../../src/core/api/transport';
import { fake } from './helpers';

type Route = { status: number; body: unknown };

/** A server answering each `GET path` with the given status and JSON body (404 for anything else). */
async function scripted(t: { after(fn: () => Promise<void>): void }, routes: Record<string, Route>): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const r = routes[req.url ?? ''] ?? { status: 404, body: { detail: 'Not Found' } };
    const text = JSON.stringify(r.body);
    res.writeHead(r.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  t.after(() => new Promise<void>(r => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const env = (data: unknown, code = 200) => ({ data, code, error: null, timestamp: 0, extra: null });
const standaloneHealth = { status: 200, body: env({ status: 'ok', service: 'ACE-Step API', version: '1.0' }) };

function transport(t: { after(fn: () => Promise<void>): void }, baseUrl: string, apiKey?: string): Transport {
  const tr = new Transport({ baseUrl, ...(apiKey ? { apiKey } : {}) });
  t.after(() => tr.close());
  return tr;
}

describe('detectFlavour (detect.ts)', () => {
  for (const flavour of ['W', 'S', 'U', 'G'] as const) {
    test(`${flavour}: recognised, hasStats as the capability table says`, async t => {
      const server = await fake(t, { flavour, models: ['acestep-v15-turbo'] });
      const info = await detectFlavour(transport(t, server.url));
      assert.equal(info.flavour, flavour);
      assert.equal(info.hasStats, capabilitiesOf(flavour).stats);
      assert.deepEqual(info.models.map(m => m.name), ['acestep-v15-turbo']);
    });
  }

  test('lmState: only U says whether its LM is loaded; W, S and G are "unreported", never "not loaded" (issue 15)', async t => {
    for (const flavour of ['W', 'S', 'G'] as const) {
      for (const lmLoaded of [true, false]) {
        const info = await detectFlavour(transport(t, (await fake(t, { flavour, lmLoaded })).url));
        assert.equal(lmState(info), 'unreported', `${flavour} with the LM ${lmLoaded ? 'on' : 'off'}`);
      }
    }
    // U loads its models with the first job: before that it says nothing about the LM either.
    assert.equal(lmState(await detectFlavour(transport(t, (await fake(t, { flavour: 'U', lmLoaded: true })).url))), 'loads-on-first-job');
    assert.equal(lmState({ flavour: 'U', modelsInitialized: true, lmLoaded: true }), 'loaded');
    assert.equal(lmState({ flavour: 'U', modelsInitialized: true, lmLoaded: false }), 'not-loaded');
  });

  test('a wrapped model list means W, an OpenAI list S', async t => {
    const w = await scripted(t, {
      '/health': standaloneHealth,
      '/v1/models': { status: 200, body: env({ models: [{ name: 'm1', is_default: true }], default_model: 'm1' }) },
    });
    const s = await scripted(t, {
      '/health': standaloneHealth,
      '/v1/models': { status: 200, body: { object: 'list', data: [{ id: 'acestep/m2' }] } },
    });
    const wi = await detectFlavour(transport(t, w.url));
    assert.equal(wi.flavour, 'W');
    assert.equal(wi.defaultModel, 'm1');
    const si = await detectFlavour(transport(t, s.url));
    assert.equal(si.flavour, 'S');
    assert.deepEqual(si.models, [{ id: 'acestep/m2', name: 'm2' }]);
  });

  test('a protected model list (401) means W, and says a key is needed', async t => {
    const w = await scripted(t, { '/health': standaloneHealth, '/v1/models': { status: 401, body: { detail: 'Missing Authorization header' } } });
    const info = await detectFlavour(transport(t, w.url));
    assert.equal(info.flavour, 'W');
    assert.equal(info.authRequired, true);
    assert.deepEqual(info.models, []);
  });

  test('G without /v1/models is still G, with no models; a protected one says a key is needed', async t => {
    const gHealth = { status: 200, body: env({ status: 'ok', service: 'ACE-Step Gradio API', version: '1.0' }) };
    const open = await scripted(t, { '/health': gHealth });
    const info = await detectFlavour(transport(t, open.url));
    assert.equal(info.flavour, 'G');
    assert.deepEqual(info.models, []);
    assert.equal(info.authRequired, undefined);
    const locked = await scripted(t, { '/health': gHealth, '/v1/models': { status: 401, body: { detail: 'Invalid API key' } } });
    assert.equal((await detectFlavour(transport(t, locked.url))).authRequired, true);
  });

  test('U: /health fields decide; a failing inventory falls back to /v1/models', async t => {
    const u = await scripted(t, {
      '/health': { status: 200, body: env({ status: 'ok', service: 'ACE-Step API', version: '1.0', models_initialized: true, llm_initialized: true, loaded_model: 'm1', loaded_lm_model: 'lm1' }) },
      '/v1/model_inventory': { status: 500, body: { detail: 'boom' } },
      '/v1/models': { status: 200, body: { object: 'list', data: [{ id: 'acestep/m1' }, { id: 'acestep/m2' }] } },
    });
    const info = await detectFlavour(transport(t, u.url));
    assert.equal(info.flavour, 'U');
    assert.deepEqual(info.models.map(m => m.name), ['m1', 'm2']);
    assert.equal(info.defaultModel, 'm1');
    assert.equal(info.lmLoaded, true);
    assert.equal(info.lmModel, 'lm1');
    assert.deepEqual(u.seen, ['GET /health', 'GET /v1/model_inventory', 'GET /v1/models']);
  });

  test('a server that is not there: unreachable, not a guess', async t => {
    const server = await fake(t, { down: true });
    await assert.rejects(detectFlavour(transport(t, server.url)), (e: unknown) => e instanceof AceStepError && e.kind === 'unreachable');
  });

  test('a standalone server whose model list fails otherwise: the error, not a guess', async t => {
    const s = await scripted(t, { '/health': standaloneHealth, '/v1/models': { status: 500, body: { detail: 'boom' } } });
    await assert.rejects(detectFlavour(transport(t, s.url)), (e: unknown) => e instanceof AceStepError && e.kind === 'server' && e.endpoint === '/v1/models');
  });
});
