import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import fc from 'fast-check';
import { songFromSample } from '../../../src/core/ai/sample-song';
import type { ResultItem } from '../../../src/core/api/types';
import { adviceFor, adviceText } from '../../../src/core/jobs/advice';
import { describedTitle, descriptionProblem, planDescribedSong, sampleQuery } from '../../../src/core/jobs/describe-song';
import { analyzeSong, parseSong } from '../../../src/core/song';
import { assertProperty } from '../property';

const DIMMU = 'a creative black metal song with good lyrics, in English, with cool guitar solos, kind of in the style of Dimmu Borgir';

const item = (over: Partial<ResultItem> = {}): ResultItem => ({
  file: '/v1/audio?path=x.mp3', link: '/v1/audio?path=x.mp3', seeds: [], raw: {},
  prompt: 'symphonic black metal, blast beats, tremolo guitars, harsh vocals, orchestral keys',
  lyrics: '[Verse 1]\nFrozen winds across the land\nIron crowns in every hand\n\n[Chorus]\nRise, rise, the night is ours\nBurning under ancient stars\n',
  metas: { bpm: 168, duration: 184, keyscale: 'D minor', timesignature: '4', genres: null, prompt: '', lyrics: '' },
  ...over,
});

describe('New Song from a Description: the plan', () => {
  test('the job asks the server LM with sample_query; the .song and its takes folder are planned together', () => {
    const dir = path.resolve('/songs');
    const taken = new Set([path.join(dir, 'a-creative-black-metal-song.song')]);
    const { plan, songPath, query } = planDescribedSong({ description: DIMMU, language: 'en', duration: 180, serverUrl: 'http://127.0.0.1:1', songDir: dir, exists: p => taken.has(p) });
    assert.equal(songPath, path.join(dir, 'a-creative-black-metal-song-2.song'), 'never over an existing song');
    assert.equal(plan.songPath, songPath);
    assert.equal(plan.outputDir, path.join(dir, 'acestep-output', 'a-creative-black-metal-song-2'));
    assert.equal(plan.request.params.sample_query, query);
    assert.equal(plan.request.params.vocal_language, 'en');
    assert.equal(plan.request.params.thinking, true);
    assert.equal(plan.description, DIMMU);
    assert.match(query, /About 180 seconds long\.$/);
  });

  test('instrumental goes into the sentence (the server reads it only there), once', () => {
    assert.equal(sampleQuery({ description: 'calm piano', instrumental: true }), 'calm piano. Instrumental, no vocals.');
    assert.equal(sampleQuery({ description: 'an instrumental surf tune', instrumental: true }), 'an instrumental surf tune');
  });

  test('problems: empty, unknown language, duration out of range', () => {
    assert.ok(descriptionProblem({ description: '  ' }));
    assert.ok(descriptionProblem({ description: 'x', language: 'english' }));
    assert.ok(descriptionProblem({ description: 'x', duration: 5 }));
    assert.equal(descriptionProblem({ description: 'x', language: 'de', duration: 120 }), undefined);
    assert.equal(describedTitle('  a song, about "rain"!'), 'A song about rain');
  });

  test('advice for a description job refused for lack of the LM: the .env fix, with an Open .env button', () => {
    const job = {
      state: 'failed' as const, serverUrl: 'http://x', items: [], request: { params: { sample_query: 'x' }, files: {} },
      error: { kind: 'server' as const, message: 'The server reports that the job failed: RuntimeError: 5Hz LM init failed: disabled' },
    };
    const editor = adviceFor(job);
    assert.equal(editor[0].id, 'enable-lm');
    assert.ok(editor[0].label);
    assert.match(adviceText(editor), /ACESTEP_INIT_LLM=true/);
    const terminal = adviceFor(job, { surface: 'terminal' });
    assert.equal(terminal[0].label, undefined);
    assert.match(adviceText(terminal), /acestep-song server start/);
  });
});

describe('New Song from a Description: the .song from the LM answer', () => {
  test('caption, lyrics and metadata the LM chose; the description as a comment; lint-clean', () => {
    const s = songFromSample({ description: DIMMU, language: 'en' }, 'A creative black metal song', item());
    const parsed = parseSong(s.text);
    assert.equal(parsed.params.caption, item().prompt);
    assert.equal(parsed.params.bpm, 168);
    assert.equal(parsed.params.key, 'D minor');
    assert.equal(parsed.params.duration, 184);
    assert.equal(parsed.params.language, 'en');
    assert.match(s.text, /^# "a creative black metal song .*Dimmu Borgir"$/m);
    assert.match(s.text, /\[Chorus\]\nRise, rise/);
    assert.deepEqual(analyzeSong(s.text, { disabled: ['file-not-found'] }).diagnostics.filter(d => d.severity === 'error'), []);
  });

  test('what the linter can fix is fixed (metadata in the caption, a key spelled loosely)', () => {
    const s = songFromSample({ description: 'x' }, 'X', item({ prompt: 'dark synthwave, 120 bpm, in A minor', metas: { bpm: 120, keyscale: 'a min', duration: 30, timesignature: '4/4' } }));
    assert.ok(s.applied.length > 0, 'fixes applied');
    assert.deepEqual(s.remaining.filter(d => d.severity === 'error'), []);
    assert.equal(parseSong(s.text).params.time_signature, '4');
  });

  test('no caption from the server (the Gradio-mounted API): the description is the caption, with a note', () => {
    const s = songFromSample({ description: 'warm lofi beat', instrumental: true }, 'Warm lofi beat', item({ prompt: undefined, lyrics: undefined, metas: {} }));
    assert.equal(parseSong(s.text).params.caption, 'warm lofi beat');
    assert.equal(parseSong(s.text).params.instrumental, true);
    assert.equal(s.notes.length, 1);
  });

  test('whatever the server writes, the song parses and names exactly those values (server text is data)', () => {
    assertProperty(fc.property(fc.string(), fc.string(), fc.oneof(fc.string(), fc.integer()), (caption, lyrics, key) => {
      const s = songFromSample({ description: 'a test' }, 'T', item({ prompt: caption, lyrics, metas: { keyscale: String(key) } }));
      const parsed = parseSong(s.text);
      assert.equal(parsed.params.title, 'T');
      assert.ok(parsed.frontmatter && parsed.frontmatter.closeLine !== null);
    }));
  });
});

describe('acestep_write_from_description input', () => {
  test('a sentence and the optional hints; strings a model sends for numbers and booleans; one message for the rest', async () => {
    const { checkDescribeInput } = await import('../../../src/core/ai/tool-input');
    assert.deepEqual(checkDescribeInput({ description: ' calm piano ', language: 'DE', instrumental: 'true', duration: '120' }),
      { ok: true, value: { description: 'calm piano', language: 'de', instrumental: true, duration: 120 } });
    const bad = checkDescribeInput({ language: 'german', duration: 5000, mood: 'sad' });
    assert.equal(bad.ok, false);
    if (!bad.ok) for (const word of ['"description" is required', '"language"', '"duration"', '"mood"']) assert.ok(bad.error.includes(word), bad.error);
    assert.equal(checkDescribeInput('just a string').ok, false);
  });
});
