// Lints of what the servers do with a song's settings: lm_top_p ≥ 1 replaced, settings without effect, text cut.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintSong, parseSong } from '../../../src/core/song';
import { estimateTokens } from '../../../src/core/song/lint-server';

const codes = (text: string, code: string) => lintSong(parseSong(text)).filter(d => d.code === code);

describe('lint: what the servers do with the settings', () => {
  test('lm_top_p of 1 or more: replaced by 0.9 (warning); below 1: nothing', () => {
    const [d] = codes('---\ncaption: rock\nlm_top_p: 1\n---\n[Verse]\nhello there my friend\n', 'top-p-replaced');
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /lm_top_p 1 is replaced by 0\.9/);
    assert.equal(codes('---\ncaption: rock\nlm_top_p: 0.95\n---\n', 'top-p-replaced').length, 0);
  });

  test('constrained_decoding, use_tiled_decode, lm_repetition_penalty: information, no effect', () => {
    const ds = codes('---\ncaption: rock\nconstrained_decoding: false\nuse_tiled_decode: false\nlm_repetition_penalty: 1.2\n---\n', 'no-effect');
    assert.deepEqual(ds.map(d => d.severity), ['information', 'information', 'information']);
    assert.match(ds[0].message, /constrained_decoding has no effect/);
  });

  test('a caption past 256 tokens and lyrics past 2,048 tokens: cut, with the estimate', () => {
    const longCaption = Array.from({ length: 220 }, (_, i) => `word${i}`).join(' ');
    const [c] = codes(`---\ncaption: ${longCaption}\n---\n`, 'text-cut');
    assert.match(c.message, /^The caption is about \d+ tokens; the server keeps the first 256/);
    assert.equal(codes('---\ncaption: dark synthwave, driving bass, female vocals\n---\n', 'text-cut').length, 0);
    const verse = 'I walk the empty streets tonight beneath a sky of rain\n';
    const [l] = codes(`---\ncaption: rock\n---\n[Verse]\n${verse.repeat(180)}`, 'text-cut');
    assert.match(l.message, /^The lyrics are about \d+ tokens; the server keeps the first 2048/);
    assert.equal(l.range.start.line, 3);
  });

  test('the token estimate: words about 1.3 tokens, long words more, punctuation and CJK one each', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('one two three'), 4);
    assert.equal(estimateTokens('extraordinarily'), 4);
    assert.equal(estimateTokens('你好世界'), 4);
    assert.equal(estimateTokens('a, b.'), 5);
  });
});
