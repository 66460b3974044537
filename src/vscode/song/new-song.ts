// "ACE-Step: New Song": pick a skeleton, get an untitled .song editor with it.
import * as vscode from 'vscode';
import { SKELETONS } from '../../core/song/skeletons';
import { SONG_LANGUAGE } from './analyzer';
import { COMMANDS } from '../commands';

export async function openNewSong(content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: SONG_LANGUAGE, content });
  return vscode.window.showTextDocument(doc);
}

export function registerNewSong(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand(COMMANDS.newSong, async (skeletonId?: string) => {
    let skeleton = SKELETONS.find(s => s.id === skeletonId);
    if (!skeleton) {
      const pick = await vscode.window.showQuickPick(SKELETONS.map(s => ({ label: s.label, description: s.description, skeleton: s })), {
        title: vscode.l10n.t('New Song'), placeHolder: vscode.l10n.t('Start from a skeleton'),
      });
      if (!pick) return undefined;
      skeleton = pick.skeleton;
    }
    return openNewSong(skeleton.text);
  }));
}
