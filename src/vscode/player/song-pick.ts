// "Use These Settings" and "Regenerate" on a take whose song is not known for sure (no sidecar song, or one
// that did not make the take: see src/core/jobs/take-song.ts): the user picks the song, or starts a new one.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SongCheck, TakeSource } from './views';
import { generationSettings } from '../settings';

/** What `takeSong` checks against: the workspace folders and the output setting as they are now. */
export const songCheck: SongCheck = claimed => {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter(f => f.uri.scheme === 'file').map(f => f.uri.fsPath);
  const scope = claimed && path.isAbsolute(claimed) ? vscode.Uri.file(claimed) : undefined;
  return { workspaceFolders: folders, outputTemplate: generationSettings(scope).outputDirectory, ...(folders[0] ? { workspaceFolder: folders[0] } : {}) };
};

/** The song the user picks for `take` (a `.song` of the workspace), `'new'` for a new song, undefined when dismissed. */
export async function pickSongFor(take: TakeSource): Promise<vscode.Uri | 'new' | undefined> {
  const name = path.basename(take.file);
  const why = take.claimedSong
    ? vscode.l10n.t('The sidecar of {0} names {1}, but that song did not make this take (it is outside the workspace, or the take is not in its output folder).', name, take.claimedSong)
    : vscode.l10n.t('No song is known for {0}.', name);
  const files = await vscode.workspace.findFiles('**/*.song', '**/node_modules/**', 500);
  type Item = vscode.QuickPickItem & { pick: vscode.Uri | 'new' };
  const items: Item[] = [
    { label: `$(new-file) ${vscode.l10n.t('New Song with These Settings')}`, pick: 'new' },
    ...files.sort((a, b) => a.fsPath.localeCompare(b.fsPath)).map((uri): Item => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), pick: uri })),
  ];
  const choice = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Which song gets the settings of {0}?', name), placeHolder: why, ignoreFocusOut: true });
  return choice?.pick;
}
