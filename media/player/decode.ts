// Peaks for a take that came without them. WAV takes are reduced while they download (wavstream.ts);
// anything else (MP3, FLAC, …) is fetched whole, decoded by the browser (off the main thread) and
// reduced in slices that yield to the event loop, so input and painting keep going meanwhile.
import { roundPeak, type TakeView } from '../../src/core/player/protocol';
import { NotStreamableWav, streamWavPeaks } from './wavstream';
import { yieldToEventLoop } from './yield';

/** Main-thread work per slice before yielding, in ms. */
const SLICE_MS = 8;

/** The decoded channels (planar) of an audio file. */
export interface DecodedAudio {
  channels: Float32Array[];
  sampleRate: number;
  duration: number;
}

export async function decodeAudio(src: string, signal: AbortSignal): Promise<DecodedAudio> {
  const res = await fetch(src, { signal });
  if (!res.ok) throw new Error(`could not load the audio (HTTP ${res.status})`);
  const bytes = await res.arrayBuffer();
  signal.throwIfAborted();
  // An offline context decodes without needing a user gesture or an audio device; 44.1 kHz keeps
  // WAV takes unresampled. One frame long: it is never rendered.
  const ctx = new OfflineAudioContext(1, 1, 44100);
  const buffer = await ctx.decodeAudioData(bytes);
  signal.throwIfAborted();
  const channels: Float32Array[] = [];
  for (let c = 0; c < buffer.numberOfChannels; c++) channels.push(buffer.getChannelData(c));
  return { channels, sampleRate: buffer.sampleRate, duration: buffer.duration };
}

/** Min/max pairs over all channels, `buckets` of them (fewer for very short audio), computed in slices. */
export async function peaksOf(audio: DecodedAudio, buckets: number, signal: AbortSignal): Promise<number[]> {
  const frames = audio.channels[0]?.length ?? 0;
  const n = frames === 0 ? 0 : Math.max(1, Math.min(buckets, frames));
  const out = new Array<number>(2 * n);
  let sliceStart = performance.now();
  for (let b = 0; b < n; b++) {
    const f0 = Math.floor((b * frames) / n), f1 = Math.floor(((b + 1) * frames) / n);
    let lo = Infinity, hi = -Infinity;
    for (const ch of audio.channels) {
      for (let f = f0; f < f1; f++) {
        const v = ch[f];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    out[2 * b] = lo === Infinity ? 0 : roundPeak(lo);
    out[2 * b + 1] = hi === -Infinity ? 0 : roundPeak(hi);
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToEventLoop();
      signal.throwIfAborted();
      sliceStart = performance.now();
    }
  }
  return out;
}

export async function decodePeaks(src: string, buckets: number, signal: AbortSignal): Promise<{ peaks: number[]; duration: number }> {
  const audio = await decodeAudio(src, signal);
  return { peaks: await peaksOf(audio, buckets, signal), duration: audio.duration };
}

/** Peaks of a take: streamed for WAV, decoded by the browser otherwise (or when the WAV is unusual). */
export async function takePeaks(take: Pick<TakeView, 'src' | 'format'>, buckets: number, signal: AbortSignal): Promise<number[]> {
  if (/^(wav|wave)$/i.test(take.format)) {
    try {
      return await streamWavPeaks(take.src, buckets, signal);
    } catch (e) {
      if (!(e instanceof NotStreamableWav)) throw e;
    }
  }
  return (await decodePeaks(take.src, buckets, signal)).peaks;
}
