import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assertProperty } from '../property';
import { diffLines, splitDiffLines, textsDiffer } from '../../../src/core/player/diff';

const show = (d: ReturnType<typeof diffLines>) => d.map(l => `${l.kind === 'same' ? ' ' : l.kind === 'added' ? '+' : '-'}${l.text}`);

test('identical texts are all "same"', () => {
  assert.deepEqual(show(diffLines('a\nb\nc', 'a\nb\nc')), [' a', ' b', ' c']);
  assert.deepEqual(diffLines('', ''), []);
});

test('added, removed and changed lines', () => {
  assert.deepEqual(show(diffLines('a\nb\nc', 'a\nc')), [' a', '-b', ' c']);
  assert.deepEqual(show(diffLines('a\nc', 'a\nb\nc')), [' a', '+b', ' c']);
  assert.deepEqual(show(diffLines('[verse]\nold line\nsame', '[verse]\nnew line\nsame')), [' [verse]', '-old line', '+new line', ' same']);
  assert.deepEqual(show(diffLines('', 'x\ny')), ['+x', '+y']);
  assert.deepEqual(show(diffLines('x\ny', '')), ['-x', '-y']);
});

test('a real LCS, not just prefix/suffix matching', () => {
  assert.deepEqual(show(diffLines('a\nb\nc\nd\ne', 'x\nb\ny\nd\nz')), ['-a', '+x', ' b', '-c', '+y', ' d', '-e', '+z']);
  assert.deepEqual(show(diffLines('1\n2\n3\n4', '4\n1\n2\n3')), ['+4', ' 1', ' 2', ' 3', '-4']);
});

test('line endings do not matter and a trailing newline adds no line', () => {
  assert.deepEqual(show(diffLines('a\r\nb\r\n', 'a\nb')), [' a', ' b']);
  assert.deepEqual(splitDiffLines('a\rb\n'), ['a', 'b']);
  assert.deepEqual(splitDiffLines('\n'), ['']);
});

test('textsDiffer ignores line endings and trailing spaces, and an absent user text', () => {
  assert.equal(textsDiffer('a \r\nb\n', 'a\nb'), false);
  assert.equal(textsDiffer('a', 'b'), true);
  assert.equal(textsDiffer(undefined, 'b'), false);
});

test('diff properties: both texts can be rebuilt and "same" lines are a longest common subsequence', () => {
  const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd', ''), { maxLength: 12 });
  assertProperty(fc.property(lines, lines, (x, y) => {
    const before = x.join('\n'), after = y.join('\n');
    const d = diffLines(before, after);
    assert.deepEqual(d.filter(l => l.kind !== 'added').map(l => l.text), splitDiffLines(before));
    assert.deepEqual(d.filter(l => l.kind !== 'removed').map(l => l.text), splitDiffLines(after));
    // LCS length by a plain DP.
    const a = splitDiffLines(before), b = splitDiffLines(after);
    const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
    for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) {
      t[i][j] = a[i] === b[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
    }
    assert.equal(d.filter(l => l.kind === 'same').length, t[0][0]);
  }), { numRuns: 500 });
});

test('huge inputs fall back without building a giant table', () => {
  const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join('\n');
  const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join('\n');
  const t0 = Date.now();
  const d = diffLines(`head\n${a}\ntail`, `head\n${b}\ntail`);
  assert.ok(Date.now() - t0 < 2000);
  assert.equal(d.length, 6002);
  assert.equal(d[0].kind, 'same');
  assert.equal(d[d.length - 1].kind, 'same');
});
