// writeSong / improveSong driven by the scripted fake model, validated by the real linter
// (src/core/song's analyzeSong through songValidator).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  autofixSong, improveSong, songGaps, songValidator, writeSong, type WriteProgress, type WriteSongResult, type WriteSongSuccess,
} from '../../../src/core/ai';
import { createFakeModel } from '../../fixtures/fake-model';

const GUIDE = readFileSync('docs/ai-integration/music-creation-guide.md', 'utf8');
const GOOD = readFileSync('examples/prompts/jingle.song', 'utf8');
const validate = songValidator();

function success(r: WriteSongResult): WriteSongSuccess {
  assert.ok(r.ok, `expected success, got ${JSON.stringify(r)}`);
  return r;
}

test('a fenced answer: one call, clean, with a summary and streamed chunks', async () => {
  const model = createFakeModel([`Here you go!\n\n\`\`\`song\n${GOOD}\`\`\``]);
  const events: WriteProgress[] = [];
  const r = success(await writeSong({ request: 'a jingle for a bakery', guide: GUIDE, model, validate, onProgress: e => events.push(e) }));
  assert.equal(r.text, GOOD);
  assert.equal(r.attempts, 1);
  assert.deepEqual(r.remainingErrors, []);
  assert.deepEqual(r.notes, ['removed the text around the song block']);
  assert.match(r.summary, /^"Sunny Side Bakery": catchy radio jingle · Intro → Hook → Outro · 120 BPM, F major, 4\/4 · English · 0:30$/);
  assert.equal(model.calls.length, 1);
  assert.deepEqual(model.calls[0].map(m => m.role), ['system', 'user']);
  assert.match(model.calls[0][1].content, /a jingle for a bakery/);
  const chunks = events.filter(e => e.kind === 'chunk').map(e => (e as { text: string }).text);
  assert.ok(chunks.length > 10, 'streamed in many chunks');
  assert.equal(chunks.join(''), `Here you go!\n\n\`\`\`song\n${GOOD}\`\`\``);
  assert.deepEqual(events.filter(e => e.kind !== 'chunk').map(e => e.kind), ['status', 'plan']);
});

test('a bare answer with frontmatter mistakes is repaired and needs no second call', async () => {
  const bare = GOOD.replace(/^---\n/, '').replace('caption:', 'prompt:').replace('[Hook]', '## Hook');
  const model = createFakeModel([`Sure! Here's the jingle:\n\n${bare}\nEnjoy!`]);
  const r = success(await writeSong({ request: 'a jingle', guide: GUIDE, model, validate }));
  assert.equal(r.text, GOOD);
  assert.equal(r.attempts, 1);
  assert.ok(r.notes.includes('added the missing opening ---'));
  assert.ok(r.notes.includes('renamed prompt to caption'));
  assert.ok(r.notes.includes('turned 1 heading into section tags'));
});

test('missing sections: an empty chorus and "repeat" are sent back, the full song comes back', async () => {
  const lazy = GOOD.replace('[Outro - bright]', '[Chorus]\n\n[Verse 2]\n(Repeat hook)\n\n[Outro - bright]');
  const model = createFakeModel([`\`\`\`song\n${lazy}\`\`\``, `\`\`\`song\n${GOOD}\`\`\``]);
  const problems: string[][] = [];
  const r = success(await writeSong({
    request: 'a jingle', guide: GUIDE, model, validate, onProgress: e => { if (e.kind === 'problems') problems.push(e.errors); },
  }));
  assert.equal(r.attempts, 2);
  assert.equal(r.text, GOOD);
  assert.deepEqual(r.remainingErrors, []);
  assert.equal(problems.length, 1);
  assert.ok(problems[0].some(p => /\[Chorus\] has no lines/.test(p)), problems[0].join('\n'));
  assert.ok(problems[0].some(p => /"\(Repeat hook\)" would be sung/.test(p)), problems[0].join('\n'));
  const second = model.calls[1];
  assert.deepEqual(second.map(m => m.role), ['system', 'user', 'assistant', 'user']);
  assert.match(second[3].content, /\[Chorus\] has no lines/);
  assert.ok(r.notes.some(n => /first draft had 2 problems/.test(n)));
});

