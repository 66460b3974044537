// Generation at activation: only what must exist from the start. Its commands as stubs, the Generations view
// (its data loads with generation when the view is first shown) and the cheap look at stored jobs. Generation
// itself is ./bundle (dist/generation.js), loaded on first use.
import * as vscode from 'vscode';
import { COMMANDS } from '../commands';

export type { GenerationService } from './service';
export { hasPendingJobs } from './job-state';

/** The commands generation registers when it loads (stubs until then). */
export const GENERATION_COMMANDS: readonly string[] = [
  COMMANDS.generateSong, COMMANDS.showJobs, COMMANDS.checkServer, COMMANDS.formatSong, COMMANDS.newRandomSong, COMMANDS.loraAdapters,
  COMMANDS.newSongFromDescription,
  COMMANDS.setApiKey, COMMANDS.clearApiKey, COMMANDS.generationsRefresh, COMMANDS.generationsReveal,
  COMMANDS.generationsRerun, COMMANDS.generationsCancel, COMMANDS.generationsDelete, COMMANDS.generateFolder, COMMANDS.renderMoveStranded,
];

/**
 * A view of generation's (Generations, Servers), created now so it is there whenever it is shown; VS Code asks for
 * its items only while it is visible, and the first time it does, generation loads and its tree answers.
 */
export function registerGenerationView(context: vscode.ExtensionContext, viewId: string, tree: () => vscode.TreeDataProvider<unknown>): void {
  const changed = new vscode.EventEmitter<unknown>();
  let real: vscode.TreeDataProvider<unknown> | undefined;
  const data = (): vscode.TreeDataProvider<unknown> => {
    if (!real) {
      real = tree();
      const sub = real.onDidChangeTreeData?.(e => changed.fire(e));
      if (sub) context.subscriptions.push(sub);
    }
    return real;
  };
  const proxy: vscode.TreeDataProvider<unknown> = {
    onDidChangeTreeData: changed.event,
    getChildren: element => data().getChildren(element),
    getTreeItem: element => data().getTreeItem(element),
  };
  context.subscriptions.push(changed, vscode.window.createTreeView(viewId, { treeDataProvider: proxy, showCollapseAll: true }));
}
