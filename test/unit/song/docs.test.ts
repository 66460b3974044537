import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ALIASES, KEY_SPECS, LINT_CODES, SECTION_NAMES, PERFORMANCE_TAGS } from '../../../src/core/song';

// docs/song-format.md must keep up with the code: every key, alias, lint code, section and tag.
const doc = readFileSync('docs/song-format.md', 'utf8');

test('every key and alias is documented', () => {
  for (const s of KEY_SPECS) assert.ok(doc.includes(`| \`${s.key}\` |`), s.key);
  for (const a of ALIASES.keys()) assert.ok(doc.includes(`\`${a}\``), a);
});

test('every lint code is in the table', () => {
  for (const c of LINT_CODES) assert.ok(doc.includes(`| \`${c.code}\` | ${c.severity} |`), c.code);
});

test('every section name and performance tag is listed', () => {
  const flat = doc.replace(/\s+/g, ' ');
  for (const s of SECTION_NAMES) assert.ok(flat.includes(s.name), s.name);
  for (const t of PERFORMANCE_TAGS) assert.ok(flat.includes(t.name.replace('raspy vocals', 'raspy vocal')), t.name);
});
