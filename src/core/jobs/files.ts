// Output names and atomic writes. Local names come from the song title, the time and the take number,
// never from anything the server says (except the audio extension, checked against a short list).
import { closeSync, openSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { moveNoReplace, writeFileAtomic } from '../util/fs-atomic';
import { trackTemp, untrackTemp } from '../util/temp-files';
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

/** The take number of a file of this prefix (`<prefix>3.mp3`, `<prefix>3.json.part`), if it is one. */
function numberIn(prefix: string, name: string): number | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const m = /^(\d+)\./.exec(name.slice(prefix.length));
  return m ? Number(m[1]) : undefined;
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
  } catch {
    return []; // a new folder
  }
}

/** A take number this run holds: its claim is the sidecar's temp file, `<prefix>N.json.part`. */
export interface TakeClaim {
  number: number;
  /** Created exclusively; becomes the sidecar (publishClaim) or is removed (releaseClaim). */
  file: string;
}

const MAX_CLAIM_TRIES = 10_000;

/**
 * Claims a free take number in `dir` for a prefix, so that runs writing into one folder at once (two CLI runs,
 * the editor and the CLI) never share a name: `preferred` first (a retried take keeps its number when it is
 * still free), else the number after the highest in use. A number is claimed by creating its claim file
 * exclusively; when another run holds it, or a run that held it left files behind, the next number is tried.
 * Later jobs in the same minute thus continue the count (take3, take4…) instead of overwriting.
 */
export async function claimTakeNumber(dir: string, prefix: string, preferred?: number): Promise<TakeClaim> {
  let names = await namesIn(dir);
  const used = (list: string[]) => new Set(list.map(n => numberIn(prefix, n)).filter((n): n is number => n !== undefined));
  let taken = used(names);
  let n = preferred !== undefined && !taken.has(preferred) ? preferred : Math.max(0, ...taken) + 1;
  for (let tries = 0; tries < MAX_CLAIM_TRIES; tries++) {
    if (taken.has(n)) { n = Math.max(n + 1, Math.max(0, ...taken) + 1); continue; }
    const file = path.join(dir, `${prefix}${n}.json.part`);
    try {
      // Created and registered in one synchronous step, so a signal handler never misses it.
      closeSync(openSync(file, 'wx'));
      trackTemp(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw diskError(`Cannot claim a take name in ${dir}`, e);
      taken.add(n);
      continue;
    }
    // A run that held this number may have finished between our look and our claim: its files are there now.
    names = await namesIn(dir);
    if (!names.some(x => x !== path.basename(file) && numberIn(prefix, x) === n)) return { number: n, file };
    await fsp.rm(file, { force: true }).catch(() => undefined);
    untrackTemp(file);
    taken = used(names);
  }
  throw new AceStepError('disk', `Cannot claim a take name in ${dir}: ${MAX_CLAIM_TRIES} names tried.`);
}

/** Gives a claimed number back (the take was not downloaded). */
export async function releaseClaim(claim: TakeClaim): Promise<void> {
  await fsp.rm(claim.file, { force: true }).catch(() => undefined);
  untrackTemp(claim.file);
}

/** Writes the take's sidecar through its claim file and publishes it under `sidecar`; the claim ends there. */
export async function publishClaim(claim: TakeClaim, sidecar: string, data: string): Promise<void> {
  try {
    const fh = await fsp.open(claim.file, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await moveNoReplace(claim.file, sidecar);
    untrackTemp(claim.file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw diskError(`${sidecar} already exists: not replaced`, e);
    throw diskError(`Cannot write ${sidecar}`, e);
  }
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
