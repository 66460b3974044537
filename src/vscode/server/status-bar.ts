// The server status bar item: mode and state of the Docker server (up, starting, down), or the step under way.
// Hidden until the first check, which happens when a .song editor is shown or a server command runs, never
// during activation. Clicking it offers the server commands.
import * as vscode from 'vscode';
import { modeLabel } from '../../core/server';
import type { ServerController } from './controller';
import { describeEndpoint, endpointChoice } from './endpoint';
import { COMMANDS, INTERNAL_COMMANDS } from '../commands';

export function describeServer(c: ServerController): { text: string; tooltip: string; visible: boolean } {
  const op = c.operation();
  if (op) return { text: `$(sync~spin) ACE-Step: ${op.mode ? `${modeLabel(op.mode)} ` : ''}${op.text ?? '…'}`, tooltip: `${op.title}\n${op.text ?? ''}`, visible: true };
  const snap = c.snapshot();
  const known = c.known();
  if (!snap) {
    return known
      ? { text: `$(server) ACE-Step: ${modeLabel(known.mode)}`, tooltip: `${known.url ?? ''}\n${known.composeDir}`, visible: true }
      : { text: '', tooltip: '', visible: false };
  }
  if (snap.restricted) return { text: '$(workspace-untrusted) ACE-Step', tooltip: vscode.l10n.t('Server control is off in an untrusted workspace (docker is not run).'), visible: true };
  if (snap.missing === 'ambiguous') {
    return { text: `$(server) ${vscode.l10n.t('ACE-Step: choose setup')}`, tooltip: vscode.l10n.t('This workspace has several ACE-Step Docker setups: click to pick one.'), visible: true };
  }
  if (snap.invalid) {
    return {
      text: `$(warning) ${vscode.l10n.t('ACE-Step: no setup')}`,
      tooltip: `${vscode.l10n.t('{0} has no compose file with an "acestep" service (acestep.composeDirectory).', snap.composeDir ?? '')}\n\n${vscode.l10n.t('Click for the server commands')}`,
      visible: true,
    };
  }
  if (snap.error) return { text: '$(warning) ACE-Step', tooltip: vscode.l10n.t('The server check failed: {0}', snap.error), visible: true };
  const status = snap.status;
  if (!status || !snap.composeDir) return { text: '', tooltip: '', visible: false };
  const s = status.state;
  const mode = modeLabel(s.runningMode ?? s.configuredMode);
  const lines = [
    vscode.l10n.t('Docker setup: {0}', snap.composeDir),
    vscode.l10n.t('.env mode: {0}', modeLabel(s.configuredMode)),
    vscode.l10n.t('Running: {0} (container {1})', s.runningMode ? modeLabel(s.runningMode) : '-', s.container),
    s.url ? `URL: ${s.url}` : '',
    s.health?.version ? vscode.l10n.t('Server: {0} {1}', s.health.service ?? '', s.health.version) : '',
    s.note ?? '',
    status.problem && s.state !== 'up' ? `Docker: ${status.problem.message}` : '',
    // One service per GPU: a line each (the lines above are the first one's).
    ...(snap.services ?? []).map(({ service, status: st }) => vscode.l10n.t('{0}: {1} mode, {2}, {3}', service,
      modeLabel(st.state.runningMode ?? st.state.configuredMode), stateName(st.state.state), st.state.url ?? '-')),
    // Which URL generation really uses: the user's acestep.serverUrl wins over this setup.
    describeEndpoint(endpointChoice(known)),
  ].filter(Boolean);
  const tooltip = `${lines.join('\n')}\n\n${vscode.l10n.t('Click for the server commands')}`;
  switch (s.state) {
    case 'up': return { text: `$(server) ACE-Step: ${mode}${s.note ? ' $(warning)' : ''}`, tooltip, visible: true };
    case 'starting': return { text: `$(sync~spin) ${vscode.l10n.t('ACE-Step: {0} starting', mode)}`, tooltip, visible: true };
    case 'down': return { text: `$(debug-disconnect) ${vscode.l10n.t('ACE-Step: {0} down', mode)}`, tooltip, visible: true };
    default: return { text: `$(question) ACE-Step: ${mode}?`, tooltip, visible: true };
  }
}

