// The duration estimate and the lint against songs written by others: the example songs of ACE-Step 1.5,
// turned into .song files by `node scripts/corpus.mjs <ACE-Step checkout>` (into .corpus/, not committed).
// The estimate was calibrated on the odd-numbered examples; the even-numbered ones are held out.
// Prints one JSON object per line, per half:
//   {"bench":"song.estimate.corpus","half":"even (held out)","songs":…,"inside_range":…,"median_ratio":…,"median_width":…}
//   {"bench":"song.lint.corpus","songs":…,"errors":…,"songs_with_warnings":…,"warnings_by_code":{…}}
// and one line saying it skipped when the corpus is absent. ACESTEP_CORPUS_VERBOSE=1 lists every song on stderr.
// Run: node esbuild.mjs --tests && node out/test/bench/estimate-corpus.bench.js
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeSong } from '../../src/core/song';

const dir = path.resolve(process.env.ACESTEP_CORPUS ?? '.corpus');

interface Row { n: number; duration: number; seconds: number; min: number; max: number }

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number) => Math.round(x * 1000) / 1000;

function main(): void {
  const files = existsSync(dir) ? readdirSync(dir).filter(f => /^example_\d+\.song$/.test(f)).sort() : [];
  if (!files.length) {
    console.log(JSON.stringify({ bench: 'song.estimate.corpus', skipped: `no corpus in ${path.basename(dir)}/: run node scripts/corpus.mjs <ACE-Step checkout>` }));
    return;
  }
  const verbose = process.env.ACESTEP_CORPUS_VERBOSE === '1';
  const rows: Row[] = [];
  const byCode: Record<string, number> = {};
  let errors = 0, warned = 0;
  for (const f of files) {
    const n = Number(/\d+/.exec(f)![0]);
    const { parsed, diagnostics, estimate } = analyzeSong(readFileSync(path.join(dir, f), 'utf8'));
    const warnings = diagnostics.filter(d => d.severity === 'warning');
    errors += diagnostics.filter(d => d.severity === 'error').length;
    if (warnings.length) warned++;
    for (const d of warnings) byCode[d.code] = (byCode[d.code] ?? 0) + 1;
    const duration = parsed.params.duration;
    if (typeof duration === 'number') rows.push({ n, duration, seconds: estimate.seconds, min: estimate.min, max: estimate.max });
    if (verbose) {
      const mark = typeof duration === 'number' && (duration < estimate.min || duration > estimate.max) ? '!' : ' ';
      console.error(`${mark} ${f} duration ${duration} estimate ${estimate.seconds} (${estimate.min}–${estimate.max})`);
      for (const d of diagnostics) if (d.severity !== 'information' && d.severity !== 'hint') console.error(`    ${d.range.start.line + 1} ${d.severity} ${d.code} ${d.message}`);
    }
  }
  for (const [half, keep] of [['odd (fitted)', 1], ['even (held out)', 0]] as const) {
    const set = rows.filter(r => r.n % 2 === keep);
    console.log(JSON.stringify({
      bench: 'song.estimate.corpus', half, songs: set.length,
      inside_range: round(set.filter(r => r.duration >= r.min && r.duration <= r.max).length / set.length),
      median_ratio: round(median(set.map(r => r.seconds / r.duration))),
      median_width: round(median(set.map(r => (r.max - r.min) / r.seconds))),
    }));
  }
  console.log(JSON.stringify({ bench: 'song.lint.corpus', songs: files.length, errors, songs_with_warnings: warned, warnings_by_code: byCode }));
}

main();
