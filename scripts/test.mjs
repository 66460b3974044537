// Runs every test: the unit tests in plain Node, then the host suite inside a real VS Code.
//   node scripts/test.mjs           everything (installs the test host on first run)
//   node scripts/test.mjs --unit    unit tests only
//   node scripts/test.mjs --host    host tests only
// Ends with one line "N passed, N failed" covering everything that ran. Exit: 0 pass, 1 fail, 124 timeout.
import { spawn, spawnSync } from 'node:child_process';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { globSync } from 'glob';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const argv = new Set(process.argv.slice(2));
const only = argv.has('--unit') ? 'unit' : argv.has('--host') ? 'host' : 'all';
const filter = process.argv.slice(2).find(a => !a.startsWith('--'));

function step(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n${[cmd, ...args].join(' ')} failed (exit ${r.status ?? r.signal})`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

async function unitTests() {
  const files = globSync('out/test/unit/**/*.test.js').filter(f => !filter || f.includes(filter)).sort();
  let passed = 0, failed = 0;
  const stream = run({ files, concurrency: 2, timeout: 120_000 });
  stream.on('test:pass', e => { if (e.details?.type !== 'suite') passed++; });
  stream.on('test:fail', e => { if (e.details?.type !== 'suite') failed++; });
  await new Promise((resolve, reject) => {
    stream.compose(spec).on('data', d => process.stdout.write(d)).on('end', resolve).on('error', reject);
  });
  if (files.length === 0) { console.error('no unit test files found'); failed++; }
  console.log(`unit: ${passed} passed, ${failed} failed`);
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
step(process.execPath, ['esbuild.mjs', '--tests']);
// The host tools include Debian's Chromium, which the webview tests among the unit tests use too.
step('bash', ['test/runner/setup-host.sh']);
const totals = { passed: 0, failed: 0 };
let exitCode = 0;
if (only !== 'host') {
  const u = await unitTests();
  totals.passed += u.passed; totals.failed += u.failed;
}
if (only !== 'unit') {
  const h = await hostTests();
  totals.passed += h.passed; totals.failed += h.failed;
  if (h.code === 124) exitCode = 124;
  let packaged = false;
  if (!filter || 'packaged'.includes(filter)) {
    // The package as users get it, installed into a clean extensions folder, with a smoke test.
    console.log('\n[test] packaging the .vsix and testing the installed package');
    step('npm', ['run', '--silent', 'package'], { stdio: ['ignore', 'ignore', 'inherit'] });
    packaged = true;
    const v = await hostTests({ ACESTEP_TEST_VSIX: 'acestep-studio.vsix', ACESTEP_TEST_GREP: 'packaged' });
    if (v.code === 0 && v.passed === 0) { console.error('the packaged run passed no test'); v.failed++; }
    totals.passed += v.passed; totals.failed += v.failed;
    if (v.code === 124) exitCode = 124;
  }
  if (!filter || 'in Dutch'.includes(filter)) {
    // The same package as a Dutch user gets it: VS Code started in Dutch.
    console.log('\n[test] the installed package in a VS Code started in Dutch');
    if (!packaged) step('npm', ['run', '--silent', 'package'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const d = await hostTests({ ACESTEP_TEST_VSIX: 'acestep-studio.vsix', ACESTEP_TEST_LOCALE: 'nl', ACESTEP_TEST_GREP: 'in Dutch' });
    // The suite skips itself unless VS Code really runs in Dutch: a run that passed nothing has proven nothing.
    if (d.code === 0 && d.passed === 0) { console.error('the Dutch run passed no test: VS Code did not start in Dutch'); d.failed++; }
    totals.passed += d.passed; totals.failed += d.failed;
    if (d.code === 124) exitCode = 124;
  }
}
if (!exitCode && totals.failed) exitCode = 1;
console.log(`\n(all tests in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(exitCode);
