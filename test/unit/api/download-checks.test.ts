// A take must be audio, and must arrive at a useful pace: an empty or textual 200 is refused with the
// server's words, a trickle is stopped after a grace period (then retried), and every format the test
// server makes passes the check.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { AceStepClient, AceStepError } from '../../../src/core/api';
import { fake, listFiles, tempDir } from './helpers';

async function rejectsKind(p: Promise<unknown>, kind: string, check?: (e: AceStepError) => void): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AceStepError, String(e));
    assert.equal(e.kind, kind, e.message);
    check?.(e);
    return true;
  });
}

for (const transport of ['auto', 'undici'] as const) describe(`a take must be audio (${transport})`, () => {
  const cases: { name: string; body: string; framing?: 'length' | 'chunked'; says: RegExp }[] = [
    { name: 'Content-Length 0', body: '', says: /empty/ },
    { name: 'no body at all', body: '', framing: 'chunked', says: /empty/ },
    { name: 'a text', body: 'Internal error: \x1b]0;pwned\x07the file went away', says: /Internal error: .*the file went away/ },
  ];
  for (const c of cases) test(`200 with ${c.name}: a bad response, the server's words, nothing kept`, async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'W', notAudio: { body: c.body, ...(c.framing ? { framing: c.framing } : {}) } });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const link = server.addFile('/app/outputs/a.mp3', 1000);
    await rejectsKind(client.download(link, path.join(dir, 'a.mp3'), { transport, retryDelayMs: () => 5 }), 'bad-response', e => {
      assert.match(e.message, c.says);
      assert.match(e.message, /not mp3 audio|empty/);
      assert.doesNotMatch(e.message, /\x1b|\x07/);
    });
    assert.deepEqual(listFiles(dir), []);
  });

  test('every format the test server makes passes the check', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'U' });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    for (const ext of ['mp3', 'wav', 'flac', 'ogg', 'opus', 'aac']) {
      const link = server.addFile(`/app/.cache/acestep/tmp/api_audio/x.${ext}`, 5_000);
      const dest = path.join(dir, `x.${ext}`);
      await client.download(link, dest, { transport });
      assert.ok(readFileSync(dest).equals(server.expectedBytes(`/app/.cache/acestep/tmp/api_audio/x.${ext}`)), ext);
    }
  });
});

describe('nothing is overwritten', () => {
  test('a download to a name that exists fails and leaves that file as it was', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'W' });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const link = server.addFile('/app/outputs/a.mp3', 5_000);
    writeFileSync(path.join(dir, 'a.mp3'), 'mine');
    writeFileSync(path.join(dir, 'b.mp3.part'), 'another download');
    await rejectsKind(client.download(link, path.join(dir, 'a.mp3')), 'disk', e => assert.match(e.message, /already exists: not replaced/));
    assert.equal(readFileSync(path.join(dir, 'a.mp3'), 'utf8'), 'mine');
    await rejectsKind(client.download(link, path.join(dir, 'b.mp3')), 'disk', e => assert.match(e.message, /in use by another download/));
    assert.equal(readFileSync(path.join(dir, 'b.mp3.part'), 'utf8'), 'another download');
    assert.deepEqual(listFiles(dir), ['a.mp3', 'b.mp3.part']);
  });
});

for (const transport of ['auto', 'undici'] as const) describe(`a trickling download (${transport})`, () => {
  test('stopped after the grace period at the minimum pace: a timeout naming the pace, then retried', { timeout: 10_000 }, async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'W', trickleDownloads: { intervalMs: 50, afterBytes: 100, always: true } });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const link = server.addFile('/app/outputs/a.mp3', 50_000);
    const started = Date.now();
    await rejectsKind(client.download(link, path.join(dir, 'a.mp3'), { transport, attempts: 2, retryDelayMs: () => 5, minBytesPerSecond: 1_000, slowGraceMs: 300 }), 'timeout', e => {
      assert.match(e.message, /too slow/);
      assert.match(e.message, /1000 bytes\/s/);
      assert.match(e.message, /2 tries/);
    });
    assert.ok(Date.now() - started < 5_000);
    assert.equal(server.requests.filter(r => r.path.startsWith('/v1/audio')).length, 2);
    assert.deepEqual(listFiles(dir), []);
  });

  test('a trickle once: the retry gets the take', { timeout: 10_000 }, async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'W', trickleDownloads: { intervalMs: 50 } });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const link = server.addFile('/app/outputs/a.mp3', 50_000);
    const r = await client.download(link, path.join(dir, 'a.mp3'), { transport, retryDelayMs: () => 5, minBytesPerSecond: 1_000, slowGraceMs: 300 });
    assert.equal(r.attempts, 2);
    assert.ok(readFileSync(path.join(dir, 'a.mp3')).equals(server.expectedBytes('/app/outputs/a.mp3')));
    assert.equal(existsSync(path.join(dir, 'a.mp3.part')), false);
  });

  test('a fast download is never cut by the pace check', async t => {
    const dir = tempDir(t);
    const server = await fake(t, { flavour: 'W' });
    const client = new AceStepClient({ baseUrl: server.url });
    t.after(() => client.close());
    const link = server.addFile('/app/outputs/b.wav', 2_000_000);
    const r = await client.download(link, path.join(dir, 'b.wav'), { transport, minBytesPerSecond: 1_000, slowGraceMs: 0 });
    assert.equal(r.attempts, 1);
    assert.equal(r.bytes, 2_000_000);
  });
});