export function registerServerStatusBar(context: vscode.ExtensionContext, c: ServerController): { text(): string; tooltip(): string } {
  const item = vscode.window.createStatusBarItem('acestep.server', vscode.StatusBarAlignment.Left, 49);
  item.name = vscode.l10n.t('ACE-Step: Server');
  item.command = COMMANDS.serverActions;
  let pollTimer: NodeJS.Timeout | undefined;
  let startingSince: number | undefined;

  const render = (): void => {
    const d = describeServer(c);
    item.text = d.text;
    item.tooltip = d.tooltip;
    item.accessibilityInformation = { label: d.text.replace(/\$\([^)]*\)\s*/g, '') };
    if (d.visible) item.show(); else item.hide();
    const snap = c.snapshot();
    const known = c.known();
    void vscode.commands.executeCommand('setContext', 'acestep.server.mode', known?.mode);
    void vscode.commands.executeCommand('setContext', 'acestep.server.state', snap?.status?.state.state);
    // While the server is starting on its own (restart policy, a start outside VS Code), look again soon.
    // Every 5 s for two minutes, then every 30 s (a container in a restart loop stays "starting").
    clearTimeout(pollTimer);
    const starting = !c.operation() && snap?.status?.state.state === 'starting';
    startingSince = starting ? startingSince ?? Date.now() : undefined;
    if (starting) pollTimer = setTimeout(() => void c.refresh(), Date.now() - startingSince! < 120_000 ? 5000 : 30_000);
  };

  context.subscriptions.push(item, c.onDidChange(render), { dispose: () => clearTimeout(pollTimer) });
  return { text: () => item.text, tooltip: () => (typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value ?? '') };
}

/** The quick pick behind the status bar item. */
export async function showServerActions(c: ServerController): Promise<void> {
  const snap = await c.check();
  const s = snap.status?.state;
  type Item = vscode.QuickPickItem & { command?: string; args?: unknown[] };
  const items: Item[] = [];
  const op = c.operation();
  if (op) items.push({ label: `$(close) ${vscode.l10n.t('Cancel: {0}', op.title)}`, description: op.text, command: COMMANDS.cancelServerWait });
  if (snap.restricted) {
    items.push({
      label: `$(workspace-untrusted) ${vscode.l10n.t('Manage Workspace Trust')}`,
      detail: vscode.l10n.t('Server control runs docker, so it needs a trusted workspace.'), command: 'workbench.trust.manage',
    });
  } else if (!snap.composeDir || snap.invalid) {
    items.push(
      { label: `$(folder) ${vscode.l10n.t('Choose Docker Setup Folder…')}`, command: COMMANDS.chooseComposeDirectory },
      { label: `$(new-folder) ${vscode.l10n.t('Create Docker Setup…')}`, command: COMMANDS.createDockerSetup },
    );
  } else {
    const up = s?.state === 'up' || s?.state === 'starting';
    const running = s?.runningMode ?? s?.configuredMode;
    const other = running === 'api' ? 'gradio' : 'api';
    if (!up) items.push({ label: `$(play) ${vscode.l10n.t('Start Server')}`, description: s ? vscode.l10n.t('{0} mode', modeLabel(s.configuredMode)) : '', command: COMMANDS.startServer });
    items.push({
      label: `$(arrow-swap) ${other === 'api' ? vscode.l10n.t('Switch to API Mode') : vscode.l10n.t('Switch to Gradio Mode')}`,
      description: other === 'api' ? vscode.l10n.t('standalone REST API') : vscode.l10n.t('Gradio UI + API'),
      command: COMMANDS.switchMode, args: [other, { confirm: c.runningJobs() > 0 }],
    });
    if (up) {
      items.push(
        { label: `$(debug-restart) ${vscode.l10n.t('Restart Server')}`, description: vscode.l10n.t('recreates the container, applying .env'), command: COMMANDS.restartServer },
        { label: `$(debug-stop) ${vscode.l10n.t('Stop Server')}`, command: COMMANDS.stopServer },
      );
    }
    if (s?.state === 'up' && running === 'gradio') items.push({ label: `$(globe) ${vscode.l10n.t('Open Gradio UI')}`, description: s.url, command: COMMANDS.openGradio });
    items.push(
      { label: `$(terminal) ${vscode.l10n.t('Show Server Logs')}`, command: COMMANDS.showServerLogs },
      { label: `$(go-to-file) ${vscode.l10n.t('Open .env')}`, command: COMMANDS.openEnvFile },
      { label: `$(pulse) ${vscode.l10n.t('Check Server')}`, command: COMMANDS.checkServer },
      { label: `$(folder) ${vscode.l10n.t('Choose Docker Setup Folder…')}`, description: vscode.workspace.asRelativePath(snap.composeDir), command: COMMANDS.chooseComposeDirectory },
    );
  }
  items.push({ label: `$(refresh) ${vscode.l10n.t('Refresh Status')}`, command: INTERNAL_COMMANDS.refreshServerStatus });
  const state = s ? stateName(s.state) : '';
  const choice = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('ACE-Step Server'),
    placeHolder: s ? `${modeLabel(s.runningMode ?? s.configuredMode)} · ${state}${s.url ? ` · ${s.url}` : ''}` : undefined,
  });
  if (choice?.command) void vscode.commands.executeCommand(choice.command, ...(choice.args ?? []));
}

/** The server state in words. */
export function stateName(state: string): string {
  switch (state) {
    case 'up': return vscode.l10n.t('up');
    case 'starting': return vscode.l10n.t('starting');
    case 'down': return vscode.l10n.t('down');
    default: return state;
  }
}
