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

/** True when the runner serves the workbench page and answers `askPage` (the code-server launcher). */
export const pageAvailable = (): boolean => !!process.env.ACESTEP_TEST_PAGE && !!process.env.ACESTEP_SCREENSHOT_DIR;

export interface PageElement { attributes: Record<string, string>; text: string }
export type PageAnswer = { elements: PageElement[] } | { clicked: number };

let pageAsks = 0;
/**
 * Asks the runner to look at the workbench page, or click in it, as a person would (run-host.js, pageAction):
 * `{ query: selector }` answers the matching elements, `{ click: selector }` clicks the first and answers how many matched.
 */
export async function askPage<T extends PageAnswer>(action: { query: string } | { click: string }): Promise<T> {
  const { existsSync, readFileSync, rmSync } = await import('node:fs');
  const file = path.join(process.env.ACESTEP_SCREENSHOT_DIR ?? '', `page-${process.pid}-${++pageAsks}.json`);
  rmSync(file, { force: true });
  console.log(`[page] ${path.basename(file)} ${JSON.stringify(action)}`);
  await waitFor(() => existsSync(file), `the runner's answer to ${JSON.stringify(action)}`, 10_000);
  const answer = JSON.parse(readFileSync(file, 'utf8')) as T | { error: string };
  rmSync(file, { force: true });
  if ('error' in answer) throw new Error(`page action ${JSON.stringify(action)} failed: ${answer.error}`);
  return answer;
}
