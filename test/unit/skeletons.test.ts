import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { globSync } from 'glob';
import { analyzeSong } from '../../src/core/song';
import { SKELETONS } from '../../src/core/song/skeletons';

// The ready-made songs: the New Song skeletons (generated from snippets/song.json) and examples/.

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description: string;
  isFileTemplate?: boolean;
}

const snippets = JSON.parse(readFileSync('snippets/song.json', 'utf8')) as Record<string, Snippet>;
const bodyOf = (s: Snippet) => (Array.isArray(s.body) ? s.body.join('\n') : s.body);

/**
 * Snippet text with every tab stop at its default (or, for choices, option `choice` when it has
 * that many); written apart from the generator's resolver on purpose.
 */
function plainText(snippet: string, choice = 0): string {
  let s = snippet;
  for (let prev = ''; prev !== s;) {
    prev = s;
    s = s.replace(/(?<!\\)\$\{\d+\|((?:\\.|[^|\\])*)\|\}/g, (_, list: string) => { // ${1|first,second|}
      const options = list.split(/(?<!\\),/);
      return options[choice] ?? options[0];
    })
      .replace(/(?<!\\)\$\{(?:\d+|[A-Za-z_]\w*):((?:\\.|[^${}\\])*)\}/g, '$1') // ${1:text} with no nested ${ inside
      .replace(/(?<!\\)\$\{(?:\d+|[A-Za-z_]\w*)\}|(?<!\\)\$(?:\d+|[A-Za-z_]\w*)/g, ''); // $1, ${1}, $VAR
  }
  return s.replace(/\\([$}\\,|])/g, '$1');
}

test('the plain-text resolver handles nested placeholders, choices and escapes', () => {
  assert.equal(plainText('[Intro${1: - ${2|soft,loud|}}]$0'), '[Intro - soft]');
  assert.equal(plainText('[${1|Guitar,Piano|} Solo]', 1), '[Piano Solo]');
  assert.equal(plainText('a ${1:b ${2:c}} \\$d $TM_FILENAME e'), 'a b c $d  e');
});

test('every whole-song snippet is a New Song skeleton with the same text', () => {
  const templates = Object.entries(snippets).filter(([, s]) => s.isFileTemplate);
  assert.ok(templates.length >= 5, 'pop, metal, ballad, rap and lo-fi at least');
  assert.equal(SKELETONS.length, templates.length, 'one skeleton per file-template snippet');
  for (const [name, s] of templates) {
    const prefix = Array.isArray(s.prefix) ? s.prefix[0] : s.prefix;
    const skeleton = SKELETONS.find(k => `song-${k.id}` === prefix);
    assert.ok(skeleton, `a skeleton for "${name}" (${prefix})`);
    assert.equal(skeleton.snippet, bodyOf(s), `${name}: snippet body`);
    assert.equal(skeleton.text.trimEnd(), plainText(bodyOf(s)).trimEnd(), `${name}: text`);
    assert.equal(skeleton.description, s.description);
  }
  assert.ok(SKELETONS.some(k => k.id === 'pop'), 'the host suite opens the "pop" skeleton');
  assert.equal(new Set(SKELETONS.map(k => k.id)).size, SKELETONS.length, 'ids are unique');
});

test('every snippet body is well-formed', () => {
  for (const [name, s] of Object.entries(snippets)) {
    assert.ok(s.prefix && s.description && s.body, `${name} has prefix, description and body`);
    const body = bodyOf(s);
    const opened = (body.match(/(?<!\\)\$\{/g) ?? []).length;
    const closed = (body.match(/(?<!\\)\}/g) ?? []).length;
    assert.equal(opened, closed, `${name}: every \${ is closed`);
    assert.ok(!/\$\{/.test(plainText(body)), `${name}: resolves completely`);
  }
});

test('every tag a snippet can insert is a known section or performance tag', () => {
  const tagCodes = new Set(['unknown-section', 'stacked-modifiers', 'unclosed-tag', 'empty-tag']);
  for (const [name, s] of Object.entries(snippets)) {
    for (let choice = 0; choice < 10; choice++) {
      const { diagnostics } = analyzeSong(plainText(bodyOf(s), choice));
      const problems = diagnostics.filter(d => tagCodes.has(d.code)).map(d => `${d.code} ${d.message}`);
      assert.deepEqual(problems, [], `${name}, choice ${choice + 1}`);
    }
  }
});

test('every skeleton lints clean', () => {
  for (const k of SKELETONS) {
    assert.match(k.text, /^---\n[\s\S]*\ncaption: .+\n[\s\S]*\n---\n/, `${k.id}: frontmatter with a caption`);
    const { diagnostics } = analyzeSong(k.text);
    assert.deepEqual(diagnostics.map(d => `${d.range.start.line + 1}: ${d.code} ${d.message}`), [], k.id);
  }
});

test('every example song lints clean', () => {
  const files = globSync('examples/*.song').sort();
  for (const required of ['tempest-of-the-night', 'progressive-metal', 'company-anniversary', 'lofi-study', 'dutch-pop']) {
    assert.ok(files.some(f => f.endsWith(`${required}.song`)), `examples/${required}.song exists`);
  }
  assert.ok(files.length >= 6);
  for (const file of files) {
    const { diagnostics, parsed } = analyzeSong(readFileSync(file, 'utf8'));
    assert.deepEqual(diagnostics.map(d => `${d.range.start.line + 1}: ${d.code} ${d.message}`), [], file);
    assert.ok(parsed.params.caption && parsed.params.title, `${file}: title and caption`);
  }
});
