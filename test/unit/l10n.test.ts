// The localisation bundles stay complete: `node scripts/l10n.mjs check` passes on the repository, and fails on
// copies broken in the ways a contributor would break them.
//
// Starting the script costs more than its check (it loads the TypeScript compiler), so the repository is checked
// by `node scripts/l10n.mjs check` itself, and the copies by one Node process that loads the compiler once and then
// runs the script's command line on each copy in turn (same arguments, same exit status, same output). The copies
// hold only what the script reads; 'a copy of the repository passes the same check' shows they miss nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const root = process.cwd();
const script = path.join(root, 'scripts', 'l10n.mjs');
type Result = { status: number | null; output: string };

/** Runs `node scripts/l10n.mjs <command> --root <dir>` in a process of its own. */
function l10nProcess(command: string, dir: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, command, '--root', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', d => { output += d; });
    child.stderr.on('data', d => { output += d; });
    child.on('error', reject);
    child.on('close', status => resolve({ status, output }));
  });
}

/**
 * The script's command line, run again and again in one process: each job sets process.argv as `node
 * scripts/l10n.mjs <command> --root <dir>` would, evaluates the script afresh (a new module URL; the compiler
 * stays loaded), and reports the status it passed to process.exit and what it printed. Jobs run one at a time.
 */
const RUNNER = `
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
const script = process.argv[1];
const exit = process.exit, log = console.log, error = console.error;
const EXIT = Symbol('exit');
let n = 0;
for await (const line of createInterface({ input: process.stdin })) {
  const { command, dir } = JSON.parse(line);
  let output = '', status = null;
  console.log = console.error = (...a) => { output += format(...a) + '\\n'; };
  process.exit = code => { status = code ?? 0; throw EXIT; };
  process.argv = [process.argv[0], script, command, '--root', dir];
  try {
    await import(pathToFileURL(script).href + '?run=' + n++);
    status = 0;
  } catch (e) {
    if (e !== EXIT) { output += format(e) + '\\n'; status = 1; }
  } finally {
    process.exit = exit; console.log = log; console.error = error;
  }
  process.stdout.write(JSON.stringify({ status, output }) + '\\n');
}
`;

let runner: ChildProcessWithoutNullStreams | undefined;
const waiting: Array<(r: Result) => void> = [];

/** Runs the script's command line on `dir` in the shared runner. */
function l10n(command: string, dir: string): Promise<Result> {
  if (!runner) {
    runner = spawn(process.execPath, ['--input-type=module', '-e', RUNNER, script]);
    runner.stderr.on('data', d => { process.stderr.write(d); });
    createInterface({ input: runner.stdout }).on('line', line => waiting.shift()?.(JSON.parse(line) as Result));
    runner.on('exit', code => { for (const w of waiting.splice(0)) w({ status: null, output: `the l10n runner ended (exit ${code})` }); });
  }
  return new Promise(resolve => {
    waiting.push(resolve);
    runner!.stdin.write(JSON.stringify({ command, dir }) + '\n');
  });
}

/**
 * The repository files the script reads, relative to the root. Sources are .ts files under src/ and media/; one
 * that never says l10n, msg, translatable or doc holds no string for the script (no l10n.t call, no msg() or
 * translatable() call, no `doc:` text), so it stays out of the copies.
 */
function filesTheScriptReads(): string[] {
  const sources: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (/\.tsx?$/.test(entry.name) && /l10n|msg|translatable|doc/.test(readFileSync(path.join(root, child), 'utf8'))) sources.push(child);
    }
  };
  walk('src');
  walk('media');
  const l10nDir = readdirSync(path.join(root, 'l10n')).map(f => `l10n/${f}`);
  const nls = readdirSync(root).filter(f => /^package\.nls(\.[\w-]+)?\.json$/.test(f));
  return ['package.json', ...nls, ...l10nDir, ...sources];
}

let files: string[] = [];
const copies: string[] = [];
before(() => { files = filesTheScriptReads(); });
after(() => {
  runner?.stdin.end();
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of `only` (default: everything the script reads), removed after the file's tests. */
function copy(only: (f: string) => boolean = () => true): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'acestep-l10n-'));
  copies.push(dir);
  for (const f of files.filter(only)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    cpSync(path.join(root, f), path.join(dir, f));
  }
  return dir;
}

