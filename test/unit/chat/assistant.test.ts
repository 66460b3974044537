// The pure helpers of the @acestep participant: routing, the GPU cost sentence, model errors in words,
// the validation report and the diff preview.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  diffPreview, explainModelError, formatValidation, gpuCostText, helpText, looksLikeSongRequest, NO_MODEL_MESSAGE,
  parseModeArgument, routeChatRequest,
} from '../../../src/core/ai/assistant';
import { analyzeSong } from '../../../src/core/song';

const JINGLE = readFileSync('examples/prompts/jingle.song', 'utf8');

test('an explicit command wins; its prompt is kept', () => {
  assert.deepEqual(routeChatRequest('write', '  a sea shanty  '), { command: 'write', prompt: 'a sea shanty', inferred: false });
  assert.deepEqual(routeChatRequest('generate', ''), { command: 'generate', prompt: '', inferred: false });
  for (const c of ['improve', 'status', 'mode']) assert.equal(routeChatRequest(c, 'x').command, c);
  assert.equal(routeChatRequest('Status', '').command, 'status');
  assert.equal(routeChatRequest('dance', 'x').command, 'help', 'an unknown command gets the help');
});

test('a /command typed into the text is routed like a parsed one', () => {
  assert.deepEqual(routeChatRequest(undefined, '/write a lullaby for my daughter'), { command: 'write', prompt: 'a lullaby for my daughter', inferred: false });
  assert.deepEqual(routeChatRequest(undefined, '/mode gradio'), { command: 'mode', prompt: 'gradio', inferred: false });
  assert.equal(routeChatRequest(undefined, '/frobnicate').command, 'help');
});

test('no command: a song request is written, anything else gets the help', () => {
  const songs = [
    'a black metal song with guitar solos', 'write me a jingle for a bakery', 'something chill to study to, lo-fi beats',
    'can you write a song about my cat?', 'Compose a waltz for a wedding', 'een Nederlands liedje over de zee', 'upbeat k-pop track about summer',
    'help me write a breakup ballad',
  ];
  for (const s of songs) {
    assert.equal(looksLikeSongRequest(s), true, s);
    assert.deepEqual(routeChatRequest(undefined, s), { command: 'write', prompt: s, inferred: true });
  }
  const others = ['', 'help', '?', 'hello', 'how do I write a good chorus?', 'what is bpm?', 'is the server running', 'populate the list', 'thanks!'];
  for (const s of others) {
    assert.equal(routeChatRequest(undefined, s).command, 'help', s);
  }
});

test('the help names every command and quotes what it did not understand', () => {
  const h = helpText('hello there');
  for (const c of ['/write', '/generate', '/improve', '/status', '/mode']) assert.ok(h.includes(c), c);
  assert.match(h, /"hello there"/);
  assert.doesNotMatch(helpText(), /did not read/);
});

test('the mode argument', () => {
  assert.equal(parseModeArgument('api'), 'api');
  assert.equal(parseModeArgument('switch to the Gradio UI'), 'gradio');
  assert.equal(parseModeArgument('8501 please'), 'api');
  assert.equal(parseModeArgument('port 8500'), 'gradio');
  assert.equal(parseModeArgument(''), undefined);
  assert.equal(parseModeArgument('api or gradio?'), undefined, 'both: ask');
});

test('the GPU cost: takes × duration on the server', () => {
  assert.equal(
    gpuCostText({ title: 'Night Drive', takes: 2, durationSeconds: 180, durationSource: 'song', serverUrl: 'http://localhost:8501' }),
    '"Night Drive" will be generated on your GPU: 2 takes × 3:00 = 6:00 of audio, on the server at http://localhost:8501.');
  assert.equal(
    gpuCostText({ takes: 1, durationSeconds: 95, durationSource: 'estimate', serverUrl: 'http://127.0.0.1:8500', thinking: true }),
    'This song will be generated on your GPU: 1 take × about 1:35, with the LM planning first (slower), on the server at http://127.0.0.1:8500.');
  assert.match(gpuCostText({ takes: 0, durationSeconds: Number.NaN, durationSource: 'song', serverUrl: 'u' }), /1 take × 0:00/);
});

test('language model errors in plain words', () => {
  assert.equal(explainModelError({ code: 'NotFound', message: 'model gone' }).kind, 'no-model');
  assert.equal(explainModelError({ code: 'NotFound' }).message, NO_MODEL_MESSAGE);
  assert.match(NO_MODEL_MESSAGE, /Copilot/);
  const perm = explainModelError({ code: 'NoPermissions', message: 'x' });
  assert.equal(perm.kind, 'no-permission');
  assert.match(perm.message, /Allow it/);
  assert.equal(explainModelError({ code: 'Blocked', message: '' }).kind, 'blocked');
  assert.equal(explainModelError({ code: 'Unknown', message: 'You have exceeded your premium request quota' }).kind, 'quota');
  assert.equal(explainModelError({ message: 'HTTP 429 Too Many Requests' }).kind, 'quota');
  assert.equal(explainModelError({ message: 'getaddrinfo ENOTFOUND api.example' }).kind, 'offline');
  const other = explainModelError({ code: 'Unknown', message: 'the model exploded' });
  assert.equal(other.kind, 'other');
  assert.match(other.message, /the model exploded/);
});

test('the validation report lists problems and the duration', () => {
  const clean = formatValidation(analyzeSong(JINGLE, { disabled: ['file-not-found'] }), 'jingle.song');
  assert.match(clean, /^jingle\.song: 0 errors, 0 warnings, \d+ hints?\./);
  assert.match(clean, /Duration: set to 30 s \(0:30\)/);
  assert.match(clean, /Ready to generate\.$/);
  const broken = formatValidation(analyzeSong(JINGLE.replace('bpm: 120', 'bpm: 999'), { disabled: ['file-not-found'] }), 'the song');
  assert.match(broken, /^the song: 1 error,/);
  assert.match(broken, /- error: line 5: out-of-range: /);
  assert.match(broken, /Not ready: fix the errors before generating\.$/);
  const auto = formatValidation(analyzeSong(JINGLE.replace('duration: 30', 'duration: auto')), 's');
  assert.match(auto, /Duration: auto; the lyrics need about \d+ s/);
});

test('the diff preview shows changed lines with context and counts', () => {
  const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n');
  const after = ['a', 'B', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].join('\n');
  const p = diffPreview(before, after);
  assert.equal(p.added, 2);
  assert.equal(p.removed, 1);
  assert.equal(p.text, ['  a', '- b', '+ B', '  c', '…', '  h', '+ i'].join('\n'));
  assert.deepEqual(diffPreview('x\n', 'x'), { text: '', added: 0, removed: 0 });
  const long = diffPreview('', Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n'), { maxLines: 10 });
  assert.equal(long.text.split('\n').length, 11);
  assert.match(long.text, /… \(90 more lines in the diff editor\)$/);
});
