// The frontmatter vocabulary: every key a `.song` file may set, the ACE-Step server field it maps
// to, its type, limits, server default and a short description (used by hover, completion, docs).
import type { ParamKey } from './types';
import { translatable } from '../l10n';
import { TRACK_NAMES } from './tasks';

export type ValueType = 'string' | 'int' | 'number' | 'boolean' | 'enum' | 'path' | 'list';

export interface KeySpec {
  key: ParamKey;
  /** The field name in the POST /release_task body; null for keys that are not sent as such. */
  server: string | null;
  type: ValueType;
  /** What the key does, one or two sentences of Markdown. */
  doc: string;
  /** The server's behaviour when the key is absent. */
  serverDefault: string;
  min?: number;
  max?: number;
  /** For enums and lists: the accepted values (normalised spelling). */
  values?: readonly string[];
  /** Accepts the word `auto` ("let the model decide"). */
  auto?: boolean;
  /** Server aliases accepted in a `.song` file, reported with a hint to use the canonical name. */
  aliases?: readonly string[];
  group: 'song' | 'generation' | 'task' | 'lm' | 'diffusion';
}

/** The 51 vocal language codes the server accepts (`unknown` lets the model guess). */
export const LANGUAGES: readonly string[] = [
  'ar', 'az', 'bg', 'bn', 'ca', 'cs', 'da', 'de', 'el', 'en', 'es', 'fa', 'fi', 'fr', 'he', 'hi', 'hr',
  'ht', 'hu', 'id', 'is', 'it', 'ja', 'ko', 'la', 'lt', 'ms', 'ne', 'nl', 'no', 'pa', 'pl', 'pt', 'ro',
  'ru', 'sa', 'sk', 'sr', 'sv', 'sw', 'ta', 'te', 'th', 'tl', 'tr', 'uk', 'ur', 'vi', 'yue', 'zh', 'unknown',
];

/** English names of the language codes, for completion details and "did you mean" on names. */
export const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  ar: 'Arabic', az: 'Azerbaijani', bg: 'Bulgarian', bn: 'Bengali', ca: 'Catalan', cs: 'Czech', da: 'Danish',
  de: 'German', el: 'Greek', en: 'English', es: 'Spanish', fa: 'Persian', fi: 'Finnish', fr: 'French',
  he: 'Hebrew', hi: 'Hindi', hr: 'Croatian', ht: 'Haitian Creole', hu: 'Hungarian', id: 'Indonesian',
  is: 'Icelandic', it: 'Italian', ja: 'Japanese', ko: 'Korean', la: 'Latin', lt: 'Lithuanian', ms: 'Malay',
  ne: 'Nepali', nl: 'Dutch', no: 'Norwegian', pa: 'Punjabi', pl: 'Polish', pt: 'Portuguese', ro: 'Romanian',
  ru: 'Russian', sa: 'Sanskrit', sk: 'Slovak', sr: 'Serbian', sv: 'Swedish', sw: 'Swahili', ta: 'Tamil',
  te: 'Telugu', th: 'Thai', tl: 'Tagalog', tr: 'Turkish', uk: 'Ukrainian', ur: 'Urdu', vi: 'Vietnamese',
  yue: 'Cantonese', zh: 'Chinese', unknown: 'let the model detect it',
};

export const KEY_NOTES = ['C', 'D', 'E', 'F', 'G', 'A', 'B'] as const;
export const KEY_ACCIDENTALS = ['', '#', 'b', '♯', '♭'] as const;

/** The 70 key names the server accepts: note, optional accidental, ` major` or ` minor`. */
export const KEY_NAMES: readonly string[] = KEY_NOTES.flatMap(n =>
  KEY_ACCIDENTALS.flatMap(a => [`${n}${a} major`, `${n}${a} minor`]));

/** The keys offered by completion: no Unicode accidentals, which are the same keys again. */
export const COMMON_KEY_NAMES: readonly string[] = KEY_NAMES.filter(k => !/[♯♭]/.test(k));

export const TIME_SIGNATURES = ['2', '3', '4', '6'] as const;
export const TIME_SIGNATURE_NAMES: Readonly<Record<string, string>> = { 2: '2/4', 3: '3/4', 4: '4/4', 6: '6/8' };
export const AUDIO_FORMATS = ['mp3', 'wav', 'flac'] as const;
/** Formats only the newest servers write; older ones silently produce flac instead. */
export const NEWER_AUDIO_FORMATS = ['opus', 'aac', 'wav32'] as const;
export const TURBO_TASKS = ['text2music', 'repaint', 'cover'] as const;
export const BASE_ONLY_TASKS = ['extract', 'lego', 'complete'] as const;
export const TASKS_NEEDING_SOURCE = ['repaint', 'cover', 'extract', 'lego', 'complete'] as const;

