import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { completionsAt, documentSymbols, foldingRanges, hoverAt, parseSong } from '../../../src/core/song';
import { TEMPEST } from './helpers';

const labels = (items: { label: string }[]) => items.map(i => i.label);

describe('completionsAt', () => {
  test('keys in the frontmatter, without the ones already set', () => {
    const text = '---\ncaption: x\n\n---\n';
    const items = completionsAt(text, { line: 2, character: 0 });
    assert.ok(items.every(i => i.kind === 'key'));
    assert.ok(labels(items).includes('bpm'));
    assert.ok(!labels(items).includes('caption'));
    assert.equal(items.find(i => i.label === 'bpm')!.insertText, 'bpm: ');
    assert.ok(items.find(i => i.label === 'bpm')!.documentation);
  });

  test('values after key:', () => {
    const at = (line: string) => labels(completionsAt(`---\n${line}\n---\n`, { line: 1, character: line.length }));
    assert.ok(at('key: ').includes('D minor'));
    assert.ok(at('key: ').includes('auto'));
    assert.equal(at('key: ').length, 43);
    assert.equal(at('language: ').length, 51);
    assert.deepEqual(at('time_signature: '), ['4', '3', '6', '2', 'auto']);
    assert.deepEqual(at('audio_format: '), ['mp3', 'wav', 'flac', 'opus', 'aac', 'wav32']);
    assert.deepEqual(at('task_type: '), ['text2music', 'repaint', 'cover', 'extract', 'lego', 'complete']);
    assert.deepEqual(at('thinking: '), ['true', 'false']);
    assert.deepEqual(at('format: '), ['true', 'false'], 'aliases resolve');
    assert.deepEqual(at('nonsense: '), []);
    const partial = completionsAt('---\nkey: D min\n---\n', { line: 1, character: 10 });
    assert.deepEqual(partial[0].range, { start: { line: 1, character: 5 }, end: { line: 1, character: 10 } });
    const unclosed = completionsAt('---\ncaption: x\n[', { line: 2, character: 1 });
    assert.equal(unclosed[0].kind, 'section');
    const duration = completionsAt('---\nduration: \n---\n[Intro]\n[Outro]', { line: 1, character: 10 });
    assert.equal(duration[0].label, '40');
  });

  test('sections and tags after [, modifiers after " - "', () => {
    const text = '---\ncaption: x\n---\n[\n[Chorus - \n[Verse]';
    const sections = completionsAt(text, { line: 3, character: 1 });
    assert.ok(labels(sections).includes('Pre-Chorus'));
    assert.ok(labels(sections).includes('whispered'));
    assert.equal(sections.find(i => i.label === 'Chorus')!.insertText, 'Chorus]');
    assert.equal(sections.find(i => i.label === 'Chorus')!.kind, 'section');
    assert.equal(sections.find(i => i.label === 'whispered')!.kind, 'tag');
    const mods = completionsAt(text, { line: 4, character: 10 });
    assert.ok(mods.length > 10 && mods.every(m => m.kind === 'modifier'));
    assert.deepEqual(mods[0].range, { start: { line: 4, character: 10 }, end: { line: 4, character: 10 } });
    const second = completionsAt('[Chorus - soft, lo', { line: 0, character: 18 });
    assert.deepEqual(second[0].range, { start: { line: 0, character: 16 }, end: { line: 0, character: 18 } });
    assert.deepEqual(sections[0].range, { start: { line: 3, character: 1 }, end: { line: 3, character: 1 } });
    const inside = completionsAt(text, { line: 5, character: 1 });
    assert.equal(inside.find(i => i.label === 'Verse')!.insertText, 'Verse', 'no second ]');
    assert.deepEqual(completionsAt(text, { line: 99, character: 0 }), []);
    assert.deepEqual(completionsAt('plain words', { line: 0, character: 3 }), []);
  });
});

describe('hoverAt', () => {
  const parsed = parseSong(TEMPEST);
  test('every key explains itself', () => {
    for (const e of parsed.frontmatter!.entries) {
      const h = hoverAt(parsed, e.keyRange.start);
      assert.ok(h, e.key);
      assert.match(h.markdown, new RegExp(`\\*\\*${e.key}\\*\\*`));
      assert.match(h.markdown, /Server default/);
    }
    const bpm = hoverAt(parsed, { line: 4, character: 1 })!;
    assert.match(bpm.markdown, /30–300/);
    assert.match(bpm.markdown, /Sent as `bpm`/);
    const value = hoverAt(parsed, { line: 6, character: 17 })!;
    assert.match(value.markdown, /4\/4/);
  });

  test('aliases say so', () => {
    const h = hoverAt(parseSong('---\nprompt: x\n---\n'), { line: 1, character: 2 })!;
    assert.match(h.markdown, /\*\*caption\*\*.*alias/);
  });

  test('section tags show their estimate', () => {
    const h = hoverAt(parsed, { line: 13, character: 3 })!;
    assert.match(h.markdown, /\*\*Verse 1 - aggressive\*\*/);
    assert.match(h.markdown, /≈ \d+ s \(\d+–\d+ s\), 2 sung lines/);
    assert.deepEqual(h.range.start, { line: 13, character: 0 });
    assert.equal(hoverAt(parsed, { line: 14, character: 3 }), null);
    const tag = hoverAt(parseSong('[Verse]\n[whispered]\nhi'), { line: 1, character: 2 })!;
    assert.match(tag.markdown, /Whispered/);
  });
});

describe('outline', () => {
  const parsed = parseSong(TEMPEST);
  test('documentSymbols: the frontmatter with its keys, then the sections', () => {
    const symbols = documentSymbols(parsed);
    assert.equal(symbols[0].kind, 'frontmatter');
    assert.equal(symbols[0].name, 'Tempest of the Night');
    assert.equal(symbols[0].children.length, 9);
    assert.deepEqual(symbols.slice(1).map(s => s.name), ['[Intro - orchestral]', '[Verse 1 - aggressive]', '[Chorus - anthemic]']);
    assert.equal(symbols[2].detail, '2 lines');
  });

  test('foldingRanges: frontmatter, sections, comment runs', () => {
    const f = foldingRanges(parseSong('---\na: 1\n---\n[Verse]\nx\ny\n# one\n# two\n[Chorus]'));
    assert.deepEqual(f, [
      { startLine: 0, endLine: 2, kind: 'region' },
      { startLine: 3, endLine: 5 },
      { startLine: 6, endLine: 7, kind: 'comment' },
    ]);
  });
});
