// The player's edits and sections in the core: the edit and sections messages (checked both ways), the sections
// estimated from the lyrics and the lyrics of a region, the sidecar's `sections` field (old sidecars still read),
// and the .song values of an edit ("Use These Settings" on an edited take).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assertProperty } from '../property';
import { parseFromWebview, parseToWebview } from '../../../src/core/player/protocol';
import { estimateSectionMarks, lyricsInRange } from '../../../src/core/player/sections';
import { editSongValues } from '../../../src/core/player/edit-song';
import { readSidecar, sidecarWithSections } from '../../../src/core/jobs/sidecar';
import { planEdit } from '../../../src/core/jobs/edit';
import { estimateDuration, parseSong } from '../../../src/core/song';

const LYRICS = '[Intro]\n\n[Verse 1]\nLights along the harbour\nHumming in the rain\nEvery window burning\n\n[Chorus]\nHold the night a little longer\nHold the night\n\n[Outro]';

test('edit messages: a repaint carries its region (end after start); the other edits only their kind', () => {
  assert.deepEqual(parseFromWebview({ type: 'edit', takeId: 'a', edit: { kind: 'repaint', start: 1, end: 2.5, extra: 1 } }),
    { type: 'edit', takeId: 'a', edit: { kind: 'repaint', start: 1, end: 2.5 } });
  assert.deepEqual(parseFromWebview({ type: 'edit', takeId: 'a', edit: { kind: 'extract', start: 1 } }), { type: 'edit', takeId: 'a', edit: { kind: 'extract' } });
  for (const edit of [{ kind: 'repaint' }, { kind: 'repaint', start: 2, end: 2 }, { kind: 'repaint', start: -1, end: 2 }, { kind: 'repaint', start: 0, end: Infinity },
    { kind: 'delete' }, null, 'repaint', { kind: 'repaint', start: '1', end: 2 }]) {
    assert.equal(parseFromWebview({ type: 'edit', takeId: 'a', edit }), null, JSON.stringify(edit));
  }
  assert.equal(parseFromWebview({ type: 'edit', takeId: '', edit: { kind: 'add' } }), null);
});

test('sections messages and a take\'s sections are checked: names, times in order, at most 200', () => {
  const sections = [{ name: 'Verse', start: 0, end: 10 }, { name: 'Chorus', start: 10, end: 20 }];
  assert.deepEqual(parseFromWebview({ type: 'sections', takeId: 'a', sections }), { type: 'sections', takeId: 'a', sections });
  for (const bad of [[{ name: 'V', start: 5, end: 1 }], [{ name: 1, start: 0, end: 1 }], [{ name: 'x'.repeat(201), start: 0, end: 1 }],
    Array.from({ length: 201 }, () => ({ name: 'V', start: 0, end: 1 })), 'x', [{ name: 'V', start: NaN, end: 1 }]]) {
    assert.equal(parseFromWebview({ type: 'sections', takeId: 'a', sections: bad }), null);
  }
  const load = (extra: object) => parseToWebview({ type: 'load', selectedJobId: null, selectedTake: null, jobs: [{ id: 'j', title: 'S', createdAt: 0, server: '', takes: [
    { id: 'a', label: 'A', src: 'x', format: 'wav', sizeBytes: 1, meta: { caption: '', lyrics: '' }, ...extra }] }] });
  const ok = load({ sections });
  assert.ok(ok?.type === 'load' && ok.jobs[0].takes[0].sections?.length === 2);
  assert.equal(load({ sections: [{ name: 'V', start: 3, end: 1 }] }), null);
});

test('the parsers accept only edits and sections that round-trip (property)', () => {
  const anyEdit = fc.record({ kind: fc.constantFrom('repaint', 'extend', 'restyle', 'add', 'extract', 'complete', 'other'),
    start: fc.oneof(fc.double(), fc.constant(undefined)), end: fc.oneof(fc.double(), fc.constant(undefined)) });
  assertProperty(fc.property(anyEdit, edit => {
    const m = parseFromWebview({ type: 'edit', takeId: 't', edit });
    if (m === null) return;
    assert.ok(m.type === 'edit');
    assert.deepEqual(parseFromWebview(JSON.parse(JSON.stringify(m))), m);
    if (m.edit.kind === 'repaint') assert.ok(m.edit.end! > m.edit.start! && m.edit.start! >= 0);
  }));
});

