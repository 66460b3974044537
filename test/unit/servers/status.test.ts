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
    const started = Date.now();
    const [a, b, c] = await checkServers([profile('quick', quick.url), profile('slow', slow.url), profile('cloud', 'https://x.invalid/v1/chat/completions', 'chat')], () => undefined, { timeoutMs: 400 });
    assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
    assert.equal(a!.up, true);
    assert.equal(a!.info?.flavour, 'S');
    assert.equal(a!.stats?.queueMaxsize, quick.options.queueMaxsize);
    assert.equal(b!.up, false);
    assert.equal(b!.error?.kind, 'timeout');
    assert.equal(c!.up, undefined, 'a hosted chat endpoint is not asked (its only route generates)');
    assert.deepEqual(upCount([a!, b!, c!]), { up: 1, checked: 2 });
  });
});
