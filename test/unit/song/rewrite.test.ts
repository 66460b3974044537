import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replaceBody, setFrontmatterValues } from '../../../src/core/song';

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
