// The bracket vocabulary of the lyrics: section names (structure tags), performance tags that stand
// on their own line (vocal style, energy), and the modifiers written after ` - ` in a section tag.
// The lists follow ACE-Step 1.5's songwriting guidance; unknown names still reach the model.
import type { Range, SectionCategory, TagInfo } from './types';
import { lineRange } from './text';
import { LANGUAGES } from './schema';

export interface SectionName {
  name: string;
  category: SectionCategory;
  doc: string;
}

export const SECTION_NAMES: readonly SectionName[] = [
  { name: 'Intro', category: 'intro', doc: 'Opening: sets the mood before the voice comes in.' },
  { name: 'Verse', category: 'vocal', doc: 'Tells the story; usually numbered (`Verse 1`, `Verse 2`).' },
  { name: 'Pre-Chorus', category: 'vocal', doc: 'Builds tension towards the chorus.' },
  { name: 'Chorus', category: 'vocal', doc: 'The emotional peak and the part people remember.' },
  { name: 'Post-Chorus', category: 'vocal', doc: 'A short tail after the chorus, often a chant or hook.' },
  { name: 'Hook', category: 'vocal', doc: 'A short catchy phrase, repeated.' },
  { name: 'Refrain', category: 'vocal', doc: 'A repeated line or couplet closing a verse.' },
  { name: 'Bridge', category: 'vocal', doc: 'A contrasting passage before the last chorus.' },
  { name: 'Final Chorus', category: 'vocal', doc: 'The last, usually biggest, chorus.' },
  { name: 'Rap', category: 'vocal', doc: 'A rapped passage.' },
  { name: 'Spoken', category: 'vocal', doc: 'A spoken passage.' },
  { name: 'Chant', category: 'vocal', doc: 'A chanted, often group, passage.' },
  { name: 'Build', category: 'instrumental', doc: 'Energy rises step by step.' },
  { name: 'Build-Up', category: 'instrumental', doc: 'Energy rises towards a drop or chorus.' },
  { name: 'Drop', category: 'instrumental', doc: 'Electronic music\'s release of the built-up energy.' },
  { name: 'Breakdown', category: 'instrumental', doc: 'Fewer instruments, more space.' },
  { name: 'Break', category: 'instrumental', doc: 'A short pause in the arrangement.' },
  { name: 'Drum Break', category: 'instrumental', doc: 'Drums alone for a moment.' },
  { name: 'Interlude', category: 'instrumental', doc: 'A passage between sections, usually without vocals.' },
  { name: 'Piano Interlude', category: 'instrumental', doc: 'An interlude carried by the piano.' },
  { name: 'Instrumental', category: 'instrumental', doc: 'No vocals here. Alone in the body, it makes the song instrumental.' },
  { name: 'Instrumental Break', category: 'instrumental', doc: 'A short passage without vocals.' },
  { name: 'Solo', category: 'instrumental', doc: 'An instrumental solo.' },
  { name: 'Guitar Solo', category: 'instrumental', doc: 'A guitar solo.' },
  { name: 'Piano Solo', category: 'instrumental', doc: 'A piano solo.' },
  { name: 'Bass Solo', category: 'instrumental', doc: 'A bass solo.' },
  { name: 'Drum Solo', category: 'instrumental', doc: 'A drum solo.' },
  { name: 'Synth Solo', category: 'instrumental', doc: 'A synthesizer solo.' },
  { name: 'Sax Solo', category: 'instrumental', doc: 'A saxophone solo.' },
  { name: 'Violin Solo', category: 'instrumental', doc: 'A violin solo.' },
  { name: 'Outro', category: 'outro', doc: 'The ending.' },
  { name: 'Fade Out', category: 'outro', doc: 'The song fades out.' },
  { name: 'Fade In', category: 'intro', doc: 'The song fades in.' },
  { name: 'Coda', category: 'outro', doc: 'A closing passage after the last chorus.' },
  { name: 'End', category: 'outro', doc: 'A clean ending.' },
  { name: 'Silence', category: 'silence', doc: 'A moment of silence.' },
];

