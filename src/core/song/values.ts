// Validation and normalisation of single frontmatter values against their KeySpec.
// Each function returns the normalised value (or undefined) and at most one issue for the lints.
import {
  BASE_ONLY_TASKS, KEY_NAMES, LANGUAGE_NAMES, LANGUAGES, NEWER_AUDIO_FORMATS, TIME_SIGNATURE_NAMES, type KeySpec,
} from './schema';
import { normaliseTrackName, TRACK_NAMES, trackSuggestions } from './tasks';
import type { ValueIssue } from './types';
import { msg, orList } from '../l10n';
import { parseLora } from './lora';

export interface Checked {
  value: unknown;
  issue?: ValueIssue;
}

const KEY_SET = new Set(KEY_NAMES);
const LANGUAGE_SET = new Set(LANGUAGES);
const LANGUAGE_BY_NAME = new Map(Object.entries(LANGUAGE_NAMES).map(([code, name]) => [name.toLowerCase(), code]));
LANGUAGE_BY_NAME.set('mandarin', 'zh');
LANGUAGE_BY_NAME.set('farsi', 'fa');
LANGUAGE_BY_NAME.set('filipino', 'tl');

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000);
}

/**
 * Reads a musical key in any common spelling (`D Minor`, `Dm`, `d min`, `F#m`, `Bb`, `F sharp minor`)
 * and returns the server's spelling (`D minor`), or null when it is not a key.
 */
