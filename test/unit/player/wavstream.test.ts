// The webview's streaming WAV reducer (media/player/wavstream.ts) against the host's file reader
// (src/core/player/peaks.ts): same peaks for every layout, however the bytes are split.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { assertProperty } from '../property';
import { NotStreamableWav, WavPeakStream } from '../../../media/player/wavstream';
import { computeWavPeaks } from '../../../src/core/player/peaks';
import { listInfoChunk, wavBuffer, type WavSpec } from '../../../src/core/player/wav';

const dir = mkdtempSync(path.join(tmpdir(), 'acestep-wavstream-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function hostPeaks(bytes: Buffer, buckets: number): Promise<number[] | null> {
  const f = path.join(dir, `s${n++}.wav`);
  writeFileSync(f, bytes);
  return (await computeWavPeaks(f, { buckets }))?.peaks ?? null;
}

function streamPeaks(bytes: Uint8Array, buckets: number, cuts: number[], withLength = true): number[] {
  const s = new WavPeakStream(buckets, withLength ? bytes.length : null);
  let at = 0;
  for (const c of [...cuts.filter(x => x > 0 && x < bytes.length)].sort((a, b) => a - b)) {
    s.push(bytes.subarray(at, c));
    at = c;
  }
  s.push(bytes.subarray(at));
  return s.finish();
}

const layouts: [string, WavSpec][] = [
  ['16-bit stereo', { durationSec: 0.3, sampleRate: 8000, channels: 2, format: 'pcm16', signal: 'music' }],
  ['24-bit mono with LIST and odd chunks', { durationSec: 0.2, sampleRate: 8000, channels: 1, format: 'pcm24', signal: 'noise',
    chunksBeforeFmt: [{ id: 'JUNK', data: new Uint8Array(9) }], chunksBeforeData: [listInfoChunk('abc'), { id: 'fact', data: new Uint8Array(3).fill(7) }] }],
  ['32-bit int, extensible', { durationSec: 0.2, sampleRate: 8000, channels: 2, format: 'pcm32', signal: 'sine', extensible: true }],
  ['float, 3 channels', { durationSec: 0.2, sampleRate: 8000, channels: 3, format: 'float32', signal: 'music', amplitude: 0.9 }],
  ['8-bit', { durationSec: 0.2, sampleRate: 8000, channels: 1, format: 'pcm8', signal: 'sine' }],
  ['unknown data size', { durationSec: 0.2, sampleRate: 8000, channels: 2, format: 'pcm16', signal: 'noise', unknownDataSize: true,
    chunksAfterData: [{ id: 'tail', data: new Uint8Array(11) }] }],
];

for (const [name, spec] of layouts) {
  test(`streamed peaks equal the host's: ${name}`, async () => {
    const bytes = wavBuffer(spec);
    const expected = await hostPeaks(bytes, 50);
    assert.ok(expected);
    assert.deepEqual(streamPeaks(bytes, 50, []), expected);
    // Every split point in the header, and a few random splits through the samples.
    for (let cut = 1; cut < 140; cut++) assert.deepEqual(streamPeaks(bytes, 50, [cut]), expected, `split at ${cut}`);
    assertProperty(fc.property(fc.array(fc.nat(bytes.length), { maxLength: 20 }), cuts => {
      assert.deepEqual(streamPeaks(bytes, 50, cuts), expected);
    }), { numRuns: 50 });
  });
}

test('a chunk without its pad byte is read the same way as on the host', async () => {
  const good = wavBuffer({ durationSec: 0.1, sampleRate: 8000, channels: 1, signal: 'sine', chunksBeforeData: [{ id: 'bext', data: new Uint8Array(3).fill(0x41) }] });
  const padAt = 12 + 24 + 8 + 3;
  const bad = Buffer.concat([good.subarray(0, padAt), good.subarray(padAt + 1)]);
  const expected = await hostPeaks(bad, 10);
  assert.ok(expected);
  assert.deepEqual(streamPeaks(bad, 10, [padAt, padAt + 1]), expected);
});

test('what the stream cannot handle is reported as NotStreamableWav', () => {
  const mp3 = Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00\x00\x00', 'latin1'), Buffer.alloc(100)]);
  assert.throws(() => streamPeaks(mp3, 10, []), NotStreamableWav);
  const adpcm = wavBuffer({ durationSec: 0.01, sampleRate: 8000, channels: 1 });
  adpcm.writeUInt16LE(2, 20);
  assert.throws(() => streamPeaks(adpcm, 10, []), NotStreamableWav);
  // Length unknown both in the header and from the transport.
  const open = wavBuffer({ durationSec: 0.01, sampleRate: 8000, channels: 1, unknownDataSize: true });
  assert.throws(() => streamPeaks(open, 10, [], false), NotStreamableWav);
  // No data chunk at all.
  assert.throws(() => streamPeaks(wavBuffer({ durationSec: 0, sampleRate: 8000 }).subarray(0, 36), 10, []), NotStreamableWav);
});
