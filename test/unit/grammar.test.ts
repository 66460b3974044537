import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PERFORMANCE_TAGS, SECTION_NAMES } from '../../src/core/song/tags';

// The TextMate grammar is checked by vscode-tmgrammar-test against test/grammar/*.test.song;
// these tests wrap that run so it is part of `npm test`. Alone: `node test/grammar/run.mjs`.

function runGrammarTests(...files: string[]) {
  return spawnSync(process.execPath, ['test/grammar/run.mjs', ...files], { encoding: 'utf8', timeout: 90_000 });
}

test('the .song grammar passes every test/grammar/*.test.song assertion', () => {
  const r = runGrammarTests();
  assert.equal(r.error, undefined, String(r.error));
  assert.equal(r.status, 0, `grammar tests failed:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /run successfuly/, 'the tool reported at least one test file');
});

test('the grammar file is what scripts/gen-grammar.mjs writes', () => {
  const r = spawnSync(process.execPath, ['scripts/gen-grammar.mjs', '--check'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr || r.stdout);
  const grammar = JSON.parse(readFileSync('syntaxes/song.tmLanguage.json', 'utf8')) as { scopeName: string };
  assert.equal(grammar.scopeName, 'source.song');
});

test('every section name and performance tag the linter knows is coloured as one', () => {
  const lines = ['# SYNTAX TEST "source.song" "the linter\'s vocabulary"'];
  const carets = (from: number, text: string) => '#' + ' '.repeat(from - 1) + '^'.repeat(text.length);
  for (const { name } of SECTION_NAMES) {
    lines.push(`[${name}]`, `${carets(1, name)} entity.name.section.song`);
    lines.push(`[${name.toUpperCase()} 2 - soft]`, `${carets(1, name)} entity.name.section.song`,
      `${carets(name.length + 6, 'soft')} entity.other.attribute-name.modifier.song`);
  }
  for (const { name } of PERFORMANCE_TAGS) {
    // Vocal and energy tags have scopes of their own: a tag bracket, but neither a section nor an unknown tag.
    lines.push(`[${name}]`, '# <- punctuation.definition.tag.begin.song',
      `${carets(1, name)} - entity.name.section.song entity.name.tag.song`);
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'song-grammar-'));
  try {
    const file = path.join(dir, 'vocabulary.test.song');
    writeFileSync(file, lines.join('\n') + '\n');
    const r = runGrammarTests(file);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a wrong assertion makes the grammar run fail (the check can fail)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'song-grammar-'));
  try {
    const file = path.join(dir, 'wrong.test.song');
    writeFileSync(file, '# SYNTAX TEST "source.song" "deliberately wrong"\n[Verse 1]\n#^^^^^ comment.line.number-sign.song\n');
    const r = runGrammarTests(file);
    assert.equal(r.status, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /missing required scopes|Missing required scopes/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
