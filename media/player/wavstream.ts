// Peaks of a WAV take computed in the webview straight from the fetch body stream: the header is parsed
// as bytes arrive and the samples are reduced to min/max pairs chunk by chunk, so a 10-minute take
// needs neither a 100 MB ArrayBuffer nor a 200 MB decoded AudioBuffer, and no task runs long.
// Same rules and bucket boundaries as src/core/player/peaks.ts (the host side), so both give the same
// peaks: PCM 8/16/24/32-bit and float 32/64-bit, any chunk layout, odd chunks with or without pad byte.
import { PeakAccumulator } from '../../src/core/player/peak-accumulator';
import { yieldToEventLoop } from './yield';

/** Main-thread work between yields, in ms. */
const SLICE_MS = 8;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

interface Format {
  float: boolean;
  bits: number;
  channels: number;
  blockAlign: number;
}

const EXTENSIBLE_SUFFIX = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/** Thrown when the bytes are not a WAV this reducer handles; the caller falls back to decodeAudioData. */
export class NotStreamableWav extends Error {}

/**
 * Push parser: `push(bytes)` as they arrive, then `finish()`. `totalBytes` (the Content-Length) is only
 * needed when the header does not say how long the data is.
 */
export class WavPeakStream {
  private state: 'riff' | 'pad' | 'head' | 'fmt' | 'skip' | 'data' | 'done' = 'riff';
  private need = 12;
  private acc = new Uint8Array(64);
  private have = 0;
  private skipLeft = 0;
  private afterSkip: 'pad' | 'head' = 'head';
  private consumed = 0;
  private fmt: Format | null = null;
  private fmtSize = 0;
  private dataLeft = 0;
  private peaks: PeakAccumulator | null = null;
  private carry: Uint8Array = new Uint8Array(0);
  private work = new ArrayBuffer(0);

  constructor(private readonly buckets: number, private readonly totalBytes: number | null) {}

