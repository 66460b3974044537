import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractSong, headingToTag, type ExtractResult } from '../../../src/core/ai';
import { analyzeSong } from '../../../src/core/song';

const SONG = `---
title: Salt on the Window
caption: melancholic indie folk, fingerpicked acoustic guitar, soft cello, hushed female vocal
duration: 60
bpm: 84
key: G major
time_signature: 4
language: en
---

[Verse 1]
The kettle sings an hour too soon
Your scarf still hanging on the door

[Chorus]
Salt on the window, salt on my skin
`;

function ok(r: ExtractResult): { text: string; notes: string[] } {
  assert.ok(r.ok, `expected a song, got ${JSON.stringify(r)}`);
  return r;
}

/** No lint errors or warnings (information-level notes are fine). */
function lintClean(text: string): void {
  const bad = analyzeSong(text).diagnostics.filter(d => d.severity === 'error' || d.severity === 'warning');
  assert.deepEqual(bad.map(d => `${d.code}: ${d.message}`), []);
}

test('a ```song block with chatter around it', () => {
  const r = ok(extractSong(`Here is your song!\n\n\`\`\`song\n${SONG}\`\`\`\n\nLet me know if you want changes.`));
  assert.equal(r.text, SONG);
  assert.deepEqual(r.notes, ['removed the text around the song block']);
});

test('every fence flavour: ```yaml, plain ```, ~~~ and four backticks', () => {
  for (const [open, close] of [['```yaml', '```'], ['```', '```'], ['~~~', '~~~'], ['~~~song', '~~~'], ['````song', '````']]) {
    const r = ok(extractSong(`${open}\n${SONG}${close}`));
    assert.equal(r.text, SONG, open);
    assert.deepEqual(r.notes, [], open);
  }
});

test('a reasoning model\'s <think> block (with its drafts) is ignored', () => {
  const r = ok(extractSong(`<think>\nThe user wants folk.\n\`\`\`song\n---\ncaption: draft\n---\n[Verse]\nnot this one\n\`\`\`\n</think>\n\n\`\`\`song\n${SONG}\`\`\``));
  assert.equal(r.text, SONG);
  assert.deepEqual(r.notes, ["removed the model's reasoning"]);
  const only = extractSong('<think>I should write a song about rain.</think>');
  assert.equal(only.ok, false);
  if (!only.ok) assert.equal(only.reason, 'empty');
});

test('bare output is taken as is', () => {
  const r = ok(extractSong(SONG));
  assert.equal(r.text, SONG);
  assert.deepEqual(r.notes, []);
});

test('CRLF line ends and a BOM become plain LF', () => {
  const r = ok(extractSong(`\uFEFF\`\`\`song\r\n${SONG.replace(/\n/g, '\r\n')}\`\`\`\r\n`));
  assert.equal(r.text, SONG);
});

test('the ```song block wins over other blocks; the richer block wins among plain ones', () => {
  const r = ok(extractSong(`\`\`\`bash\nacestep-song lint x.song\n\`\`\`\n\`\`\`song\n${SONG}\`\`\``));
  assert.equal(r.text, SONG);
  const partial = '```\n[Chorus]\nSalt on the window\n```';
  const r2 = ok(extractSong(`${partial}\n\n\`\`\`\n${SONG}\`\`\``));
  assert.equal(r2.text, SONG);
});

test('missing opening and closing --- are added', () => {
  const noOpen = SONG.replace(/^---\n/, '');
  const r = ok(extractSong(noOpen));
  assert.equal(r.text, SONG);
  assert.deepEqual(r.notes, ['added the missing opening ---']);

  const noClose = SONG.replace('language: en\n---\n', 'language: en\n');
  const r2 = ok(extractSong(noClose));
  assert.equal(r2.text, SONG);
  assert.deepEqual(r2.notes, ['added the missing closing ---']);

  const neither = SONG.replace(/^---\n/, '').replace('language: en\n---\n', 'language: en\n');
  const r3 = ok(extractSong(`Sure! Here it is:\n\n${neither}`));
  assert.equal(r3.text, SONG);
  assert.deepEqual(r3.notes, ['removed the text before the song ("Sure! Here it is:")', 'added the missing opening ---', 'added the missing closing ---']);
});

test('an unknown frontmatter key does not end the frontmatter early', () => {
  const r = ok(extractSong(SONG.replace('language: en\n---\n', 'language: en\nmood: wistful\n')));
  assert.match(r.text, /mood: wistful\n---\n\n\[Verse 1\]/);
});

