import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

test('the README settings table matches package.json', () => {
  const r = spawnSync(process.execPath, ['scripts/settings-table.mjs', '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('README gives the two commands and .ci/run calls the same test command', () => {
  const readme = readFileSync('README.md', 'utf8');
  assert.match(readme, /npm start/);
  assert.match(readme, /npm test/);
  assert.match(readFileSync('.ci/run', 'utf8'), /^npm test$/m);
});
