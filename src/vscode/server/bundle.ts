// Server control, loaded on first use (dist/server.js; see src/vscode/lazy.ts): the ACE-Step Docker setup (one
// compose service `acestep`, ACESTEP_MODE in .env) driven from commands and a status bar item. It loads when a
// server command runs, when a .song editor is shown (the status bar's first check) or when generation asks the
// endpoint which mode would serve a URL. Its commands replace the stubs registered at activation (./index.ts).
import * as vscode from 'vscode';
import { isAcestepMode } from '../../core/server';
import type { JobSnapshot } from '../../core/jobs';
import { COMMANDS, INTERNAL_COMMANDS } from '../commands';
import { chooseComposeDirectory, openEnvFile, openGradio, pickMode, pickService, showServerLogs } from './commands';
import { ServerController, type ServerOpOptions } from './controller';
import type { ServerFacts } from './endpoint';
import type { ServerControlApi } from './index';
import { ComposeLocator } from './locate';
import { affectsServerSettings } from './settings';
import { createSetup, type CreateSetupArgs } from './setup-wizard';
import { registerServerStatusBar, showServerActions } from './status-bar';

export interface ServerControl {
  api: ServerControlApi;
  /** What the server endpoint asks. */
  facts: ServerFacts;
  /** Checks the server now, and from then on whenever it may have changed: a .song editor was shown. */
  wake(): void;
}

export interface ServerControlDeps {
  /** The generation jobs (a recreate would end those running on the server). */
  jobs: () => readonly JobSnapshot[];
  log: vscode.LogOutputChannel;
}

function opOptions(v: unknown): ServerOpOptions {
  return v && typeof v === 'object' ? (v as ServerOpOptions) : {};
}

export function loadServerControl(context: vscode.ExtensionContext, deps: ServerControlDeps): ServerControl {
  const { log } = deps;
  const locator = new ComposeLocator(context.workspaceState);
  const controller = new ServerController(locator, log, deps.jobs);
  const statusBar = registerServerStatusBar(context, controller);

  // Lazy status: nothing until a .song editor is shown or a server command runs; afterwards the cached check
  // is refreshed when it may have changed (editor switch, window focus, settings).
  let awake = false;
  const wake = (): void => { awake = true; void controller.check(); };

  /** Every command wakes the status bar. */
  const command = <A extends unknown[], R>(id: string, run: (...args: A) => R) =>
    vscode.commands.registerCommand(id, (...args: A) => { awake = true; return run(...args); });

  context.subscriptions.push(
    controller,
    vscode.window.onDidChangeWindowState(s => { if (s.focused && awake) void controller.check(); }),
    vscode.workspace.onDidChangeConfiguration(e => {
      if (!affectsServerSettings(e)) return;
      controller.reset();
      if (awake) void controller.check();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => { controller.reset(); if (awake) void controller.check(); }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => { controller.reset(); if (awake) void controller.check(); }),

    // In a setup with one service per GPU, each command acts on one service: the one named, else the one picked.
    command(COMMANDS.switchMode, async (mode?: unknown, options?: unknown) => {
      const o = opOptions(options);
      const s = await pickService(controller, o.service);
      if (!s) return undefined;
      if (isAcestepMode(mode)) return controller.switchMode(mode, { ...o, ...s });
      const picked = await pickMode(controller, log, s.service);
      return picked ? controller.switchMode(picked, { confirm: controller.runningJobs() > 0, ...s }) : undefined;
    }),
    command(COMMANDS.startServer, async (options?: unknown) => {
      const s = await pickService(controller, opOptions(options).service);
      return s ? controller.start({ ...opOptions(options), ...s }) : undefined;
    }),
    command(COMMANDS.stopServer, async (options?: unknown) => {
      const s = await pickService(controller, opOptions(options).service);
      return s ? controller.stop({ ...opOptions(options), ...s }) : undefined;
    }),
    command(COMMANDS.restartServer, async (options?: unknown) => {
      const s = await pickService(controller, opOptions(options).service);
      if (!s) return undefined;
      return controller.restart(options && typeof options === 'object' ? { ...opOptions(options), ...s } : { confirm: controller.runningJobs() > 0, ...s });
    }),
    command(COMMANDS.cancelServerWait, () => controller.cancel()),
    command(COMMANDS.showServerLogs, async (options?: unknown) => {
      const s = await pickService(controller, opOptions(options).service);
      return s ? showServerLogs(controller, s.service) : undefined;
    }),
    command(COMMANDS.openGradio, () => openGradio(controller)),
    command(COMMANDS.openEnvFile, (args?: unknown) => openEnvFile(controller, log, opOptions(args) as { create?: boolean })),
    command(COMMANDS.createDockerSetup, (args?: unknown) => createSetup(controller, locator, args && typeof args === 'object' ? (args as CreateSetupArgs) : undefined)),
    command(COMMANDS.chooseComposeDirectory, (dir?: unknown) => chooseComposeDirectory(controller, locator, typeof dir === 'string' ? dir : undefined)),
    command(COMMANDS.serverActions, () => showServerActions(controller)),
    command(INTERNAL_COMMANDS.refreshServerStatus, () => controller.refresh()),
  );

  const facts: ServerFacts = {
    docker: () => controller.known(),
    modeServing: url => controller.modeServing(url),
    handOff: url => controller.handOff(url),
  };
  const api: ServerControlApi = {
    statusText: () => statusBar.text(),
    statusTooltip: () => statusBar.tooltip(),
    refresh: () => { awake = true; return controller.refresh(); },
    composeDir: () => controller.composeDir(),
    serverUrl: () => controller.serverUrl(),
    lastMessage: () => controller.lastMessage,
    busy: () => controller.operation()?.title,
  };
  return { api, facts, wake };
}