test('a song without frontmatter is sent back once', async () => {
  const body = GOOD.slice(GOOD.indexOf('[Intro'));
  const model = createFakeModel([body, GOOD]);
  const r = success(await writeSong({ request: 'a jingle', guide: GUIDE, model, validate }));
  assert.equal(r.attempts, 2);
  assert.match(model.calls[1][3].content, /no frontmatter/);
  assert.equal(r.text, GOOD);
});

test('a validation failure (lint errors) is fixed on the second try', async () => {
  const broken = GOOD.replace('bpm: 120', 'bpm: 400').replace('[Hook]', '[Hook - catchy, bright, happy]')
    .replace('crisp clean commercial production', 'crisp clean commercial production, 120 bpm');
  const model = createFakeModel([broken, GOOD]);
  const r = success(await writeSong({ request: 'a jingle', guide: GUIDE, model, validate }));
  assert.equal(r.attempts, 2);
  assert.equal(r.text, GOOD);
  const fix = model.calls[1][3].content;
  assert.match(fix, /out-of-range/);
  assert.match(fix, /stacked-modifiers/);
  assert.match(fix, /caption-metadata/);
  assert.equal(model.calls[1][2].content, broken, 'the draft goes back as the assistant turn');
});

test('errors that survive the second try are returned, not hidden; only one fix round', async () => {
  const broken = GOOD.replace('bpm: 120', 'bpm: 400');
  const model = createFakeModel([broken, broken, GOOD]);
  const r = success(await writeSong({ request: 'a jingle', guide: GUIDE, model, validate }));
  assert.equal(r.attempts, 2);
  assert.equal(model.remaining, 1, 'no third call');
  assert.equal(r.remainingErrors.length, 1);
  assert.match(r.remainingErrors[0], /^line 5: out-of-range/);
});

test('a worse second draft loses to the first', async () => {
  const oneError = GOOD.replace('bpm: 120', 'bpm: 400');
  const threeErrors = oneError.replace('key: F major', 'key: H major').replace('batch_size: 1', 'batch_size: 99');
  const model = createFakeModel([oneError, threeErrors]);
  const r = success(await writeSong({ request: 'a jingle', guide: GUIDE, model, validate }));
  assert.equal(r.text, oneError);
  assert.ok(r.notes.some(n => /kept the first/.test(n)));
});

test('an unusable second answer keeps the first draft', async () => {
  const broken = GOOD.replace('bpm: 120', 'bpm: 400');
  const model = createFakeModel([broken, 'Sorry, I am not able to do more.']);
  const r = success(await writeSong({ request: 'a jingle', guide: GUIDE, model, validate }));
  assert.equal(r.text, broken);
  assert.equal(r.remainingErrors.length, 1);
  assert.ok(r.notes.some(n => /unusable/.test(n)));
});

test('a refusal is a typed failure with the model text', async () => {
  const model = createFakeModel(["I'm sorry, but I can't write a song that imitates a specific band."]);
  const r = await writeSong({ request: 'exactly like Dimmu Borgir', guide: GUIDE, model, validate });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.reason, 'refusal');
  assert.match(r.message, /declined/);
  assert.match(r.message, /describing the sound/);
  assert.equal(r.attempts, 1);
  assert.match(r.raw ?? '', /imitates a specific band/);
  assert.equal(model.calls.length, 1, 'a refusal is not argued with');
});

test('an empty answer is a typed failure', async () => {
  const r = await writeSong({ request: 'a jingle', guide: GUIDE, model: createFakeModel(['']), validate });
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.reason, 'empty');
});

test('an answer without a song gets one more chance; two in a row fail', async () => {
  const recovered = success(await writeSong({ request: 'a jingle', guide: GUIDE, model: createFakeModel(['Which bakery is it for?', GOOD]), validate }));
  assert.equal(recovered.attempts, 2);
  assert.ok(recovered.notes.includes('the first answer held no song; asked again'));
  const r = await writeSong({ request: 'a jingle', guide: GUIDE, model: createFakeModel(['Which bakery?', 'Tell me the name first.']), validate });
  assert.equal(r.ok, false);
  if (!r.ok) { assert.equal(r.reason, 'no-song'); assert.equal(r.attempts, 2); }
});

