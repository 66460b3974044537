// Writes deterministic test WAV files (tests, benches, screenshots). Pure Node, no `vscode`.
// Files are produced block by block, so a 10-minute take never sits in memory.
import { open } from 'node:fs/promises';

export type WavSampleFormat = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32';

/**
 *  - sine: a steady tone
 *  - noise: white noise (seeded)
 *  - music: a rhythmic tone with a slow swell and some noise, so a waveform has visible shape
 *  - silence
 */
export type WavSignal = 'sine' | 'noise' | 'music' | 'silence';

export interface WavChunk {
  /** Four ASCII characters, e.g. "LIST". */
  id: string;
  data: Uint8Array;
}

export interface WavSpec {
  durationSec: number;
  /** Default 44100. */
  sampleRate?: number;
  /** Default 2. */
  channels?: number;
  /** Default 'pcm16'. */
  format?: WavSampleFormat;
  /** Default 'sine'. */
  signal?: WavSignal;
  /** Tone frequency in Hz, default 440. */
  frequency?: number;
  /** Peak amplitude, 0..1, default 0.5. */
  amplitude?: number;
  /** Noise seed, default 1. */
  seed?: number;
  /** Chunks written between `fmt ` and `data` (odd sizes get their pad byte). */
  chunksBeforeData?: WavChunk[];
  /** Chunks written after `data`. */
  chunksAfterData?: WavChunk[];
  /** Chunks written before `fmt `. */
  chunksBeforeFmt?: WavChunk[];
  /** Use WAVE_FORMAT_EXTENSIBLE instead of a plain PCM / float format tag. */
  extensible?: boolean;
  /** Write 0 as the data chunk size, like a writer that never finished its header. */
  unknownDataSize?: boolean;
}

interface Resolved {
  sampleRate: number;
  channels: number;
  format: WavSampleFormat;
  bytesPerSample: number;
  frames: number;
  signal: WavSignal;
  frequency: number;
  amplitude: number;
  seed: number;
}

function resolve(spec: WavSpec): Resolved {
  const sampleRate = spec.sampleRate ?? 44100;
  const channels = spec.channels ?? 2;
  const format = spec.format ?? 'pcm16';
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new RangeError('sampleRate must be a positive integer');
  if (!Number.isInteger(channels) || channels < 1 || channels > 32) throw new RangeError('channels must be 1..32');
  if (!(spec.durationSec >= 0)) throw new RangeError('durationSec must be ≥ 0');
  const bytesPerSample = { pcm8: 1, pcm16: 2, pcm24: 3, pcm32: 4, float32: 4 }[format];
  return {
    sampleRate, channels, format, bytesPerSample,
    frames: Math.round(spec.durationSec * sampleRate),
    signal: spec.signal ?? 'sine',
    frequency: spec.frequency ?? 440,
    amplitude: Math.min(1, Math.max(0, spec.amplitude ?? 0.5)),
    seed: spec.seed ?? 1,
  };
}

