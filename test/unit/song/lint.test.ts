import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSong, LINT_CODES, lintSong, parseSong, type SongDiagnostic } from '../../../src/core/song';
import { applyEdits, assertDiagnosticsInside, codes, song, TEMPEST } from './helpers';

function lint(text: string, options: Parameters<typeof lintSong>[1] = {}): SongDiagnostic[] {
  const d = lintSong(parseSong(text), options);
  assertDiagnosticsInside(text, d);
  return d;
}

function only(text: string, code: string, options: Parameters<typeof lintSong>[1] = {}): SongDiagnostic[] {
  return lint(text, options).filter(d => d.code === code);
}

/** Applies the preferred (or first) fix of the first diagnostic with `code` and returns the new text. */
function fix(text: string, code: string, options: Parameters<typeof lintSong>[1] = {}): string {
  const d = only(text, code, options)[0];
  assert.ok(d, `no ${code} diagnostic`);
  const f = d.fixes?.find(x => x.isPreferred) ?? d.fixes?.[0];
  assert.ok(f, `${code} has no fix`);
  return applyEdits(text, f.edits);
}

const BODY = ['[Verse]', 'walking through the empty streets', 'counting every falling light'];

describe('lintSong', () => {
  test('the example song is clean (apart from being a fragment for 210 s)', () => {
    assert.deepEqual(codes(lint(TEMPEST)), ['duration-too-long']);
    assert.deepEqual(lint(TEMPEST.replace('duration: 210', 'duration: 60')), []);
  });

  test('every code used is documented', () => {
    const documented = new Set(LINT_CODES.map(c => c.code));
    const texts = [
      '---\ncaption: x\n[Verse]\nla',
      song(['caption: [a', 'bpm: 1'], BODY),
      song(['- a', '- b'], BODY),
      song(['captoin: rock', 'prompt: rock', 'caption: pop', 'bpm:', 'key: Dm', 'thinking: yes', 'audio_format: opus', 'task_type: lego', 'repainting_start: 5'], BODY),
    ];
    for (const t of texts) for (const d of lint(t)) assert.ok(documented.has(d.code), `undocumented code ${d.code}`);
  });

  test('yaml-syntax and frontmatter-unclosed', () => {
    assert.equal(only(song(['caption: "open', 'bpm: 120'], BODY), 'yaml-syntax').length > 0, true);
    const text = '---\ncaption: rock\nbpm: 120\n[Verse]\nla la la la la la';
    const fixed = fix(text, 'frontmatter-unclosed');
    assert.equal(fixed, '---\ncaption: rock\nbpm: 120\n---\n[Verse]\nla la la la la la');
    assert.deepEqual(only(fixed, 'frontmatter-unclosed'), []);
  });

  test('frontmatter-not-mapping', () => {
    assert.equal(only(song(['- a', '- b'], BODY), 'frontmatter-not-mapping').length, 1);
  });

  test('unknown-key suggests the closest key, and synonyms', () => {
    const d = only(song(['caption: x', 'captoin: rock'], BODY), 'unknown-key')[0];
    assert.match(d.message, /did you mean caption/);
    assert.equal(fix(song(['caption: x', 'tempo: 120'], BODY), 'unknown-key'), song(['caption: x', 'bpm: 120'], BODY));
    assert.match(only(song(['caption: x', 'lyrics: hi'], BODY), 'unknown-key')[0].message, /body/);
    assert.equal(only(song(['caption: x', 'constructor: 1', 'toString: 2'], BODY), 'unknown-key')[0].message, 'unknown key constructor');
  });

  test('key-alias is a hint with a rename fix', () => {
    const text = song(['prompt: rock', 'key_scale: C major'], BODY);
    const d = only(text, 'key-alias');
    assert.deepEqual(d.map(x => x.severity), ['hint', 'hint']);
    assert.equal(fix(text, 'key-alias'), song(['caption: rock', 'key_scale: C major'], BODY));
  });

  test('duplicate-key, also across an alias', () => {
    const d = only(song(['caption: a', 'prompt: b'], BODY), 'duplicate-key');
    assert.equal(d.length, 1);
    assert.equal(d[0].range.start.line, 2);
  });

  test('value checks: empty, invalid, range, spelling', () => {
    assert.equal(only(song(['caption: x', 'bpm:'], BODY), 'empty-value').length, 1);
    assert.equal(only(song(['caption: x', 'thinking: maybe'], BODY), 'invalid-value').length, 1);
    assert.equal(only(song(['caption: x', 'time_signature: 7/8'], BODY), 'invalid-value').length, 1);
    assert.equal(only(song(['caption: x', 'language: xx'], BODY), 'invalid-value').length, 1);
    assert.equal(fix(song(['caption: x', 'bpm: 120.4'], BODY), 'invalid-value'), song(['caption: x', 'bpm: 120'], BODY));
    assert.equal(fix(song(['caption: x', 'bpm: 400'], BODY), 'out-of-range'), song(['caption: x', 'bpm: 300'], BODY));
    assert.equal(fix(song(['caption: x', 'duration: 5'], BODY), 'out-of-range'), song(['caption: x', 'duration: 10'], BODY));
    assert.equal(only(song(['caption: x', 'batch_size: 9'], BODY), 'out-of-range').length, 1);
    assert.equal(fix(song(['caption: x', 'thinking: yes'], BODY), 'value-spelling'), song(['caption: x', 'thinking: true'], BODY));
    assert.equal(fix(song(['caption: x', 'language: German'], BODY), 'value-spelling'), song(['caption: x', 'language: de'], BODY));
  });

  test('key-spelling fixes to the canonical form', () => {
    for (const [written, canonical] of [['D Minor', 'D minor'], ['Dm', 'D minor'], ['d minor', 'D minor'], ['D min', 'D minor'], ['F#m', 'F# minor'], ['Bb', 'Bb major'], ['"F sharp minor"', 'F# minor']]) {
      const text = song(['caption: x', `key: ${written}`], BODY);
      assert.equal(fix(text, 'key-spelling'), song(['caption: x', `key: ${canonical}`], BODY), written);
    }
    assert.deepEqual(only(song(['caption: x', 'key: B♭ minor'], BODY), 'key-spelling'), []);
  });

  test('newer-server-format and base-model-only', () => {
    assert.equal(only(song(['caption: x', 'audio_format: opus'], BODY), 'newer-server-format')[0].severity, 'warning');
    assert.equal(only(song(['caption: x', 'audio_format: ogg'], BODY), 'invalid-value').length, 1);
    const base = only(song(['caption: x', 'task_type: extract', 'src_audio: a.wav'], BODY), 'base-model-only');
    assert.match(base[0].message, /base model/);
  });

  test('task-needs-source, file-not-found, unused-param, repaint-range', () => {
    assert.equal(only(song(['caption: x', 'task_type: cover'], BODY), 'task-needs-source').length, 1);
    assert.deepEqual(only(song(['caption: x', 'task_type: text2music'], BODY), 'task-needs-source'), []);
    const seen: string[] = [];
    const opts = { baseDir: '/songs', fileExists: (p: string) => { seen.push(p); return p.endsWith('here.wav'); } };
    const text = song(['caption: x', 'task_type: repaint', 'src_audio: audio/gone.wav', 'reference_audio: here.wav', 'repainting_start: 30', 'repainting_end: 20'], BODY);
    assert.equal(only(text, 'file-not-found', opts).length, 1);
    assert.ok(seen.some(p => p.replace(/\\/g, '/').endsWith('/songs/audio/gone.wav')));
    assert.equal(only(text, 'repaint-range').length, 1);
    assert.deepEqual(only(text, 'file-not-found'), [], 'no existence check without fileExists');
    assert.equal(only(song(['caption: x', 'audio_cover_strength: 0.5'], BODY), 'unused-param').length, 1);
  });

  test('caption-missing', () => {
    assert.equal(only(song(['bpm: 90'], BODY), 'caption-missing').length, 1);
    assert.equal(only(song(null, BODY), 'caption-missing').length, 1);
    const text = song(null, BODY);
    assert.equal(fix(text, 'caption-missing'), `---\ncaption: \n---\n${text}`);
  });

  test('caption-metadata moves tempo, key and time signature to their keys', () => {
    const text = song(['caption: dark synthwave, 120 bpm, in A minor, 6/8 time, female vocals'], BODY);
    const d = only(text, 'caption-metadata');
    assert.deepEqual(d.map(x => x.message.slice(0, 12)), ['"120 bpm" in', '"in A minor"', '"6/8 time" i']);
    let t = fix(text, 'caption-metadata');
    assert.equal(t, song(['caption: dark synthwave, in A minor, 6/8 time, female vocals', 'bpm: 120'], BODY));
    t = fix(t, 'caption-metadata');
    t = fix(t, 'caption-metadata');
    assert.equal(t, song(['caption: dark synthwave, female vocals', 'bpm: 120', 'key: A minor', 'time_signature: 3'.replace('3', '6')], BODY));
    assert.deepEqual(only(t, 'caption-metadata'), []);
    assert.deepEqual(only(song(['caption: a minor detail, slow tempo'], BODY), 'caption-metadata'), []);
  });

  test('caption-metadata only removes when the key is already set', () => {
    const text = song(['caption: "rock, 100 bpm"', 'bpm: 120'], BODY);
    const d = only(text, 'caption-metadata')[0];
    assert.match(d.message, /disagrees/);
    assert.equal(fix(text, 'caption-metadata'), song(['caption: "rock"', 'bpm: 120'], BODY));
  });

  test('duration-too-short sets the recommended value; duration-too-long', () => {
    const long = Array.from({ length: 40 }, (_, i) => i % 8 === 0 ? `[Verse ${i / 8 + 1}]` : 'walking through the empty streets tonight');
    const text = song(['caption: x', 'duration: 30'], long);
    const { estimate } = analyzeSong(text);
    assert.equal(fix(text, 'duration-too-short'), song(['caption: x', `duration: ${estimate.seconds}`], long));
    assert.equal(only(song(['caption: x', 'duration: 600'], BODY), 'duration-too-long').length, 1);
  });

  test('no-lyrics and instrumental-with-lyrics', () => {
    const text = song(['caption: x'], ['[Intro]', '[Guitar Solo]', '[Outro]']);
    assert.equal(fix(text, 'no-lyrics'), song(['caption: x', 'instrumental: true'], ['[Intro]', '[Guitar Solo]', '[Outro]']));
    assert.deepEqual(only(song(['caption: x'], []), 'no-lyrics'), []);
    assert.equal(only(song(['caption: x', 'instrumental: true'], BODY), 'instrumental-with-lyrics').length, 1);
  });

  test('unknown-section, empty-tag, unclosed-tag, stacked-modifiers', () => {
    assert.equal(fix(song(['caption: x'], ['[Chrous]', 'la la la la la la']), 'unknown-section'), song(['caption: x'], ['[Chorus]', 'la la la la la la']));
    assert.equal(fix(song(['caption: x'], ['[Vrese 2 - soft]', 'la la la la la la']), 'unknown-section'), song(['caption: x'], ['[Verse 2 - soft]', 'la la la la la la']));
    assert.equal(only(song(['caption: x'], ['[Orchestral Swell]', 'la la la la la la']), 'unknown-section')[0].severity, 'information');
    assert.deepEqual(only(song(['caption: x'], ['[Verse]', '[whispered]', 'la la la la la la']), 'unknown-section'), []);
    assert.equal(only(song(['caption: x'], ['[]', 'la la la la la la']), 'empty-tag').length, 1);
    assert.equal(fix(song(['caption: x'], ['[Chorus', 'la la la la la la']), 'unclosed-tag'), song(['caption: x'], ['[Chorus]', 'la la la la la la']));
    const two = only(song(['caption: x'], ['[Chorus - anthemic, powerful]', 'la la la la la la']), 'stacked-modifiers');
    assert.equal(two[0].severity, 'information');
    const three = song(['caption: x'], ['[Chorus - anthemic - stacked harmonies - epic]', 'la la la la la la']);
    assert.equal(only(three, 'stacked-modifiers')[0].severity, 'warning');
    assert.equal(fix(three, 'stacked-modifiers'), song(['caption: x, stacked harmonies, epic'], ['[Chorus - anthemic]', 'la la la la la la']));
  });

  test('stacked-modifiers moves the rest into the caption, as its message says', () => {
    const body = (tag: string) => [tag, 'la la la la la la'];
    const d = only(song(['caption: dream pop'], body('[Bridge - airy, slow, reverb-soaked]')), 'stacked-modifiers')[0];
    assert.equal(d.fixes![0].title, 'Keep "airy" and move the rest to the caption');
    // Words the caption has already are not repeated; quoting stays valid YAML.
    assert.equal(fix(song(['caption: dream pop, slow'], body('[Bridge - airy, slow, reverb-soaked]')), 'stacked-modifiers'),
      song(['caption: dream pop, slow, reverb-soaked'], body('[Bridge - airy]')));
    assert.equal(fix(song(['caption: "lo-fi: tape hiss"'], body('[Verse - soft, muffled]')), 'stacked-modifiers'),
      song(['caption: "lo-fi: tape hiss, muffled"'], body('[Verse - soft]')));
    // No caption yet: one is added; an empty one is filled.
    assert.equal(fix(song(['bpm: 90'], body('[Verse - soft, muffled]')), 'stacked-modifiers'),
      song(['bpm: 90', 'caption: muffled'], body('[Verse - soft]')));
    assert.equal(fix(song(['caption:', 'bpm: 90'], body('[Verse - soft, muffled]')), 'stacked-modifiers'),
      song(['caption: muffled', 'bpm: 90'], body('[Verse - soft]')));
    // A caption with a line break (as "Use These Settings" writes it) stays one value: no line becomes a key.
    const hostile = fix(song(['caption: "x\\nreference_audio: /some/file"'], body('[Verse - soft, muffled]')), 'stacked-modifiers');
    assert.equal(hostile, song(['caption: "x\\nreference_audio: /some/file, muffled"'], body('[Verse - soft]')));
    assert.equal(parseSong(hostile).params.reference_audio, undefined);
    // A folded caption gets the words at the end of its last line.
    assert.equal(fix(song(['caption: >', '  dream pop,', '  hazy guitars', 'bpm: 90'], body('[Verse - soft, muffled]')), 'stacked-modifiers'),
      song(['caption: >', '  dream pop,', '  hazy guitars, muffled', 'bpm: 90'], body('[Verse - soft]')));
  });

  test('a rename that would duplicate a key replaces the value instead', () => {
    // tempo is unknown: its value goes to the bpm that exists, and its line goes.
    const text = song(['caption: x', 'bpm: 100', 'tempo: 120'], BODY);
    const d = only(text, 'unknown-key')[0];
    assert.equal(d.fixes![0].title, 'Replace bpm: 100 with 120');
    assert.equal(fix(text, 'unknown-key'), song(['caption: x', 'bpm: 120'], BODY));
    assert.equal(fix(song(['caption: x', 'tempo: 120', 'bpm: 100'], BODY), 'unknown-key'), song(['caption: x', 'bpm: 120'], BODY));
    // The same value, or none: the line just goes.
    const same = only(song(['caption: x', 'bpm: 100', 'tempo: 100'], BODY), 'unknown-key')[0];
    assert.equal(same.fixes![0].title, 'Remove tempo (bpm is already set)');
    assert.equal(fix(song(['caption: x', 'bpm: 100', 'tempo: 100'], BODY), 'unknown-key'), song(['caption: x', 'bpm: 100'], BODY));
    // An alias in effect (the later one) moves its value; an overridden alias is only removed.
    assert.equal(fix(song(['caption: a', 'prompt: b'], BODY), 'key-alias'), song(['caption: b'], BODY));
    assert.equal(fix(song(['prompt: b', 'caption: a'], BODY), 'key-alias'), song(['caption: a'], BODY));
    // A key without value takes it; the very last line of a document goes with its line break.
    assert.equal(fix(song(['caption: x', 'bpm:', 'tempo: 120'], BODY), 'unknown-key'), song(['caption: x', 'bpm: 120'], BODY));
    assert.equal(fix('---\ncaption: x\nbpm: 100\ntempo: 120', 'unknown-key'), '---\ncaption: x\nbpm: 120');
    // Without a clash, it is still a rename.
    assert.equal(fix(song(['caption: x', 'tempo: 120'], BODY), 'unknown-key'), song(['caption: x', 'bpm: 120'], BODY));
  });

  test('German and Dutch key names get the standard spelling', () => {
    for (const [written, canonical] of [
      ['H', 'B major'], ['h', 'B minor'], ['H major', 'B major'], ['h-moll', 'B minor'], ['Fis', 'F# major'], ['fis', 'F# minor'],
      ['Es', 'Eb major'], ['Es-Dur', 'Eb major'], ['Cis-Dur', 'C# major'], ['cis-moll', 'C# minor'], ['As-Dur', 'Ab major'],
      ['B-Dur', 'Bb major'], ['b-moll', 'Bb minor'], ['Bes groot', 'Bb major'], ['B klein', 'B minor'], ['C-Dur', 'C major'], ['Gis mineur', 'G# minor'],
    ]) {
      const text = song(['caption: x', `key: ${written}`], BODY);
      const d = only(text, 'key-spelling');
      assert.equal(d.length, 1, written);
      assert.match(d[0].message, /German or Dutch/, written);
      assert.equal(fix(text, 'key-spelling'), song(['caption: x', `key: ${canonical}`], BODY), written);
    }
    // English spellings keep their English reading.
    for (const [written, canonical] of [['B', 'B major'], ['Bb', 'Bb major'], ['Em', 'E minor']]) {
      const d = only(song(['caption: x', `key: ${written}`], BODY), 'key-spelling');
      assert.equal(d[0].fixes![0].edits[0].newText, canonical, written);
      assert.doesNotMatch(d[0].message, /German/, written);
    }
    assert.equal(only(song(['caption: x', 'key: Hs'], BODY), 'invalid-value').length, 1);
  });

  test('syllables: only far outside the range, configurable', () => {
    const text = song(['caption: x'], ['[Verse]', 'oh', 'walking through the empty streets', 'and this line is really much too long to sing in any single breath at all']);
    assert.deepEqual(only(text, 'syllables').map(d => d.range.start.line), [4, 6]);
    assert.deepEqual(only(text, 'syllables', { syllableRange: { min: 1, max: 30 } }), []);
  });

  test('disabled codes are skipped', () => {
    const text = song(['prompt: rock, 120 bpm', 'bpm: 500'], ['[Chrous]', 'oh']);
    const all = codes(lint(text));
    assert.ok(all.includes('key-alias') && all.includes('out-of-range') && all.includes('unknown-section'));
    const some = codes(lint(text, { disabled: ['key-alias', 'out-of-range', 'unknown-section', 'syllables', 'caption-metadata'] }));
    assert.deepEqual(some, []);
  });
});