/** Performance tags: stand on their own line inside a section and change how it is sung or played. */
export const PERFORMANCE_TAGS: readonly { name: string; doc: string }[] = [
  { name: 'whispered', doc: 'Whispered vocals.' },
  { name: 'raspy vocal', doc: 'Raspy, textured vocals.' },
  { name: 'raspy vocals', doc: 'Raspy, textured vocals.' },
  { name: 'falsetto', doc: 'Falsetto voice.' },
  { name: 'powerful belting', doc: 'Powerful, high, belted singing.' },
  { name: 'spoken word', doc: 'Spoken or rapped rather than sung.' },
  { name: 'harmonies', doc: 'Layered vocal harmonies.' },
  { name: 'call and response', doc: 'Lead and answering voices alternate.' },
  { name: 'ad-lib', doc: 'Improvised vocal embellishments.' },
  { name: 'choir', doc: 'A choir sings.' },
  { name: 'a cappella', doc: 'Voices without instruments.' },
  { name: 'male vocal', doc: 'A male voice.' },
  { name: 'female vocal', doc: 'A female voice.' },
  { name: 'duet', doc: 'Two voices.' },
  { name: 'screamed', doc: 'Screamed vocals.' },
  { name: 'growled', doc: 'Growled vocals.' },
  { name: 'high energy', doc: 'Passionate, high energy.' },
  { name: 'low energy', doc: 'Restrained, low energy.' },
  { name: 'building energy', doc: 'Energy rises.' },
  { name: 'explosive', doc: 'An explosive burst of energy.' },
  { name: 'explosive drop', doc: 'An explosive drop.' },
  { name: 'melancholic', doc: 'A melancholic mood.' },
  { name: 'euphoric', doc: 'A euphoric mood.' },
  { name: 'dreamy', doc: 'A dreamy mood.' },
  { name: 'aggressive', doc: 'An aggressive delivery.' },
  { name: 'soft', doc: 'Soft, gentle delivery.' },
  { name: 'emotional', doc: 'An emotional delivery.' },
  { name: 'key change', doc: 'The key moves up, usually for a last chorus.' },
  { name: 'tempo change', doc: 'The tempo changes.' },
  { name: 'half-time', doc: 'The groove feels half as fast.' },
];

/** Common modifiers for `[Section - modifier]`, offered by completion. */
export const MODIFIERS: readonly string[] = [
  'acoustic', 'aggressive', 'anthemic', 'atmospheric', 'building energy', 'calm', 'dark', 'dreamy', 'emotional',
  'energetic', 'explosive', 'fade out', 'falsetto', 'gentle', 'harmonies', 'high energy', 'intense', 'low energy',
  'melancholic', 'melodic', 'orchestral', 'piano', 'powerful', 'raspy vocal', 'slow', 'soft', 'spoken word',
  'stripped back', 'uplifting', 'virtuoso', 'whispered', 'choir', 'a cappella', 'heavy', 'groovy', 'euphoric',
];

const normalizeName = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');

const SECTION_BY_NORM = new Map(SECTION_NAMES.map(s => [normalizeName(s.name), s]));
SECTION_BY_NORM.set('prechorus', SECTION_NAMES.find(s => s.name === 'Pre-Chorus')!);
SECTION_BY_NORM.set('buildup', SECTION_NAMES.find(s => s.name === 'Build-Up')!);
SECTION_BY_NORM.set('inst', SECTION_NAMES.find(s => s.name === 'Instrumental')!);
const TAG_BY_NORM = new Map(PERFORMANCE_TAGS.map(t => [normalizeName(t.name), t]));

