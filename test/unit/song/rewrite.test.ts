import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { assertProperty } from '../property';
import { parseSong, replaceBody, setFrontmatterValues, splitLines } from '../../../src/core/song';
import { FrontmatterWriteError } from '../../../src/core/song/rewrite';

const SONG = '---\ntitle: A\n# my note\nprompt: old caption\nbpm: 90\n---\n[Verse]\nline one\n';

test('setFrontmatterValues replaces values in place, through aliases, and keeps comments', () => {
  const out = setFrontmatterValues(SONG, { caption: 'new: caption', bpm: 120, key: 'D minor' });
  assert.equal(out, '---\ntitle: A\n# my note\nprompt: "new: caption"\nbpm: 120\nkey: D minor\n---\n[Verse]\nline one\n');
});

test('setFrontmatterValues keeps CRLF and adds a frontmatter when there is none', () => {
  assert.equal(setFrontmatterValues('---\r\nbpm: 1\r\n---\r\n[Verse]\r\n', { bpm: 100 }), '---\r\nbpm: 100\r\n---\r\n[Verse]\r\n');
  assert.equal(setFrontmatterValues('[Verse]\nla\n', { seed: 7 }), '---\nseed: 7\n---\n[Verse]\nla\n');
});

test('replaceBody swaps the lyrics and keeps the frontmatter', () => {
  assert.equal(replaceBody(SONG, '[Chorus]\nnew line\n\n'), '---\ntitle: A\n# my note\nprompt: old caption\nbpm: 90\n---\n[Chorus]\nnew line\n');
});

test('setFrontmatterValues replaces a multi-line value with one line', () => {
  const out = setFrontmatterValues('---\ncaption: >\n  long\n  caption\nbpm: 90\n---\n', { caption: 'short' });
  assert.equal(out, '---\ncaption: short\nbpm: 90\n---\n');
});

// Issue 12, case 1: a caption from a server is data. It used to be written as an unindented block scalar, so
// its second line became a key of its own (here one that makes the next Generate upload a local file).
test('setFrontmatterValues writes a multi-line caption as one value: its lines never become keys', () => {
  const out = setFrontmatterValues(SONG, { caption: 'x\nreference_audio: /some/file', seed: 3 });
  assert.equal(out, '---\ntitle: A\n# my note\nprompt: "x\\nreference_audio: /some/file"\nbpm: 90\nseed: 3\n---\n[Verse]\nline one\n');
  const parsed = parseSong(out);
  assert.deepEqual(parsed.frontmatter?.errors, []);
  assert.equal(parsed.params.reference_audio, undefined);
  assert.deepEqual(parsed.frontmatter?.entries.map(e => e.key), ['title', 'prompt', 'bpm', 'seed']);
  assert.equal(parseDocument(frontmatterOf(out)).get('prompt'), 'x\nreference_audio: /some/file');
  const two = setFrontmatterValues(SONG, { caption: 'warm folk\nsoft vocals' });
  assert.equal(parseSong(two).params.caption, 'warm folk\nsoft vocals');
});

test('setFrontmatterValues keeps trailing comments, tags stay with the value they belong to, and mixed line endings', () => {
  assert.equal(setFrontmatterValues('---\r\nbpm: 90 # fast\nkey: !!str C major\r\n---\n[Verse]\r\n', { bpm: 100, key: 'D minor' }),
    '---\r\nbpm: 100 # fast\nkey: D minor\r\n---\n[Verse]\r\n');
  assert.equal(setFrontmatterValues('---\ncaption:\nbpm: 1\n---\n', { caption: 'a # b' }), '---\ncaption: "a # b"\nbpm: 1\n---\n');
  assert.equal(setFrontmatterValues('---\n---\nla\n', { seed: 1 }), '---\nseed: 1\n---\nla\n');
});

test('setFrontmatterValues refuses an unclosed or non-mapping frontmatter rather than guess', () => {
  assert.throws(() => setFrontmatterValues('---\ntitle: A\n[Verse]\nla\n', { seed: 1 }), FrontmatterWriteError);
  assert.throws(() => setFrontmatterValues('---\n- a\n- b\n---\nla\n', { seed: 1 }), FrontmatterWriteError);
});

