// The player at activation: its commands as stubs and the custom editor for audio files ("Open With… ACE-Step
// Player"), which VS Code needs registered from the start; the player itself (./bundle, dist/player.js) loads
// when a command or the editor first needs it.
import * as vscode from 'vscode';
import { COMMANDS } from '../commands';

export type { PlayerHost } from './panel';

/** The commands the player registers when it loads (stubs until then). */
export const PLAYER_COMMANDS: readonly string[] = [COMMANDS.openTakes, COMMANDS.openPlayer];

const AUDIO_EDITOR = 'acestep.player.audio';

export function registerPlayerEditor(context: vscode.ExtensionContext, provider: () => vscode.CustomReadonlyEditorProvider): void {
  context.subscriptions.push(vscode.window.registerCustomEditorProvider(AUDIO_EDITOR, {
    openCustomDocument: (uri, openContext, token) => provider().openCustomDocument(uri, openContext, token),
    resolveCustomEditor: (document, panel, token) => provider().resolveCustomEditor(document, panel, token),
  }, { webviewOptions: { retainContextWhenHidden: true } }));
}
