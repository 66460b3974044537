// The player, loaded on first use (dist/player.js; see src/vscode/lazy.ts): the webview host, its commands and
// the custom editor's provider (registered at activation by ./index.ts, which hands documents on to it).
import type * as vscode from 'vscode';
import type { GenerationService } from '../generate/service';
import { PlayerHost, registerPlayer } from './panel';

export interface Player {
  host: PlayerHost;
  customEditor: vscode.CustomReadonlyEditorProvider;
}

export function loadPlayer(context: vscode.ExtensionContext, generation: GenerationService, log: vscode.LogOutputChannel): Player {
  const host = registerPlayer(context, generation, log);
  return { host, customEditor: host.customEditor() };
}
