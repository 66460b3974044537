import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assertProperty } from '../property';
import {
  dominantEol, parseEnv, parseEnvDetailed, readEnvMode, readEnvValue, setEnvMode, setEnvValue,
} from '../../../src/core/server/env-file';
import { interpolate, InterpolationError } from '../../../src/core/server/interpolate';
import { readConfiguredMode, writeConfiguredMode } from '../../../src/core/server/control';
import { decodeBytesText, encodeBytesText } from '../../../src/core/util/bytes-text';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

// The user's .env from the wrapper, trimmed (comments, a commented-out alternative, ports).
const WRAPPER_ENV = [
  '# ACE-Step Docker Configuration',
  'ACESTEP_DEVICE=auto',
  '',
  '# ==== Model ====',
  'ACESTEP_CONFIG_PATH=acestep-v15-turbo',
  'ACESTEP_LM_MODEL_PATH=acestep-5Hz-lm-4B',
  'GRADIO_PORT=8500',
  'API_PORT=8501',
  '',
  '# === Mode ===',
  'ACESTEP_MODE=gradio',
  '#ACESTEP_MODE=api',
  '',
  '# ACESTEP_API_KEY=sk-your-secret-key',
  'ACESTEP_GPU_DEVICE=0',
].join('\n');

test('switching the wrapper .env to api changes that one line only', () => {
  const out = setEnvMode(WRAPPER_ENV, 'api');
  assert.equal(out, WRAPPER_ENV.replace('\nACESTEP_MODE=gradio\n', '\nACESTEP_MODE=api\n'));
  assert.ok(out.includes('#ACESTEP_MODE=api'), 'the commented-out line stays');
  assert.ok(!out.endsWith('\n'), 'a missing final newline stays missing');
  assert.equal(readEnvMode(out), 'api');
  assert.equal(setEnvMode(out, 'gradio'), WRAPPER_ENV);
});

test('quote styles, export, inline comments and CRLF are kept', () => {
  const cases: Array<[string, string]> = [
    ['ACESTEP_MODE="gradio"\n', 'ACESTEP_MODE="api"\n'],
    ["ACESTEP_MODE='gradio'\n", "ACESTEP_MODE='api'\n"],
    ['export ACESTEP_MODE=gradio\n', 'export ACESTEP_MODE=api\n'],
    ['ACESTEP_MODE=gradio   # the UI\n', 'ACESTEP_MODE=api   # the UI\n'],
    ['ACESTEP_MODE="gradio" # quoted, commented\n', 'ACESTEP_MODE="api" # quoted, commented\n'],
    ['  ACESTEP_MODE = gradio\r\nX=1\r\n', '  ACESTEP_MODE = api\r\nX=1\r\n'],
    ['ACESTEP_MODE: gradio\n', 'ACESTEP_MODE: api\n'],
    ['ACESTEP_MODE=\n', 'ACESTEP_MODE=api\n'],
    ['ACESTEP_MODE=\r\nB=1\r\n', 'ACESTEP_MODE=api\r\nB=1\r\n'],
    ['ACESTEP_MODE= \r\n', 'ACESTEP_MODE= api\r\n'],
    ['ACESTEP_MODE\nB=2\n', 'ACESTEP_MODE=api\nB=2\n'],
  ];
  for (const [input, expected] of cases) assert.equal(setEnvMode(input, 'api'), expected, JSON.stringify(input));
});

test('an absent key is added at the end with the file\'s line ending', () => {
  assert.equal(setEnvMode('', 'api'), 'ACESTEP_MODE=api\n');
  assert.equal(setEnvMode('A=1\n', 'api'), 'A=1\nACESTEP_MODE=api\n');
  assert.equal(setEnvMode('A=1\r\nB=2\r\n', 'api'), 'A=1\r\nB=2\r\nACESTEP_MODE=api\r\n');
  assert.equal(setEnvMode('A=1\r\nB=2', 'api'), 'A=1\r\nB=2\r\nACESTEP_MODE=api', 'no final newline: a separating one is added');
  assert.equal(setEnvMode('# only a comment ACESTEP_MODE=gradio', 'api'), '# only a comment ACESTEP_MODE=gradio\nACESTEP_MODE=api');
});

