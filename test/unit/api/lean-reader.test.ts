// The lean download reader's buffer sizes: the assumption its copy loop relies on is checked, with a clear
// error, and small sizes that meet it still carry a take intact through many stop-and-resume rounds.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { assertLeanSizes, LEAN_SIZES, leanGet } from '../../../src/core/api/lean-reader';
import { tempDir } from './helpers';

describe('lean reader sizes', () => {
  test('the built-in sizes meet the assumption', () => {
    assert.doesNotThrow(() => assertLeanSizes(LEAN_SIZES));
  });

  test('a staged read bigger than a slot is refused, saying why', () => {
    assert.throws(() => assertLeanSizes({ ...LEAN_SIZES, stage: 2 * LEAN_SIZES.slot }),
      /lean download sizes: one socket read \(stage \d+ bytes\) must fit in one write slot \(\d+ bytes\)/);
  });

  test('a head and first read that do not fit the pool are refused', () => {
    assert.throws(() => assertLeanSizes({ stage: 1024, slot: 1024, pool: 1, maxHead: 4096 }), /must fit in the pool \(1 × 1024 bytes\)/);
  });

  test('zero or fractional sizes are refused', () => {
    assert.throws(() => assertLeanSizes({ ...LEAN_SIZES, pool: 0 }), /positive whole number/);
    assert.throws(() => assertLeanSizes({ ...LEAN_SIZES, stage: 1.5 }), /positive whole number/);
  });

  test('leanGet checks its sizes before it opens anything', async t => {
    const file = path.join(tempDir(t), 'x.part');
    await assert.rejects(
      leanGet(new URL('http://127.0.0.1:9/x'), {}, file, { signal: new AbortController().signal, idleMs: 1000, sizes: { stage: 4096, slot: 1024, pool: 4, maxHead: 1024 } }),
      /must fit in one write slot/,
    );
    assert.equal(existsSync(file), false);
  });

  test('tiny sizes that meet the assumption still download intact', async t => {
    const payload = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7 + 3) % 256));
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': payload.length });
      res.end(payload);
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    t.after(() => new Promise<void>(r => server.close(() => r())));
    const file = path.join(tempDir(t), 'take.part');
    const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/audio?path=x.mp3`);
    const r = await leanGet(url, { accept: '*/*' }, file, {
      signal: new AbortController().signal, idleMs: 5000, sizes: { stage: 64, slot: 1024, pool: 2, maxHead: 1024 },
    });
    assert.equal(r.status, 200);
    assert.equal(r.bytes, payload.length);
    assert.ok(readFileSync(file).equals(payload));
  });
});
