// The server commands that are more than one controller call: the mode pick, the log terminal, the Gradio UI,
// the .env file and the choice of setup folder.
import { constants as fsConstants, existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { composeLogsArgv, modeLabel, readConfiguredMode, serverUrlForMode, setupServices, type AcestepMode } from '../../core/server';
import { generationSettings } from '../settings';
import type { ServerController } from './controller';
import type { ComposeLocator } from './locate';
import { showProblem } from './problems';
import { stateName } from './status-bar';
import { COMPOSE_DIR_SETTING, configuredComposeDir, settingValueFor, updateServerSetting } from './settings';
import { COMMANDS } from '../commands';
import { errorMessage } from '../../core/util/error-message';

/** The log terminal's name (looked up again to replace an old one). */
export function logTerminalName(): string {
  return vscode.l10n.t('ACE-Step Server Log');
}

/**
 * The service a command acts on in a setup with one service per GPU: the one given, else a quick pick of them
 * (each with its mode and state). `{}` for a setup with one service; undefined when the user leaves the pick.
 */
export async function pickService(c: ServerController, given?: string): Promise<{ service?: string } | undefined> {
  if (given) return { service: given };
  const dir = await c.setupFolder(true);
  if (typeof dir !== 'string') return {};
  const services = await setupServices(dir);
  if (services.length < 2) return {};
  const known = c.snapshot()?.services;
  const items = await Promise.all(services.map(async service => {
    const st = known?.find(k => k.service === service)?.status.state;
    const mode = st?.runningMode ?? await readConfiguredMode(dir, service).catch((): AcestepMode => 'gradio');
    return { label: `$(server) ${service}`, description: [vscode.l10n.t('{0} mode', modeLabel(mode)), st ? stateName(st.state) : '', st?.url ?? ''].filter(Boolean).join(' · '), service };
  }));
  const choice = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('ACE-Step: Which server (one per GPU)?'), ignoreFocusOut: true });
  return choice ? { service: choice.service } : undefined;
}

/** The interactive "Switch Server Mode": the .env mode and the running mode, then the choice. */
export async function pickMode(c: ServerController, log: vscode.LogOutputChannel, service?: string): Promise<AcestepMode | undefined> {
  const dir = await c.setupFolder(true);
  if (typeof dir !== 'string') {
    showProblem(vscode.l10n.t('Switch Server Mode'), dir.problem, { log });
    return undefined;
  }
  type Item = vscode.QuickPickItem & { mode: AcestepMode };
  const configured = await readConfiguredMode(dir, service).catch((): AcestepMode => 'gradio');
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = service ? vscode.l10n.t('ACE-Step: Switch Server Mode of {0}', service) : vscode.l10n.t('ACE-Step: Switch Server Mode');
  qp.placeholder = vscode.l10n.t('.env: {0} mode · checking what runs…', modeLabel(configured));
  qp.busy = true;
  qp.ignoreFocusOut = true;
  const build = (ports: { api?: number; gradio?: number } = {}, running?: AcestepMode): Item[] => (['api', 'gradio'] as const).map(mode => {
    const port = mode === 'api' ? ports.api : ports.gradio;
    const tags = [port !== undefined ? `:${port}` : '', mode === running ? `$(check) ${vscode.l10n.t('running')}` : '', mode === configured ? vscode.l10n.t('in .env') : ''].filter(Boolean);
    return mode === 'api'
      ? { mode, label: `$(plug) ${vscode.l10n.t('API mode')}`, description: tags.join(' · '), detail: vscode.l10n.t('The standalone REST API: the better fit for VS Code, scripts and AI assistants (container port 8001).') }
      : { mode, label: `$(globe) ${vscode.l10n.t('Gradio mode')}`, description: tags.join(' · '), detail: vscode.l10n.t('The Gradio UI in your browser, with the API mounted on it (container port 7860).') };
  });
  qp.items = build();
  qp.activeItems = qp.items.filter(i => i.mode !== configured);
  qp.show();
  void c.refresh().then(snap => {
    const st = service ? snap.services?.find(s => s.service === service)?.status ?? snap.status : snap.status;
    if (!st) { qp.busy = false; return; }
    const running = st.state.state === 'up' ? st.state.runningMode : undefined;
    qp.items = build(st.ports, running);
    qp.activeItems = qp.items.filter(i => i.mode !== (running ?? configured));
    qp.placeholder = running
      ? vscode.l10n.t('.env: {0} mode · running: {1} mode', modeLabel(st.state.configuredMode), modeLabel(running))
      : vscode.l10n.t('.env: {0} mode · running: {1}', modeLabel(st.state.configuredMode), st.state.state === 'down' ? vscode.l10n.t('down') : st.state.state === 'starting' ? vscode.l10n.t('starting') : st.state.state);
    qp.busy = false;
  });
  return new Promise(resolve => {
    let chosen: AcestepMode | undefined;
    qp.onDidAccept(() => { chosen = qp.selectedItems[0]?.mode; qp.hide(); });
    qp.onDidHide(() => { qp.dispose(); resolve(chosen); });
  });
}