export function normaliseKeyName(input: string): string | null {
  const m = /^\s*([A-Ga-g])\s*(#|♯|♭|b|-?sharp|-?flat|is|es)?\s*[-_ ]?\s*(major|minor|maj|min|moll|dur|m|M)?\s*$/.exec(input);
  if (!m) {
    const lower = /^\s*([A-Ga-g])\s*(#|♯|♭|b|-?sharp|-?flat)?\s*[-_ ]?\s*(major|minor|maj|min)\s*$/i.exec(input);
    if (!lower) return null;
    return normaliseKeyName(`${lower[1]}${lower[2] ?? ''} ${lower[3].toLowerCase()}`);
  }
  const note = m[1].toUpperCase();
  let acc = m[2] ?? '';
  if (/sharp|is/.test(acc)) acc = '#';
  else if (/flat|es/.test(acc)) acc = 'b';
  const mode = m[3];
  let scale: 'major' | 'minor';
  if (mode === undefined || mode === 'M' || /^(major|maj|dur)$/i.test(mode)) scale = 'major';
  else scale = 'minor';
  const name = `${note}${acc} ${scale}`;
  return KEY_SET.has(name) ? name : null;
}

/** German and Dutch note names: H is B, -is raises, -es (-s after a vowel) lowers; `Bes` is Dutch for Bb. */
const GERMAN_NOTES: Readonly<Record<string, string>> = {
  c: 'C', cis: 'C#', ces: 'Cb', d: 'D', dis: 'D#', des: 'Db', e: 'E', es: 'Eb', ees: 'Eb', f: 'F', fis: 'F#',
  g: 'G', gis: 'G#', ges: 'Gb', a: 'A', ais: 'A#', as: 'Ab', aes: 'Ab', h: 'B', bes: 'Bb',
};
/** Names that only German or Dutch notation uses (a plain `C` or `B` is read the English way). */
const GERMAN_ONLY = new Set(['cis', 'ces', 'dis', 'des', 'es', 'ees', 'fis', 'gis', 'ges', 'ais', 'as', 'aes', 'h', 'bes']);
const GERMAN_MODES: Readonly<Record<string, 'major' | 'minor'>> = {
  dur: 'major', moll: 'minor', groot: 'major', klein: 'minor', majeur: 'major', mineur: 'minor',
  major: 'major', maj: 'major', minor: 'minor', min: 'minor', m: 'minor',
};

/**
 * Reads a key in German or Dutch notation (`H`, `h-moll`, `Fis`, `Es-Dur`, `cis`, `Bes groot`, `B-Dur`) and
 * returns the server's spelling (`B major`, `B minor`, `F# major`, `Eb major`, `C# minor`, `Bb major`,
 * `Bb major`), or null when the text is not in that notation. Without a mode word the case tells the mode,
 * as in German: `Fis` is major, `fis` minor. With `Dur`/`moll`, a plain `B` is the German B, which is Bb.
 */
export function readGermanKey(input: string): string | null {
  const m = /^\s*([A-Ha-h](?:is|es|s)?)(?:\s*[-_ ]\s*|\s*)(dur|moll|groot|klein|majeur|mineur|major|minor|maj|min|m)?\s*$/i.exec(input);
  if (!m) return null;
  const written = m[1];
  const noteKey = written.toLowerCase();
  const modeWord = m[2]?.toLowerCase();
  const germanMode = modeWord === 'dur' || modeWord === 'moll';
  const dutchMode = modeWord === 'groot' || modeWord === 'klein' || modeWord === 'majeur' || modeWord === 'mineur';
  let note: string | undefined;
  if (noteKey === 'b') note = germanMode ? 'Bb' : dutchMode ? 'B' : undefined;
  else if (GERMAN_ONLY.has(noteKey) || germanMode || dutchMode) note = GERMAN_NOTES[noteKey];
  if (!note) return null;
  if (m[2] === 'M') return null; // `EsM`: too unusual to guess
  const mode = modeWord ? GERMAN_MODES[modeWord] : written[0] === written[0].toLowerCase() ? 'minor' : 'major';
  const name = `${note} ${mode}`;
  return KEY_SET.has(name) ? name : null;
}

/** `2`, `3/4`, `6/8`… → `"2"|"3"|"4"|"6"`, or null. */
export function normaliseTimeSignature(raw: unknown): string | null {
  const s = String(raw).trim();
  if (/^[2346]$/.test(s)) return s;
  for (const [n, name] of Object.entries(TIME_SIGNATURE_NAMES)) if (s === name) return n;
  return null;
}

/** Reads seconds from a number, a numeric string or `m:ss`. */
export function parseSeconds(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (typeof raw !== 'string') return null;
  const s = raw.trim();
  const mss = /^(\d{1,2}):([0-5]\d)$/.exec(s);
  if (mss) return Number(mss[1]) * 60 + Number(mss[2]);
  const sec = /^(\d+(?:\.\d+)?)\s*s?$/.exec(s);
  return sec ? Number(sec[1]) : null;
}

function asNumber(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (typeof raw === 'string' && /^\s*[-+]?\d+(?:\.\d+)?\s*$/.test(raw)) return Number(raw);
  return null;
}

const TRUE_WORDS = new Set(['yes', 'y', 'on', 'true', '1']);
const FALSE_WORDS = new Set(['no', 'n', 'off', 'false', '0']);

function issue(code: string, severity: ValueIssue['severity'], message: string, replacement?: string): ValueIssue {
  return replacement === undefined ? { code, severity, message }
    : { code, severity, message, replacement, replacementTitle: msg('Change to {0}', replacement) };
}

function checkRange(spec: KeySpec, n: number): ValueIssue | undefined {
  if (spec.min !== undefined && n < spec.min) {
    return issue('out-of-range', 'error', msg('{0} must be at least {1} (got {2})', spec.key, spec.min, fmt(n)), String(spec.min));
  }
  if (spec.max !== undefined && n > spec.max) {
    return issue('out-of-range', 'error', msg('{0} must be at most {1} (got {2})', spec.key, spec.max, fmt(n)), String(spec.max));
  }
  return undefined;
}

/** Validates one value. `raw` is what YAML produced; null/undefined means "written without a value". */
export function checkValue(spec: KeySpec, raw: unknown): Checked {
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '' && spec.type !== 'string')) {
    return { value: undefined, issue: issue('empty-value', 'warning', msg('{0} has no value and is ignored', spec.key)) };
  }
  if (spec.type === 'list') return checkTrackList(spec, raw);
  if (typeof raw === 'object') {
    return { value: undefined, issue: issue('invalid-value', 'error', msg('{0} must be a single value, not a list or mapping', spec.key)) };
  }
  if (spec.auto && typeof raw === 'string' && raw.trim().toLowerCase() === 'auto') {
    return raw.trim() === 'auto' ? { value: 'auto' }
      : { value: 'auto', issue: issue('value-spelling', 'warning', msg('write auto in lower case'), 'auto') };
  }
  switch (spec.type) {
    case 'string': {
      const s = String(raw);
      if (spec.key === 'lora') {
        const l = parseLora(s);
        return 'error' in l ? { value: undefined, issue: issue('invalid-value', 'error', l.error) } : { value: s.trim() };
      }
      return { value: s };
    }
    case 'path': {
      const s = String(raw).trim();
      return s ? { value: s } : { value: undefined, issue: issue('empty-value', 'warning', msg('{0} has no value and is ignored', spec.key)) };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { value: raw };
      const w = String(raw).trim().toLowerCase();
      if (TRUE_WORDS.has(w)) return { value: true, issue: issue('value-spelling', 'warning', msg('{0} must be true or false', spec.key), 'true') };
      if (FALSE_WORDS.has(w)) return { value: false, issue: issue('value-spelling', 'warning', msg('{0} must be true or false', spec.key), 'false') };
      return { value: undefined, issue: issue('invalid-value', 'error', msg('{0} must be true or false', spec.key)) };
    }
    case 'int':
    case 'number':
      return checkNumber(spec, raw);
    case 'enum':
      return checkEnum(spec, raw);
  }
}

