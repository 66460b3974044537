// The tag grammar song writers use with ACE-Step: compound and descriptive section tags, language switches,
// free-text descriptions. The songs here are written for these tests.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSong, hoverAt, lookupPerformanceTag, lookupSection, parseSong } from '../../../src/core/song';
import { song } from './helpers';

const HARBOUR = song(['caption: bilingual synth-pop, bright arpeggios, male and female duet, big drops', 'duration: 200', 'bpm: 118', 'key: A minor', 'language: en'], [
  '[Intro - Arpeggiated Synth]',
  '',
  '[Verse 1]',
  'Harbour lights are blinking slow',
  'Every ferry knows my name',
  'Ropes are creaking, engines low',
  'Nothing here has stayed the same',
  '[ko] 바다 위에 불빛이 흘러',
  '[ko] 너의 이름을 불러',
  '',
  '[Pre-Chorus: Duet]',
  '[en]',
  'Hold the rope and pull me in',
  'Salt is singing on my skin',
  '',
  '[Drop/Chorus]',
  'We are the tide tonight',
  'We are the tide tonight',
  '',
  '[Instrumental Drop]',
  '',
  '[Verse 2]',
  'Gulls are writing on the sky',
  'Lines that only we can read',
  'Every wave a reason why',
  'Every lantern all we need',
  '',
  '[Instrumental Break with Muted Trumpet]',
  '',
  '[Outro Chorus]',
  'We are the tide tonight',
  '[Instrumental fades out]',
  '[Final chord rings]',
]);

const unknown = (text: string) => analyzeSong(text).diagnostics.filter(d => d.code === 'unknown-section');

describe('tag grammar', () => {
  test('compound section tags name the section they contain', () => {
    const s = (head: string) => { const x = lookupSection(head); return x && [x.name, x.category]; };
    assert.deepEqual(s('Instrumental Drop'), ['Instrumental Drop', 'instrumental']);
    assert.deepEqual(s('Outro Chorus'), ['Outro Chorus', 'vocal']);
    assert.deepEqual(s('Final Outro'), ['Final Outro', 'outro']);
    assert.deepEqual(s('Drop/Chorus'), ['Drop/Chorus', 'instrumental']);
    assert.deepEqual(s('Instrumental Break with Muted Trumpet'), ['Instrumental Break with Muted Trumpet', 'instrumental']);
    assert.deepEqual(s('Instrumental fades out'), ['Instrumental fades out', 'instrumental']);
    assert.deepEqual(s('Instrumental Bridge'), ['Instrumental Bridge', 'instrumental']); // a vocal name, played
    assert.deepEqual(s('Horn build-up'), ['Horn build-up', 'instrumental']);
    assert.deepEqual(s('pre chorus'), ['Pre-Chorus', 'vocal']); // plain names as before
    assert.equal(lookupSection('Final chord'), undefined);
    assert.equal(lookupSection('explosive drop'), undefined); // a performance tag stays one
    assert.equal(lookupSection('spoken word'), undefined);
  });

  test('a compound tag keeps its number and modifiers', () => {
    const p = parseSong('[Verse 2 - soft]\nla la la la la la\n[Instrumental Verse 3]\n');
    assert.deepEqual(p.sections.map(s => [s.baseName, s.number, s.modifiers, s.category]), [
      ['Verse', 2, ['soft'], 'vocal'], ['Instrumental Verse', 3, [], 'instrumental'],
    ]);
  });

  test('[en], [ko] switch the language: not sections, not typos', () => {
    assert.ok(lookupPerformanceTag('en'));
    assert.ok(lookupPerformanceTag('ko'));
    assert.equal(lookupPerformanceTag('unknown'), undefined);
    const p = parseSong(HARBOUR);
    assert.ok(p.tags.some(t => t.tag.inner === 'en'));
    assert.ok(!p.sections.some(s => s.name === 'en'));
    const line = p.lines.indexOf('[en]');
    assert.match(hoverAt(p, { line, character: 1 })!.markdown, /language/);
  });

  test('a song written this way has no warning', () => {
    const d = analyzeSong(HARBOUR).diagnostics.filter(x => x.severity === 'warning' || x.severity === 'error');
    assert.deepEqual(d.map(x => `${x.code} ${x.message}`), []);
    // The free-text description is information, without a "did you mean".
    assert.deepEqual(unknown(HARBOUR).map(x => [x.severity, x.fixes?.length ?? 0]), [['information', 0]]);
  });

  test('real typos are still caught', () => {
    for (const [tag, fixed] of [['[Versee 1]', 'Verse'], ['[Chrous]', 'Chorus'], ['[Pre Chrous]', 'Pre-Chorus'], ['[Outr]', 'Outro']]) {
      const d = unknown(song(['caption: x'], [tag, 'la la la la la la']));
      assert.equal(d[0]?.severity, 'warning', tag);
      assert.equal(d[0].fixes![0].edits[0].newText, fixed, tag);
    }
  });

  test('hovering a compound section explains the section it names', () => {
    const p = parseSong(HARBOUR);
    const line = p.lines.indexOf('[Instrumental Drop]');
    assert.match(hoverAt(p, { line, character: 2 })!.markdown, /\*\*Instrumental Drop\*\*\n\nElectronic music/);
  });

  test('the estimate gives intros, drops, breaks and outros their time', () => {
    const e = analyzeSong(HARBOUR).estimate;
    const by = (name: string) => e.sections.find(s => s.name === name)!;
    assert.ok(by('Intro - Arpeggiated Synth').seconds >= 15);
    assert.ok(by('Instrumental Drop').seconds >= 10);
    assert.ok(by('Instrumental Break with Muted Trumpet').seconds >= 10);
    // A description right under another tag adds (almost) nothing.
    assert.equal(by('Final chord rings').seconds, 0);
    assert.ok(e.min <= 200 && 200 <= e.max, `${e.min}–${e.max}`);
    // The same free text as a passage of its own is played.
    const alone = analyzeSong(song(['caption: x'], ['[Verse]', 'la la la la la la', '', '[Harbour Theme]'])).estimate;
    assert.equal(alone.sections[1].seconds, 10);
  });
});
