// The .song a server's LM wrote from a description (sample mode): the caption, lyrics and metadata a result
// item carries become frontmatter and body, the sentence stays as a comment, and the linter's safe fixes are
// applied so the file is clean or says what is left. Server text is data: values go through the YAML writer
// (setFrontmatterValues), the lyrics through the body repairs, comments through stripControl. No vscode import.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ResultItem } from '../api/types';
import type { Description } from '../jobs/describe-song';
import { msg } from '../l10n';
import { analyzeSong, normaliseKeyName, normaliseTimeSignature, setFrontmatterValues, type SongDiagnostic } from '../song';
import { LANGUAGE_NAMES, LANGUAGES } from '../song/schema';
import { moveNoReplace, writeFileAtomic } from '../util/fs-atomic';
import { stripControl } from '../util/server-text';
import { repairBody } from './repair-body';
import { autofixSong } from './validate';

export interface SampleSong {
  text: string;
  /** The linter's fixes applied to the LM's answer. */
  applied: string[];
  /** What the linter still finds (warnings; errors are not expected). */
  remaining: SongDiagnostic[];
  /** What the user should know: the LM's answer was missing, or it chose another length than asked. */
  notes: string[];
}

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

const instrumentalAsked = (d: Description) => !!d.instrumental || /\binstrumental\b/i.test(d.description);

/** The language the sentence names ("… in English …"), the way the server reads it for its LM; else undefined. */
export function namedLanguage(description: string): string | undefined {
  const words = new Set(description.toLowerCase().split(/[^\p{L}]+/u));
  return Object.entries(LANGUAGE_NAMES).find(([, name]) => words.has(name.toLowerCase()))?.[0];
}

/** A comment line: one line, no control characters, not too long. */
function commentLine(s: string): string {
  const one = stripControl(s).replace(/\s+/g, ' ').trim();
  return one.length > 400 ? `${one.slice(0, 399)}…` : one;
}

/**
 * The song text from the first result item of a sample-mode job. An item without the LM's caption (a server
 * that does not return it, like the Gradio-mounted API) gives a song whose caption is the description itself.
 */
export function songFromSample(d: Description, title: string, item: ResultItem | undefined): SampleSong {
  const notes: string[] = [];
  const caption = commentLine(item?.prompt ?? '');
  const lyrics = stripControl(item?.lyrics ?? '').replace(/\r\n?/g, '\n').trim();
  const metas = item?.metas ?? {};
  const rawMetas = (item?.raw?.metas ?? {}) as Record<string, unknown>;
  if (!caption) notes.push(msg('The server did not say what its LM wrote; the caption is your description. Edit it and generate again.'));

  const values: Record<string, string | number | boolean> = { title, caption: caption || commentLine(d.description) };
  const duration = num(metas.duration);
  if (duration !== undefined && duration > 0) values.duration = Math.round(duration);
  else if (d.duration !== undefined) values.duration = Math.round(d.duration);
  if (d.duration !== undefined && duration !== undefined && Math.abs(duration - d.duration) >= 5) {
    notes.push(msg('The server\'s LM chose {0} s (you asked for {1} s); the song says {0}: change duration and generate again.', Math.round(duration), Math.round(d.duration)));
  }
  const bpm = num(metas.bpm);
  if (bpm !== undefined) values.bpm = Math.round(bpm);
  const key = typeof metas.keyscale === 'string' ? normaliseKeyName(metas.keyscale) : undefined;
  if (key) values.key = key;
  const ts = metas.timesignature !== undefined && metas.timesignature !== null ? normaliseTimeSignature(String(metas.timesignature)) : undefined;
  if (ts) values.time_signature = ts;
  const lmLanguage = typeof rawMetas.language === 'string' ? rawMetas.language : typeof rawMetas.vocal_language === 'string' ? rawMetas.vocal_language : undefined;
  const language = d.language ?? (lmLanguage && LANGUAGES.includes(lmLanguage) ? lmLanguage : undefined) ?? (instrumentalAsked(d) ? undefined : namedLanguage(d.description));
  if (language) values.language = language;
  const instrumental = d.instrumental || /^\s*\[instrumental\]\s*$/i.test(lyrics) || (!!caption && !lyrics);
  if (instrumental) values.instrumental = true;
  values.thinking = true;

  const body = instrumental ? [] : repairBody(lyrics.split('\n'), []);
  const head = [`# ${msg('Written by the ACE-Step server\'s LM from the description:')}`, `# "${commentLine(d.description)}"`];
  const start = `---\n---\n${head.join('\n')}\n\n${body.join('\n')}${body.length ? '\n' : ''}`;
  const withValues = setFrontmatterValues(start, values as never);
  const { text, applied } = autofixSong(withValues);
  const remaining = analyzeSong(text, { disabled: ['file-not-found'] }).diagnostics;
  return { text, applied, remaining, notes };
}

/**
 * Writes the new .song whole, never over a file that is there (EEXIST then, for the caller to word): a temp file
 * in the same folder, then a move that does not replace.
 */
export async function writeNewSong(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFileAtomic(temp, text);
    await moveNoReplace(temp, file);
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/** The song from a sample-mode item, written to `file` (never over a file); `error` says why it was not written. */
export async function writeSampleSong(d: Description, title: string, item: ResultItem, file: string): Promise<SampleSong & { error?: unknown }> {
  const song = songFromSample(d, title, item);
  try {
    await writeNewSong(file, song.text);
    return song;
  } catch (error) {
    return { ...song, error };
  }
}