/** `[en]`, `[ko]` on a line of their own: ACE-Step lyrics switch the sung language with a language code. */
const LANGUAGE_TAG = { name: 'language', doc: 'Switches the sung language from here on: a language code, as written in `language`.' };
const LANGUAGE_CODES = new Set(LANGUAGES.filter(l => l !== 'unknown'));

/** Everyday words of descriptive tags (`[Final chord fades out]`, `[Synth arpeggio and pads]`): not typos. */
const DESCRIPTIVE_WORDS = new Set([
  ...SECTION_NAMES.flatMap(s => s.name.toLowerCase().split(/[\s-]+/)),
  ...PERFORMANCE_TAGS.flatMap(t => t.name.toLowerCase().split(/[\s-]+/)),
  ...MODIFIERS.flatMap(m => m.toLowerCase().split(/[\s-]+/)),
  ...('a an the and or with without over under into in on of to from then by for as at up down off out away ' +
    'fade fades fading faded ends ending ended continues continuing starts begins returns stops abrupt abruptly ' +
    'slowly quietly suddenly full band beat beats groove rhythm drums drum kick snare hats hi percussion bass ' +
    'guitar guitars electric clean distorted riff riffs strum strumming chord chords note notes melody melodies ' +
    'theme motif hook arpeggio arpeggios arpeggiated synth synths pad pads lead leads keys organ piano strings ' +
    'string violin cello brass horn horns trumpet sax saxophone flute harmonica accordion fanfare orchestra ' +
    'orchestral section vocal vocals voice voices chop chops sample samples scat scatting singing sung humming ' +
    'vocalizations layered backing male female both duet rap rapped spoken word filtered pitched reverb reverbed ' +
    'echo echoes delay crescendo climax swell rise rising final extended short long main song music track ' +
    'instrumental break silence noise ambient atmosphere mood tempo key change ad lib libs').split(' '),
]);

export const SECTION_NAME_LIST: readonly string[] = SECTION_NAMES.map(s => s.name);
export const PERFORMANCE_TAG_LIST: readonly string[] = PERFORMANCE_TAGS.map(t => t.name);

/**
 * The section a tag's head names: a known name (`Pre chorus`), or a compound the way song writers and
 * ACE-Step's own examples write them, named by a known section it contains:
 * - qualifier words before the name, the last name winning: `Instrumental Drop`, `Final Outro`, `Outro Chorus`;
 * - a description after it: `Instrumental Break with Synth Brass`, `Instrumental fades out`, `Guitar Solo over …`;
 * - alternatives: `Drop/Chorus` (the first one that is a section).
 * A compound with the word "instrumental" is instrumental even when its name is a vocal section.
 * The result's `name` is the head as written for a compound.
 */
export function lookupSection(head: string): SectionName | undefined {
  if (head.length > 80) return undefined;
  const exact = head.length > 40 ? undefined : SECTION_BY_NORM.get(normalizeName(head));
  if (exact || head.indexOf(' ') < 0 && head.indexOf('/') < 0) return exact;
  if (TAG_BY_NORM.has(normalizeName(head))) return undefined; // `[explosive drop]`, `[spoken word]`
  const base = compoundBase(head);
  if (!base) return undefined;
  const category = base.category === 'vocal' && /\binst(?:rumental)?\b/i.test(head) ? 'instrumental' : base.category;
  return { name: head.trim(), category, doc: base.doc };
}

/** Words that start the description after a section name: `… with synth brass`, `… fades out`. */
const DESCRIPTION = /\s+(?:with|over|featuring|feat\.|and|fades?|ends?|continues?|into|then)\b.*$/i;

function compoundBase(head: string): SectionName | undefined {
  const parts = head.split(/\s*[/|]\s*/).filter(p => p !== '');
  for (const part of parts) {
    const found = byWords(part) ?? byWords(part.replace(DESCRIPTION, ''));
    if (found) return found;
  }
  return undefined;
}

