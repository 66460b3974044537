// Player benchmarks (one JSON object per line on stdout; progress on stderr):
//   player.peaks     host-side peaks (src/core/player/peaks.ts) of a 4-minute and a 10-minute WAV
//   player.waveform  from posting `load` to the page reporting a drawn waveform:
//                      peaks=host            peaks come with the load message
//                      peaks=webview-stream  a WAV take without peaks: reduced while it downloads
//                      peaks=webview-decode  a take in another format: fetched, decodeAudioData, reduced in slices
//                    plus the longest main-thread task meanwhile (the UI must stay responsive)
// Run: node esbuild.mjs --tests && node out/test/bench/player.bench.js
import { statSync } from 'node:fs';
import path from 'node:path';
import { computeWavPeaks } from '../../src/core/player/peaks';
import type { TakeView, ToWebview } from '../../src/core/player/protocol';
import { writeWav } from '../../src/core/player/wav';
import { openPlayer, post, waitForPosted, startHarness } from '../webview/harness';

const emit = (o: Record<string, unknown>) => process.stdout.write(JSON.stringify(o) + '\n');
const log = (s: string) => process.stderr.write(`[player.bench] ${s}\n`);
const ms = (x: number) => Math.round(x * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const t0 = Date.now();
  const h = await startHarness();
  try {
    for (const { name, seconds } of [{ name: '4min', seconds: 240 }, { name: '10min', seconds: 600 }]) {
      const file = path.join(h.audioDir, `${name}.wav`);
      const tw = performance.now();
      await writeWav(file, { durationSec: seconds, sampleRate: 44100, channels: 2, format: 'pcm16', signal: 'music', frequency: 220, amplitude: 0.8 });
      const bytes = statSync(file).size;
      log(`wrote ${name}.wav (${(bytes / 1e6).toFixed(1)} MB) in ${Math.round(performance.now() - tw)} ms`);

      const runs: number[] = [];
      let peaks: number[] = [];
      for (let i = 0; i < 3; i++) {
        const tp = performance.now();
        const r = await computeWavPeaks(file);
        runs.push(performance.now() - tp);
        if (!r) throw new Error('no peaks');
        peaks = r.peaks;
      }
      emit({ bench: 'player.peaks', take: name, seconds, bytes, buckets: peaks.length / 2, ms: ms(median(runs)), runs_ms: runs.map(ms), mb_per_s: Math.round(bytes / 1e6 / (median(runs) / 1000)) });

      for (const mode of ['host', 'webview-stream', 'webview-decode'] as const) {
        const repeats = mode === 'host' ? 3 : 2;
        const times: number[] = [];
        let longest = 0, longTasks = 0;
        for (let i = 0; i < repeats; i++) {
          const { page, context } = await openPlayer(h, { theme: 'dark' });
          try {
            const take: TakeView = { id: 't', label: 'A', src: h.audioUrl(`${name}.wav`), durationSec: seconds, format: 'wav', sizeBytes: bytes, meta: { caption: 'bench', lyrics: '' } };
            if (mode === 'host') take.peaks = peaks;
            // A take labelled as another format takes the decodeAudioData path (the bytes stay WAV).
            if (mode === 'webview-decode') take.format = 'flac';
            const msg: ToWebview = { type: 'load', jobs: [{ id: 'j', title: 'Bench', createdAt: 0, server: 'local', takes: [take] }], selectedJobId: 'j', selectedTake: 't' };
            const posted = await post(page, msg);
            const drawn = await waitForPosted(page, m => m.type === 'state' && m.state.drawn, 60_000, 'a drawn waveform');
            times.push(drawn.t - posted);
            const tasks = await page.evaluate(since => window.__playerTest.longTasks.filter(t => t.start >= since), posted);
            longTasks += tasks.length;
            longest = Math.max(longest, ...tasks.map(t => t.duration));
          } finally {
            await context.close();
          }
        }
        emit({ bench: 'player.waveform', take: name, seconds, peaks: mode, ms: ms(median(times)), runs_ms: times.map(ms), longest_task_ms: ms(longest), long_tasks: longTasks });
      }
    }
  } finally {
    await h.close();
  }
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch(e => { console.error(e); process.exit(1); });