function checkNumber(spec: KeySpec, raw: unknown): Checked {
  const n = spec.key === 'duration' ? parseSeconds(raw) : asNumber(raw);
  if (n === null) {
    const message = spec.key === 'duration'
      ? (spec.auto ? msg('{0} must be a number (seconds, or m:ss) or auto', spec.key) : msg('{0} must be a number (seconds, or m:ss)', spec.key))
      : spec.type === 'int'
        ? (spec.auto ? msg('{0} must be a whole number or auto', spec.key) : msg('{0} must be a whole number', spec.key))
        : (spec.auto ? msg('{0} must be a number or auto', spec.key) : msg('{0} must be a number', spec.key));
    return { value: undefined, issue: issue('invalid-value', 'error', message) };
  }
  if (spec.type === 'int' && !Number.isInteger(n)) {
    const r = Math.round(n);
    return { value: undefined, issue: issue('invalid-value', 'error', msg('{0} must be a whole number', spec.key), String(r)) };
  }
  const bad = checkRange(spec, n);
  if (bad) return { value: undefined, issue: bad };
  if (spec.key === 'duration' && typeof raw === 'string') {
    return { value: n, issue: issue('value-spelling', 'hint', msg('duration is {0} seconds', fmt(n)), String(n)) };
  }
  if (spec.key === 'inference_steps' && n > 20) {
    return { value: n, issue: issue('base-model-only', 'information', msg('more than 20 steps only helps base models; turbo models use up to 20')) };
  }
  return { value: n };
}