test('duplicates: the last assignment is the one compose reads, and the one edited', () => {
  const text = 'ACESTEP_MODE=api\nX=1\nACESTEP_MODE=gradio # wins\n';
  assert.equal(readEnvMode(text), 'gradio');
  assert.equal(parseEnv(text).ACESTEP_MODE, 'gradio');
  assert.equal(setEnvMode(text, 'api'), 'ACESTEP_MODE=api\nX=1\nACESTEP_MODE=api # wins\n');
  const entries = parseEnvDetailed(text).entries.filter(e => e.key === 'ACESTEP_MODE');
  assert.deepEqual(entries.map(e => e.line), [0, 2]);
});

test('parseEnv follows compose: quotes, escapes, export, comments, interpolation', () => {
  const text = [
    'export A=plain value  # comment',
    'B="double \\"q\\" \\n line\\tTab \\$HOME \\\\"',
    "C='single $A \\n stays'",
    'D=${A}-x',
    'E="${MISSING:-fallback}"',
    'F=a#b',
    'G="multi',
    'line"',
    'H=$$literal',
    'I: yaml style',
    '   # indented comment',
    'J=',
    "K='it\\'s'",
  ].join('\n');
  assert.deepEqual(parseEnv(text), {
    A: 'plain value',
    B: 'double "q" \n line\tTab $HOME \\',
    C: 'single $A \\n stays',
    D: 'plain value-x',
    E: 'fallback',
    F: 'a#b',
    G: 'multi\nline',
    H: '$literal',
    I: 'yaml style',
    J: '',
    K: "it's",
  });
  assert.equal(readEnvValue(text, 'NOPE'), undefined);
});

test('a broken line is reported and skipped; the rest still parses', () => {
  const parsed = parseEnvDetailed('A=1\nBAD KEY=2\nC="unterminated\nD=4\n');
  assert.equal(parsed.values.A, '1');
  assert.equal(parsed.values.D, '4');
  assert.equal(parsed.problems.length, 2);
});

test('readEnvMode: api only for exactly "api", Gradio otherwise (the entrypoint default)', () => {
  assert.equal(readEnvMode(''), 'gradio');
  assert.equal(readEnvMode('ACESTEP_MODE=API\n'), 'gradio');
  assert.equal(readEnvMode('ACESTEP_MODE="api"\n'), 'api');
});

test('values that the existing style cannot carry switch to double quotes', () => {
  assert.equal(setEnvValue('K=x\n', 'K', 'a b # c'), 'K="a b # c"\n');
  assert.equal(setEnvValue("K='x'\n", 'K', "ends with \\"), 'K="ends with \\\\"\n');
  assert.equal(setEnvValue('K=x # note\n', 'K', ''), 'K="" # note\n');
  assert.equal(setEnvValue('K=x\n', 'K', 'cost $5'), 'K=cost $$5\n');
  assert.equal(setEnvValue('K="x"\n', 'K', 'two\nlines'), 'K="two\\nlines"\n');
  assert.throws(() => setEnvValue('', 'bad key', 'x'));
});

test('dominantEol picks CRLF only when most breaks are CRLF', () => {
  assert.equal(dominantEol('a\r\nb\r\nc\n'), '\r\n');
  assert.equal(dominantEol('a\r\nb\nc\n'), '\n');
  assert.equal(dominantEol('no breaks'), '\n');
});

test('interpolate: compose forms', () => {
  const vars: Record<string, string> = { SET: 'v', EMPTY: '' };
  const look = (n: string) => vars[n];
  assert.equal(interpolate('${SET}/$SET/${NOPE}/$$', look), 'v/v//$');
  assert.equal(interpolate('${EMPTY:-d1} ${EMPTY-d2} ${NOPE-d3}', look), 'd1  d3');
  assert.equal(interpolate('${SET:+alt} ${EMPTY:+alt} ${EMPTY+alt}', look), 'alt  alt');
  assert.equal(interpolate('${NOPE:-${SET}x}', look), 'vx');
  assert.equal(interpolate('$1 and $ alone', look), '$1 and $ alone');
  assert.throws(() => interpolate('${NOPE:?must be set}', look), InterpolationError);
  assert.throws(() => interpolate('${unclosed', look), InterpolationError);
});

// ---- property: only the ACESTEP_MODE assignment changes ----------------------------------------

type GenLine = { text: string; mode?: boolean };

const safeChars = fc.constantFrom(...'abcXYZ019 -_./:@#='.split(''));
const valueText = fc.string({ unit: safeChars, maxLength: 12 });
const keyName = fc.constantFrom('A', 'GRADIO_PORT', 'API_PORT', 'ACESTEP_LM_MODEL_PATH', 'X.Y', 'ACESTEP_MODEX', 'MY_ACESTEP_MODE');
const ws = fc.constantFrom('', ' ', '  ', '\t');

