// Commands behind the getting-started walkthrough: open a bundled example song, try the chat participant.
import * as vscode from 'vscode';
import { openNewSong } from './song/new-song';
import { COMMANDS } from './commands';

export function registerWalkthrough(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.openExample, async (name?: string) => {
      const dir = vscode.Uri.joinPath(context.extensionUri, 'examples');
      const entries = (await vscode.workspace.fs.readDirectory(dir)).map(([n]) => n).filter(n => n.endsWith('.song')).sort();
      const pick = name && entries.includes(name) ? name : await vscode.window.showQuickPick(entries.map(n => ({ label: n.replace(/\.song$/, '').replace(/-/g, ' '), description: n, file: n })), {
        title: vscode.l10n.t('Open an Example Song'), placeHolder: vscode.l10n.t('The copy opens unsaved: save it where you like'),
      }).then(p => p?.file);
      if (!pick) return undefined;
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, pick)));
      return openNewSong(text);
    }),
    vscode.commands.registerCommand(COMMANDS.tryChat, async () => {
      try {
        await vscode.commands.executeCommand('workbench.action.chat.open', { query: '@acestep /write ', isPartialQuery: true });
      } catch {
        void vscode.window.showInformationMessage(vscode.l10n.t('The chat is not available in this editor. The same songwriting guide is in docs/ai-integration/ for any other AI tool: "ACE-Step: Add AI Skill to Workspace" copies it into your project.'));
      }
    }),
  );
}