function checkEnum(spec: KeySpec, raw: unknown): Checked {
  const s = String(raw).trim();
  if (spec.key === 'key') {
    if (KEY_SET.has(s)) return { value: s };
    const german = readGermanKey(s);
    if (german) {
      return { value: german, issue: issue('key-spelling', 'warning',
        msg('"{0}" is German or Dutch notation (H is B, -is sharp, -es flat): write "{1}"', s, german), german) };
    }
    const k = normaliseKeyName(s);
    if (k) return { value: k, issue: issue('key-spelling', 'warning', msg('write the key as "{0}"', k), k) };
    return { value: undefined, issue: issue('invalid-value', 'error', msg('"{0}" is not a key: write a note A–G, an optional # or b, then major or minor (e.g. "D minor")', s)) };
  }
  if (spec.key === 'time_signature') {
    const t = normaliseTimeSignature(raw);
    if (t) return { value: t };
    return { value: undefined, issue: issue('invalid-value', 'error', msg('time signature "{0}" is not supported: use 2/4, 3/4, 4/4 or 6/8 (or 2, 3, 4, 6)', s)) };
  }
  if (spec.key === 'language') {
    if (LANGUAGE_SET.has(s)) return { value: s };
    const lower = s.toLowerCase();
    const code = LANGUAGE_SET.has(lower) ? lower : LANGUAGE_BY_NAME.get(lower);
    if (code) return { value: code, issue: issue('value-spelling', 'warning', msg('write the language as its code "{0}"', code), code) };
    return { value: undefined, issue: issue('invalid-value', 'error', msg('"{0}" is not a supported language code (e.g. en, de, fr, es, ja, zh; unknown to let the model detect it)', s)) };
  }
  if (spec.key === 'track') return checkTrack(s);
  const values = spec.values ?? [];
  let v = values.includes(s) ? s : undefined;
  let spelled: ValueIssue | undefined;
  if (v === undefined) {
    const lower = s.toLowerCase();
    v = values.find(x => x === lower);
    if (v !== undefined) spelled = issue('value-spelling', 'warning', msg('write {0} in lower case: "{1}"', spec.key, v), v);
  }
  if (v === undefined) {
    return { value: undefined, issue: issue('invalid-value', 'error', msg('{0} must be one of: {1}', spec.key, values.join(', '))) };
  }
  if (spelled) return { value: v, issue: spelled };
  if (spec.key === 'audio_format' && (NEWER_AUDIO_FORMATS as readonly string[]).includes(v)) {
    return { value: v, issue: issue('newer-server-format', 'warning', msg('{0} needs a recent ACE-Step server; older servers write flac instead', v)) };
  }
  if (spec.key === 'task_type' && (BASE_ONLY_TASKS as readonly string[]).includes(v)) {
    return { value: v, issue: issue('base-model-only', 'information', msg('{0} needs a base model (not turbo); set model to a loaded base model', v)) };
  }
  return { value: v };
}

function unknownTrack(written: string): ValueIssue {
  const close = trackSuggestions(written);
  return close.length
    ? issue('unknown-track', 'error', msg('unknown track "{0}"; did you mean {1}?', written, orList(close)), close[0])
    : issue('unknown-track', 'error', msg('unknown track "{0}": ACE-Step knows {1}', written, TRACK_NAMES.join(', ')));
}


/** `track`: one of ACE-Step's track names, any case, spaces or hyphens for the underscore. */
function checkTrack(written: string): Checked {
  const t = normaliseTrackName(written);
  if (t === written) return { value: t };
  if (t) return { value: t, issue: issue('value-spelling', 'warning', msg('write the track as "{0}"', t), t) };
  return { value: undefined, issue: unknownTrack(written) };
}

/**
 * `tracks`: a YAML list or a comma-separated text of track names. The value keeps the names that are known; the
 * first unknown one is reported (with the whole list rewritten when every name has a close known one).
 */
function checkTrackList(spec: KeySpec, raw: unknown): Checked {
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : typeof raw === 'object' ? null : [String(raw)];
  if (!items || items.some(x => x !== null && typeof x === 'object')) {
    return { value: undefined, issue: issue('invalid-value', 'error', msg('{0} must be a list of track names, like [drums, bass]', spec.key)) };
  }
  const written = items.map(x => String(x ?? '').trim()).filter(x => x !== '');
  const known: string[] = [];
  const fixed: string[] = [];
  let firstBad: string | undefined;
  for (const w of written) {
    const t = normaliseTrackName(w);
    if (t) { if (!known.includes(t)) known.push(t); fixed.push(t); continue; }
    firstBad ??= w;
    fixed.push(trackSuggestions(w)[0] ?? '');
  }
  const listText = (names: string[]) => `[${names.join(', ')}]`;
  const value = known.length ? known : undefined;
  if (firstBad !== undefined) {
    const { code, severity, message } = unknownTrack(firstBad);
    return { value, issue: fixed.every(x => x !== '') ? issue(code, severity, message, listText(fixed)) : { code, severity, message } };
  }
  if (!written.length) return { value: undefined, issue: issue('empty-value', 'warning', msg('{0} has no value and is ignored', spec.key)) };
  if (written.some((w, i) => w !== fixed[i])) return { value, issue: issue('value-spelling', 'warning', msg('write the tracks as {0}', listText(fixed)), listText(fixed)) };
  return { value };
}