/** A copy of what the script reads, changed by `change`, checked. */
function checkBrokenCopy(change: (dir: string) => void) {
  const dir = copy();
  change(dir);
  return l10n('check', dir);
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
const writeJson = (file: string, value: unknown) => writeFileSync(file, JSON.stringify(value, null, 2) + '\n');

// The repository's own check runs beside the copies' (each copy has its own folder).
describe('node scripts/l10n.mjs', { concurrency: true }, () => {
  test('every string has its English and Dutch entry (node scripts/l10n.mjs check)', async () => {
    const r = await l10nProcess('check', root);
    assert.equal(r.status, 0, r.output);
  });

  test('a copy of the repository passes the same check', async () => {
    const r = await checkBrokenCopy(() => {});
    assert.equal(r.status, 0, r.output);
  });

  test('a Dutch code string that is missing fails the check', async () => {
    const r = await checkBrokenCopy(dir => {
      const file = path.join(dir, 'l10n/bundle.l10n.nl.json');
      const bundle = readJson(file);
      delete bundle['Open a .song file to generate it.'];
      writeJson(file, bundle);
    });
    assert.equal(r.status, 1, r.output);
    assert.match(r.output, /bundle\.l10n\.nl\.json: no translation for "Open a \.song file to generate it\."/);
  });

  test('a new code string that was not extracted fails the check', async () => {
    const r = await checkBrokenCopy(dir => {
      writeFileSync(path.join(dir, 'src/vscode/l10n-probe.ts'), "import * as vscode from 'vscode';\nexport const probe = () => vscode.l10n.t('A message nobody extracted');\n");
    });
    assert.equal(r.status, 1, r.output);
    assert.match(r.output, /bundle\.l10n\.json: "A message nobody extracted" \(src\/vscode\/l10n-probe\.ts:2\) is missing/);
    assert.match(r.output, /bundle\.l10n\.nl\.json: no translation for "A message nobody extracted"/);
  });

  test('a first argument that is not a literal fails the check', async () => {
    const r = await checkBrokenCopy(dir => {
      writeFileSync(path.join(dir, 'src/vscode/l10n-probe.ts'),
        "import * as vscode from 'vscode';\nconst name = 'x';\nexport const a = () => vscode.l10n.t(`Hello ${name}`);\nexport const b = vscode.l10n.t;\n");
    });
    assert.equal(r.status, 1, r.output);
    assert.match(r.output, /l10n-probe\.ts:3: the first argument of l10n\.t must be a string literal/);
    assert.match(r.output, /l10n-probe\.ts:4: l10n\.t is used other than as a direct call/);
  });

  test('a translation whose placeholders differ from the English fails the check', async () => {
    const r = await checkBrokenCopy(dir => {
      const file = path.join(dir, 'l10n/bundle.l10n.nl.json');
      const bundle = readJson(file);
      bundle['queued, position {0}'] = 'in de wachtrij, plaats {1}';
      writeJson(file, bundle);
    });
    assert.equal(r.status, 1, r.output);
    assert.match(r.output, /the translation of "queued, position \{0\}" has placeholders \["\{1\}"\], the English \["\{0\}"\]/);
  });

  test('stale Dutch entries and a missing package.nls entry fail the check', async () => {
    const r = await checkBrokenCopy(dir => {
      const bundleFile = path.join(dir, 'l10n/bundle.l10n.nl.json');
      writeJson(bundleFile, { ...readJson(bundleFile), 'A string no code uses': 'Een tekst die nergens wordt gebruikt' });
      const nlsFile = path.join(dir, 'package.nls.nl.json');
      const nls = readJson(nlsFile);
      delete nls['command.generateSong.title'];
      writeJson(nlsFile, nls);
    });
    assert.equal(r.status, 1, r.output);
    assert.match(r.output, /bundle\.l10n\.nl\.json: stale entry "A string no code uses"/);
    assert.match(r.output, /package\.nls\.nl\.json: no translation for "command\.generateSong\.title"/);
  });

  test('a new plain-text command title in package.json fails the check', async () => {
    const r = await checkBrokenCopy(dir => {
      const file = path.join(dir, 'package.json');
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      pkg.contributes.commands.push({ command: 'acestep.probe', title: 'Probe', category: 'ACE-Step' });
      writeJson(file, pkg);
    });
    assert.equal(r.status, 1, r.output);
    assert.match(r.output, /package\.json: command\.probe\.title is plain text \("Probe"\)/);
  });

  test('extract and nls reproduce the committed files (idempotent)', async () => {
    // What `extract` and `nls` start from: package.json, its English table and the sources, no bundle.
    const dir = copy(f => !f.startsWith('l10n/') && !/^package\.nls\.[\w-]+\.json$/.test(f));
    assert.equal((await l10n('extract', dir)).status, 0);
    assert.deepEqual(readJson(path.join(dir, 'l10n/bundle.l10n.json')), readJson(path.join(root, 'l10n/bundle.l10n.json')));
    assert.equal((await l10n('nls', dir)).status, 0);
    assert.equal(readFileSync(path.join(dir, 'package.json'), 'utf8'), readFileSync(path.join(root, 'package.json'), 'utf8'));
    assert.equal(readFileSync(path.join(dir, 'package.nls.json'), 'utf8'), readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
  });
});
