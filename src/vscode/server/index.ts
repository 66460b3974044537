// Server control at activation: only its command stubs and the watch for the first .song editor, which wakes the
// status bar. Server control itself (./bundle, dist/server.js) loads on first use; nothing here runs docker.
import * as vscode from 'vscode';
import { COMMANDS, INTERNAL_COMMANDS } from '../commands';
import { isSong } from '../song/analyzer';
import type { ServerSnapshot } from './types';

export type { ServerOpOptions, ServerSnapshot } from './types';
export type { ServerResult, StopResult, ServerProblem } from './problems';

/** The commands server control registers when it loads (stubs until then). */
export const SERVER_COMMANDS: readonly string[] = [
  COMMANDS.switchMode, COMMANDS.startServer, COMMANDS.stopServer, COMMANDS.restartServer, COMMANDS.showServerLogs,
  COMMANDS.openGradio, COMMANDS.openEnvFile, COMMANDS.createDockerSetup, COMMANDS.chooseComposeDirectory,
  COMMANDS.serverActions, COMMANDS.cancelServerWait, INTERNAL_COMMANDS.refreshServerStatus,
];

export interface ServerControlApi {
  /** What the status bar item shows. */
  statusText(): string;
  /** The status bar item's tooltip (the setup, the mode, and which URL generation uses and why). */
  statusTooltip(): string;
  /** Checks the server now (not from the cache). */
  refresh(): Promise<ServerSnapshot>;
  /** The Docker setup folder in use, once known. */
  composeDir(): string | undefined;
  /** The URL generation uses from server control (the running or configured mode's); undefined: the settings. */
  serverUrl(): string | undefined;
  /** The last result or problem text shown to the user. */
  lastMessage(): string | undefined;
  /** The operation under way (title), if any. */
  busy(): string | undefined;
}

/**
 * The status bar's first check: when a .song editor is shown (now, or within 1.5 s of start-up), server control
 * loads and checks the server; it watches for changes itself from then on.
 */
export function registerServerWake(context: vscode.ExtensionContext, wake: () => void): void {
  const onEditor = (editor: vscode.TextEditor | undefined): void => { if (isSong(editor?.document)) wake(); };
  const startup = setTimeout(() => { if (vscode.window.visibleTextEditors.some(e => isSong(e.document))) wake(); }, 1500);
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(onEditor), { dispose: () => clearTimeout(startup) });
}