/** A uniform value in [-1, 1) that depends only on (seed, frame, channel). */
function noiseAt(seed: number, frame: number, channel: number): number {
  let h = Math.imul(frame ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(channel + 1, 0xc2b2ae35) ^ Math.imul(seed, 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return (h >>> 0) / 2 ** 31 - 1;
}

/** The sample value (in [-1, 1]) of the test signal at a frame and channel. */
export function signalAt(spec: WavSpec, frame: number, channel: number): number {
  return sampleOf(resolve(spec), frame, channel);
}

function sampleOf(r: Resolved, frame: number, channel: number): number {
  const t = frame / r.sampleRate;
  switch (r.signal) {
    case 'silence':
      return 0;
    case 'sine':
      return r.amplitude * Math.sin(2 * Math.PI * r.frequency * t + channel * 0.25);
    case 'noise':
      return r.amplitude * noiseAt(r.seed, frame, channel);
    case 'music': {
      // Notes every half second with a fast decay, a slow 7-second swell, and a breath of noise.
      const beat = t % 0.5;
      const note = Math.floor(t / 0.5);
      const pitch = r.frequency * [1, 1.25, 1.5, 1.25, 2, 1.5, 1.125, 1][note % 8];
      const hit = 0.25 + 0.75 * Math.exp(-beat * 7);
      const swell = 0.55 + 0.45 * Math.sin(2 * Math.PI * t / 7 - Math.PI / 2);
      const v = 0.85 * Math.sin(2 * Math.PI * pitch * t + channel * 0.3) + 0.15 * noiseAt(r.seed, frame, channel);
      return r.amplitude * hit * swell * v;
    }
  }
}

function chunkBytes(chunks: readonly WavChunk[] | undefined): number {
  return (chunks ?? []).reduce((n, c) => n + 8 + c.data.length + (c.data.length & 1), 0);
}

function writeChunks(out: Buffer, at: number, chunks: readonly WavChunk[] | undefined): number {
  for (const c of chunks ?? []) {
    if (!/^[\x20-\x7e]{4}$/.test(c.id)) throw new RangeError(`chunk id must be 4 ASCII characters: ${JSON.stringify(c.id)}`);
    out.write(c.id, at, 'ascii');
    out.writeUInt32LE(c.data.length, at + 4);
    out.set(c.data, at + 8);
    at += 8 + c.data.length;
    if (c.data.length & 1) out[at++] = 0;
  }
  return at;
}

/** The bytes of everything up to and including the `data` chunk header. */
export function wavHeader(spec: WavSpec): Buffer {
  const r = resolve(spec);
  const dataBytes = r.frames * r.channels * r.bytesPerSample;
  const fmtSize = spec.extensible ? 40 : 16;
  const size = 12 + chunkBytes(spec.chunksBeforeFmt) + 8 + fmtSize + chunkBytes(spec.chunksBeforeData) + 8;
  const h = Buffer.alloc(size);
  h.write('RIFF', 0, 'ascii');
  const riffSize = size - 8 + dataBytes + (dataBytes & 1) + chunkBytes(spec.chunksAfterData);
  h.writeUInt32LE(Math.min(0xffffffff, riffSize), 4);
  h.write('WAVE', 8, 'ascii');
  let at = writeChunks(h, 12, spec.chunksBeforeFmt);
  const tag = r.format === 'float32' ? 3 : 1;
  h.write('fmt ', at, 'ascii');
  h.writeUInt32LE(fmtSize, at + 4);
  h.writeUInt16LE(spec.extensible ? 0xfffe : tag, at + 8);
  h.writeUInt16LE(r.channels, at + 10);
  h.writeUInt32LE(r.sampleRate, at + 12);
  h.writeUInt32LE(r.sampleRate * r.channels * r.bytesPerSample, at + 16);
  h.writeUInt16LE(r.channels * r.bytesPerSample, at + 20);
  h.writeUInt16LE(r.bytesPerSample * 8, at + 22);
  if (spec.extensible) {
    h.writeUInt16LE(22, at + 24); // cbSize
    h.writeUInt16LE(r.bytesPerSample * 8, at + 26); // valid bits
    h.writeUInt32LE(r.channels === 2 ? 3 : r.channels === 1 ? 4 : 0, at + 28); // channel mask
    // Sub-format GUID: the format tag, then the fixed KSDATAFORMAT suffix.
    h.writeUInt16LE(tag, at + 32);
    Buffer.from([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]).copy(h, at + 34);
  }
  at += 8 + fmtSize;
  at = writeChunks(h, at, spec.chunksBeforeData);
  h.write('data', at, 'ascii');
  h.writeUInt32LE(spec.unknownDataSize ? 0 : Math.min(0xffffffff, dataBytes), at + 4);
  return h;
}

/** Encodes frames [from, to) of the signal into `out` (which must be large enough). Returns the byte count. */
function encodeFrames(r: Resolved, from: number, to: number, out: Buffer): number {
  let at = 0;
  for (let f = from; f < to; f++) {
    for (let c = 0; c < r.channels; c++) {
      const v = Math.max(-1, Math.min(1, sampleOf(r, f, c)));
      switch (r.format) {
        case 'pcm8': out[at] = Math.max(0, Math.min(255, Math.round(v * 127) + 128)); break;
        case 'pcm16': out.writeInt16LE(Math.round(v * 32767), at); break;
        case 'pcm24': out.writeIntLE(Math.round(v * 8388607), at, 3); break;
        case 'pcm32': out.writeInt32LE(Math.round(v * 2147483647), at); break;
        case 'float32': out.writeFloatLE(v, at); break;
      }
      at += r.bytesPerSample;
    }
  }
  return at;
}

const BLOCK_FRAMES = 16_384;

/** Writes a WAV file for `spec`, streaming it block by block. Returns the frame count and the file size. */
export async function writeWav(path: string, spec: WavSpec): Promise<{ frames: number; bytes: number }> {
  const r = resolve(spec);
  const fh = await open(path, 'w');
  try {
    const header = wavHeader(spec);
    await fh.write(header);
    let bytes = header.length;
    const block = Buffer.alloc(BLOCK_FRAMES * r.channels * r.bytesPerSample);
    for (let f = 0; f < r.frames; f += BLOCK_FRAMES) {
      const n = encodeFrames(r, f, Math.min(r.frames, f + BLOCK_FRAMES), block);
      await fh.write(block, 0, n);
      bytes += n;
    }
    const dataBytes = r.frames * r.channels * r.bytesPerSample;
    if (dataBytes & 1) { await fh.write(Buffer.alloc(1)); bytes++; }
    if (spec.chunksAfterData?.length) {
      const tail = Buffer.alloc(chunkBytes(spec.chunksAfterData));
      writeChunks(tail, 0, spec.chunksAfterData);
      await fh.write(tail);
      bytes += tail.length;
    }
    return { frames: r.frames, bytes };
  } finally {
    await fh.close();
  }
}

/** A whole WAV file in memory; for short test files only. */
export function wavBuffer(spec: WavSpec): Buffer {
  const r = resolve(spec);
  const dataBytes = r.frames * r.channels * r.bytesPerSample;
  const data = Buffer.alloc(dataBytes + (dataBytes & 1));
  encodeFrames(r, 0, r.frames, data);
  const tail = Buffer.alloc(chunkBytes(spec.chunksAfterData));
  writeChunks(tail, 0, spec.chunksAfterData);
  return Buffer.concat([wavHeader(spec), data, tail]);
}

/** A LIST/INFO chunk with one INAM (title) entry, the usual metadata block writers put before `data`. */
export function listInfoChunk(title: string): WavChunk {
  const text = Buffer.from(title + '\0', 'latin1');
  const body = Buffer.alloc(4 + 8 + text.length + (text.length & 1));
  body.write('INFO', 0, 'ascii');
  body.write('INAM', 4, 'ascii');
  body.writeUInt32LE(text.length, 8);
  text.copy(body, 12);
  return { id: 'LIST', data: body };
}