const otherAssignment = fc.tuple(ws, fc.boolean(), keyName, ws, fc.constantFrom('=', '=', ': '), ws, valueText, fc.constantFrom('', '"', "'"), fc.option(valueText, { nil: undefined }))
  .map(([lead, exp, key, s1, sep, s2, value, q, comment]): GenLine => {
    const v = q ? `${q}${value.replace(/["'\\]/g, '')}${q}` : value.replace(/ #.*/, '').trim();
    return { text: `${lead}${exp ? 'export ' : ''}${key}${s1}${sep}${s2}${v}${comment !== undefined ? ` # ${comment}` : ''}` };
  });

const modeAssignment = fc.tuple(ws, fc.boolean(), ws, fc.constantFrom('=', ': '), ws, fc.constantFrom('gradio', 'api', 'weird', ''), fc.constantFrom('', '"', "'"), fc.option(valueText, { nil: undefined }))
  .map(([lead, exp, s1, sep, s2, value, q, comment]): GenLine => ({
    text: `${lead}${exp ? 'export ' : ''}ACESTEP_MODE${s1}${sep}${s2}${q}${value}${q}${comment !== undefined ? ` # ${comment}` : ''}`,
    mode: true,
  }));

const commentLine = fc.tuple(ws, valueText).map(([lead, t]): GenLine => ({ text: `${lead}#${t}` }));
const commentedMode = fc.constantFrom<GenLine>({ text: '#ACESTEP_MODE=api' }, { text: '# ACESTEP_MODE=gradio' });
const blankLine = ws.map((w): GenLine => ({ text: w }));

const envFile = fc.record({
  lines: fc.array(fc.oneof(otherAssignment, modeAssignment, commentLine, commentedMode, blankLine), { maxLength: 14 }),
  eols: fc.array(fc.constantFrom('\n', '\r\n'), { minLength: 14, maxLength: 14 }),
  finalNewline: fc.boolean(),
}).map(({ lines, eols, finalNewline }) => {
  const text = lines.map((l, i) => l.text + (i < lines.length - 1 || finalNewline ? eols[i] : '')).join('');
  let modeLine = -1;
  lines.forEach((l, i) => { if (l.mode) modeLine = i; });
  return { text, lines, modeLine };
});

/** Lines with their own line break kept, so CRLF vs LF differences show. */
function rawLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

test('property: setting ACESTEP_MODE changes nothing but that assignment', () => {
  assertProperty(fc.property(envFile, fc.constantFrom<'api' | 'gradio'>('api', 'gradio'), ({ text, modeLine }, mode) => {
    const before = parseEnv(text);
    const out = setEnvMode(text, mode);
    assert.equal(parseEnv(out).ACESTEP_MODE, mode);
    assert.equal(readEnvMode(out), mode);
    for (const [k, v] of Object.entries(before)) if (k !== 'ACESTEP_MODE') assert.equal(parseEnv(out)[k], v, k);
    const a = rawLines(text), b = rawLines(out);
    if (modeLine >= 0) {
      assert.equal(b.length, a.length);
      a.forEach((line, i) => { if (i !== modeLine) assert.equal(b[i], line, `line ${i}`); });
      const eol = (s: string) => /\r?\n$/.exec(s)?.[0] ?? '';
      assert.equal(eol(b[modeLine]!), eol(a[modeLine]!), 'the edited line keeps its line ending');
      assert.equal(b[modeLine]!.split('ACESTEP_MODE')[0], a[modeLine]!.split('ACESTEP_MODE')[0], 'indent and export kept');
    } else {
      assert.ok(out.startsWith(text), 'existing text kept as a prefix');
      const added = out.slice(text.length);
      assert.match(added, /^(\r?\n)?ACESTEP_MODE=(api|gradio)(\r?\n)?$/);
      const crlf = (text.match(/\r\n/g) ?? []).length, lf = (text.match(/\n/g) ?? []).length - crlf;
      const breaks = added.match(/\r?\n/g) ?? [];
      for (const br of breaks) assert.equal(br, crlf > lf ? '\r\n' : '\n', 'the added line uses the dominant line ending');
      assert.equal(out.endsWith('\n'), text === '' || text.endsWith('\n'), 'final-newline style kept');
    }
    assert.equal(setEnvMode(out, mode), out, 'setting the same value again changes nothing');
  }), { numRuns: 1000 });
});

test('property: any value round-trips through setEnvValue in any quote style', () => {
  const anyValue = fc.string({ unit: fc.constantFrom(...'ab $#"\'\\\n\t=:{}'.split('')), maxLength: 10 });
  assertProperty(fc.property(fc.constantFrom('K=x\n', 'K="x"\n', "K='x'\n", 'K=x # c\n', 'export K = x\r\n', 'A=1'), anyValue, (text, value) => {
    const out = setEnvValue(text, 'K', value);
    assert.equal(parseEnv(out).K, value);
  }), { numRuns: 400 });
});

// ---- bytes, not decoded text (hardening: non-UTF-8 bytes in .env) --------------------------------------

test('property: any bytes survive decodeBytesText → encodeBytesText unchanged', () => {
  const tricky = fc.constantFrom(
    [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xed, 0xb2, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xe2, 0x82], [0xff], [0xfe, 0xff],
    [0xf0, 0x9f, 0x8e, 0xb5], [0xe9], [0xc3, 0xa9], [0x0a], [0x22], [0x3d],
  ).map(a => Uint8Array.from(a));
  const bytes = fc.array(fc.oneof(fc.uint8Array({ maxLength: 8 }), tricky), { maxLength: 24 })
    .map(parts => Uint8Array.from(parts.flatMap(p => [...p])));
  assertProperty(fc.property(bytes, b => {
    assert.deepEqual([...encodeBytesText(decodeBytesText(b))], [...b]);
  }), { numRuns: 2000 });
  assert.equal(decodeBytesText(Buffer.from('café ♪ 🎵', 'utf8')), 'café ♪ 🎵', 'valid UTF-8 reads as itself');
});

test('property: switching the mode in a .env of arbitrary bytes changes only the mode value', () => {
  const chunk = fc.oneof(
    fc.uint8Array({ maxLength: 12 }),
    fc.constantFrom('# caf\xe9 (Latin-1)\n', 'PASSWORD=\xff\xfe\x80secret\n', 'ACESTEP_MODE=gradio\n', 'ACESTEP_MODE="api"\r\n', 'A=1\n', '\n')
      .map(s => Buffer.from(s, 'latin1')),
  );
  const file = fc.array(chunk, { maxLength: 10 }).map(parts => Buffer.concat(parts.map(p => Buffer.from(p))));
  assertProperty(fc.property(file, fc.constantFrom<'api' | 'gradio'>('api', 'gradio'), (before, mode) => {
    let text: string;
    try { text = setEnvMode(decodeBytesText(before), mode); } catch (e) {
      assert.match((e as Error).message, /could not write ACESTEP_MODE safely/);
      return;
    }
    const after = encodeBytesText(text);
    assert.equal(readEnvMode(decodeBytesText(after)), mode);
    let p = 0;
    while (p < before.length && p < after.length && before[p] === after[p]) p++;
    let s = 0;
    while (s < before.length - p && s < after.length - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
    const removed = before.subarray(p, before.length - s), added = after.subarray(p, after.length - s);
    assert.ok([...removed, ...added].every(c => c < 0x80), 'only ASCII (the mode value, or an added line) differs');
  }), { numRuns: 1500 });
});

test('the mode switch keeps a Latin-1 comment and a binary password byte for byte', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'acestep-envbytes-'));
  try {
    const file = path.join(dir, '.env');
    const head = Buffer.from('# Einstellungen f\xfcr den Server\r\nACESTEP_MODE=', 'latin1');
    const tail = Buffer.from('\r\nACESTEP_API_KEY=\x80\xff\xfe\x00k\r\n', 'latin1');
    writeFileSync(file, Buffer.concat([head, Buffer.from('gradio'), tail]));
    assert.equal(await writeConfiguredMode(dir, 'api'), true);
    assert.deepEqual(readFileSync(file), Buffer.concat([head, Buffer.from('api'), tail]));
    assert.equal(await readConfiguredMode(dir), 'api');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parsing is linear: 40,000 assignments parse in well under the 56 s they once took', () => {
  const text = Array.from({ length: 40_000 }, (_, i) => `KEY_${i}=value ${i} # note\n`).join('') + 'ACESTEP_MODE=api\n';
  const t0 = performance.now();
  const parsed = parseEnvDetailed(text);
  const ms = performance.now() - t0;
  assert.equal(parsed.entries.length, 40_001);
  assert.equal(parsed.entries[40_000]!.line, 40_000);
  assert.equal(parsed.values.KEY_39999, 'value 39999');
  assert.ok(ms < 5_000, `took ${ms.toFixed(0)} ms`);
  assert.equal(readEnvMode(setEnvMode(text, 'gradio')), 'gradio');
});
