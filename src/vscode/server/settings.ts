// The two server-control settings, read fresh each time, with paths resolved the way users write them.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const COMPOSE_DIR_SETTING = 'composeDirectory';
export const DOCKER_PATH_SETTING = 'dockerPath';

function firstFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.find(f => f.uri.scheme === 'file')?.uri.fsPath;
}

/**
 * A folder or program path as typed in a setting: `~` is the home folder, `${workspaceFolder}` (or
 * `${workspaceFolder:name}`) a workspace folder, and a relative path starts at the first workspace folder.
 */
export function resolveUserPath(value: string): string {
  let p = value.trim();
  p = p.replace(/\$\{workspaceFolder(?::([^}]+))?\}/g, (_m, name: string | undefined) => {
    const folder = name ? vscode.workspace.workspaceFolders?.find(f => f.name === name) : undefined;
    return folder?.uri.fsPath ?? firstFolder() ?? '';
  });
  if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) p = path.join(os.homedir(), p.slice(1));
  return path.isAbsolute(p) ? path.normalize(p) : path.resolve(firstFolder() ?? os.homedir(), p);
}

/** The `acestep.composeDirectory` folder, or undefined when the setting is empty (then it is looked for). */
export function configuredComposeDir(): string | undefined {
  const v = vscode.workspace.getConfiguration('acestep').get<string>(COMPOSE_DIR_SETTING, '');
  return typeof v === 'string' && v.trim() ? resolveUserPath(v) : undefined;
}

/** The docker program: a bare name is looked up on PATH; anything with a slash is a path. */
export function dockerProgram(): string {
  const v = vscode.workspace.getConfiguration('acestep').get<string>(DOCKER_PATH_SETTING, 'docker');
  const s = typeof v === 'string' ? v.trim() : '';
  if (!s) return 'docker';
  return /[\\/]/.test(s) || s.startsWith('~') ? resolveUserPath(s) : s;
}

export function affectsServerSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`acestep.${COMPOSE_DIR_SETTING}`) || e.affectsConfiguration(`acestep.${DOCKER_PATH_SETTING}`)
    || e.affectsConfiguration('acestep.serverUrl') || e.affectsConfiguration('acestep.gradioUrl');
}

/** Writes a server setting where it applies: the workspace when one is open, else the user settings. */
export async function updateServerSetting(key: string, value: string | undefined): Promise<void> {
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration('acestep').update(key, value, target);
}

/** How a folder is best written in a setting: relative to the workspace folder when inside it. */
export function settingValueFor(dir: string): string {
  const root = firstFolder();
  if (root) {
    const rel = path.relative(root, dir);
    if (!rel) return '${workspaceFolder}';
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return '${workspaceFolder}/' + rel.split(path.sep).join('/');
  }
  return dir;
}