test('cancellation during the stream ends the turn with reason cancelled', async () => {
  const controller = new AbortController();
  const model = createFakeModel([GOOD, GOOD], { delayMs: 2, chunkSize: 4 });
  let chunks = 0;
  const r = await writeSong({
    request: 'a jingle', guide: GUIDE, model, validate, signal: controller.signal,
    onProgress: e => { if (e.kind === 'chunk' && ++chunks === 5) controller.abort(); },
  });
  assert.equal(r.ok, false);
  if (!r.ok) { assert.equal(r.reason, 'cancelled'); assert.equal(r.message, 'Cancelled.'); }
  assert.equal(chunks, 5, 'no chunk after the abort');
  assert.equal(model.calls.length, 1);
});

test('an already aborted signal never calls the model', async () => {
  const model = createFakeModel([GOOD]);
  const r = await writeSong({ request: 'x', guide: GUIDE, model, validate, signal: AbortSignal.abort() });
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.reason, 'cancelled');
  assert.equal(model.calls.length, 0);
});

test('a model that fails is a model-error; in the fix round the first draft survives', async () => {
  const r = await writeSong({ request: 'x', guide: GUIDE, model: createFakeModel([new Error('rate limited')]), validate });
  assert.equal(r.ok, false);
  if (!r.ok) { assert.equal(r.reason, 'model-error'); assert.match(r.message, /rate limited/); }

  const broken = GOOD.replace('bpm: 120', 'bpm: 400');
  const kept = success(await writeSong({ request: 'x', guide: GUIDE, model: createFakeModel([broken, new Error('network down')]), validate }));
  assert.equal(kept.text, broken);
  assert.ok(kept.notes.some(n => /network down/.test(n)));

  const dropped = await writeSong({ request: 'x', guide: GUIDE, model: createFakeModel([GOOD], { failAfterChunks: 3 }), validate });
  assert.equal(dropped.ok, false);
  if (!dropped.ok) assert.equal(dropped.reason, 'model-error');
});

test('autofix applies the linter\'s safe fixes before validating, so no second call is needed', async () => {
  const sloppy = GOOD.replace('key: F major', 'key: F Major').replace('bpm: 120', 'bpm: 400');
  const model = createFakeModel([sloppy]);
  const r = success(await writeSong({ request: 'x', guide: GUIDE, model, validate, autofix: t => autofixSong(t) }));
  assert.equal(r.attempts, 1);
  assert.match(r.text, /^key: F major$/m);
  assert.match(r.text, /^bpm: 300$/m);
  assert.ok(r.notes.some(n => n.startsWith('applied quick fixes')));
});

test('a validator that throws does not end the turn', async () => {
  const r = success(await writeSong({
    request: 'x', guide: GUIDE, model: createFakeModel([GOOD]), validate: () => { throw new Error('boom'); },
  }));
  assert.ok(r.notes.some(n => /could not be validated: boom/.test(n)));
});

test('improveSong sends the song and the lint messages, returns the revision', async () => {
  const before = GOOD.replace('[Hook]', '[Hook - catchy, bright]');
  const lint = validate(before).errors;
  assert.ok(lint.some(l => l.includes('stacked-modifiers')));
  const model = createFakeModel([`\`\`\`song\n${GOOD}\`\`\``]);
  const r = success(await improveSong({ song: before, lintMessages: lint, instruction: 'more sunshine', guide: GUIDE, model, validate }));
  assert.equal(r.text, GOOD);
  const user = model.calls[0][1].content;
  assert.ok(user.includes('[Hook - catchy, bright]'));
  assert.match(user, /stacked-modifiers/);
  assert.match(user, /more sunshine/);
});

test('songGaps: clean songs have none; instrumentals need no lyrics', () => {
  for (const f of ['jingle', 'study-lofi', 'black-metal', 'game-boss-theme']) {
    assert.deepEqual(songGaps(readFileSync(`examples/prompts/${f}.song`, 'utf8')), [], f);
  }
  assert.match(songGaps('---\ncaption: x\n---\n')[0], /no lyrics/);
  assert.match(songGaps('---\ncaption: x\n---\nla la la la la la\n')[0], /no section tags/);
  assert.deepEqual(songGaps('---\ncaption: x\n---\n[Verse]\nI will repeat your name tonight\n'), [], 'a lyric with "repeat" is fine');
  assert.match(songGaps('---\ncaption: x\n---\n[Verse]\nla la la la\nChorus x2\n').join('\n'), /"Chorus x2" would be sung/);
});
