// npm run bench: every benchmark, printed as one JSON object per line on stdout (progress goes to stderr).
//   - bundle sizes: dist/extension.js (what VS Code loads to activate) and the bundles loaded on first use
//   - test/bench/*.bench.ts in plain Node (song analysis, generation client, …)
//   - activation measured in the real VS Code host (test/host/suite/bench.test.ts), over HOST_RUNS fresh hosts:
//     each run's figures, then their median (activation = loading dist/extension.js + activate())
// `npm run bench -- song` runs only the benches whose name contains "song".
// `npm run bench -- corpus`: the duration estimate and the lint against ACE-Step's own example songs
// (build the corpus first: node scripts/corpus.mjs <ACE-Step checkout>; without it the bench says it skipped).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { globSync } from 'glob';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const filter = process.argv.slice(2).find(a => !a.startsWith('--'));
const want = name => !filter || name.includes(filter);
const emit = obj => process.stdout.write(JSON.stringify(obj) + '\n');

function must(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
  if (r.status !== 0) { console.error(`${[cmd, ...args].join(' ')} failed`); process.exit(1); }
}

/** Runs a command and forwards only its JSON lines to stdout (and to `seen`, parsed). */
function jsonLines(cmd, args, env = {}, seen = []) {
  return new Promise(resolve => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    let buf = '';
    child.stdout.on('data', d => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).trim(); buf = buf.slice(i + 1);
        const json = line.slice(line.indexOf('{"bench"'));
        if (line.includes('{"bench"')) { process.stdout.write(json + '\n'); try { seen.push(JSON.parse(json)); } catch { /* not ours */ } } else if (line) process.stderr.write(line + '\n');
      }
    });
    child.on('exit', code => resolve(code));
  });
}

must(process.execPath, ['esbuild.mjs', '--tests']);
must(process.execPath, ['esbuild.mjs', '--production']);
if (want('bundle') || want('activation')) {
  // dist/extension.js is what activation loads; the others load on first use (src/vscode/lazy.ts).
  for (const file of ['extension', 'song', 'generation', 'server', 'chat', 'player'].map(n => `dist/${n}.js`).filter(f => existsSync(f))) {
    emit({ bench: 'bundle.size', file, bytes: statSync(file).size, gzip_bytes: gzipSync(readFileSync(file)).length });
  }
}
let failed = 0;
for (const file of globSync('out/test/bench/*.bench.js').sort()) {
  if (!want(path.basename(file))) continue;
  console.error(`[bench] ${file}`);
  if (await jsonLines(process.execPath, [file]) !== 0) { console.error(`[bench] ${file} failed`); failed++; }
}
if (want('host') || want('activation')) {
  must('bash', ['test/runner/setup-host.sh']);
  // VS Code activates an extension once per host: each run is a fresh host, and the median is the figure.
  const HOST_RUNS = 5;
  const runs = [];
  for (let i = 1; i <= HOST_RUNS; i++) {
    console.error(`[bench] the real VS Code host, run ${i} of ${HOST_RUNS}`);
    const seen = [];
    if (await jsonLines(process.execPath, ['test/runner/run-host.js'], { ACESTEP_BENCH: '1', ACESTEP_TEST_GREP: 'bench' }, seen) !== 0) { failed++; break; }
    const a = seen.find(o => o.bench === 'host.activation');
    if (a) runs.push(a);
  }
  if (runs.length) {
    const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const pick = k => median(runs.map(r => r[k]));
    emit({
      bench: 'host.activation.median', runs: runs.length, vscode: runs[0].vscode, activation_ms: pick('activation_ms'),
      activate_ms: pick('activate_ms'), bundle_load_median_ms: pick('bundle_load_median_ms'), target_ms: 20,
    });
  }
}
process.exit(failed ? 1 : 0);
