// checkServers: every server asked at once with its own short deadline.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkServers, upCount } from '../../../src/core/servers/status';
import type { ServerProfile } from '../../../src/core/servers/profiles';
import { fake } from '../api/helpers';

const profile = (name: string, url: string, kind: ServerProfile['kind'] = 'acestep'): ServerProfile => ({ name, url, kind, enabled: true, isDefault: false });

describe('server status', () => {
  test('a server that hangs times out on its own deadline; the others answer meanwhile', async t => {
    const quick = await fake(t, { flavour: 'S' });
    const slow = await fake(t, { flavour: 'S', latencyMs: 5_000 });
    const hosted = await fake(t, { flavour: 'C' });
    const started = Date.now();
    const [a, b, c] = await checkServers([profile('quick', quick.url), profile('slow', slow.url), profile('cloud', `${hosted.url}/v1/chat/completions`, 'chat')], () => undefined, { timeoutMs: 400 });
    assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
    assert.equal(a!.up, true);
    assert.equal(a!.info?.flavour, 'S');
    assert.equal(a!.stats?.queueMaxsize, quick.options.queueMaxsize);
    assert.equal(b!.up, false);
    assert.equal(b!.error?.kind, 'timeout');
    // A hosted chat endpoint is asked at its route without generating (a GET: 405 where the route is).
    assert.equal(c!.up, true);
    assert.equal(c!.info?.flavour, 'C');
    assert.ok(hosted.requests.every(r => r.method === 'GET' && r.path !== '/health'), hosted.requests.map(r => `${r.method} ${r.path}`).join(' '));
    assert.deepEqual(upCount([a!, b!, c!]), { up: 2, checked: 3 });
  });
});
