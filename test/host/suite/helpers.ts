// Small helpers shared by the host tests.
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'acestep-studio.acestep-studio';

/** The folder the runner opened: a fresh copy of examples/ that tests may write to. */
export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the runner opens a workspace folder');
  return folder.uri.fsPath;
}

export function workspaceFile(...parts: string[]): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceDir(), ...parts));
}

/** Polls until `probe` returns a truthy value; never a fixed sleep. */
export async function waitFor<T>(probe: () => T | PromiseLike<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in the host`);
  await ext.activate();
  return ext;
}

/** Closes every editor, discarding unsaved changes (closeAllEditors would ask about them). */
export async function closeAllEditors(): Promise<void> {
  for (let i = 0; i < 50 && vscode.window.tabGroups.all.some(g => g.tabs.length); i++) {
    const tab = vscode.window.tabGroups.all.flatMap(g => g.tabs)[0];
    if (tab.isDirty && tab.input instanceof vscode.TabInputText) {
      await vscode.window.showTextDocument(tab.input.uri, { preview: false });
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } else {
      await vscode.window.tabGroups.close(tab);
    }
  }
}