export const KEY_SPECS: readonly KeySpec[] = [
  { key: 'title', server: null, type: 'string', group: 'song', serverDefault: translatable('(not sent)'),
    doc: 'The song\'s name. Used for output file names and history; never sent to the server.' },
  { key: 'caption', server: 'prompt', type: 'string', group: 'song', serverDefault: translatable('empty'), aliases: ['prompt'],
    doc: 'The style description, the most important input: genre, mood, instruments, timbre, vocal type, production. Keep tempo, key and time signature out of it: they have their own keys.' },
  { key: 'duration', server: 'audio_duration', type: 'number', group: 'song', min: 10, max: 600, auto: true,
    serverDefault: translatable('auto (the model decides)'),
    aliases: ['audio_duration', 'audioDuration', 'target_duration', 'targetDuration'],
    doc: 'Length of the song in seconds (10–600); `m:ss` is accepted too.' },
  { key: 'bpm', server: 'bpm', type: 'int', group: 'song', min: 30, max: 300, auto: true, serverDefault: 'auto',
    doc: 'Tempo in beats per minute, a whole number from 30 to 300. 60–180 is where the model is most reliable.' },
  { key: 'key', server: 'key_scale', type: 'enum', group: 'song', values: KEY_NAMES, auto: true, serverDefault: 'auto',
    aliases: ['key_scale', 'keyscale', 'keyScale'],
    doc: 'Key and mode, written like `D minor`, `F# major` or `Bb minor`.' },
  { key: 'time_signature', server: 'time_signature', type: 'enum', group: 'song', values: TIME_SIGNATURES, auto: true,
    serverDefault: 'auto', aliases: ['timesignature', 'timeSignature'],
    doc: 'Beats per bar: `4` (4/4), `3` (3/4), `2` (2/4) or `6` (6/8). The fraction spellings are accepted.' },
  { key: 'language', server: 'vocal_language', type: 'enum', group: 'song', values: LANGUAGES, serverDefault: 'en',
    aliases: ['vocal_language', 'vocalLanguage'],
    doc: 'Language of the sung lyrics, as a code (`en`, `de`, `ja`, `zh`, …; `unknown` lets the model guess).' },
  { key: 'instrumental', server: null, type: 'boolean', group: 'song', serverDefault: 'false',
    doc: 'When true the song has no vocals: the lyrics are replaced by `[Instrumental]`. An empty body means the same.' },
  { key: 'thinking', server: 'thinking', type: 'boolean', group: 'generation', serverDefault: 'false',
    doc: 'Let the 5 Hz language model plan the song (audio codes) before the diffusion model renders it. Better songs, slower; needs the LM loaded on the server.' },
  { key: 'batch_size', server: 'batch_size', type: 'int', group: 'generation', min: 1, max: 8,
    serverDefault: translatable('2 (this extension always sends 1 unless set)'),
    doc: 'How many variations to generate at once (1–8). Each one costs GPU time.' },
  { key: 'audio_format', server: 'audio_format', type: 'enum', group: 'generation',
    values: [...AUDIO_FORMATS, ...NEWER_AUDIO_FORMATS], serverDefault: 'mp3',
    doc: 'Output file format: `mp3`, `wav` or `flac`. Newer servers also write `opus`, `aac` and `wav32`.' },
  { key: 'seed', server: 'seed', type: 'int', group: 'generation', min: -1, max: 4294967295, serverDefault: translatable('random'),
    doc: 'A fixed random seed; `-1` means random. Only the current upstream server honours it: the Docker wrapper\'s server, the early upstream one and the Gradio API ignore it (each take gets a random seed, recorded in its sidecar), so there a take cannot be made again from its seed. Check Server says which kind answers.' },
  { key: 'inference_steps', server: 'inference_steps', type: 'int', group: 'diffusion', min: 1, max: 200,
    serverDefault: '8', aliases: ['inferenceSteps'],
    doc: 'Diffusion steps. Turbo models use 1–20 (8 is the sweet spot); base models up to 200.' },
  { key: 'guidance_scale', server: 'guidance_scale', type: 'number', group: 'diffusion', min: 0, max: 30,
    serverDefault: '7.0', aliases: ['guidanceScale'],
    doc: 'How strongly the diffusion model follows the caption. Only base models use it.' },
  { key: 'model', server: 'model', type: 'string', group: 'generation', serverDefault: translatable('the primary loaded model'),
    aliases: ['dit_model', 'ditModel', 'model_name', 'modelName'],
    doc: 'Which loaded DiT model to use (e.g. `acestep-v15-turbo`). An unknown name silently falls back to the primary model.' },
  { key: 'task_type', server: 'task_type', type: 'enum', group: 'task', values: [...TURBO_TASKS, ...BASE_ONLY_TASKS],
    serverDefault: 'text2music', aliases: ['taskType'],
    doc: 'What to do: `text2music` (new song), `repaint` (redo a time range of `src_audio`, or extend it), `cover` (restyle `src_audio`); base models also do `extract` (one `track` of `src_audio`), `lego` (add a `track` to it) and `complete` (add `tracks`).' },
  { key: 'src_audio', server: 'src_audio', type: 'path', group: 'task', serverDefault: translatable('none'),
    aliases: ['src_audio_path', 'ctx_audio_path', 'srcAudioPath', 'sourceAudioPath', 'ctxAudioPath'],
    doc: 'Source audio for repaint, cover and the base-model tasks: a path relative to this `.song` file. It is uploaded with the job.' },
  { key: 'reference_audio', server: 'reference_audio', type: 'path', group: 'task', serverDefault: translatable('none'),
    aliases: ['reference_audio_path', 'ref_audio_path', 'referenceAudioPath', 'refAudioPath'],
    doc: 'A reference recording whose timbre and style guide the result: a path relative to this `.song` file, uploaded with the job.' },
  { key: 'repainting_start', server: 'repainting_start', type: 'number', group: 'task', min: -600, max: 600, serverDefault: '0',
    doc: 'Repaint and lego: where the regenerated range starts, in seconds. A negative start adds that much before the source (it is padded with silence, which is generated): this extends a take at the front.' },
  { key: 'repainting_end', server: 'repainting_end', type: 'number', group: 'task', min: -1, max: 600,
    serverDefault: translatable('the end of the audio'),
    doc: 'Repaint and lego: where the regenerated range ends, in seconds (`-1` = the end). An end past the end of the source pads it with silence up to there, which is generated: this extends a take.' },
  { key: 'audio_cover_strength', server: 'audio_cover_strength', type: 'number', group: 'task', min: 0, max: 1,
    serverDefault: '1.0', aliases: ['audioCoverStrength'],
    doc: 'Cover: how closely the result follows the source audio (0–1).' },
  { key: 'track', server: null, type: 'enum', group: 'task', values: TRACK_NAMES, serverDefault: translatable('none'),
    doc: 'Extract and lego: the part to extract from `src_audio` or to add to it, one of ACE-Step\'s track names. It is filled into the instruction the model receives.' },
  { key: 'tracks', server: null, type: 'list', group: 'task', values: TRACK_NAMES, serverDefault: translatable('none (complete with whatever fits)'),
    doc: 'Complete: the parts to add, a list of ACE-Step\'s track names (`[drums, bass]`, or `drums, bass`). They are filled into the instruction the model receives.' },
  { key: 'instruction', server: 'instruction', type: 'string', group: 'task', serverDefault: translatable('the task\'s own instruction'),
    doc: 'Advanced: the instruction sent to the model instead of the one made from `task_type`, `track` and `tracks`. Leave it out unless you know the model\'s instruction formats.' },
  { key: 'use_format', server: 'use_format', type: 'boolean', group: 'lm', serverDefault: 'false',
    aliases: ['format', 'useFormat'],
    doc: 'Let the language model rewrite and enrich the caption and lyrics before generating. Needs the LM.' },
  { key: 'lm_temperature', server: 'lm_temperature', type: 'number', group: 'lm', min: 0, max: 2, serverDefault: '0.85',
    doc: 'Sampling temperature of the language model: higher is more adventurous.' },
  { key: 'lm_cfg_scale', server: 'lm_cfg_scale', type: 'number', group: 'lm', min: 0, max: 10, serverDefault: '2.5',
    doc: 'Classifier-free guidance of the language model: how strictly it follows the caption.' },
  { key: 'lm_top_p', server: 'lm_top_p', type: 'number', group: 'lm', min: 0, max: 1, serverDefault: '0.9',
    doc: 'Nucleus sampling of the language model (below 1; the server replaces 1 or more with 0.9).' },
  { key: 'lm_top_k', server: 'lm_top_k', type: 'int', group: 'lm', min: 0, max: 1000, serverDefault: translatable('0 (off)'),
    doc: 'Top-k sampling of the language model (0 disables it).' },
  { key: 'lm_negative_prompt', server: 'lm_negative_prompt', type: 'string', group: 'lm', serverDefault: '"NO USER INPUT"',
    doc: 'What the language model should steer away from.' },
  { key: 'lm_repetition_penalty', server: 'lm_repetition_penalty', type: 'number', group: 'lm', min: 0.5, max: 2,
    serverDefault: '1.0', doc: 'Penalty on repeated tokens in the language model (1 = none). Current servers do not pass it on: no effect.' },
  { key: 'use_cot_caption', server: 'use_cot_caption', type: 'boolean', group: 'lm', serverDefault: 'true',
    aliases: ['cot_caption', 'cot-caption'],
    doc: 'Let the language model refine the caption in its reasoning step.' },
  { key: 'use_cot_language', server: 'use_cot_language', type: 'boolean', group: 'lm', serverDefault: 'true',
    aliases: ['cot_language', 'cot-language'],
    doc: 'Let the language model detect the vocal language in its reasoning step.' },
  { key: 'constrained_decoding', server: 'constrained_decoding', type: 'boolean', group: 'lm', serverDefault: 'true',
    aliases: ['constrained', 'constrainedDecoding'],
    doc: 'Keep the language model\'s metadata output within valid values. Current servers always do: setting it has no effect.' },
  { key: 'infer_method', server: 'infer_method', type: 'enum', group: 'diffusion', values: ['ode', 'sde'],
    serverDefault: 'ode', aliases: ['inferMethod'],
    doc: 'Diffusion sampler: `ode` (deterministic) or `sde` (stochastic).' },
  { key: 'shift', server: 'shift', type: 'number', group: 'diffusion', min: 1, max: 5, serverDefault: '3.0',
    doc: 'Timestep shift (1–5). Only base models use it.' },
  { key: 'use_adg', server: 'use_adg', type: 'boolean', group: 'diffusion', serverDefault: 'false',
    doc: 'Adaptive dual guidance for base models.' },
  { key: 'cfg_interval_start', server: 'cfg_interval_start', type: 'number', group: 'diffusion', min: 0, max: 1,
    serverDefault: '0.0', doc: 'Fraction of the diffusion steps where guidance starts (base models).' },
  { key: 'cfg_interval_end', server: 'cfg_interval_end', type: 'number', group: 'diffusion', min: 0, max: 1,
    serverDefault: '1.0', doc: 'Fraction of the diffusion steps where guidance stops (base models).' },
  { key: 'use_tiled_decode', server: 'use_tiled_decode', type: 'boolean', group: 'diffusion', serverDefault: 'true',
    aliases: ['useTiledDecode'], doc: 'Decode the audio in tiles to save GPU memory. Current servers do not pass it on: no effect.' },
  { key: 'lora', server: null, type: 'string', group: 'generation', serverDefault: translatable('none (the base model)'),
    doc: 'A style adapter (LoRA) the server loads before this job: its path on the **server\'s** machine, optionally `@` a scale from 0 to 1 (`/loras/city-pop @ 0.7`). Only current upstream servers have adapters.' },
  { key: 'server', server: null, type: 'string', group: 'generation', serverDefault: translatable('the server that would finish it first'),
    doc: 'The server profile (a name in the `acestep.servers` setting, or `default`) this song must render on, when several servers share the work; it waits for that server. Never sent to a server.' },
];

