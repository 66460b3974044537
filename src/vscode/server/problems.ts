// What a server command tells the user when it cannot do its job: the core's sentence and next step, plus the
// button that helps. Messages are never awaited inside a command (a notification with buttons blocks until
// clicked); the choice is handled when it comes.
import * as vscode from 'vscode';
import { classifyDockerError, findComposeFile, type ControlProblem, type ControlProblemKind, type ControlResult } from '../../core/server';
import { DOCKER_PATH_SETTING, COMPOSE_DIR_SETTING } from './settings';
import { COMMANDS } from '../commands';

export type ServerProblemKind = ControlProblemKind | 'untrusted' | 'no-setup' | 'busy';

export interface ServerProblem {
  kind: ServerProblemKind;
  message: string;
  nextStep: string;
  detail: string;
}

export type ServerFailure = { ok: false; problem: ServerProblem };
export type ServerResult = Extract<ControlResult, { ok: true }> | ServerFailure;
export type StopResult = { ok: true } | ServerFailure;

export const failure = (problem: ServerProblem): ServerFailure => ({ ok: false, problem });

export function fromControl(p: ControlProblem): ServerProblem {
  if (p.kind !== 'docker-missing') return { kind: p.kind, message: p.message, nextStep: p.nextStep, detail: p.detail };
  const inVsCode = vscode.l10n.t('In VS Code, the setting {0} names the docker program.', `acestep.${DOCKER_PATH_SETTING}`);
  return { kind: p.kind, message: p.message, nextStep: `${p.nextStep} ${inVsCode}`, detail: p.detail };
}

/** Built when needed (not at load time) so it is in the user's language. */
export function untrustedProblem(): ServerProblem {
  return {
    kind: 'untrusted',
    message: vscode.l10n.t('ACE-Step does not run docker in an untrusted workspace: its compose file, .env and settings decide what docker runs.'),
    nextStep: vscode.l10n.t('Trust this workspace (Manage Workspace Trust) if you know where its files come from, then try again.'),
    detail: '',
  };
}

export function busyProblem(what: string): ServerProblem {
  return {
    kind: 'busy',
    message: vscode.l10n.t('Another server step is still running ({0}).', what),
    nextStep: vscode.l10n.t('Wait for it, or cancel it from its notification, then try again.'),
    detail: '',
  };
}

export function noSetupProblem(reason: 'none' | 'ambiguous' | 'cancelled'): ServerProblem {
  return {
    kind: 'no-setup',
    message: reason === 'none'
      ? vscode.l10n.t('No ACE-Step Docker setup was found: no compose file with an "acestep" service in the workspace, and acestep.composeDirectory is not set.')
      : reason === 'ambiguous'
        ? vscode.l10n.t('This workspace has several ACE-Step Docker setups, and none was chosen.')
        : vscode.l10n.t('No Docker setup folder was chosen.'),
    nextStep: reason === 'none'
      ? vscode.l10n.t('Set acestep.composeDirectory to the folder with your compose file and .env, or create a setup with "ACE-Step: Create Docker Setup".')
      : vscode.l10n.t('Run "ACE-Step: Choose Docker Setup Folder" to pick one.'),
    detail: '',
  };
}

/** A configured docker path that does not exist, told before anything is touched. */
export function dockerMissingProblem(program: string): ServerProblem {
  const p = classifyDockerError({ spawnError: 'ENOENT', code: -1, stderr: '' }, { program });
  return { ...p, nextStep: `${p.nextStep} ${vscode.l10n.t('The setting {0} points at "{1}".', `acestep.${DOCKER_PATH_SETTING}`, program)}` };
}

type Action = 'Open .env' | 'Open Settings' | 'Show Logs' | 'Show Server Logs' | 'Create Docker Setup' | 'Choose Folder'
  | 'Open Compose File' | 'Manage Workspace Trust' | 'Try Again' | 'Install Docker';

