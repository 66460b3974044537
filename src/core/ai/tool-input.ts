// Input checks for the language model tools (acestep_validate_song, acestep_generate_song, acestep_job_status,
// acestep_switch_mode, acestep_write_from_description). VS Code does not validate a tool's input against its schema,
// and models send strings for numbers, extra keys and empty objects: each check returns either the clean
// value or one message the model can act on. Also songFromFields, the .song text for a song given as fields.
import { DESCRIBED_DURATION, DESCRIPTION_MAX_CHARS, type Description } from '../jobs/describe-song';
import { setFrontmatterValues } from '../song';
import { LANGUAGES } from '../song/schema';
import { WRAPPER_PORTS } from '../server/types';

export type InputCheck<T> = { ok: true; value: T } | { ok: false; error: string };

export interface ValidateSongInput {
  path?: string;
  text?: string;
}

/** A song given field by field (the generate tool). */
export interface SongFields {
  caption: string;
  lyrics?: string;
  title?: string;
  duration?: number | 'auto';
  bpm?: number | 'auto';
  key?: string;
  time_signature?: string;
  language?: string;
  instrumental?: boolean;
  thinking?: boolean;
  batch_size?: number;
  audio_format?: string;
  seed?: number;
}

export type GenerateSongInput =
  | { kind: 'path'; path: string }
  | { kind: 'fields'; fields: SongFields }
  /** Neither: the .song open in the editor. */
  | { kind: 'active' };

export type ServerMode = 'api' | 'gradio';

/** The order the fields are written in (the order of a hand-written .song). */
export const SONG_FIELD_ORDER = [
  'title', 'caption', 'duration', 'bpm', 'key', 'time_signature', 'language', 'instrumental', 'thinking', 'batch_size', 'audio_format', 'seed',
] as const;

const MAX_TEXT = 200_000;
const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

function asObject(input: unknown, allowed: readonly string[]): InputCheck<Record<string, unknown>> {
  if (input === undefined || input === null) return { ok: true, value: {} };
  if (typeof input !== 'object' || Array.isArray(input)) {
    return fail(`the input must be a JSON object with the keys ${allowed.join(', ')}, not ${Array.isArray(input) ? 'an array' : typeof input}`);
  }
  return { ok: true, value: input as Record<string, unknown> };
}

function optionalString(o: Record<string, unknown>, key: string, problems: string[]): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') { problems.push(`"${key}" must be a string`); return undefined; }
  if (v.length > MAX_TEXT) { problems.push(`"${key}" is too long (over ${MAX_TEXT} characters)`); return undefined; }
  return v.trim() === '' ? undefined : v;
}

function unknownKeys(o: Record<string, unknown>, allowed: readonly string[]): string[] {
  return Object.keys(o).filter(k => !allowed.includes(k));
}

function joinProblems(problems: string[]): string {
  return problems.join('; ');
}

/** acestep_validate_song: `{path?, text?}`; both missing means the open editor. */
export function checkValidateInput(input: unknown): InputCheck<ValidateSongInput> {
  const allowed = ['path', 'text'];
  const o = asObject(input, allowed);
  if (!o.ok) return o;
  const problems: string[] = [];
  const extra = unknownKeys(o.value, allowed);
  if (extra.length) problems.push(`unknown key${extra.length === 1 ? '' : 's'} ${extra.map(k => `"${k}"`).join(', ')} (give "path" to a .song file or "text" with the whole .song)`);
  const path = optionalString(o.value, 'path', problems);
  const text = optionalString(o.value, 'text', problems);
  if (path !== undefined && text !== undefined) problems.push('give either "path" or "text", not both');
  if (problems.length) return fail(joinProblems(problems));
  return { ok: true, value: { ...(path !== undefined ? { path: path.trim() } : {}), ...(text !== undefined ? { text } : {}) } };
}

/** A number, or a string holding one ("120"); 'auto' where allowed. */
function numberField(o: Record<string, unknown>, key: string, problems: string[], opts: { min: number; max: number; integer?: boolean; auto?: boolean }): number | 'auto' | undefined {
  let v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (opts.auto && typeof v === 'string' && v.trim().toLowerCase() === 'auto') return 'auto';
  if (typeof v === 'string' && /^\s*-?\d+(?:\.\d+)?\s*$/.test(v)) v = Number(v);
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    problems.push(`"${key}" must be a number${opts.auto ? ' or "auto"' : ''}`);
    return undefined;
  }
  if (opts.integer && !Number.isInteger(v)) { problems.push(`"${key}" must be a whole number`); return undefined; }
  if (v < opts.min || v > opts.max) { problems.push(`"${key}" must be between ${opts.min} and ${opts.max} (got ${v})`); return undefined; }
  return v;
}

function booleanField(o: Record<string, unknown>, key: string, problems: string[]): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  problems.push(`"${key}" must be true or false`);
  return undefined;
}

