// Runs the tests in tiers, cheapest first:
//   typecheck  tsc --noEmit over the whole project (counts as one test)
//   unit       out/test/unit/**/*.test.js in plain Node (node:test); installs nothing
//   webview    out/test/webview/**/*.test.js in Node, driving headless Chromium (installs the test host first)
//   host       the mocha suite inside a real VS Code (code-server), then the packaged .vsix and the Dutch run
//   docker     server control against a real Docker engine: test/docker/engine.mjs installs and starts what it
//              needs (or prints one "[docker] skipped: …" line), then the CLI scenarios (out/test/docker) and the
//              host suite "real Docker engine"; the engine it started and the image it built go at the end
//
//   node scripts/test.mjs              every tier (installs the test host on first run)
//   node scripts/test.mjs --unit       one tier; --typecheck, --unit, --webview, --host and --docker combine
//   node scripts/test.mjs --unit song  only the test files whose path contains "song" (host tier: test titles)
// With a filter, the typecheck and the packaged and Dutch runs take part only when their name contains it, and a
// tier that was not asked for by name is skipped when no file matches. Ends with one line "N passed, N failed"
// covering everything that ran. Exit: 0 pass, 1 fail, 124 timeout.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { globSync } from 'glob';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const args = process.argv.slice(2);
const TIERS = ['typecheck', 'unit', 'webview', 'host', 'docker'];
const asked = TIERS.filter(t => args.includes(`--${t}`));
const unknown = args.filter(a => a.startsWith('--') && !TIERS.includes(a.slice(2)));
if (unknown.length) {
  console.error(`unknown option ${unknown.join(' ')} (known: ${TIERS.map(t => `--${t}`).join(' ')})`);
  process.exit(2);
}
const tiers = new Set(asked.length ? asked : TIERS);
const filter = args.find(a => !a.startsWith('--'));

const totals = { passed: 0, failed: 0 };
const add = r => { totals.passed += r.passed; totals.failed += r.failed; };

/** Runs a step the tests cannot do without (the build, the test host): its failure ends the run, as one failure. */
function step(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n${[cmd, ...args].join(' ')} failed (exit ${r.status ?? r.signal})`);
    console.log(`${totals.passed} passed, ${totals.failed + 1} failed`);
    process.exit(1);
  }
}

/** The type check as one test: passed or failed. */
function typecheck() {
  console.log('\n[test] typecheck (tsc --noEmit)');
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', '--silent', 'typecheck'], { stdio: 'inherit' });
  const ok = r.status === 0;
  console.log(`typecheck: ${ok ? 'passed' : `failed (exit ${r.status ?? r.signal})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { passed: ok ? 1 : 0, failed: ok ? 0 : 1 };
}

/** The node:test files of one tier. No file where files are expected is a failure. */
async function nodeTests(tier, pattern, { concurrency }) {
  const files = globSync(pattern).filter(f => !filter || f.includes(filter)).sort();
  if (files.length === 0) {
    // Without a filter, or for a tier asked for by name, finding nothing means the tests went missing.
    if (!filter || asked.includes(tier)) {
      console.error(`no ${tier} test files found (${pattern}${filter ? `, filter "${filter}"` : ''})`);
      console.log(`${tier}: 0 passed, 1 failed`);
      return { passed: 0, failed: 1 };
    }
    console.log(`[test] ${tier}: no file matches "${filter}", skipped`);
    return { passed: 0, failed: 0 };
  }
  console.log(`\n[test] ${tier}: ${files.length} file(s)`);
  const t0 = Date.now();
  let passed = 0, failed = 0;
  const stream = run({ files, concurrency, timeout: 120_000 });
  stream.on('test:pass', e => { if (e.details?.type !== 'suite') passed++; });
  stream.on('test:fail', e => { if (e.details?.type !== 'suite') failed++; });
  await new Promise((resolve, reject) => {
    stream.compose(spec).on('data', d => process.stdout.write(d)).on('end', resolve).on('error', reject);
  });
  console.log(`${tier}: ${passed} passed, ${failed} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { passed, failed };
}

async function hostTests(extraEnv = {}) {
  return new Promise(resolve => {
    const child = spawn(process.execPath, ['test/runner/run-host.js'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...(filter ? { ACESTEP_TEST_GREP: filter } : {}), ...extraEnv },
    });
    let passed = 0, failed = 0, seen = false, tail = '';
    child.stdout.on('data', d => {
      process.stdout.write(d);
      tail = (tail + d).slice(-4000);
      for (const m of String(d).matchAll(/^host: (\d+) passed, (\d+) failed/gm)) { passed = +m[1]; failed = +m[2]; seen = true; }
    });
    child.on('exit', code => {
      if (!seen && code === 0) { console.error('the host suite printed no result line'); failed++; }
      if (code !== 0 && failed === 0) failed = 1;
      resolve({ passed, failed, code });
    });
  });
}

