// Server control in VS Code: the ACE-Step Docker setup (one compose service `acestep`, ACESTEP_MODE in .env)
// driven from commands and a status bar item, and generation pointed at the mode that really runs.
// Nothing here runs during activation: the first check happens when a .song editor is shown or a server
// command runs.
import * as vscode from 'vscode';
import { isAcestepMode } from '../../core/server';
import type { GenerationService } from '../generate';
import { isSong } from '../song/analyzer';
import { chooseComposeDirectory, openEnvFile, openGradio, pickMode, showServerLogs } from './commands';
import { ServerController, type ServerOpOptions, type ServerSnapshot } from './controller';
import { ComposeLocator } from './locate';
import { affectsServerSettings } from './settings';
import { createSetup, type CreateSetupArgs } from './setup-wizard';
import { registerServerStatusBar, showServerActions, SERVER_ACTIONS_COMMAND } from './status-bar';

export type { ServerOpOptions, ServerSnapshot } from './controller';
export type { ServerResult, StopResult, ServerProblem } from './problems';

export const SERVER_COMMANDS = {
  switchMode: 'acestep.switchMode',
  start: 'acestep.startServer',
  stop: 'acestep.stopServer',
  restart: 'acestep.restartServer',
  logs: 'acestep.showServerLogs',
  openGradio: 'acestep.openGradio',
  openEnv: 'acestep.openEnvFile',
  createSetup: 'acestep.createDockerSetup',
  chooseFolder: 'acestep.chooseComposeDirectory',
  actions: SERVER_ACTIONS_COMMAND,
  cancel: 'acestep.cancelServerWait',
  /** Internal: the status, checked now. */
  refresh: 'acestep.refreshServerStatus',
  /** Internal, for Generate Song: the mode whose port a URL is, when .env selects the other one. */
  modeServing: 'acestep.server.modeServing',
} as const;

export interface ServerControlApi {
  /** What the status bar item shows. */
  statusText(): string;
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

function opOptions(v: unknown): ServerOpOptions {
  return v && typeof v === 'object' ? (v as ServerOpOptions) : {};
}

export function registerServerControl(context: vscode.ExtensionContext, deps: { generation: GenerationService; log: vscode.LogOutputChannel }): ServerControlApi {
  const { generation, log } = deps;
  const locator = new ComposeLocator(context.workspaceState);
  const controller = new ServerController(locator, log, generation);
  generation.setServerUrlProvider(() => controller.serverUrl());
  const statusBar = registerServerStatusBar(context, controller);

  // Lazy status: nothing until a .song editor is shown or a server command runs; afterwards the cached check
  // is refreshed when it may have changed (editor switch, window focus, settings).
  let awake = false;
  const wake = (): void => { awake = true; void controller.check(); };
  const onEditor = (editor: vscode.TextEditor | undefined): void => { if (isSong(editor?.document)) wake(); };
  const startup = setTimeout(() => { if (vscode.window.visibleTextEditors.some(e => isSong(e.document))) wake(); }, 1500);

  /** Every command wakes the status bar. */
  const command = <A extends unknown[], R>(id: string, run: (...args: A) => R) =>
    vscode.commands.registerCommand(id, (...args: A) => { awake = true; return run(...args); });

  context.subscriptions.push(
    controller,
    { dispose: () => clearTimeout(startup) },
    vscode.window.onDidChangeActiveTextEditor(onEditor),
    vscode.window.onDidChangeWindowState(s => { if (s.focused && awake) void controller.check(); }),
    vscode.workspace.onDidChangeConfiguration(e => {
      if (!affectsServerSettings(e)) return;
      controller.reset();
      if (awake) void controller.check();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => { controller.reset(); if (awake) void controller.check(); }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => { controller.reset(); if (awake) void controller.check(); }),

    command(SERVER_COMMANDS.switchMode, async (mode?: unknown, options?: unknown) => {
      if (isAcestepMode(mode)) return controller.switchMode(mode, opOptions(options));
      const picked = await pickMode(controller, log);
      return picked ? controller.switchMode(picked, { confirm: controller.runningJobs() > 0 }) : undefined;
    }),
    command(SERVER_COMMANDS.start, (options?: unknown) => controller.start(opOptions(options))),
    command(SERVER_COMMANDS.stop, (options?: unknown) => controller.stop(opOptions(options))),
    command(SERVER_COMMANDS.restart, (options?: unknown) =>
      controller.restart(options && typeof options === 'object' ? opOptions(options) : { confirm: controller.runningJobs() > 0 })),
    command(SERVER_COMMANDS.cancel, () => controller.cancel()),
    command(SERVER_COMMANDS.logs, () => showServerLogs(controller)),
    command(SERVER_COMMANDS.openGradio, () => openGradio(controller)),
    command(SERVER_COMMANDS.openEnv, (args?: unknown) => openEnvFile(controller, log, opOptions(args) as { create?: boolean })),
    command(SERVER_COMMANDS.createSetup, (args?: unknown) => createSetup(controller, locator, args && typeof args === 'object' ? (args as CreateSetupArgs) : undefined)),
    command(SERVER_COMMANDS.chooseFolder, (dir?: unknown) => chooseComposeDirectory(controller, locator, typeof dir === 'string' ? dir : undefined)),
    command(SERVER_COMMANDS.actions, () => showServerActions(controller)),
    command(SERVER_COMMANDS.refresh, () => controller.refresh()),
    vscode.commands.registerCommand(SERVER_COMMANDS.modeServing, (url?: unknown) =>
      (typeof url === 'string' ? controller.modeServing(url).catch(() => undefined) : undefined)),
  );

  return {
    statusText: () => statusBar.text(),
    refresh: () => { awake = true; return controller.refresh(); },
    composeDir: () => controller.composeDir(),
    serverUrl: () => controller.serverUrl(),
    lastMessage: () => controller.lastMessage,
    busy: () => controller.operation()?.title,
  };
}