  get headerDone(): boolean {
    return this.state === 'data' || this.state === 'done';
  }

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length && this.state !== 'done') {
      if (this.state === 'data') {
        i += this.samples(chunk.subarray(i));
      } else if (this.state === 'skip') {
        const n = Math.min(this.skipLeft, chunk.length - i);
        i += n;
        this.consumed += n;
        this.skipLeft -= n;
        if (this.skipLeft === 0) this.state = this.afterSkip;
      } else if (this.state === 'pad') {
        // The pad byte after an odd chunk is 0; a writer that forgot it starts the next id right away.
        if (chunk[i] === 0) { i++; this.consumed++; }
        this.state = 'head';
        this.need = 8;
      } else {
        const n = Math.min(this.need - this.have, chunk.length - i);
        this.acc.set(chunk.subarray(i, i + n), this.have);
        this.have += n;
        i += n;
        this.consumed += n;
        if (this.have === this.need) {
          const bytes = this.acc.subarray(0, this.need);
          this.have = 0;
          this.header(bytes);
        }
      }
    }
  }

  private header(b: Uint8Array): void {
    const text = (at: number) => String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
    const u16 = (at: number) => b[at] | (b[at + 1] << 8);
    const u32 = (at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
    if (this.state === 'riff') {
      if (text(0) !== 'RIFF' || text(8) !== 'WAVE') throw new NotStreamableWav('not a RIFF/WAVE file');
      this.state = 'head';
      this.need = 8;
      return;
    }
    if (this.state === 'head') {
      const id = text(0), size = u32(4);
      if (!/^[\x20-\x7e]{4}$/.test(id)) throw new NotStreamableWav('damaged chunk list');
      if (id === 'fmt ') {
        this.fmtSize = size;
        this.state = 'fmt';
        this.need = Math.min(size, 64);
        if (this.need < 16) throw new NotStreamableWav('short fmt chunk');
      } else if (id === 'data') {
        this.startData(size);
      } else {
        this.skip(size);
      }
      return;
    }
    if (this.state === 'fmt') {
      let tag = u16(0);
      if (tag === 0xfffe) {
        if (b.length < 40 || !EXTENSIBLE_SUFFIX.every((x, k) => b[26 + k] === x)) throw new NotStreamableWav('unknown extensible format');
        tag = u16(24);
      }
      const channels = u16(2), bits = u16(14), align = u16(12);
      const float = tag === 3;
      if (!(tag === 1 || tag === 3) || !(float ? [32, 64] : [8, 16, 24, 32]).includes(bits) || channels < 1) {
        throw new NotStreamableWav(`unsupported WAV encoding (tag ${tag}, ${bits} bits)`);
      }
      const frameBytes = channels * (bits / 8);
      const blockAlign = align >= frameBytes && align % (bits / 8) === 0 ? align : frameBytes;
      this.fmt = { float, bits, channels, blockAlign };
      this.skip(this.fmtSize - this.need);
    }
  }

  private skip(size: number): void {
    this.skipLeft = size;
    this.afterSkip = size & 1 ? 'pad' : 'head';
    this.need = 8;
    this.state = size === 0 ? this.afterSkip : 'skip';
  }

  private startData(declared: number): void {
    const f = this.fmt;
    if (!f) throw new NotStreamableWav('data before fmt');
    const available = this.totalBytes !== null ? Math.max(0, this.totalBytes - this.consumed) : null;
    let bytes = declared;
    if (available !== null && (declared === 0 || declared > available)) bytes = available;
    if (bytes === 0 && available === null) throw new NotStreamableWav('unknown data length');
    const frames = Math.floor(bytes / f.blockAlign);
    this.dataLeft = frames * f.blockAlign;
    this.peaks = new PeakAccumulator(frames, this.buckets, f.float ? 1 : 1 / 2 ** (f.bits - 1));
    this.state = frames === 0 ? 'done' : 'data';
  }

  /** Reduces whole frames from carry + bytes; returns how many bytes of `bytes` were used. */
  private samples(bytes: Uint8Array): number {
    const f = this.fmt!;
    const use = Math.min(bytes.length, this.dataLeft - this.carry.length);
    const total = this.carry.length + use;
    const frames = Math.floor(total / f.blockAlign);
    const whole = frames * f.blockAlign;
    if (frames > 0) {
      if (this.work.byteLength < whole) this.work = new ArrayBuffer(Math.max(whole, 1 << 16));
      const w = new Uint8Array(this.work, 0, whole);
      w.set(this.carry.subarray(0, Math.min(this.carry.length, whole)), 0);
      w.set(bytes.subarray(0, whole - this.carry.length), this.carry.length);
      this.reduce(w, frames, f);
      this.dataLeft -= whole;
    }
    // Keep the partial frame at the end (it may reach back into the old carry).
    const rest = total - whole;
    this.carry = rest <= use ? bytes.slice(use - rest, use)
      : concat(this.carry.subarray(this.carry.length - (rest - use)), bytes.subarray(0, use));
    if (this.dataLeft <= 0) this.state = 'done';
    return use;
  }

  private reduce(w: Uint8Array, frames: number, f: Format): void {
    const stride = f.blockAlign / (f.bits / 8);
    const n = frames * stride;
    let view: ArrayLike<number>;
    if (f.float) view = f.bits === 32 ? new Float32Array(w.buffer, 0, n) : new Float64Array(w.buffer, 0, n);
    else if (f.bits === 16) view = new Int16Array(w.buffer, 0, n);
    else if (f.bits === 32) view = new Int32Array(w.buffer, 0, n);
    else {
      const out = new Int32Array(n);
      if (f.bits === 8) for (let k = 0; k < n; k++) out[k] = w[k] - 128;
      else for (let k = 0, at = 0; k < n; k++, at += 3) out[k] = ((w[at] | (w[at + 1] << 8) | (w[at + 2] << 16)) << 8) >> 8;
      view = out;
    }
    if (stride !== f.channels) {
      // Padded frames: keep the first `channels` samples of each.
      const packed = new Float64Array(frames * f.channels);
      for (let fr = 0; fr < frames; fr++) for (let c = 0; c < f.channels; c++) packed[fr * f.channels + c] = view[fr * stride + c];
      view = packed;
    }
    this.peaks!.add(view, 0, frames, f.channels);
  }

  /** The peaks, once the data is complete (a short file gives what arrived). */
  finish(): number[] {
    if (!this.peaks) throw new NotStreamableWav('no data chunk');
    return this.peaks.result();
  }
}

/**
 * Fetches `src` and reduces it to peaks while it downloads. Throws NotStreamableWav (before using much
 * of the body) when the file is not a WAV this handles.
 */
export async function streamWavPeaks(src: string, buckets: number, signal: AbortSignal): Promise<number[]> {
  const res = await fetch(src, { signal });
  if (!res.ok || !res.body) throw new Error(`could not load the audio (HTTP ${res.status})`);
  const length = Number(res.headers.get('content-length'));
  const parser = new WavPeakStream(buckets, Number.isFinite(length) && length > 0 ? length : null);
  const reader = res.body.getReader();
  let slice = performance.now();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // Big chunks are cut so no single step runs long.
      for (let at = 0; at < value.length; at += 1 << 20) {
        parser.push(value.subarray(at, at + (1 << 20)));
        if (performance.now() - slice > SLICE_MS) {
          await yieldToEventLoop();
          signal.throwIfAborted();
          slice = performance.now();
        }
      }
    }
  } catch (e) {
    reader.cancel().catch(() => undefined);
    throw e;
  }
  return parser.finish();
}