const t0 = Date.now();
let exitCode = 0;

if (tiers.has('typecheck') && (!filter || 'typecheck'.includes(filter) || asked.includes('typecheck'))) add(typecheck());
if (tiers.has('unit') || tiers.has('webview') || tiers.has('host') || tiers.has('docker')) step(process.execPath, ['esbuild.mjs', '--tests']);
if (tiers.has('unit')) add(await nodeTests('unit', 'out/test/unit/**/*.test.js', { concurrency: 4 }));
// The webview and host tiers need the test host: Debian's Chromium, code-server, playwright-core (first run only).
if (tiers.has('webview') || tiers.has('host') || tiers.has('docker')) step('bash', ['test/runner/setup-host.sh']);
if (tiers.has('webview')) add(await nodeTests('webview', 'out/test/webview/**/*.test.js', { concurrency: 1 }));
if (tiers.has('host')) {
  const h = await hostTests();
  add(h);
  if (h.code === 124) exitCode = 124;
  let packaged = false;
  if (!filter || 'packaged'.includes(filter)) {
    // The package as users get it, installed into a clean extensions folder, with a smoke test.
    console.log('\n[test] packaging the .vsix and testing the installed package');
    step('npm', ['run', '--silent', 'package'], { stdio: ['ignore', 'ignore', 'inherit'] });
    packaged = true;
    const v = await hostTests({ ACESTEP_TEST_VSIX: 'acestep-studio.vsix', ACESTEP_TEST_GREP: 'packaged' });
    if (v.code === 0 && v.passed === 0) { console.error('the packaged run passed no test'); v.failed++; }
    add(v);
    if (v.code === 124) exitCode = 124;
  }
  if (!filter || 'in Dutch'.includes(filter)) {
    // The same package as a Dutch user gets it: VS Code started in Dutch.
    console.log('\n[test] the installed package in a VS Code started in Dutch');
    if (!packaged) step('npm', ['run', '--silent', 'package'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const d = await hostTests({ ACESTEP_TEST_VSIX: 'acestep-studio.vsix', ACESTEP_TEST_LOCALE: 'nl', ACESTEP_TEST_GREP: 'in Dutch' });
    // The suite skips itself unless VS Code really runs in Dutch: a run that passed nothing has proven nothing.
    if (d.code === 0 && d.passed === 0) { console.error('the Dutch run passed no test: VS Code did not start in Dutch'); d.failed++; }
    add(d);
    if (d.code === 124) exitCode = 124;
  }
}
// Its own tier, not part of host: it needs root and an engine (installed and started here, stopped at the end),
// so it can skip as a whole in one line where that is impossible, and run alone (--docker) while working on it.
if (tiers.has('docker') && (!filter || asked.includes('docker') || 'real Docker engine'.includes(filter))) {
  console.log('\n[test] docker: the real Docker engine');
  const t1 = Date.now();
  step(process.execPath, ['test/docker/engine.mjs', 'up']);
  const engineState = path.join(root, '.vscode-test/docker-engine.json');
  if (existsSync(engineState)) {
    try {
      add(await nodeTests('docker', 'out/test/docker/**/*.test.js', { concurrency: 1 }));
      if (!filter || 'real Docker engine'.includes(filter)) {
        const d = await hostTests({ ACESTEP_TEST_ENGINE: engineState, ACESTEP_TEST_GREP: 'real Docker engine' });
        if (d.code === 0 && d.passed === 0) { console.error('the real-engine host suite passed no test'); d.failed++; }
        add(d);
        if (d.code === 124) exitCode = 124;
      }
    } finally {
      spawnSync(process.execPath, ['test/docker/engine.mjs', 'down'], { stdio: 'inherit' });
    }
    console.log(`docker tier in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  }
}
// A filter that matched nothing anywhere has proven nothing.
if (filter && totals.passed === 0 && totals.failed === 0) { console.error(`no test matches "${filter}"`); totals.failed++; }
if (!exitCode && totals.failed) exitCode = 1;
console.log(`\n(all tests in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(exitCode);
