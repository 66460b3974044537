// The localisation bundles stay complete: `node scripts/l10n.mjs check` passes on the repository, and fails on
// copies broken in the ways a contributor would break them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = process.cwd();
const script = path.join(root, 'scripts', 'l10n.mjs');

function l10n(command: string, dir = root) {
  const r = spawnSync(process.execPath, [script, command, '--root', dir], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** A copy of what the script reads, changed by `change`, checked, then removed. */
function checkBrokenCopy(change: (dir: string) => void) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'acestep-l10n-'));
  try {
    for (const f of ['package.json', 'package.nls.json', 'package.nls.nl.json', 'l10n', 'src', 'media']) {
      if (existsSync(path.join(root, f))) cpSync(path.join(root, f), path.join(dir, f), { recursive: true });
    }
    change(dir);
    return l10n('check', dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
const writeJson = (file: string, value: unknown) => writeFileSync(file, JSON.stringify(value, null, 2) + '\n');

test('every string has its English and Dutch entry (node scripts/l10n.mjs check)', () => {
  const r = l10n('check');
  assert.equal(r.status, 0, r.output);
});

test('a copy of the repository passes the same check', () => {
  const r = checkBrokenCopy(() => {});
  assert.equal(r.status, 0, r.output);
});

test('a Dutch code string that is missing fails the check', () => {
  const r = checkBrokenCopy(dir => {
    const file = path.join(dir, 'l10n/bundle.l10n.nl.json');
    const bundle = readJson(file);
    delete bundle['Open a .song file to generate it.'];
    writeJson(file, bundle);
  });
  assert.equal(r.status, 1, r.output);
  assert.match(r.output, /bundle\.l10n\.nl\.json: no translation for "Open a \.song file to generate it\."/);
});

test('a new code string that was not extracted fails the check', () => {
  const r = checkBrokenCopy(dir => {
    writeFileSync(path.join(dir, 'src/vscode/l10n-probe.ts'), "import * as vscode from 'vscode';\nexport const probe = () => vscode.l10n.t('A message nobody extracted');\n");
  });
  assert.equal(r.status, 1, r.output);
  assert.match(r.output, /bundle\.l10n\.json: "A message nobody extracted" \(src\/vscode\/l10n-probe\.ts:2\) is missing/);
  assert.match(r.output, /bundle\.l10n\.nl\.json: no translation for "A message nobody extracted"/);
});

test('a first argument that is not a literal fails the check', () => {
  const r = checkBrokenCopy(dir => {
    writeFileSync(path.join(dir, 'src/vscode/l10n-probe.ts'),
      "import * as vscode from 'vscode';\nconst name = 'x';\nexport const a = () => vscode.l10n.t(`Hello ${name}`);\nexport const b = vscode.l10n.t;\n");
  });
  assert.equal(r.status, 1, r.output);
  assert.match(r.output, /l10n-probe\.ts:3: the first argument of l10n\.t must be a string literal/);
  assert.match(r.output, /l10n-probe\.ts:4: l10n\.t is used other than as a direct call/);
});

test('a translation whose placeholders differ from the English fails the check', () => {
  const r = checkBrokenCopy(dir => {
    const file = path.join(dir, 'l10n/bundle.l10n.nl.json');
    const bundle = readJson(file);
    bundle['queued, position {0}'] = 'in de wachtrij, plaats {1}';
    writeJson(file, bundle);
  });
  assert.equal(r.status, 1, r.output);
  assert.match(r.output, /the translation of "queued, position \{0\}" has placeholders \["\{1\}"\], the English \["\{0\}"\]/);
});

test('stale Dutch entries and a missing package.nls entry fail the check', () => {
  const r = checkBrokenCopy(dir => {
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

test('a new plain-text command title in package.json fails the check', () => {
  const r = checkBrokenCopy(dir => {
    const file = path.join(dir, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    pkg.contributes.commands.push({ command: 'acestep.probe', title: 'Probe', category: 'ACE-Step' });
    writeJson(file, pkg);
  });
  assert.equal(r.status, 1, r.output);
  assert.match(r.output, /package\.json: command\.probe\.title is plain text \("Probe"\)/);
});

test('extract and nls reproduce the committed files (idempotent)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'acestep-l10n-'));
  try {
    for (const f of ['package.json', 'package.nls.json', 'src', 'media']) cpSync(path.join(root, f), path.join(dir, f), { recursive: true });
    assert.equal(l10n('extract', dir).status, 0);
    assert.deepEqual(readJson(path.join(dir, 'l10n/bundle.l10n.json')), readJson(path.join(root, 'l10n/bundle.l10n.json')));
    assert.equal(l10n('nls', dir).status, 0);
    assert.equal(readFileSync(path.join(dir, 'package.json'), 'utf8'), readFileSync(path.join(root, 'package.json'), 'utf8'));
    assert.equal(readFileSync(path.join(dir, 'package.nls.json'), 'utf8'), readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
