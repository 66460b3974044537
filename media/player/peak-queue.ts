// The queue that computes waveform peaks for takes that came without them: one take at a time, the
// current one first, each cancellable (peaks from the host, or the take going away, stop it). Peaks
// computed here are kept by take key, so a reload of the same takes does not decode again. No DOM: the
// decoder and what happens around each take are passed in.
import type { TakeView } from '../../src/core/player/protocol';
import { errorMessage } from '../../src/core/util/error-message';

/** A take the queue can work on (the page's take slot). */
export interface PeakTarget {
  readonly key: string;
  readonly take: TakeView;
  readonly hasPeaks: boolean;
  /** Set while the take is queued or decoding. */
  decoding: AbortController | null;
  /** Its audio or its peaks failed: never tried again. */
  failed: boolean;
  /** Draws these peaks (and clears the status line). */
  showPeaks(peaks: number[]): void;
  setStatus(text: string): void;
}

export interface PeakSink<T extends PeakTarget> {
  /** Whether the take is still on the page when its turn comes. */
  listed(target: T): boolean;
  queued(target: T): void;
  /** The peaks are computed and shown. */
  computed(target: T, peaks: number[]): void;
  /** `error` is what the decoder threw (a DOMException named EncodingError: the audio cannot be decoded). */
  failed(target: T, why: string, error: unknown): void;
}

export type Decode = (take: Pick<TakeView, 'src' | 'format'>, buckets: number, signal: AbortSignal) => Promise<number[]>;

export class PeakQueue<T extends PeakTarget> {
  private readonly computedPeaks = new Map<string, number[]>();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly sink: PeakSink<T>, private readonly decode: Decode, private readonly buckets: number) {}

  /** Forgets the peaks of takes no longer listed (the host's peaks replace ours; keep ours only for takes still listed). */
  keepOnly(keys: ReadonlySet<string>): void {
    for (const k of [...this.computedPeaks.keys()]) if (!keys.has(k)) this.computedPeaks.delete(k);
  }

  /** A take put on the page: it shows the peaks the host sent with it, else those computed here before (if any). */
  place(target: T): void {
    const peaks = target.take.peaks ?? this.computedPeaks.get(target.key);
    if (!peaks) return;
    this.cancel(target);
    // Peaks the host sent replace what is drawn; computed ones are drawn only where nothing is.
    if (!target.hasPeaks || target.take.peaks) target.showPeaks(peaks);
    else target.setStatus('');
  }

  /** Stops computing peaks for a take (it got them some other way, or is going away). */
  cancel(target: T): void {
    target.decoding?.abort();
    target.decoding = null;
  }

  /** Queues every take without peaks that is neither queued nor failed, `current` first. */
  schedule(targets: readonly T[], current: T | undefined): void {
    const todo = targets.filter(s => !s.hasPeaks && !s.decoding && !s.failed)
      .sort((a, b) => Number(b === current) - Number(a === current));
    for (const target of todo) {
      const ctrl = new AbortController();
      target.decoding = ctrl;
      this.sink.queued(target);
      this.chain = this.chain.then(() => this.run(target, ctrl));
    }
  }

  /** Resolves when everything queued so far has run (for tests). */
  idle(): Promise<void> {
    return this.chain;
  }

  private async run(target: T, ctrl: AbortController): Promise<void> {
    if (ctrl.signal.aborted || !this.sink.listed(target)) return;
    try {
      const peaks = await this.decode(target.take, this.buckets, ctrl.signal);
      if (ctrl.signal.aborted) return;
      target.decoding = null;
      this.computedPeaks.set(target.key, peaks);
      target.showPeaks(peaks);
      this.sink.computed(target, peaks);
    } catch (e) {
      if (ctrl.signal.aborted) return;
      target.decoding = null;
      target.failed = true;
      this.sink.failed(target, errorMessage(e), e);
    }
  }
}