const FIELD_HINTS: Record<string, string> = {
  genre: 'put the genre in "caption"', style: 'put the style in "caption"', mood: 'put the mood in "caption"',
  instruments: 'put the instruments in "caption"', vocals: 'describe the voice in "caption"', prompt: 'use "caption"',
  tags: 'use "caption"', tempo: 'use "bpm"', keyscale: 'use "key"', key_scale: 'use "key"', timesignature: 'use "time_signature"',
  vocal_language: 'use "language"', takes: 'use "batch_size"', audio_duration: 'use "duration"', name: 'use "title"',
};

/** acestep_generate_song: `{path}`, or the song's fields, or nothing (the open editor). */
export function checkGenerateInput(input: unknown): InputCheck<GenerateSongInput> {
  const allowed = ['path', 'lyrics', ...SONG_FIELD_ORDER];
  const o = asObject(input, ['path', 'caption', 'lyrics', '…']);
  if (!o.ok) return o;
  const v = o.value;
  const problems: string[] = [];
  const extra = unknownKeys(v, allowed);
  for (const k of extra) problems.push(`unknown key "${k}"${FIELD_HINTS[k.toLowerCase()] ? ` (${FIELD_HINTS[k.toLowerCase()]})` : ''}`);
  const path = optionalString(v, 'path', problems);
  const fieldKeys = Object.keys(v).filter(k => k !== 'path' && allowed.includes(k) && v[k] !== undefined && v[k] !== null);
  if (path !== undefined) {
    if (fieldKeys.length) problems.push(`give either "path" or the song's fields (${fieldKeys.join(', ')}), not both`);
    else if (!/\.song$/i.test(path.trim())) problems.push(`"path" must name a .song file (got "${path}")`);
    if (problems.length) return fail(joinProblems(problems));
    return { ok: true, value: { kind: 'path', path: path.trim() } };
  }
  if (!fieldKeys.length) {
    if (problems.length) return fail(joinProblems(problems));
    return { ok: true, value: { kind: 'active' } };
  }
  const caption = optionalString(v, 'caption', problems);
  const lyrics = optionalString(v, 'lyrics', problems);
  const instrumental = booleanField(v, 'instrumental', problems);
  if (caption === undefined && !problems.some(p => p.startsWith('"caption"'))) problems.push('"caption" is required: comma-separated genre, mood, instruments, voice and production');
  if (lyrics === undefined && instrumental !== true && !problems.some(p => p.startsWith('"lyrics"'))) {
    problems.push('"lyrics" is required (the lyrics with section tags such as [Verse 1] and [Chorus]), or set "instrumental": true');
  }
  if (lyrics !== undefined && /^\s*---\s*\n/.test(lyrics)) problems.push('"lyrics" holds a whole .song file: pass only the lyrics, with the other values as fields (or save the file and pass "path")');
  const fields: SongFields = { caption: caption ?? '' };
  if (lyrics !== undefined) fields.lyrics = lyrics;
  const title = optionalString(v, 'title', problems);
  if (title !== undefined) fields.title = title.trim();
  const duration = numberField(v, 'duration', problems, { min: 10, max: 600, auto: true });
  if (duration !== undefined) fields.duration = duration;
  const bpm = numberField(v, 'bpm', problems, { min: 30, max: 300, integer: true, auto: true });
  if (bpm !== undefined) fields.bpm = bpm;
  const key = optionalString(v, 'key', problems);
  if (key !== undefined) fields.key = key.trim();
  const ts = v.time_signature;
  if (ts !== undefined && ts !== null && ts !== '') {
    const t = String(ts).trim().replace(/\/4$/, '').replace(/^6\/8$/, '6');
    if (['2', '3', '4', '6', 'auto'].includes(t)) fields.time_signature = t;
    else problems.push('"time_signature" must be 2, 3, 4 or 6 (beats per bar) or "auto"');
  }
  const language = optionalString(v, 'language', problems);
  if (language !== undefined) fields.language = language.trim();
  if (instrumental !== undefined) fields.instrumental = instrumental;
  const thinking = booleanField(v, 'thinking', problems);
  if (thinking !== undefined) fields.thinking = thinking;
  const batch = numberField(v, 'batch_size', problems, { min: 1, max: 8, integer: true });
  if (typeof batch === 'number') fields.batch_size = batch;
  const format = optionalString(v, 'audio_format', problems);
  if (format !== undefined) {
    const f = format.trim().toLowerCase();
    if (['mp3', 'wav', 'flac', 'opus', 'aac', 'wav32'].includes(f)) fields.audio_format = f;
    else problems.push('"audio_format" must be mp3, wav or flac');
  }
  const seed = numberField(v, 'seed', problems, { min: -1, max: 2 ** 32 - 1, integer: true });
  if (typeof seed === 'number') fields.seed = seed;
  if (problems.length) return fail(joinProblems(problems));
  return { ok: true, value: { kind: 'fields', fields } };
}