/**
 * The part itself, its longest known ending (`Instrumental Drop` → Drop), else its longest known beginning
 * (`Chorus Duet` → Chorus). The other words must be everyday musical words, so that `Repeat hook` or a
 * misspelling next to a name is not taken for a section.
 */
function byWords(part: string): SectionName | undefined {
  const words = part.trim().split(/\s+/).filter(w => w !== '');
  if (words.length === 0 || words.length > 8) return undefined;
  const plain = words.map(isEverydayWord);
  for (let i = 0; i < words.length; i++) {
    if (i > 0 && !plain[i - 1]) break;
    const s = SECTION_BY_NORM.get(normalizeName(words.slice(i).join('')));
    if (s) return s;
  }
  for (let j = words.length - 1; j > 0; j--) {
    if (!plain[j]) break;
    const s = SECTION_BY_NORM.get(normalizeName(words.slice(0, j).join('')));
    if (s) return s;
  }
  return undefined;
}

const isEverydayWord = (w: string) => {
  const bare = w.toLowerCase().replace(/[^\p{L}\p{N}-]+/gu, '');
  return bare === '' || DESCRIPTIVE_WORDS.has(bare) || bare.split('-').every(x => DESCRIPTIVE_WORDS.has(x));
};

export function lookupPerformanceTag(inner: string): { name: string; doc: string } | undefined {
  if (inner.length > 40) return undefined;
  const norm = normalizeName(inner);
  return TAG_BY_NORM.get(norm) ?? (LANGUAGE_CODES.has(norm) ? LANGUAGE_TAG : undefined);
}

/** A separator between a section name and its modifiers: ` - `, ` – `, ` — ` or `: `. */
const SEPARATOR = /\s+[-–—]\s+|\s*:\s+|\s+[-–—]$/;

/**
 * Parses a line whose first non-space character is `[`. Returns null when it is not a tag
 * (text after the closing bracket, like `[Verse] first line`, counts as lyrics).
 */
export function parseTagLine(text: string, line: number): TagInfo | null {
  const open = text.indexOf('[');
  const close = text.indexOf(']', open + 1);
  if (close >= 0 && text.slice(close + 1).trim() !== '') return null;
  const closed = close >= 0;
  const innerStart = open + 1;
  const innerEndRaw = closed ? close : text.trimEnd().length;
  const rawInner = text.slice(innerStart, innerEndRaw);
  const lead = rawInner.length - rawInner.trimStart().length;
  const inner = rawInner.trim();
  const innerFrom = innerStart + lead;
  const tagRange = lineRange(line, open, closed ? close + 1 : text.trimEnd().length);
  const sep = SEPARATOR.exec(inner);
  const headPart = sep ? inner.slice(0, sep.index) : inner;
  const modsPart = sep ? inner.slice(sep.index + sep[0].length) : '';
  let head = headPart.trim();
  let number: number | undefined;
  const num = /^(.*?)\s*(\d{1,3})$/.exec(head);
  if (num && num[1] !== '' && !(head.length <= 40 && SECTION_BY_NORM.has(normalizeName(head)))) {
    head = num[1].trim();
    number = Number(num[2]);
  }
  const headRange = lineRange(line, innerFrom, innerFrom + head.length);
  const modifiers = modsPart.split(/\s*,\s*|\s+[-–—]\s+/).map(m => m.trim()).filter(m => m !== '');
  let modifiersRange: Range | undefined;
  if (sep) {
    const from = innerFrom + sep.index + sep[0].length;
    modifiersRange = lineRange(line, from, innerFrom + inner.length);
  }
  return { inner, head, number, modifiers, range: tagRange, headRange, modifiersRange, closed };
}

/**
 * True for a tag of several everyday words (`Final chord`, `Synth melody fades out`): a description the
 * model reads as free text, not a misspelt section name.
 */
export function isDescriptiveTag(head: string): boolean {
  const words = head.toLowerCase().split(/[\s,/&+-]+/).filter(w => w !== '');
  return words.length > 1 && words.every(isEverydayWord);
}
