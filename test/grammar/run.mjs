// Runs the TextMate grammar tests for `.song` (test/grammar/*.test.song) with vscode-tmgrammar-test.
//   node test/grammar/run.mjs                 every test file
//   node test/grammar/run.mjs path/a.test.song  only the given files (or globs)
// Exit: 0 when every assertion holds, 1 otherwise (also on a hang or a malformed assertion line).
//
// The YAML of the frontmatter is embedded with `include: source.yaml`. VS Code ships that grammar
// but node_modules does not, so a small stand-in (yaml-stub.tmLanguage.json) plays its part here.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { globSync } from 'glob';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tool = path.join(root, 'node_modules/vscode-tmgrammar-test/dist/unit.js');
const patterns = process.argv.slice(2);
const files = (patterns.length ? patterns : ['test/grammar/*.test.song'])
  .flatMap(p => (existsSync(path.resolve(root, p)) ? [path.relative(root, path.resolve(root, p))] : globSync(p, { cwd: root })))
  .sort();

if (files.length === 0) {
  console.error('grammar tests: no test files found');
  process.exit(1);
}

// The tool's assertion parser backtracks without end on a line with two " - " exclusion markers
// (write `^^^ required - excluded1 excluded2` instead), so refuse such lines up front.
const bad = [];
for (const file of files) {
  readFileSync(path.join(root, file), 'utf8').split(/\r?\n/).forEach((line, i) => {
    if (/^#\s*(?:\^|<~*-)/.test(line) && line.split(' - ').length > 2) bad.push(`${file}:${i + 1}: ${line}`);
  });
}
if (bad.length) {
  console.error('grammar tests: use one " - " per assertion line (required scopes - excluded scopes):');
  for (const b of bad) console.error('  ' + b);
  process.exit(1);
}

const args = [
  tool,
  '--grammar', 'syntaxes/song.tmLanguage.json',
  '--grammar', 'test/grammar/yaml-stub.tmLanguage.json',
  ...files,
];
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', timeout: 60_000 });
if (result.error) {
  const why = result.error.code === 'ETIMEDOUT' ? 'did not finish within 60 s' : result.error.message;
  console.error(`grammar tests: vscode-tmgrammar-test ${why}`);
  process.exit(1);
}
process.exit(result.status === 0 ? 0 : 1);