function actionsFor(kind: ServerProblemKind): Action[] {
  switch (kind) {
    case 'docker-missing': case 'compose-missing': return ['Open Settings', 'Install Docker'];
    case 'engine-not-running': return ['Try Again', 'Show Logs'];
    case 'permission-denied': return ['Show Logs'];
    case 'no-compose-file': case 'no-acestep-service': return ['Create Docker Setup', 'Open Settings'];
    case 'invalid-compose-file': case 'mode-not-from-env': case 'port-not-published': return ['Open Compose File', 'Show Logs'];
    case 'env-file-missing': case 'port-in-use': return ['Open .env', 'Show Logs'];
    case 'env-not-written': return ['Open .env'];
    case 'nvidia-runtime-missing': case 'pull-failed': case 'build-failed': case 'server-exited': case 'unknown': return ['Show Logs'];
    case 'health-timeout': return ['Show Server Logs'];
    case 'no-setup': return ['Choose Folder', 'Create Docker Setup', 'Open Settings'];
    case 'untrusted': return ['Manage Workspace Trust'];
    case 'busy': case 'aborted': return [];
  }
}

export interface ProblemHandlers {
  log: vscode.LogOutputChannel;
  /** Runs when "Try Again" is chosen. */
  retry?: () => void;
  /** The setup folder, for "Open Compose File". */
  composeDir?: string;
  /** Remembers the last text shown (tests read it). */
  shown?: (text: string) => void;
}

/** Logs the problem (with the tool's own lines) and shows it with its buttons, without waiting. */
export function showProblem(title: string, problem: ServerProblem, h: ProblemHandlers): void {
  const text = `${title}: ${problem.message} ${problem.nextStep}`;
  h.log.error(text);
  if (problem.detail) for (const line of problem.detail.split('\n')) h.log.info(`  ${line}`);
  h.shown?.(text);
  const actions = actionsFor(problem.kind).filter(a => a !== 'Try Again' || h.retry);
  // The buttons show translated labels; the choice is mapped back to the action it stands for.
  const labels = new Map(actions.map(a => [actionLabel(a), a] as const));
  const show = problem.kind === 'aborted' || problem.kind === 'busy' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
  void show(text, ...labels.keys()).then(label => {
    const choice = label === undefined ? undefined : labels.get(label);
    switch (choice) {
      case 'Open .env': void vscode.commands.executeCommand(COMMANDS.openEnvFile); break;
      case 'Open Settings':
        void vscode.commands.executeCommand('workbench.action.openSettings',
          problem.kind === 'docker-missing' || problem.kind === 'compose-missing' ? `acestep.${DOCKER_PATH_SETTING}` : `acestep.${COMPOSE_DIR_SETTING}`);
        break;
      case 'Show Logs': h.log.show(true); break;
      case 'Show Server Logs': void vscode.commands.executeCommand(COMMANDS.showServerLogs); break;
      case 'Create Docker Setup': void vscode.commands.executeCommand(COMMANDS.createDockerSetup); break;
      case 'Choose Folder': void vscode.commands.executeCommand(COMMANDS.chooseComposeDirectory); break;
      case 'Open Compose File': if (h.composeDir) void openComposeFile(h.composeDir); break;
      case 'Manage Workspace Trust': void vscode.commands.executeCommand('workbench.trust.manage'); break;
      case 'Install Docker': void vscode.env.openExternal(vscode.Uri.parse('https://docs.docker.com/get-started/get-docker/')); break;
      case 'Try Again': h.retry?.(); break;
    }
  });
}

function actionLabel(action: Action): string {
  switch (action) {
    case 'Open .env': return vscode.l10n.t('Open .env');
    case 'Open Settings': return vscode.l10n.t('Open Settings');
    case 'Show Logs': return vscode.l10n.t('Show Logs');
    case 'Show Server Logs': return vscode.l10n.t('Show Server Logs');
    case 'Create Docker Setup': return vscode.l10n.t('Create Docker Setup');
    case 'Choose Folder': return vscode.l10n.t('Choose Folder');
    case 'Open Compose File': return vscode.l10n.t('Open Compose File');
    case 'Manage Workspace Trust': return vscode.l10n.t('Manage Workspace Trust');
    case 'Try Again': return vscode.l10n.t('Try Again');
    case 'Install Docker': return vscode.l10n.t('Install Docker');
  }
}

async function openComposeFile(dir: string): Promise<void> {
  const file = await findComposeFile(dir);
  if (file) await vscode.window.showTextDocument(vscode.Uri.file(file));
}
