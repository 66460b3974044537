// Which folder holds the user's ACE-Step Docker setup (compose file + .env): the `acestep.composeDirectory`
// setting; else a workspace folder, or a folder one level below one, whose compose file has an `acestep`
// service. When several qualify the user is asked once, and the answer is kept in the workspace state.
// The scan reads a few directory listings and small files, and only when a server feature needs it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findComposeFile, hasAcestepService, readConfiguredMode, TtlCache } from '../../core/server';
import { configuredComposeDir } from './settings';

const REMEMBERED_KEY = 'acestep.server.composeDir';
/** Folders never worth looking into. */
const SKIP = new Set(['node_modules', 'acestep-output', 'checkpoints', 'cache', 'gradio_outputs', 'dist', 'out', 'build']);
const MAX_SUBFOLDERS = 300;

export type LocateResult =
  | { dir: string; source: 'setting' | 'remembered' | 'found' | 'picked' }
  | { dir: undefined; reason: 'none' | 'ambiguous' | 'cancelled'; candidates: string[] };

/** True when `dir` has a compose file with an `acestep` service. */
export async function isAcestepSetup(dir: string): Promise<boolean> {
  const file = await findComposeFile(dir);
  if (!file) return false;
  try { return hasAcestepService(await fs.readFile(file, 'utf8')); } catch { return false; }
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries
      .filter(e => e.isDirectory() && !e.name.startsWith('.') && !SKIP.has(e.name))
      .slice(0, MAX_SUBFOLDERS)
      .map(e => path.join(dir, e.name));
  } catch {
    return [];
  }
}

export class ComposeLocator {
  private readonly scan = new TtlCache<string[]>(30_000);

  constructor(private readonly state: vscode.Memento) {}

  /** Forgets the scan (workspace folders or settings changed). */
  invalidate(): void { this.scan.invalidate(); }

  /** Setups found in the workspace: each folder itself, then its direct subfolders. */
  candidates(): Promise<string[]> {
    return this.scan.get(async () => {
      const roots = (vscode.workspace.workspaceFolders ?? []).filter(f => f.uri.scheme === 'file').map(f => f.uri.fsPath);
      const found: string[] = [];
      for (const root of roots) {
        const dirs = [root, ...(await subfolders(root))];
        const ok = await Promise.all(dirs.map(isAcestepSetup));
        dirs.forEach((d, i) => { if (ok[i] && !found.includes(d)) found.push(d); });
      }
      return found;
    });
  }

  remembered(): string | undefined {
    return this.state.get<string>(REMEMBERED_KEY);
  }

  async remember(dir: string | undefined): Promise<void> {
    await this.state.update(REMEMBERED_KEY, dir);
  }

  /**
   * The setup folder. `interactive` lets it ask which one when the workspace has several; without it
   * (status checks) an ambiguous workspace gives no folder.
   */
  async locate(interactive: boolean): Promise<LocateResult> {
    const fromSetting = configuredComposeDir();
    if (fromSetting) return { dir: fromSetting, source: 'setting' };
    const remembered = this.remembered();
    if (remembered && await isAcestepSetup(remembered)) return { dir: remembered, source: 'remembered' };
    const candidates = await this.candidates();
    if (candidates.length === 1) return { dir: candidates[0]!, source: 'found' };
    if (candidates.length === 0) return { dir: undefined, reason: 'none', candidates };
    if (!interactive) return { dir: undefined, reason: 'ambiguous', candidates };
    const picked = await this.pick(candidates, false);
    if (!picked) return { dir: undefined, reason: 'cancelled', candidates };
    await this.remember(picked);
    return { dir: picked, source: 'picked' };
  }

  /** A quick pick of setup folders (optionally with "Browse…"); resolves with the chosen folder. */
  async pick(candidates: string[], browse: boolean): Promise<string | undefined> {
    type Item = vscode.QuickPickItem & { dir?: string; browse?: boolean };
    const current = configuredComposeDir() ?? this.remembered();
    const items: Item[] = await Promise.all(candidates.map(async dir => {
      const mode = await readConfiguredMode(dir).catch(() => undefined);
      const label = vscode.workspace.asRelativePath(dir, true);
      return {
        dir,
        label: `$(folder) ${label === dir ? path.basename(dir) : label}`,
        description: [mode ? `ACESTEP_MODE=${mode}` : '', dir === current ? vscode.l10n.t('(in use)') : ''].filter(Boolean).join(' '),
        detail: dir,
      };
    }));
    if (browse) items.push({ label: `$(folder-opened) ${vscode.l10n.t('Browse…')}`, browse: true, description: vscode.l10n.t('Pick the folder with the compose file and .env') });
    const choice = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('ACE-Step: Which Docker setup should VS Code control?'),
      placeHolder: candidates.length > 1 ? vscode.l10n.t('This workspace has several ACE-Step compose files') : vscode.l10n.t('Pick the folder with the compose file and .env'),
      ignoreFocusOut: true,
    });
    if (!choice) return undefined;
    if (!choice.browse) return choice.dir;
    const uris = await vscode.window.showOpenDialog({
      canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: vscode.l10n.t('Use This Folder'),
      title: vscode.l10n.t('The folder with your ACE-Step compose file and .env'),
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    return uris?.[0]?.fsPath;
  }
}
