// Benchmark of the .song core: parse + estimate + lint (analyzeSong) on generated, realistic songs
// of 300, 1,000 and 10,000 lines. Prints one JSON object per line:
//   {"bench":"song.analyze","lines":300,"runs":…,"median_ms":…,"p95_ms":…}
//   {"bench":"song.analyze.linearity","ratio_10000_vs_1000":…}
// The ratio compares the mean cost per line (means include garbage collection, which medians of
// small inputs skip); ≈1 means linear.
// Run: node esbuild.mjs --tests && node out/test/bench/song.bench.js
import { analyzeSong } from '../../src/core/song';

const VERSES = [
  ['Through frozen wastelands we march on', 'Beneath the vast and blackened sky', 'The ancient ones have called our names', 'As mortal kingdoms fade and die'],
  ['Walking through the empty streets', 'Counting every falling light', 'Every window tells a story', 'Every shadow holds the night'],
  ['月光洒在窗台上', '我听见你的呼吸', '城市在远处沉睡', '只有我们还醒着'],
];
const CHORUS = ['WE ARE THE TEMPEST (we are the night)', 'FORGED IN THE DARKNESS, BURNING WITH LIGHT', 'Rise from the ashes (rise)', 'This is all we have known'];

/** A realistic song of exactly `lines` lines: frontmatter, tags with modifiers, comments, backing vocals. */
export function generateSong(lines: number): string {
  const out = [
    '---', 'title: Bench', 'caption: symphonic metal, choir, blast beats, raspy male vocals', 'duration: 240', 'bpm: 150',
    'key: D minor', 'time_signature: 4', 'language: en', 'thinking: true', 'batch_size: 1', '---', '[Intro - orchestral]', '',
  ];
  let n = 0;
  while (out.length < lines) {
    n++;
    const verse = VERSES[n % VERSES.length];
    out.push(`[Verse ${(n % 9) + 1} - aggressive]`, ...verse, '');
    if (n % 3 === 0) out.push('# remember to double the second line', '[whispered]');
    out.push('[Pre-Chorus]', verse[0], verse[1], '', '[Chorus - anthemic]', ...CHORUS, '(ooh ooh)', '');
    if (n % 4 === 0) out.push('[Guitar Solo]', '');
  }
  out.length = lines;
  return out.join('\n');
}

function measure(text: string, budgetMs: number, maxRuns: number): number[] {
  for (let i = 0; i < 5; i++) analyzeSong(text); // warm up the JIT
  const times: number[] = [];
  const end = performance.now() + budgetMs;
  while (times.length < maxRuns && (times.length < 5 || performance.now() < end)) {
    const t0 = performance.now();
    analyzeSong(text);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

const pick = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const round = (x: number) => Math.round(x * 1000) / 1000;

function main(): void {
  const means = new Map<number, number>();
  for (const [lines, budget, maxRuns] of [[300, 3000, 2000], [1000, 3000, 1000], [10000, 5000, 200]] as const) {
    const text = generateSong(lines);
    const times = measure(text, budget, maxRuns);
    const median = pick(times, 0.5);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    means.set(lines, mean);
    console.log(JSON.stringify({
      bench: 'song.analyze', lines, runs: times.length, median_ms: round(median), p95_ms: round(pick(times, 0.95)), mean_ms: round(mean),
    }));
  }
  const ratio = (means.get(10000)! / 10000) / (means.get(1000)! / 1000);
  console.log(JSON.stringify({ bench: 'song.analyze.linearity', ratio_10000_vs_1000: round(ratio) }));
}

if (require.main === module) main();
