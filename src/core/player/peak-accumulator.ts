// Min/max reduction of interleaved samples into waveform buckets. No Node or DOM imports: the host
// (peaks.ts, reading files) and the webview (media/player/wavstream.ts, reading a fetch stream) share it,
// so both sides give the same peaks.
import { roundPeak } from './protocol';

/**
 * Splits `frames` frames into `buckets` contiguous ranges and keeps each range's min and max over
 * all channels. Fed block by block with raw samples; `scale` maps them to [-1, 1] at the end.
 */
export class PeakAccumulator {
  readonly buckets: number;
  private readonly mins: Float64Array;
  private readonly maxs: Float64Array;
  private bucket = 0;
  private frame = 0;
  private boundary: number;

  constructor(readonly frames: number, buckets: number, private readonly scale = 1) {
    this.buckets = frames <= 0 ? 0 : Math.max(1, Math.min(Math.floor(buckets), frames));
    this.mins = new Float64Array(this.buckets).fill(Infinity);
    this.maxs = new Float64Array(this.buckets).fill(-Infinity);
    this.boundary = this.endOf(0);
  }

  /** Frames added so far. */
  get done(): number {
    return this.frame;
  }

  private endOf(b: number): number {
    return Math.floor(((b + 1) * this.frames) / this.buckets);
  }

  /** Adds `count` frames of interleaved samples (`channels` values per frame) read from `samples` at `offset`. */
  add(samples: ArrayLike<number>, offset: number, count: number, channels: number): void {
    let i = offset;
    let left = Math.min(count, this.frames - this.frame);
    while (left > 0) {
      const take = Math.min(left, this.boundary - this.frame);
      let lo = this.mins[this.bucket], hi = this.maxs[this.bucket];
      const end = i + take * channels;
      for (; i < end; i++) {
        const v = samples[i];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      this.mins[this.bucket] = lo;
      this.maxs[this.bucket] = hi;
      this.frame += take;
      left -= take;
      if (this.frame >= this.boundary && this.bucket < this.buckets - 1) {
        this.bucket++;
        this.boundary = this.endOf(this.bucket);
      }
    }
  }

  /** The min/max pairs, scaled, rounded and clamped to [-1, 1]; buckets never fed read as 0. */
  result(): number[] {
    const out = new Array<number>(this.buckets * 2);
    for (let b = 0; b < this.buckets; b++) {
      const lo = this.mins[b] * this.scale, hi = this.maxs[b] * this.scale;
      // ±Infinity in the wrong direction means "never fed"; in the right one (float files) it clamps.
      out[2 * b] = lo === Infinity ? 0 : roundPeak(lo);
      out[2 * b + 1] = hi === -Infinity ? 0 : roundPeak(hi);
    }
    return out;
  }
}