/** The YAML between the delimiters. */
function frontmatterOf(text: string): string {
  const lines = splitLines(text);
  return lines.slice(1, parseSong(text).frontmatter!.closeLine!).join('\n');
}

/** Lines (with their terminators) that do not belong to the given keys (a key line and its indented continuation). */
function otherLines(text: string, keys: readonly string[]): string[] {
  const out: string[] = [];
  let inKey = false;
  for (const l of text.split(/(?<=\r\n|\n)/)) {
    if (keys.some(k => l.startsWith(`${k}:`) || l.startsWith(`"${k}":`))) { inKey = true; continue; }
    if (inKey && /^[ \t]/.test(l)) continue;
    inKey = false;
    out.push(l);
  }
  return out;
}

const HOSTILE = ['\n', '\r\n', '\r', ': ', '#', ' #', '"', '\'', '\\', '  ', '\t', '- ', '---', '...', '|', '>', '&a', '*a', '!!str',
  'reference_audio: /etc/passwd', '{', '[', '%', '@', '`', '\u0085', '\u2028', '\uFEFF', 'ü', '月', '🎸', '\u0000', '\u001b[2J', 'yes', 'null', '~', '0x1F', '1e3'];
const hostileText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 4 })), { maxLength: 16 }).map(a => a.join('')),
  fc.tuple(fc.constantFrom(...HOSTILE), fc.integer({ min: 2_000, max: 10_000 })).map(([s, n]) => 'long '.repeat(n / 5) + s),
);
const TEMPLATES = [
  '---\ntitle: A\n# my note\nprompt: old caption\nbpm: 90 # fast\n---\n[Verse]\nline one\n',
  '---\r\n"title": \'A\'\r\ncaption: >\r\n  folded\r\n  caption\r\n\r\nseed: 7\r\nextra: {a: 1}\r\n---\r\n[Verse]\r\nla\r\n',
  '\uFEFF---\ncaption: |-\n  one\n  two\n# end\n---\n',
  '---\n# only a comment\n---\n[Chorus]\nla\n',
  '---\ncaption: first\nprompt: second\nkey:   C major   # spaced\n---\n',
  '[Verse]\nno frontmatter\n',
];

test('property: any values read back exactly, add no other keys, and leave every other byte of the song alone', () => {
  assertProperty(fc.property(
    fc.constantFrom(...TEMPLATES),
    fc.record({ caption: hostileText, title: hostileText, key: hostileText, seed: fc.integer({ min: -1, max: 2 ** 32 - 1 }), bpm: fc.integer({ min: 30, max: 300 }), instrumental: fc.boolean() }, { requiredKeys: [] }),
    (song, values) => {
      const out = setFrontmatterValues(song, values);
      const set = Object.keys(values);
      if (!set.length) { assert.equal(out, song); return; }
      const doc = parseDocument(frontmatterOf(out), { uniqueKeys: false });
      assert.deepEqual(doc.errors, []);
      const before = parseSong(song).frontmatter ? parseDocument(frontmatterOf(song), { uniqueKeys: false }).toJSON() ?? {} : {};
      const after = doc.toJSON() as Record<string, unknown>;
      // The key in effect for each value (an alias such as prompt, or the canonical name when added).
      const written = (k: string) => [...(parseSong(song).frontmatter?.entries ?? [])].reverse().find(e => e.canonical === k)?.key ?? k;
      const expected = { ...before };
      for (const [k, v] of Object.entries(values)) expected[written(k)] = v;
      assert.deepEqual(after, expected);
      assert.deepEqual(Object.keys(after).sort(), Object.keys(expected).sort());
      // Every line that is not one of the keys written is kept byte for byte, in order.
      const keys = [...new Set(set.flatMap(k => [k, written(k)]))];
      const kept = otherLines(out, keys);
      const original = otherLines(song, keys);
      if (parseSong(song).frontmatter) assert.deepEqual(kept, original);
      else assert.equal(out.endsWith(song.replace(/^\uFEFF/, '')), true);
    },
  ), { numRuns: 100 });
});