/** The .song text for a song given as fields: frontmatter in the usual order, a blank line, the lyrics. */
export function songFromFields(fields: SongFields): string {
  const values: Record<string, string | number | boolean> = {};
  for (const key of SONG_FIELD_ORDER) {
    const value = (fields as unknown as Record<string, unknown>)[key];
    if (value === undefined || value === '') continue;
    values[key] = key === 'time_signature' && /^\d+$/.test(String(value)) ? Number(value) : value as string | number | boolean;
  }
  const head = setFrontmatterValues('', values).replace(/\n+$/, '');
  const lyrics = (fields.lyrics ?? '').replace(/\r\n?/g, '\n').trim();
  return lyrics ? `${head}\n\n${lyrics}\n` : `${head}\n`;
}

/** acestep_job_status: `{jobId?}`. */
export function checkJobStatusInput(input: unknown): InputCheck<{ jobId?: string }> {
  const o = asObject(input, ['jobId']);
  if (!o.ok) return o;
  const problems: string[] = [];
  const extra = unknownKeys(o.value, ['jobId']);
  if (extra.length) problems.push(`unknown key${extra.length === 1 ? '' : 's'} ${extra.map(k => `"${k}"`).join(', ')} (the only key is "jobId")`);
  const jobId = optionalString(o.value, 'jobId', problems);
  if (problems.length) return fail(joinProblems(problems));
  return { ok: true, value: jobId ? { jobId: jobId.trim() } : {} };
}

/** acestep_switch_mode: `{mode: "api" | "gradio"}`. */
export function checkSwitchModeInput(input: unknown): InputCheck<{ mode: ServerMode }> {
  const o = asObject(input, ['mode']);
  if (!o.ok) return o;
  const extra = unknownKeys(o.value, ['mode']);
  const raw = o.value.mode;
  const problems: string[] = [];
  if (extra.length) problems.push(`unknown key${extra.length === 1 ? '' : 's'} ${extra.map(k => `"${k}"`).join(', ')} (the only key is "mode")`);
  const mode = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
  if (mode !== 'api' && mode !== 'gradio') {
    problems.push(`"mode" must be "api" (the REST API on port ${WRAPPER_PORTS.api}, for generating from VS Code) or "gradio" (the web UI on port ${WRAPPER_PORTS.gradio})${raw === undefined ? '' : `, not ${JSON.stringify(raw)}`}`);
  }
  if (problems.length) return fail(joinProblems(problems));
  return { ok: true, value: { mode: mode as ServerMode } };
}

/** acestep_write_from_description: `{description, language?, instrumental?, duration?}`. */
export function checkDescribeInput(input: unknown): InputCheck<Description> {
  const keys = ['description', 'language', 'instrumental', 'duration'];
  const o = asObject(input, keys);
  if (!o.ok) return o;
  const problems: string[] = [];
  const extra = unknownKeys(o.value, keys);
  if (extra.length) problems.push(`unknown key${extra.length === 1 ? '' : 's'} ${extra.map(k => `"${k}"`).join(', ')} (the keys are ${keys.join(', ')})`);
  const description = optionalString(o.value, 'description', problems);
  if (!description) problems.push('"description" is required: the song in one sentence');
  else if (description.length > DESCRIPTION_MAX_CHARS) problems.push(`"description" is over ${DESCRIPTION_MAX_CHARS} characters: one sentence is enough`);
  const language = optionalString(o.value, 'language', problems)?.trim().toLowerCase();
  if (language && !LANGUAGES.includes(language)) problems.push(`"language" must be a language code such as en, nl, de, ja (not ${JSON.stringify(o.value.language)})`);
  const rawInstr = o.value.instrumental;
  const instrumental = rawInstr === true || rawInstr === 'true';
  if (rawInstr !== undefined && rawInstr !== null && typeof rawInstr !== 'boolean' && rawInstr !== 'true' && rawInstr !== 'false') problems.push('"instrumental" must be true or false');
  const rawDur = o.value.duration;
  const duration = rawDur === undefined || rawDur === null || rawDur === '' ? undefined : Number(rawDur);
  if (duration !== undefined && !(Number.isFinite(duration) && duration >= DESCRIBED_DURATION.min && duration <= DESCRIBED_DURATION.max)) {
    problems.push(`"duration" must be a number of seconds from ${DESCRIBED_DURATION.min} to ${DESCRIBED_DURATION.max}`);
  }
  if (problems.length) return fail(joinProblems(problems));
  return { ok: true, value: { description: description!.trim(), ...(language ? { language } : {}), ...(instrumental ? { instrumental } : {}), ...(duration !== undefined ? { duration } : {}) } };
}
