// Waveform peaks of a WAV take, computed by streaming the file in fixed-size blocks (never the whole
// file in memory). Pure Node, no `vscode`. Peaks are min/max pairs; see protocol.ts for the format.
//
// Supported: RIFF/WAVE with PCM 8/16/24/32-bit integer or 32/64-bit float samples, plain or
// WAVE_FORMAT_EXTENSIBLE, any channel count; any chunks around `fmt `/`data` (LIST, fact, bext, …),
// odd-sized chunks with or without their pad byte, a zero/oversized data size (taken to the end of
// the file). Anything else (MP3, FLAC, compressed WAV, RF64) gives null, and the webview decodes it.
import { open, type FileHandle } from 'node:fs/promises';
import { endianness } from 'node:os';
import { PeakAccumulator } from './peak-accumulator';
import { DEFAULT_PEAK_BUCKETS } from './protocol';

export { PeakAccumulator } from './peak-accumulator';

export type WavSampleKind = 'pcm' | 'float';

export interface WavInfo {
  kind: WavSampleKind;
  bitsPerSample: number;
  channels: number;
  sampleRate: number;
  /** Bytes per frame (all channels). */
  blockAlign: number;
  /** File offset of the first sample byte. */
  dataOffset: number;
  /** Sample bytes actually available (clamped to the file). */
  dataBytes: number;
  frames: number;
  durationSec: number;
}

export interface PeaksResult extends WavInfo {
  /** Min/max pairs, `2 × buckets` numbers in [-1, 1]. */
  peaks: number[];
  buckets: number;
}

export interface PeaksOptions {
  /** Number of min/max pairs (default 2000); fewer when the file has fewer frames. */
  buckets?: number;
  /** Bytes read at a time (default 1 MiB). */
  blockBytes?: number;
  signal?: AbortSignal;
}

const MAX_CHUNKS = 4096;
const KSDATAFORMAT_SUFFIX = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === length ? buf : buf.subarray(0, got);
}

const isChunkId = (b: Buffer) => b.length >= 4 && [0, 1, 2, 3].every(i => b[i] >= 0x20 && b[i] <= 0x7e);

/** Reads the WAV header (walking the chunk list). Null when the file is not a WAV we can decode. */
export async function readWavInfo(path: string): Promise<WavInfo | null> {
  const fh = await open(path, 'r');
  try {
    return await infoOf(fh);
  } finally {
    await fh.close();
  }
}

async function infoOf(fh: FileHandle): Promise<WavInfo | null> {
  const fileSize = (await fh.stat()).size;
  const riff = await readAt(fh, 0, 12);
  if (riff.length < 12 || riff.toString('latin1', 0, 4) !== 'RIFF' || riff.toString('latin1', 8, 12) !== 'WAVE') return null;
  let fmt: { tag: number; channels: number; sampleRate: number; blockAlign: number; bits: number } | null = null;
  let pos = 12;
  let afterOddChunk = false;
  for (let n = 0; n < MAX_CHUNKS && pos + 8 <= fileSize; n++) {
    if (afterOddChunk) {
      // The pad byte after an odd-sized chunk must be 0. A non-zero byte that starts a chunk id means the
      // writer forgot the pad: the next header starts one byte earlier.
      const unpadded = await readAt(fh, pos - 1, 8);
      if (unpadded.length === 8 && unpadded[0] !== 0 && isChunkId(unpadded)) pos -= 1;
    }
    const head = await readAt(fh, pos, 8);
    if (!isChunkId(head)) return null;
    if (head.length < 8) return null;
    const id = head.toString('latin1', 0, 4);
    const size = head.readUInt32LE(4);
    if (id === 'fmt ') {
      const body = await readAt(fh, pos + 8, Math.min(size, 64));
      if (body.length < 16) return null;
      let tag = body.readUInt16LE(0);
      if (tag === 0xfffe) {
        if (body.length < 40) return null;
        if (!KSDATAFORMAT_SUFFIX.every((b, i) => body[26 + i] === b)) return null;
        tag = body.readUInt16LE(24);
      }
      fmt = { tag, channels: body.readUInt16LE(2), sampleRate: body.readUInt32LE(4), blockAlign: body.readUInt16LE(12), bits: body.readUInt16LE(14) };
    } else if (id === 'data') {
      if (!fmt) return null;
      return describe(fmt, pos + 8, size, fileSize);
    }
    pos += 8 + size + (size & 1);
    afterOddChunk = (size & 1) === 1;
  }
  return null;
}

