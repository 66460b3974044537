import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  buildFixMessage, buildImproveMessages, buildWriteMessages, flattenSystem, planSummary, truncateGuide,
} from '../../../src/core/ai';
import { parseSong } from '../../../src/core/song';

const GUIDE = readFileSync('docs/ai-integration/music-creation-guide.md', 'utf8');
const total = (ms: { content: string }[]) => ms.reduce((n, m) => n + m.content.length, 0);

test('write messages: system rules and guide, then the request with the plan and the fence rule', () => {
  const ms = buildWriteMessages('a creative black metal song, a bit like Dimmu Borgir', { guide: GUIDE });
  assert.deepEqual(ms.map(m => m.role), ['system', 'user']);
  assert.match(ms[0].content, /One modifier per section tag/);
  assert.ok(ms[0].content.includes('## Caption: how it sounds'), 'the whole guide is included without a budget');
  assert.match(ms[1].content, /Request: a creative black metal song/);
  assert.match(ms[1].content, /1\. Plan[\s\S]*2\. Caption[\s\S]*3\. Lyrics[\s\S]*4\. Parameters/);
  assert.match(ms[1].content, /single ```song fenced block and nothing else/);
});

test('write messages: an empty request still asks for a song', () => {
  const ms = buildWriteMessages('   ', { guide: '' });
  assert.match(ms[1].content, /surprise me/);
  assert.ok(!ms[0].content.includes('Songwriting guide'), 'no empty guide heading');
});

test('maxChars: the whole prompt fits and the caption and lyrics sections of the guide survive first', () => {
  for (const max of [6000, 9000, 14000]) {
    const ms = buildWriteMessages('a jingle', { guide: GUIDE, maxChars: max });
    assert.ok(total(ms) <= max, `${total(ms)} > ${max}`);
    assert.match(ms[0].content, /## Caption: how it sounds/, `caption section kept at ${max}`);
    assert.match(ms[0].content, /shortened to fit/);
  }
  const tiny = buildWriteMessages('a jingle', { guide: GUIDE, maxChars: 100 });
  assert.ok(!tiny[0].content.includes('Songwriting guide'), 'no guide when nothing sensible fits');
  assert.match(tiny[0].content, /One modifier per section tag/, 'the rules are never cut');
});

test('truncateGuide keeps whole sections in their original order and respects the limit', () => {
  const g = ['# Title', 'intro text', '## Other things', 'x'.repeat(500), '## Lyrics', 'l'.repeat(300),
    '## Duration', 'd'.repeat(300), '## Caption', 'c'.repeat(300)].join('\n');
  const out = truncateGuide(g, 1100);
  assert.ok(out.length <= 1100);
  assert.ok(out.indexOf('## Lyrics') < out.indexOf('## Duration') && out.indexOf('## Duration') < out.indexOf('## Caption'));
  assert.ok(!out.includes('## Other things'), 'the least useful section goes first');
  assert.equal(truncateGuide(g, 100000), g.trim(), 'a guide that fits is untouched');
  assert.equal(truncateGuide(g, 10), '');
});

test('improve messages carry the song, the lint findings and the instruction', () => {
  const song = '---\ncaption: folk\n---\n[Chorus - a, b]\nla la la la la la';
  const ms = buildImproveMessages(song, { guide: GUIDE, lintMessages: ['line 4: stacked-modifiers: 2 modifiers'], instruction: 'make it sadder' });
  const user = ms[1].content;
  assert.ok(user.includes('```song\n---\ncaption: folk'));
  assert.match(user, /- line 4: stacked-modifiers/);
  assert.match(user, /What I want changed: make it sadder/);
  assert.match(user, /Fix every linter finding/);
  assert.match(user, /complete revised song/);
  const plain = buildImproveMessages(song, { guide: '' })[1].content;
  assert.ok(!plain.includes('linter reports'));
});

test('fix message lists the errors (capped) and asks for the whole song again', () => {
  const m = buildFixMessage(['line 3: out-of-range: bpm too high', 'line 9: no lyrics']);
  assert.equal(m.role, 'user');
  assert.match(m.content, /- line 3: out-of-range: bpm too high\n- line 9: no lyrics/);
  assert.match(m.content, /complete corrected song/);
  const many = buildFixMessage(Array.from({ length: 40 }, (_, i) => `problem ${i}`));
  assert.match(many.content, /and 15 more/);
  assert.ok(!many.content.includes('problem 30'));
});

test('flattenSystem folds the system text into the first user message', () => {
  const flat = flattenSystem([{ role: 'system', content: 'RULES' }, { role: 'user', content: 'hi' }, { role: 'assistant', content: 'x' }]);
  assert.deepEqual(flat.map(m => m.role), ['user', 'assistant']);
  assert.ok(flat[0].content.startsWith('RULES') && flat[0].content.endsWith('hi'));
  assert.deepEqual(flattenSystem([{ role: 'user', content: 'a' }]), [{ role: 'user', content: 'a' }]);
});

test('planSummary: title, genre, structure, tempo, key, metre, language, length', () => {
  const text = readFileSync('examples/prompts/black-metal.song', 'utf8');
  const s = planSummary(parseSong(text));
  assert.equal(s, '"Nine Bells for the Drowned Sun": symphonic black metal · Intro → Verse 1 → Pre-Chorus → Chorus → '
    + 'Guitar Solo → Verse 2 → Pre-Chorus → Chorus → Bridge → Guitar Solo → … (+2) · 160 BPM, D minor, 4/4 · English · 3:00');
  const lofi = planSummary(parseSong(readFileSync('examples/prompts/study-lofi.song', 'utf8')));
  assert.match(lofi, /instrumental lo-fi hip hop .* 76 BPM, F major, 4\/4 · instrumental · 3:00$/);
  assert.equal(planSummary({ params: {} }), 'untitled song · tempo auto · length auto');
  assert.match(planSummary({ params: { caption: 'waltz', time_signature: '3', language: 'nl', duration: 185 } }), /3\/4 · Dutch · 3:05/);
});
