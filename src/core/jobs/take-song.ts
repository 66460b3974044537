// Which song made a take, when all we have is the sidecar beside an audio file. A sidecar is just a file:
// anyone can write one naming any song. It is believed only when it names the song that produced the take:
// a song inside the workspace whose output folder (as `planJob` computes it with the current setting) is the
// folder the take sits in. Otherwise the player asks which song gets the settings.
import * as path from 'node:path';
import { outputDirFor } from './plan';

export interface TakeSongInput {
  /** The audio file (absolute). */
  takeFile: string;
  /** The song the sidecar names, as written there. */
  claimed: string | undefined;
  /** The workspace folders (absolute). */
  workspaceFolders: readonly string[];
  /** `acestep.outputDirectory` as set now (empty: the default). */
  outputTemplate: string;
  /** The folder that ${workspaceFolder} stands for (the first workspace folder, as for generation). */
  workspaceFolder?: string;
}

export type TakeSong =
  | { trusted: true; songPath: string }
  | { trusted: false; reason: 'none' | 'not-absolute' | 'outside-workspace' | 'other-folder'; claimed?: string };

const inside = (dir: string, file: string) => {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

const samePath = (a: string, b: string) => path.relative(path.resolve(a), path.resolve(b)) === '';

export function takeSong(input: TakeSongInput): TakeSong {
  const claimed = input.claimed?.trim();
  if (!claimed) return { trusted: false, reason: 'none' };
  if (!path.isAbsolute(claimed)) return { trusted: false, reason: 'not-absolute', claimed };
  const songPath = path.resolve(claimed);
  if (!/\.song$/i.test(songPath) || !input.workspaceFolders.some(f => inside(path.resolve(f), songPath))) {
    return { trusted: false, reason: 'outside-workspace', claimed };
  }
  const expected = outputDirFor(input.outputTemplate, {
    songPath, title: path.basename(songPath, path.extname(songPath)),
    ...(input.workspaceFolder ? { workspaceFolder: input.workspaceFolder } : {}),
  });
  if (!samePath(expected, path.dirname(input.takeFile))) return { trusted: false, reason: 'other-folder', claimed };
  return { trusted: true, songPath };
}
