// The server commands that are more than one controller call: the mode pick, the log terminal, the Gradio UI,
// the .env file and the choice of setup folder.
import { constants as fsConstants, existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { composeLogsArgv, modeLabel, readConfiguredMode, serverUrlForMode, type AcestepMode } from '../../core/server';
import { generationSettings } from '../settings';
import type { ServerController } from './controller';
import type { ComposeLocator } from './locate';
import { showProblem } from './problems';
import { COMPOSE_DIR_SETTING, configuredComposeDir, settingValueFor, updateServerSetting } from './settings';

export const LOG_TERMINAL_NAME = 'ACE-Step Server Log';

/** The interactive "Switch Server Mode": the .env mode and the running mode, then the choice. */
export async function pickMode(c: ServerController, log: vscode.LogOutputChannel): Promise<AcestepMode | undefined> {
  const dir = await c.setupFolder(true);
  if (typeof dir !== 'string') {
    showProblem('Switch Server Mode', dir.problem, { log });
    return undefined;
  }
  type Item = vscode.QuickPickItem & { mode: AcestepMode };
  const configured = await readConfiguredMode(dir).catch((): AcestepMode => 'gradio');
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = 'ACE-Step: Switch Server Mode';
  qp.placeholder = `.env: ${modeLabel(configured)} mode · checking what runs…`;
  qp.busy = true;
  qp.ignoreFocusOut = true;
  const build = (ports: { api?: number; gradio?: number } = {}, running?: AcestepMode): Item[] => (['api', 'gradio'] as const).map(mode => {
    const port = mode === 'api' ? ports.api : ports.gradio;
    const tags = [port !== undefined ? `:${port}` : '', mode === running ? '$(check) running' : '', mode === configured ? 'in .env' : ''].filter(Boolean);
    return mode === 'api'
      ? { mode, label: '$(plug) API mode', description: tags.join(' · '), detail: 'The standalone REST API: the better fit for VS Code, scripts and AI assistants (container port 8001).' }
      : { mode, label: '$(globe) Gradio mode', description: tags.join(' · '), detail: 'The Gradio UI in your browser, with the API mounted on it (container port 7860).' };
  });
  qp.items = build();
  qp.activeItems = qp.items.filter(i => i.mode !== configured);
  qp.show();
  void c.refresh().then(snap => {
    const st = snap.status;
    if (!st) { qp.busy = false; return; }
    const running = st.state.state === 'up' ? st.state.runningMode : undefined;
    qp.items = build(st.ports, running);
    qp.activeItems = qp.items.filter(i => i.mode !== (running ?? configured));
    qp.placeholder = `.env: ${modeLabel(st.state.configuredMode)} mode · running: ${running ? `${modeLabel(running)} mode` : st.state.state}`;
    qp.busy = false;
  });
  return new Promise(resolve => {
    let chosen: AcestepMode | undefined;
    qp.onDidAccept(() => { chosen = qp.selectedItems[0]?.mode; qp.hide(); });
    qp.onDidHide(() => { qp.dispose(); resolve(chosen); });
  });
}

/** Follows `docker compose logs` in a terminal; resolves with what it runs (tests read it). */
export async function showServerLogs(c: ServerController): Promise<{ cmd: string; args: string[]; cwd: string } | undefined> {
  const r = await c.composeCommand();
  if (!('compose' in r)) return undefined;
  const inv = composeLogsArgv(r.compose, { follow: true, tail: 300 });
  for (const t of vscode.window.terminals) if (t.name === LOG_TERMINAL_NAME) t.dispose();
  // The terminal gets docker's own settings from the extension host (DOCKER_HOST, DOCKER_CONTEXT, …).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(DOCKER_|COMPOSE_)/.test(k)));
  const terminal = vscode.window.createTerminal({
    name: LOG_TERMINAL_NAME,
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
      void vscode.window.showInformationMessage('The ACE-Step server runs in API mode; the Gradio UI exists only in Gradio mode.', 'Switch to Gradio Mode')
        .then(choice => { if (choice) void vscode.commands.executeCommand('acestep.switchMode', 'gradio'); });
      return undefined;
    }
    url = serverUrlForMode('gradio', snap.status.ports);
    if (!url) {
      void vscode.window.showWarningMessage('The compose file publishes no host port for the Gradio UI (container port 7860).');
      return undefined;
    }
    if (s.state === 'down') {
      void vscode.window.showWarningMessage(`The ACE-Step server is not running, so ${url} will not answer yet.`, 'Start Server', 'Open Anyway')
        .then(choice => {
          if (choice === 'Start Server') void vscode.commands.executeCommand('acestep.startServer');
          if (choice === 'Open Anyway') void vscode.env.openExternal(vscode.Uri.parse(url!));
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
    showProblem('Open .env', dir.problem, { log });
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
      void vscode.window.showErrorMessage(`Could not create ${file}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  };
  if (args.create) return create();
  const action = hasExample ? 'Create from .env.example' : 'Create .env';
  void vscode.window.showInformationMessage(`${vscode.workspace.asRelativePath(dir)} has no .env file${hasExample ? '' : ' (and no .env.example)'}. Docker Compose reads the mode, ports and models from it.`, action)
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
