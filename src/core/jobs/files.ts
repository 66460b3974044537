// Output names and atomic writes. Local names come from the song title, the time and the take number,
// never from anything the server says (except the audio extension, checked against a short list).
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../util/fs-atomic';
import { AceStepError } from '../api/errors';
import { errorMessage } from '../util/error-message';

/** "Tempest of the Night!" → "tempest-of-the-night". */
export function slugify(title: string, maxLength = 60): string {
  const s = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
  return s || 'song';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-11-25_1432` in local time. */
export function stampOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}_${pad(d.getHours())}${pad(d.getMinutes())}`;
}

/** The prefix shared by the takes of one title and minute: `tempest-of-the-night_2026-11-25_1432_take`. */
export function takePrefix(title: string, ms: number): string {
  return `${slugify(title)}_${stampOf(ms)}_take`;
}

const SAFE_EXT = new Set(['mp3', 'wav', 'flac', 'ogg', 'opus', 'aac', 'm4a']);

export function safeExtension(ext: string | undefined, fallback = 'mp3'): string {
  const e = (ext ?? '').toLowerCase().replace(/^\./, '');
  return SAFE_EXT.has(e) ? e : fallback;
}

/**
 * Picks the next free take numbers in `dir` for a prefix: takes of later jobs in the same minute
 * continue the count (take3, take4…) instead of overwriting. `reserved` holds names handed out
 * but not yet on disk.
 */
export async function allocateTakeNumbers(dir: string, prefix: string, count: number, reserved: Set<string>): Promise<number[]> {
  let highest = 0;
  let names: string[] = [];
  try {
    names = await fsp.readdir(dir);
  } catch { /* a new folder */ }
  const re = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\d+)\\.`);
  for (const n of [...names, ...[...reserved].map(r => path.basename(r))]) {
    const m = re.exec(n);
    if (m) highest = Math.max(highest, Number(m[1]));
  }
  return Array.from({ length: count }, (_, i) => highest + 1 + i);
}

function diskError(what: string, e: unknown): AceStepError {
  return new AceStepError('disk', `${what}: ${errorMessage(e)}`, { cause: e });
}

/** Writes a file of a job (a sidecar) whole or not at all, creating its folder; failures are disk errors. */
export async function writeJobFile(file: string, data: string | Buffer): Promise<void> {
  try {
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, data);
  } catch (e) {
    throw diskError(`Cannot write ${file}`, e);
  }
}

export async function ensureDir(dir: string): Promise<void> {
  try {
    await fsp.mkdir(dir, { recursive: true });
  } catch (e) {
    throw diskError(`Cannot create the output folder ${dir}`, e);
  }
}
