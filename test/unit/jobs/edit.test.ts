import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { editRequest, instructionFor, planEdit, type EditSource } from '../../../src/core/jobs/edit';

const source: EditSource = {
  file: path.resolve('/songs/acestep-output/tempest/tempest_take1.mp3'),
  params: { prompt: 'symphonic metal', lyrics: '[Verse]\nla', bpm: 160, seed: 7, use_random_seed: false, thinking: true, batch_size: 2, audio_format: 'mp3' },
  title: 'Tempest', durationSec: 180, songPath: path.resolve('/songs/tempest.song'), serverUrl: 'http://127.0.0.1:8001',
  sidecar: path.resolve('/songs/acestep-output/tempest/tempest_take1.json'),
};

describe('edits', () => {
  test('instructions as ACE-Step fills them, with the track names in upper case (its handler.generate_instruction)', () => {
    assert.equal(instructionFor({ kind: 'extract', track: 'vocals' }), 'Extract the VOCALS track from the audio:');
    assert.equal(instructionFor({ kind: 'add', track: 'bass' }), 'Generate the BASS track based on the audio context:');
    assert.equal(instructionFor({ kind: 'add', track: 'backing_vocals' }), 'Generate the BACKING_VOCALS track based on the audio context:');
    assert.equal(instructionFor({ kind: 'complete', tracks: ['drums', 'bass'] }), 'Complete the input track with DRUMS | BASS:');
    assert.equal(instructionFor({ kind: 'repaint', start: 1, end: 2 }), 'Repaint the mask area based on the given conditions:');
    assert.equal(instructionFor({ kind: 'restyle', caption: 'x', strength: 0.5 }), 'Generate audio semantic tokens based on the given conditions:');
    assert.equal(instructionFor({ kind: 'complete', tracks: [] }), 'Complete the input track:');
  });

  test('a repaint keeps the take\'s settings, not how it was made, and uploads the take', () => {
    const r = editRequest(source, { kind: 'repaint', start: 40, end: 52, lyrics: '[Verse]\nnew' });
    assert.deepEqual(r.files, { src_audio: source.file });
    assert.equal(r.params.task_type, 'repaint');
    assert.equal(r.params.repainting_start, 40);
    assert.equal(r.params.repainting_end, 52);
    assert.equal(r.params.lyrics, '[Verse]\nnew');
    assert.equal(r.params.bpm, 160);
    assert.equal(r.params.batch_size, 1);
    for (const k of ['seed', 'use_random_seed', 'thinking']) assert.ok(!(k in r.params), `${k} is not carried over`);
  });

  test('extending pads the source: before the start (negative start) or past the end', () => {
    const before = editRequest(source, { kind: 'extend', before: 10, after: 0 });
    assert.deepEqual([before.params.repainting_start, before.params.repainting_end], [-10, 0]);
    const after = editRequest(source, { kind: 'extend', before: 0, after: 30 });
    assert.deepEqual([after.params.repainting_start, after.params.repainting_end], [180, 210]);
    assert.throws(() => editRequest({ ...source, durationSec: undefined }, { kind: 'extend', before: 0, after: 30 }), /length/);
  });

  test('restyle is a cover with its strength; the plan names the parent and lands in the song\'s folder', () => {
    const plan = planEdit(source, { kind: 'restyle', caption: 'lo-fi jazz', strength: 1.5 });
    assert.equal(plan.request.params.task_type, 'cover');
    assert.equal(plan.request.params.audio_cover_strength, 1);
    assert.equal(plan.request.params.prompt, 'lo-fi jazz');
    assert.equal(plan.title, 'Tempest (restyle)');
    assert.equal(plan.outputDir, path.resolve('/songs/acestep-output/tempest'));
    assert.deepEqual(plan.lineage, { parent: { file: source.file, sidecar: source.sidecar }, operation: { kind: 'restyle', caption: 'lo-fi jazz', strength: 1.5 } });
    const loose = planEdit({ ...source, songPath: undefined }, { kind: 'extract', track: 'drums' });
    assert.equal(loose.outputDir, path.dirname(source.file), 'without a song: beside the take');
  });
});
