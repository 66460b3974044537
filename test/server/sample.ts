// Sample mode ("the LM writes the song from a description"), as the real servers do it: `sample_mode` or a
// non-blank `sample_query` (aliases `description`, `desc`) makes the 5 Hz LM write the caption, lyrics and
// metadata before generating. Language and "instrumental" hints are read from the sentence; a `vocal_language`
// other than en/unknown/empty wins over the sentence's language. The LM's length wins over `audio_duration`.
// The result items (W/S/U) carry the LM's caption and lyrics as `prompt`/`lyrics` and its bpm, duration, key
// and time signature in `metas`, whose `prompt`/`lyrics` stay the user's own (empty). G answers with files only.
import { Params } from './params';

/** Words that name a language, checked in this order (the first hit wins). */
const LANGUAGE_WORDS: readonly [string, string][] = [
  ['english', 'en'], ['en', 'en'], ['chinese', 'zh'], ['mandarin', 'zh'], ['zh', 'zh'], ['japanese', 'ja'], ['ja', 'ja'],
  ['korean', 'ko'], ['ko', 'ko'], ['spanish', 'es'], ['es', 'es'], ['french', 'fr'], ['fr', 'fr'], ['german', 'de'],
  ['deutsch', 'de'], ['de', 'de'], ['italian', 'it'], ['portuguese', 'pt'], ['russian', 'ru'], ['dutch', 'nl'], ['nl', 'nl'],
  ['polish', 'pl'], ['turkish', 'tr'],
];

/** The sentence's hints: a language code (or undefined) and whether it asks for no vocals. */
export function descriptionHints(query: string): { language?: string; instrumental: boolean } {
  const lower = query.toLowerCase().trim();
  let language: string | undefined;
  for (const [word, code] of LANGUAGE_WORDS) {
    const re = word.length <= 2 ? new RegExp(`(?:^|[\\s.,;:!?])${word}(?:$|[\\s.,;:!?])`) : new RegExp(`\\b${word}\\b`);
    if (re.test(lower)) { language = code; break; }
  }
  const instrumental = lower.includes('instrumental') || lower.includes('pure music') || lower.includes('pure instrument')
    || lower.endsWith(' solo') || lower === 'solo';
  return { ...(language ? { language } : {}), instrumental };
}

/** Whether a request asks the LM to write the song. */
export function isSampleRequest(p: Params): boolean {
  return p.bool('sample_mode') || !!p.str('sample_query').trim();
}

export interface LmSample {
  caption: string; lyrics: string; bpm: number; duration: number; keyscale: string; timesignature: string; language: string;
}

const KEYS = ['E minor', 'D minor', 'A minor', 'C major', 'G major', 'F# minor'];

/** What the test server's "LM" writes: deterministic from the sentence, shaped like the real LM's answers. */
export function lmSample(p: Params): LmSample {
  const query = p.str('sample_query').trim() || 'NO USER INPUT';
  const hints = descriptionHints(query);
  const asked = p.str('vocal_language');
  const language = asked && !['en', 'unknown'].includes(asked) ? asked : hints.language ?? 'en';
  let h = 0;
  for (const ch of query) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  const seconds = /about (\d+) seconds/i.exec(query);
  // The LM mostly keeps to a length the sentence names, within a few seconds.
  const duration = seconds ? Math.min(600, Math.max(10, Number(seconds[1]) + (h % 5) - 2)) : 150 + (h % 60);
  const subject = query.replace(/\s*About \d+ seconds long\.?/i, '').replace(/\s+/g, ' ').replace(/[.!?]+$/, '').toLowerCase().slice(0, 160);
  const caption = `${subject}, layered arrangement with a strong rhythm section, dynamic build from a sparse intro to a full chorus, clear modern production`;
  const lyrics = hints.instrumental ? '[Instrumental]' : [
    '[Intro]', '', '[Verse 1]', 'Shadows rise above the frozen hill', 'Every voice is calling through the still',
    'Lanterns fade along the river line', 'Hold the night and make the moment mine', '',
    '[Chorus]', 'We ride the storm tonight', 'Into the burning light', 'No chains can hold us down', 'We wear the thunder crown', '',
    '[Verse 2]', 'Iron bells are ringing through the dark', 'Every heart is carrying a spark',
    'Northern winds are singing out our names', 'Fire in the sky and in our veins', '',
    '[Chorus]', 'We ride the storm tonight', 'Into the burning light', 'No chains can hold us down', 'We wear the thunder crown', '',
    '[Outro]',
  ].join('\n');
  return {
    caption, lyrics, bpm: 90 + (h % 80), duration, keyscale: KEYS[h % KEYS.length], timesignature: '4', language,
  };
}