test('sections are estimated per section (as the duration CodeLens does) and stretched to the take', () => {
  const est = estimateDuration(parseSong(LYRICS)).sections;
  const marks = estimateSectionMarks(LYRICS);
  assert.deepEqual(marks.map(m => m.name), est.map(s => s.name));
  assert.equal(marks[0].start, 0);
  for (let i = 1; i < marks.length; i++) assert.equal(marks[i].start, marks[i - 1].end, 'one after another');
  const stretched = estimateSectionMarks(LYRICS, { durationSec: 120 });
  assert.ok(Math.abs(stretched.at(-1)!.end - 120) < 0.05, `the last ends at the take's end: ${stretched.at(-1)!.end}`);
  assert.deepEqual(estimateSectionMarks(''), []);
});

test('the lyrics of a region: the lines of the sections it covers, replaced without touching the rest', () => {
  const marks = estimateSectionMarks(LYRICS, { durationSec: 100 });
  const verse = marks.find(m => m.name === 'Verse 1')!;
  const r = lyricsInRange(LYRICS, marks, verse.start + 1, verse.end - 1);
  assert.ok(r);
  assert.deepEqual(r.names, ['Verse 1']);
  assert.equal(r.text, 'Lights along the harbour\nHumming in the rain\nEvery window burning');
  const replaced = r.replace('New first line\nNew second line');
  assert.equal(replaced, LYRICS.replace('Lights along the harbour\nHumming in the rain\nEvery window burning', 'New first line\nNew second line'));
  // Marks from other lyrics (a different number of sections) are not trusted for this.
  assert.equal(lyricsInRange(LYRICS, marks.slice(1), 0, 10), undefined);
  assert.equal(lyricsInRange(LYRICS, marks, 1000, 1001), undefined);
});

test('the sidecar keeps sections: old sidecars read them as null, a written list reads back, the rest stays', () => {
  const old = { version: 1, title: 'Tempest', request: { params: {} }, custom: 'kept' };
  assert.equal(readSidecar(old)?.sections, null);
  const sections = [{ name: 'Verse', start: 0, end: 12.5 }];
  const text = sidecarWithSections(old, sections)!;
  const json = JSON.parse(text);
  assert.deepEqual(readSidecar(json)?.sections, sections);
  assert.equal(json.custom, 'kept');
  assert.equal(readSidecar({ ...old, sections: [{ name: 'V', start: 2, end: 1 }] }), undefined, 'garbage is not a sidecar');
  assert.equal(sidecarWithSections({ title: 3 }, sections), undefined);
});

test('"Use These Settings" on an edit: the task keys of the .song, from the edit\'s request and lineage', () => {
  const source = { file: '/songs/out/take-1.wav', title: 'Tempest', serverUrl: 'http://x', params: { prompt: 'metal', bpm: 120, lyrics: 'la' }, durationSec: 60 };
  const values = (op: Parameters<typeof planEdit>[1]) => { const p = planEdit(source, op); return editSongValues(p.request.params, p.lineage); };
  assert.deepEqual(values({ kind: 'repaint', start: 10, end: 20 }),
    { caption: 'metal', bpm: 120, task_type: 'repaint', src_audio: '/songs/out/take-1.wav', repainting_start: 10, repainting_end: 20 });
  assert.deepEqual(values({ kind: 'restyle', caption: 'jazz', strength: 0.4 }),
    { caption: 'jazz', bpm: 120, task_type: 'cover', src_audio: '/songs/out/take-1.wav', audio_cover_strength: 0.4 });
  assert.equal(values({ kind: 'extract', track: 'vocals' }).track, 'vocals');
  assert.equal(values({ kind: 'add', track: 'bass' }).track, 'bass');
  assert.equal(values({ kind: 'complete', tracks: ['drums', 'bass'] }).tracks, 'drums, bass');
  assert.deepEqual([values({ kind: 'extend', before: 0, after: 30 }).repainting_start, values({ kind: 'extend', before: 0, after: 30 }).repainting_end], [60, 90]);
});