// Issue 12, case 11: a huge song must not make millions of diagnostics.
describe('the diagnostic cap', () => {
  const many = (n: number, tail: string[] = []) => song(['caption: rock'], ['[Verse]', ...Array.from({ length: n }, () => 'la'), ...tail]);

  test('keeps the first ones in order and counts the rest in one summary, first in the list', () => {
    const all = lint(many(50));
    assert.equal(all.length, 50);
    const capped = lint(many(50), { maxDiagnostics: 10 });
    assert.equal(capped.length, 11);
    assert.equal(capped[0].code, 'more-diagnostics');
    assert.deepEqual(capped[0].notListed, { error: 0, warning: 0, information: 40, hint: 0 });
    assert.equal(capped[0].severity, 'information');
    assert.deepEqual(capped.slice(1), all.slice(0, 10));
    assert.equal(capped[0].message, '40 more diagnostics are not listed (only the first 10 are): 0 errors, 0 warnings, 40 others');
  });

  test('an error past the cap still makes the song fail (the summary takes the worst severity), and cannot be disabled', () => {
    const capped = lint(song(['caption: rock'], ['[Verse]', 'la', 'la', 'la', '[Chorus', 'la']), { maxDiagnostics: 2, disabled: ['more-diagnostics'] });
    assert.equal(capped[0].code, 'more-diagnostics');
    assert.equal(capped[0].severity, 'warning');
    const e = lint(song(['caption: rock', 'bpm: 400', 'batch_size: 99'], ['[Verse]', 'la']), { maxDiagnostics: 1 });
    assert.deepEqual(e.map(d => [d.code, d.severity]), [['more-diagnostics', 'error'], ['out-of-range', 'error']]);
    assert.equal(e[0].notListed?.error, 1);
  });

  test('a song of a million short lines stays at the default cap', () => {
    const d = lint(many(1_000_000));
    assert.equal(d.length, 1001);
    assert.equal(d[0].notListed?.information, 1_000_000 - 1000);
  });
});
