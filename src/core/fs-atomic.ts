// A file written for the user is written whole or not at all: write a temporary file in the same folder,
// flush it, then rename it over the target. Readers see the old content or the new, never half of it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface WriteAtomicOptions {
  /** Mode for a file that does not exist yet (an existing file keeps its own). Default 0o666 minus umask. */
  mode?: number;
}

/** Follows symlinks so that a linked `.env` stays a link and its target gets the new content. */
async function realTarget(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch {
    return path.resolve(file);
  }
}

export async function writeFileAtomic(file: string, data: string | Uint8Array, options: WriteAtomicOptions = {}): Promise<void> {
  const target = await realTarget(file);
  let mode = options.mode;
  try {
    mode = (await fs.stat(target)).mode & 0o7777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'wx', mode ?? 0o666);
  try {
    try {
      await handle.writeFile(data);
      if (mode !== undefined) await handle.chmod(mode).catch(() => undefined); // the umask applied at open
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (e) {
    await fs.unlink(temp).catch(() => undefined);
    throw e;
  }
}