/** Follows `docker compose logs` in a terminal; resolves with what it runs (tests read it). */
export async function showServerLogs(c: ServerController, service?: string): Promise<{ cmd: string; args: string[]; cwd: string } | undefined> {
  const r = await c.composeCommand();
  if (!('compose' in r)) return undefined;
  const inv = composeLogsArgv(r.compose, { follow: true, tail: 300, service });
  const name = service ? `${logTerminalName()} (${service})` : logTerminalName();
  for (const t of vscode.window.terminals) if (t.name === name) t.dispose();
  // The terminal gets docker's own settings from the extension host (DOCKER_HOST, DOCKER_CONTEXT, …).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(DOCKER_|COMPOSE_)/.test(k)));
  const terminal = vscode.window.createTerminal({
    name,
    shellPath: inv.cmd,
    shellArgs: inv.args,
    cwd: r.composeDir,
    env,
    iconPath: new vscode.ThemeIcon('server'),
    isTransient: true,
  });
  terminal.show(true);
  return { cmd: inv.cmd, args: inv.args, cwd: r.composeDir };
}

/** Opens the Gradio UI in the browser when the server runs (or is set to run) in Gradio mode. */
export async function openGradio(c: ServerController): Promise<string | undefined> {
  const snap = await c.check();
  let url: string | undefined;
  if (!snap.status) {
    url = generationSettings().gradioUrl;
  } else {
    const s = snap.status.state;
    const mode = s.state === 'up' ? s.runningMode ?? s.configuredMode : s.configuredMode;
    if (mode === 'api') {
      void vscode.window.showInformationMessage(vscode.l10n.t('The ACE-Step server runs in API mode; the Gradio UI exists only in Gradio mode.'), vscode.l10n.t('Switch to Gradio Mode'))
        .then(choice => { if (choice) void vscode.commands.executeCommand(COMMANDS.switchMode, 'gradio'); });
      return undefined;
    }
    url = serverUrlForMode('gradio', snap.status.ports);
    if (!url) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The compose file publishes no host port for the Gradio UI (container port 7860).'));
      return undefined;
    }
    if (s.state === 'down') {
      const startServer = vscode.l10n.t('Start Server');
      const openAnyway = vscode.l10n.t('Open Anyway');
      void vscode.window.showWarningMessage(vscode.l10n.t('The ACE-Step server is not running, so {0} will not answer yet.', url), startServer, openAnyway)
        .then(choice => {
          if (choice === startServer) void vscode.commands.executeCommand(COMMANDS.startServer);
          if (choice === openAnyway) void vscode.env.openExternal(vscode.Uri.parse(url!));
        });
      return url;
    }
  }
  await vscode.env.openExternal(vscode.Uri.parse(url));
  return url;
}

const MINIMAL_ENV = [
  '# ACE-Step Docker settings (docker compose reads this file).',
  '# gradio = Gradio UI + embedded API, api = standalone REST API',
  'ACESTEP_MODE=gradio',
  '',
].join('\n');

async function createEnv(dir: string, fromExample: boolean): Promise<string> {
  const target = path.join(dir, '.env');
  if (fromExample) await fs.copyFile(path.join(dir, '.env.example'), target, fsConstants.COPYFILE_EXCL);
  else await fs.writeFile(target, MINIMAL_ENV, { flag: 'wx' });
  return target;
}

/** Opens the setup's .env; when missing, offers to create it (from .env.example when there is one). */
export async function openEnvFile(c: ServerController, log: vscode.LogOutputChannel, args: { create?: boolean } = {}): Promise<string | undefined> {
  const dir = await c.setupFolder(true);
  if (typeof dir !== 'string') {
    showProblem(vscode.l10n.t('Open .env'), dir.problem, { log });
    return undefined;
  }
  const file = path.join(dir, '.env');
  const open = async (f: string): Promise<void> => { await vscode.window.showTextDocument(vscode.Uri.file(f), { preview: false }); };
  if (existsSync(file)) { await open(file); return file; }
  const hasExample = existsSync(path.join(dir, '.env.example'));
  const create = async (): Promise<string | undefined> => {
    try {
      const f = await createEnv(dir, hasExample);
      await open(f);
      return f;
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not create {0}: {1}', file, errorMessage(e)));
      return undefined;
    }
  };
  if (args.create) return create();
  const action = hasExample ? vscode.l10n.t('Create from .env.example') : vscode.l10n.t('Create .env');
  const where = vscode.workspace.asRelativePath(dir);
  void vscode.window.showInformationMessage(hasExample
    ? vscode.l10n.t('{0} has no .env file. Docker Compose reads the mode, ports and models from it.', where)
    : vscode.l10n.t('{0} has no .env file (and no .env.example). Docker Compose reads the mode, ports and models from it.', where), action)
    .then(choice => { if (choice) void create(); });
  return undefined;
}

/** "Choose Docker Setup Folder": the setups found plus Browse…; stored in the setting when it is in use. */
export async function chooseComposeDirectory(c: ServerController, locator: ComposeLocator, dirArg?: string): Promise<string | undefined> {
  const dir = typeof dirArg === 'string' ? dirArg : await locator.pick(await locator.candidates(), true);
  if (!dir) return undefined;
  if (configuredComposeDir()) {
    try { await updateServerSetting(COMPOSE_DIR_SETTING, settingValueFor(dir)); } catch { await locator.remember(dir); }
  } else {
    await locator.remember(dir);
  }
  c.reset();
  void c.check();
  return dir;
}
