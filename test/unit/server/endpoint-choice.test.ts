import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { chooseEndpoint, endpointReason } from '../../../src/core/server/endpoint-choice';
import { assertProperty } from '../property';

const DEFAULT = 'http://localhost:8501';

test('the URL the user set wins over a Docker setup that is not running (issue 15: it was silently overridden)', () => {
  const c = chooseEndpoint({ explicitUrl: 'http://10.0.0.5:8001', defaultUrl: DEFAULT, docker: { mode: 'api', url: 'http://localhost:8501', running: false } });
  assert.deepEqual(c, { url: 'http://10.0.0.5:8001', source: 'setting' });
  assert.match(endpointReason(c), /acestep\.serverUrl you set/);
});

test('the URL the user set wins over a running Docker server too', () => {
  const c = chooseEndpoint({ explicitUrl: 'http://gpu-box:8001', defaultUrl: DEFAULT, docker: { mode: 'gradio', url: 'http://localhost:8500', running: true } });
  assert.equal(c.url, 'http://gpu-box:8001');
  assert.equal(c.source, 'setting');
});

test('without an explicit URL the Docker setup decides, and the reason says whether it runs', () => {
  const running = chooseEndpoint({ defaultUrl: DEFAULT, docker: { mode: 'gradio', url: 'http://localhost:8500', running: true } });
  assert.deepEqual(running, { url: 'http://localhost:8500', source: 'docker-running', mode: 'gradio' });
  assert.match(endpointReason(running), /Docker server that runs \(Gradio mode\)/i);
  const down = chooseEndpoint({ defaultUrl: DEFAULT, docker: { mode: 'api', url: 'http://localhost:8501', running: false } });
  assert.equal(down.source, 'docker-configured');
  assert.match(endpointReason(down), /not running; start it, or set acestep\.serverUrl/);
});

test('no setting and no Docker setup (or one without a published port): the default', () => {
  assert.deepEqual(chooseEndpoint({ defaultUrl: DEFAULT }), { url: DEFAULT, source: 'default' });
  assert.deepEqual(chooseEndpoint({ defaultUrl: DEFAULT, docker: { mode: 'api', running: true } }), { url: DEFAULT, source: 'default' });
  assert.match(endpointReason({ url: DEFAULT, source: 'default' }), /default/);
});

test('property: an explicit URL is always the one used', () => {
  assertProperty(fc.property(
    fc.webUrl(), fc.option(fc.record({ mode: fc.constantFrom('api' as const, 'gradio' as const), url: fc.option(fc.webUrl(), { nil: undefined }), running: fc.boolean() }), { nil: undefined }),
    (url, docker) => chooseEndpoint({ explicitUrl: url, defaultUrl: DEFAULT, ...(docker ? { docker } : {}) }).url === url,
  ));
});
