// Temporary files of this process (a take's `.part`, an atomic write's `.tmp`): registered while they exist, so
// that whatever ends the process (a second Ctrl-C, a signal, an exit) can remove them at once, synchronously.
import { rmSync } from 'node:fs';

const live = new Set<string>();

/** A temporary file that exists (or is about to) until `untrackTemp`. */
export function trackTemp(file: string): void {
  live.add(file);
}

/** The file was renamed into place or removed. */
export function untrackTemp(file: string): void {
  live.delete(file);
}

/** Removes every temporary file still registered (for exit paths that cannot wait). */
export function removeLiveTempFilesSync(): void {
  for (const f of live) {
    try { rmSync(f, { force: true }); } catch { /* nothing more can be done while exiting */ }
  }
  live.clear();
}
