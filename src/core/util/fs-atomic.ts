// A file written for the user is written whole or not at all: write a temporary file in the same folder,
// flush it, then rename it over the target. Readers see the old content or the new, never half of it.
//
// The rename gives the path a new file, so what made the old one the user's is checked first: a link is
// followed to the file it names (and that file is written), a dangling link, a read-only file or a file with
// several hard links is refused (writing would replace the link, ignore the protection or split the names),
// and the new file keeps the old one's mode, owner and group (refused when they cannot be kept).
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { trackTemp, untrackTemp } from './temp-files';

export interface WriteAtomicOptions {
  /** Mode for a file that does not exist yet (an existing file keeps its own). Default 0o666 minus umask. */
  mode?: number;
}

/** A write refused to keep the user's file as it is; the message says why and what to do. */
export class UnsafeWriteError extends Error {
  constructor(message: string, readonly file: string) {
    super(message);
    this.name = 'UnsafeWriteError';
  }
}

/** The file a write to `file` must change: links followed; a link to nothing is refused. */
async function realTarget(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const abs = path.resolve(file);
  const link = await fs.lstat(abs).catch(() => undefined);
  if (link?.isSymbolicLink()) {
    const to = await fs.readlink(abs).catch(() => '?');
    throw new UnsafeWriteError(`${path.basename(abs)} is a link to ${to}, which does not exist: not written (fix or remove the link).`, abs);
  }
  return abs;
}

export async function writeFileAtomic(file: string, data: string | Uint8Array, options: WriteAtomicOptions = {}): Promise<void> {
  const target = await realTarget(file);
  let mode = options.mode;
  let owner: { uid: number; gid: number } | undefined;
  try {
    const st = await fs.stat(target);
    mode = st.mode & 0o7777;
    if ((mode & 0o222) === 0) {
      throw new UnsafeWriteError(`${path.basename(target)} is read-only: not changed (make it writable, or edit it by hand).`, target);
    }
    if (st.nlink > 1) {
      throw new UnsafeWriteError(`${path.basename(target)} has ${st.nlink} hard links: replacing it would leave the other names with the old content, so it is not changed (edit it by hand, or use a symbolic link).`, target);
    }
    const uid = process.getuid?.();
    const gid = process.getgid?.();
    if ((uid !== undefined && st.uid !== uid) || (gid !== undefined && st.gid !== gid)) owner = { uid: st.uid, gid: st.gid };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  trackTemp(temp);
  const handle = await fs.open(temp, 'wx', mode ?? 0o666).catch(e => { untrackTemp(temp); throw e; });
  try {
    try {
      await handle.writeFile(data);
      if (mode !== undefined) await handle.chmod(mode).catch(() => undefined); // the umask applied at open
      if (owner) {
        await handle.chown(owner.uid, owner.gid).catch(() => {
          throw new UnsafeWriteError(`${path.basename(target)} belongs to another user: replacing it would make it yours, so it is not changed (edit it as its owner).`, target);
        });
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (e) {
    await fs.unlink(temp).catch(() => undefined);
    throw e;
  } finally {
    untrackTemp(temp);
  }
}

/** Link errors that mean "this file system has no hard links", not "this name is taken". */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Moves a finished temp file to its name without ever replacing a file there (rename would): a hard link,
 * which fails with EEXIST when the name is taken, or where links are not supported an exclusive copy (same
 * EEXIST); then the temp file goes. The caller turns EEXIST into its own words.
 */
export async function moveNoReplace(temp: string, dest: string): Promise<void> {
  try {
    await fs.link(temp, dest);
  } catch (e) {
    if (!NO_LINKS.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
    await fs.copyFile(temp, dest, fsConstants.COPYFILE_EXCL);
  }
  await fs.rm(temp, { force: true });
}
