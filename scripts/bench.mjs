// npm run bench: every benchmark, printed as one JSON object per line on stdout (progress goes to stderr).
//   - bundle size of dist/extension.js (production build)
//   - test/bench/*.bench.ts in plain Node (song analysis, generation client, …)
//   - activation and in-editor figures measured in the real VS Code host (test/host/suite/bench.test.ts)
// `npm run bench -- song` runs only the benches whose name contains "song".
// `npm run bench -- corpus`: the duration estimate and the lint against ACE-Step's own example songs
// (build the corpus first: node scripts/corpus.mjs <ACE-Step checkout>; without it the bench says it skipped).
import { spawn, spawnSync } from 'node:child_process';
import { statSync, readFileSync } from 'node:fs';
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

/** Runs a command and forwards only its JSON lines to stdout. */
function jsonLines(cmd, args, env = {}) {
  return new Promise(resolve => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    let buf = '';
    child.stdout.on('data', d => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).trim(); buf = buf.slice(i + 1);
        const json = line.slice(line.indexOf('{"bench"'));
        if (line.includes('{"bench"')) process.stdout.write(json + '\n'); else if (line) process.stderr.write(line + '\n');
      }
    });
    child.on('exit', code => resolve(code));
  });
}

must(process.execPath, ['esbuild.mjs', '--tests']);
must(process.execPath, ['esbuild.mjs', '--production']);
if (want('bundle')) {
  const bytes = statSync('dist/extension.js').size;
  emit({ bench: 'bundle.size', file: 'dist/extension.js', bytes, gzip_bytes: gzipSync(readFileSync('dist/extension.js')).length });
}
let failed = 0;
for (const file of globSync('out/test/bench/*.bench.js').sort()) {
  if (!want(path.basename(file))) continue;
  console.error(`[bench] ${file}`);
  if (await jsonLines(process.execPath, [file]) !== 0) { console.error(`[bench] ${file} failed`); failed++; }
}
if (want('host') || want('activation')) {
  must('bash', ['test/runner/setup-host.sh']);
  console.error('[bench] the real VS Code host');
  if (await jsonLines(process.execPath, ['test/runner/run-host.js'], { ACESTEP_BENCH: '1', ACESTEP_TEST_GREP: 'bench' }) !== 0) failed++;
}
process.exit(failed ? 1 : 0);