test('a lyrics: block scalar is moved into the body', () => {
  const input = `\`\`\`yaml
title: River
caption: folk, acoustic guitar, warm male vocal
duration: 30
language: en
lyrics: |
  [Verse 1]
  Down by the river where the willows lean

  [Chorus]
  Carry me home on the evening stream
\`\`\``;
  const r = ok(extractSong(input));
  assert.equal(r.text, `---
title: River
caption: folk, acoustic guitar, warm male vocal
duration: 30
language: en
---

[Verse 1]
Down by the river where the willows lean

[Chorus]
Carry me home on the evening stream
`);
  assert.ok(r.notes.includes('moved the lyrics: key out of the frontmatter into the body'));
  lintClean(r.text);
});

test('a quoted lyrics: string with \\n escapes is moved too; an empty one is dropped', () => {
  const r = ok(extractSong('---\ncaption: pop\nlyrics: "[Verse]\\nHello there my old friend"\n---\n'));
  assert.equal(r.text, '---\ncaption: pop\n---\n\n[Verse]\nHello there my old friend\n');
  const r2 = ok(extractSong('---\ncaption: pop\nlyrics:\n---\n[Verse]\nHello there my old friend\n'));
  assert.equal(r2.text, '---\ncaption: pop\n---\n\n[Verse]\nHello there my old friend\n');
});

test('server names and synonyms become .song keys: prompt → caption, key_scale → key', () => {
  const r = ok(extractSong('---\nprompt: dark synthwave, female vocal\naudio_duration: 60\nkey_scale: A minor\nvocal_language: en\n---\n[Verse]\nNeon rivers in the rain\n'));
  assert.equal(r.text, '---\ncaption: dark synthwave, female vocal\nduration: 60\nkey: A minor\nlanguage: en\n---\n\n[Verse]\nNeon rivers in the rain\n');
  assert.deepEqual(r.notes, ['renamed prompt to caption, audio_duration to duration, key_scale to key, vocal_language to language']);
  // An alias whose key is already there stays (the linter reports the duplicate).
  const r2 = ok(extractSong('---\ncaption: a\nprompt: b\n---\n[Verse]\nla la la la la la\n'));
  assert.match(r2.text, /caption: a\nprompt: b/);
});

test('markdown-styled key lines become plain YAML', () => {
  const r = ok(extractSong('**Title:** Night Drive\n**Caption:** synthwave, retro synths, male vocals\n- **BPM**: 100\n\n[Verse]\nHeadlights cutting through the dark\n'));
  assert.equal(r.text, '---\ntitle: Night Drive\ncaption: synthwave, retro synths, male vocals\nbpm: 100\n---\n\n[Verse]\nHeadlights cutting through the dark\n');
  assert.ok(r.notes.some(n => n.startsWith('rewrote 3 markdown-styled key lines')));
});

test('a caption with ": " is quoted so YAML keeps it whole', () => {
  const r = ok(extractSong('---\ncaption: black metal: symphonic, choir\n---\n[Verse]\nla la la la la la\n'));
  assert.match(r.text, /^caption: "black metal: symphonic, choir"$/m);
  assert.equal(analyzeSong(r.text).parsed.params.caption, 'black metal: symphonic, choir');
});

test('markdown around tags, headings and "Verse 1:" lines become section tags', () => {
  const input = `---
caption: pop, piano, female vocal
---
**[Intro]**

## Verse 1
Morning light across the floor
### [Pre-Chorus]
Something's waiting at the door
**Chorus:**
OPEN UP AND LET IT IN
Verse 2 (whispered):
Quiet steps along the hall
(Bridge)
Every door was never closed
# a real comment stays
`;
  const r = ok(extractSong(input));
  assert.equal(r.text, `---
caption: pop, piano, female vocal
---

[Intro]

[Verse 1]
Morning light across the floor
[Pre-Chorus]
Something's waiting at the door
[Chorus]
OPEN UP AND LET IT IN
[Verse 2 - whispered]
Quiet steps along the hall
[Bridge]
Every door was never closed
# a real comment stays
`);
  assert.deepEqual(r.notes, ['removed markdown emphasis around 1 tag', 'turned 5 headings into section tags']);
});

test('bold or italic lyric lines lose their asterisks', () => {
  const r = ok(extractSong('---\ncaption: metal\n---\n[Chorus]\n**WE ARE THE NIGHT**\n*and the night is us*\nplain line stays\n'));
  assert.equal(r.text, '---\ncaption: metal\n---\n\n[Chorus]\nWE ARE THE NIGHT\nand the night is us\nplain line stays\n');
  assert.deepEqual(r.notes, ['removed markdown emphasis from 2 lyric lines']);
});

test('a ```yaml frontmatter block followed by a ```song lyrics block are joined', () => {
  const r = ok(extractSong('```yaml\ncaption: folk, guitar\nlanguage: en\n```\n\n```song\n[Verse]\nHello world how are you\n```'));
  assert.equal(r.text, '---\ncaption: folk, guitar\nlanguage: en\n---\n\n[Verse]\nHello world how are you\n');
});

