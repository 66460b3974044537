import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { globSync } from 'glob';

// The core must stay usable from the CLI and plain Node: no `vscode` import anywhere below src/core.
test('src/core imports nothing from vscode', () => {
  const files = globSync('src/core/**/*.ts');
  assert.ok(files.length > 0, 'src/core has files');
  const offenders = files.filter(f => /(?:from\s+|require\(\s*|import\(\s*)['"]vscode['"]/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});

test('the CLI bundle path matches package.json', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  assert.equal(pkg.bin['acestep-song'], 'dist/cli.js');
  assert.equal(pkg.main, './dist/extension.js');
  assert.ok(!pkg.activationEvents.includes('*') && !pkg.activationEvents.includes('onStartupFinished'));
});
