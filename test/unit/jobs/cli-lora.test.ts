// acestep-song lora: list, load, scale, unload against U; a clear refusal on servers without the routes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { run as lora } from '../../../src/cli/lora';
import { fake } from '../api/helpers';
import { cliIO } from './cli-io';

describe('acestep-song lora', () => {
  test('U: load with --scale, list, scale, unload; --json', async t => {
    const server = await fake(t, { flavour: 'U', generationMs: 10, loraAdapters: ['/loras/city-pop'] });
    // The models load on the first job; until then the server has none to put an adapter on.
    let r = cliIO('/tmp');
    assert.equal(await lora(['list', '--server', server.url], r.cli), 1);
    assert.match(r.all(), /Model not initialized/);
    await fetch(`${server.url}/release_task`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"x"}' });
    await new Promise(res => setTimeout(res, 50));
    r = cliIO('/tmp');
    assert.equal(await lora(['load', '/loras/city-pop', '--scale', '0.7', '--server', server.url], r.cli), 0, r.all());
    assert.match(r.all(), /LoRA loaded from \/loras\/city-pop[\s\S]*in use, scale 0.7/);
    r = cliIO('/tmp');
    assert.equal(await lora(['scale', '0.25', '--server', server.url, '--json'], r.cli), 0, r.all());
    assert.equal(JSON.parse(r.out.join('\n')).status.scale, 0.25);
    r = cliIO('/tmp');
    assert.equal(await lora(['unload', '--server', server.url], r.cli), 0, r.all());
    assert.match(r.all(), /no adapter loaded/);
    r = cliIO('/tmp');
    assert.equal(await lora(['load', '/loras/nope', '--server', server.url], r.cli), 1);
    assert.match(r.all(), /LoRA path not found: \/loras\/nope/);
  });

  test('usage errors exit 2', async () => {
    for (const args of [[], ['frob'], ['load'], ['scale', '3'], ['unload', '--scale', '0.5'], ['list', 'x']]) {
      const r = cliIO('/tmp');
      assert.equal(await lora([...args, '--server', 'http://127.0.0.1:9'], r.cli), 2, args.join(' '));
    }
  });

  test('W: refused, naming the server kind', async t => {
    const server = await fake(t, { flavour: 'W' });
    const r = cliIO('/tmp');
    assert.equal(await lora(['list', '--server', server.url], r.cli), 1);
    assert.match(r.all(), /standalone API \(Docker wrapper\) has no style adapter \(LoRA\) routes/);
  });
});