test('headingToTag only converts dressed lines with a known section name', () => {
  assert.equal(headingToTag('## Chorus'), '[Chorus]');
  assert.equal(headingToTag('**Verse 2:**'), '[Verse 2]');
  assert.equal(headingToTag('**Chorus**:'), '[Chorus]');
  assert.equal(headingToTag('Chorus x2:'), '[Chorus]');
  assert.equal(headingToTag('Bridge - soft, slow:'), '[Bridge - soft]');
  assert.equal(headingToTag('pre-chorus:'), '[Pre-Chorus]');
  assert.equal(headingToTag('Chorus'), null, 'a bare word could be a lyric');
  assert.equal(headingToTag('Hold on:'), null);
  assert.equal(headingToTag('(ooh, hold on)'), null, 'backing vocals stay');
  assert.equal(headingToTag('# lines starting with # are comments'), null);
});

test('chatter after the song is cut, lyrics that only look like talk are kept', () => {
  const r = ok(extractSong(`${SONG}\nI hope you enjoy this gentle folk song!\n\n**Notes:** the cello enters in the chorus.`));
  assert.equal(r.text, SONG);
  assert.deepEqual(r.notes, ['removed the text after the song ("I hope you enjoy this gentle folk song!")']);

  const rule = ok(extractSong(`${SONG}\n---\n\nThis song uses a G major key for warmth.`));
  assert.equal(rule.text, SONG);

  const lyric = `${SONG}\nHere's to the nights we never slept\n\n[Outro]\nSalt on the window\n`;
  assert.equal(ok(extractSong(lyric)).text, lyric, 'a paragraph followed by more tags is lyrics');
  const short = `${SONG}\nThis song is for you\n`;
  assert.equal(ok(extractSong(short)).text, short, 'a short line without punctuation is lyrics');
});

test('frontmatter and lyrics in two separate blocks are joined', () => {
  const r = ok(extractSong('Frontmatter:\n```yaml\ncaption: folk, guitar\nlanguage: en\n```\nLyrics:\n```\n[Verse]\nHello world how are you\n```'));
  assert.equal(r.text, '---\ncaption: folk, guitar\nlanguage: en\n---\n\n[Verse]\nHello world how are you\n');
  assert.ok(r.notes.includes('joined the frontmatter and the lyrics from two code blocks'));
  const r2 = ok(extractSong('```yaml\ncaption: folk, guitar\nlanguage: en\n```\n\n[Verse]\nHello world how are you\n'));
  assert.equal(r2.text, '---\ncaption: folk, guitar\nlanguage: en\n---\n\n[Verse]\nHello world how are you\n');
  assert.ok(r2.notes.includes('joined the frontmatter block with the lyrics written after it'));
});

test('an unclosed fence (a cut-off answer) still yields the song', () => {
  const r = ok(extractSong(`\`\`\`song\n${SONG}`));
  assert.equal(r.text, SONG);
  assert.ok(r.notes[0].includes('never closed'));
});

test('lyrics without frontmatter are accepted (the validator reports the missing caption)', () => {
  const r = ok(extractSong('[Verse 1]\nThe kettle sings an hour too soon\n'));
  assert.equal(r.text, '[Verse 1]\nThe kettle sings an hour too soon\n');
});

test('refusals, empty answers and answers without a song fail with a reason', () => {
  const cases: [string, string][] = [
    ["I'm sorry, but I can't help with that.", 'refusal'],
    ['I can’t write lyrics that copy an existing band.', 'refusal'],
    ['As an AI, I am unable to create that content.', 'refusal'],
    ['', 'empty'],
    ['  \n\t\n', 'empty'],
    ['What genre would you like? And should it have vocals?', 'no-song'],
    ['```python\nprint("hello")\n```', 'no-song'],
  ];
  for (const [input, reason] of cases) {
    const r = extractSong(input);
    assert.equal(r.ok, false, input);
    if (!r.ok) {
      assert.equal(r.reason, reason, input);
      assert.ok(r.message.length > 0);
    }
  }
});

test('an apology followed by an original song is a song, not a refusal', () => {
  const r = ok(extractSong(`I can't reproduce that band's lyrics, but here is an original song in that style:\n\n\`\`\`song\n${SONG}\`\`\``));
  assert.equal(r.text, SONG);
});

test('extractSong never throws on odd input', () => {
  for (const s of ['```', '---', '---\n---', '[', '```song\n```', 'lyrics: |', '**', '\u0000\u0001', '# only a comment']) {
    assert.doesNotThrow(() => extractSong(s), s);
  }
  assert.doesNotThrow(() => extractSong(undefined as unknown as string));
});
