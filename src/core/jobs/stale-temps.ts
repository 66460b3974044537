// Temporary files a run of a song left behind when it was killed (a take's `.part`, a sidecar's atomic-write
// `.tmp`): a later run of the same song removes them. Only ours: the name must be one this code makes for
// this song's takes (title slug, time stamp, take number), and the file must be older than any live download
// can leave it untouched (a download that stalls that long has given up), so a run in progress keeps its own.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { slugify } from './files';

/** A temporary file untouched this long belongs to no live download (the idle timeout is one minute). */
export const STALE_TEMP_MS = 5 * 60_000;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `name` is one of our temporary names for a take (or its sidecar) of the song titled `title`. */
export function isTempOfSong(name: string, title: string): boolean {
  const take = `${escape(slugify(title))}_\\d{4}-\\d{2}-\\d{2}_\\d{4}_take\\d+`;
  return new RegExp(`^${take}\\.[a-z0-9]{2,5}\\.part$`).test(name)
    || new RegExp(`^\\.${take}\\.(json|[a-z0-9]{2,5})\\.\\d+\\.[0-9a-f]{8}\\.tmp$`).test(name);
}

/** Removes the stale temporary files of a song's takes in `dir`; returns the names removed. */
export async function removeStaleTemps(dir: string, title: string, now = Date.now(), staleMs = STALE_TEMP_MS): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names.filter(n => isTempOfSong(n, title))) {
    const file = path.join(dir, name);
    try {
      const st = await fsp.lstat(file);
      if (!st.isFile() || now - st.mtimeMs < staleMs) continue;
      await fsp.rm(file);
      removed.push(name);
    } catch { /* gone meanwhile, or not ours to remove */ }
  }
  return removed;
}
