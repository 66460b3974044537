// The hand-written example songs and the AI integration docs: lint-clean, consistent, complete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { globSync } from 'glob';
import { parse as parseYaml } from 'yaml';
import { extractSong } from '../../../src/core/ai';
import { analyzeSong } from '../../../src/core/song';

const SONGS = globSync('examples/prompts/*.song').sort();

test('there are ten example songs', () => {
  assert.equal(SONGS.length, 10);
});

test('every example song is lint-clean (not even a note) and its duration fits its lyrics', () => {
  for (const file of SONGS) {
    const { parsed, diagnostics, estimate } = analyzeSong(readFileSync(file, 'utf8'));
    assert.deepEqual(diagnostics.map(d => `${d.range.start.line + 1}: ${d.code} ${d.message}`), [], file);
    for (const key of ['title', 'caption', 'duration', 'bpm', 'key', 'time_signature', 'batch_size'] as const) {
      assert.notEqual(parsed.params[key], undefined, `${file}: ${key}`);
    }
    assert.ok(parsed.instrumental || parsed.params.language, `${file}: language`);
    const d = parsed.params.duration as number;
    // The estimate is the floor for the lyrics; a song may take more for its instrumental parts.
    if (!parsed.instrumental) assert.ok(d >= estimate.min && d <= estimate.max * 1.25, `${file}: ${d} far from ${estimate.min}–${estimate.max}`);
    assert.equal(parsed.params.batch_size, 1, file);
  }
});

test('examples/prompts.md shows every song exactly as its file', () => {
  const md = readFileSync('examples/prompts.md', 'utf8');
  assert.match(md, /written by\s+hand, by following the guide/);
  for (const file of SONGS) {
    const text = readFileSync(file, 'utf8');
    assert.ok(md.includes(`\`\`\`song\n${text}\`\`\``), `${file} differs from its copy in prompts.md`);
    assert.ok(md.includes(`](prompts/${path.basename(file)})`), `${file} is linked`);
  }
});

test('a model answer made of an example song survives extraction unchanged', () => {
  for (const file of SONGS) {
    const text = readFileSync(file, 'utf8');
    const r = extractSong(`Here it is:\n\n\`\`\`song\n${text}\`\`\`\n\nEnjoy!`);
    assert.ok(r.ok, file);
    if (r.ok) assert.equal(r.text, text, file);
  }
});

test('SKILL.md has valid Agent Skills frontmatter and links the other two documents', () => {
  const skill = readFileSync('docs/ai-integration/SKILL.md', 'utf8');
  const m = /^---\n([\s\S]*?)\n---\n/.exec(skill);
  assert.ok(m, 'frontmatter');
  const fm = parseYaml(m[1]) as { name: string; description: string };
  assert.equal(fm.name, 'acestep');
  assert.ok(fm.description.length > 100 && fm.description.length <= 1024, `description is ${fm.description.length} chars`);
  assert.match(skill, /\]\(music-creation-guide\.md\)/);
  assert.match(skill, /\]\(API\.md\)/);
});

test('relative links in the AI docs and the examples point at files that exist', () => {
  for (const doc of ['docs/ai-integration/SKILL.md', 'docs/ai-integration/music-creation-guide.md', 'docs/ai-integration/API.md', 'docs/ai-integration/two-routes.md', 'examples/prompts.md']) {
    const text = readFileSync(doc, 'utf8');
    for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      assert.ok(existsSync(path.join(path.dirname(doc), target)), `${doc} → ${target}`);
    }
  }
});

test('the docs stay free of machine paths', () => {
  for (const doc of ['docs/ai-integration/SKILL.md', 'docs/ai-integration/music-creation-guide.md', 'docs/ai-integration/API.md', 'docs/ai-integration/two-routes.md', 'examples/prompts.md']) {
    assert.doesNotMatch(readFileSync(doc, 'utf8'), /\/work\/|\/home\/|C:\\\\/, doc);
  }
});