function describe(fmt: { tag: number; channels: number; sampleRate: number; blockAlign: number; bits: number },
  dataOffset: number, declared: number, fileSize: number): WavInfo | null {
  const kind: WavSampleKind | null = fmt.tag === 1 ? 'pcm' : fmt.tag === 3 ? 'float' : null;
  if (!kind) return null;
  const okBits = kind === 'pcm' ? [8, 16, 24, 32] : [32, 64];
  if (!okBits.includes(fmt.bits) || fmt.channels < 1 || fmt.sampleRate < 1) return null;
  const frameBytes = fmt.channels * (fmt.bits / 8);
  // Some writers leave blockAlign wrong; the samples are packed either way.
  const blockAlign = fmt.blockAlign >= frameBytes && fmt.blockAlign % (fmt.bits / 8) === 0 ? fmt.blockAlign : frameBytes;
  const available = Math.max(0, fileSize - dataOffset);
  // 0 or 0xFFFFFFFF (streaming writers) or past the end (truncated file): take what is there.
  const dataBytes = declared === 0 || declared > available ? available : declared;
  const frames = Math.floor(dataBytes / blockAlign);
  return {
    kind, bitsPerSample: fmt.bits, channels: fmt.channels, sampleRate: fmt.sampleRate, blockAlign,
    dataOffset, dataBytes: frames * blockAlign, frames, durationSec: frames / fmt.sampleRate,
  };
}

/**
 * Computes `buckets` min/max pairs for a WAV file, reading it in blocks.
 * Null when the file is not a WAV this module decodes (then the webview decodes it).
 * File-system errors (missing file…) reject.
 */
export async function computeWavPeaks(path: string, options: PeaksOptions = {}): Promise<PeaksResult | null> {
  // Typed-array views read the host's byte order; every platform VS Code runs on is little-endian.
  if (endianness() !== 'LE') return null;
  const fh = await open(path, 'r');
  try {
    const info = await infoOf(fh);
    if (!info) return null;
    const acc = new PeakAccumulator(info.frames, options.buckets ?? DEFAULT_PEAK_BUCKETS, scaleOf(info));
    const bytesPerSample = info.bitsPerSample / 8;
    const framesPerBlock = Math.max(1, Math.floor((options.blockBytes ?? 1 << 20) / info.blockAlign));
    const raw = new Uint8Array(new ArrayBuffer(framesPerBlock * info.blockAlign));
    // Frames are read packed: when blockAlign has padding, the stride differs from the channel count.
    const stride = info.blockAlign / bytesPerSample;
    const padded = stride !== info.channels;
    const scratch = (info.bitsPerSample === 8 || info.bitsPerSample === 24 || padded)
      ? new Float64Array(framesPerBlock * info.channels) : null;
    for (let frame = 0; frame < info.frames;) {
      options.signal?.throwIfAborted();
      const want = Math.min(framesPerBlock, info.frames - frame);
      const got = await readInto(fh, raw, want * info.blockAlign, info.dataOffset + frame * info.blockAlign);
      const n = Math.floor(got / info.blockAlign);
      if (n === 0) break;
      const view = sampleView(raw, info, n);
      if (scratch) {
        // Repack: drop padding, decode 8/24-bit samples.
        for (let f = 0; f < n; f++) {
          for (let c = 0; c < info.channels; c++) scratch[f * info.channels + c] = sampleAt(raw, view, info, f * stride + c);
        }
        acc.add(scratch, 0, n, info.channels);
      } else {
        acc.add(view, 0, n, info.channels);
      }
      frame += n;
    }
    return { ...info, peaks: acc.result(), buckets: acc.buckets };
  } finally {
    await fh.close();
  }
}

async function readInto(fh: FileHandle, buf: Uint8Array, length: number, position: number): Promise<number> {
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

type SampleView = Int16Array | Int32Array | Float32Array | Float64Array | Uint8Array;

/** The factor that maps raw sample values to [-1, 1]. */
function scaleOf(info: WavInfo): number {
  if (info.kind === 'float') return 1;
  return 1 / 2 ** (info.bitsPerSample - 1);
}

/** A typed view over the first `frames` frames of `raw` (8/24-bit: the bytes, decoded by sampleAt). */
function sampleView(raw: Uint8Array, info: WavInfo, frames: number): SampleView {
  const samples = (frames * info.blockAlign) / (info.bitsPerSample / 8);
  const b = raw.buffer;
  if (info.kind === 'float') return info.bitsPerSample === 32 ? new Float32Array(b, 0, samples) : new Float64Array(b, 0, samples);
  switch (info.bitsPerSample) {
    case 16: return new Int16Array(b, 0, samples);
    case 32: return new Int32Array(b, 0, samples);
    default: return raw;
  }
}

/** The raw (unscaled) value of sample `index` (in samples, counting padding) of a block. */
function sampleAt(raw: Uint8Array, view: SampleView, info: WavInfo, index: number): number {
  switch (info.bitsPerSample) {
    case 8: return raw[index] - 128;
    case 24: {
      const at = index * 3;
      return ((raw[at] | (raw[at + 1] << 8) | (raw[at + 2] << 16)) << 8) >> 8;
    }
    default: return view[index];
  }
}