export const SPEC_BY_KEY: ReadonlyMap<string, KeySpec> = new Map(KEY_SPECS.map(s => [s.key, s]));
export const CANONICAL_KEYS: readonly string[] = KEY_SPECS.map(s => s.key);

/** Alias spelling → canonical key. */
export const ALIASES: ReadonlyMap<string, ParamKey> = new Map(
  KEY_SPECS.flatMap(s => (s.aliases ?? []).map(a => [a, s.key] as [string, ParamKey])));

/** Looks a written key up: canonical spelling first, then the aliases. */
export function resolveKey(written: string): { canonical: ParamKey; isAlias: boolean } | null {
  if (SPEC_BY_KEY.has(written)) return { canonical: written as ParamKey, isAlias: false };
  const a = ALIASES.get(written);
  return a ? { canonical: a, isAlias: true } : null;
}

/** Keys that a `.song` file must not set, with the reason shown instead of "unknown key". */
export const MISPLACED_KEYS: Readonly<Record<string, string>> = {
  lyrics: translatable('lyrics are the body of the .song file, below the frontmatter'),
  use_random_seed: translatable('set `seed` to a number for a fixed seed, or leave it out (or -1) for a random one'),
  sample_mode: translatable('sample mode lets the model invent the whole song; a .song file already says what to sing'),
  sample_query: translatable('sample mode lets the model invent the whole song; a .song file already says what to sing'),
  description: translatable('write the style description as `caption`'),
};

/** Common words for a key that the server does not accept; suggested by the unknown-key lint. */
export const KEY_SYNONYMS: Readonly<Record<string, ParamKey>> = {
  tempo: 'bpm', genre: 'caption', genres: 'caption', style: 'caption', tags: 'caption', scale: 'key',
  lang: 'language', length: 'duration', steps: 'inference_steps', format_output: 'audio_format',
  output_format: 'audio_format', batch: 'batch_size', meter: 'time_signature', time_sig: 'time_signature',
  source_audio: 'src_audio', reference: 'reference_audio', task: 'task_type', think: 'thinking', name: 'title',
  track_name: 'track', stem: 'track', part: 'track', track_classes: 'tracks', complete_track_classes: 'tracks', parts: 'tracks',
};
