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
      // VS Code hands a chat request to a participant only once a chat model is available: without one it answers
      // "Language model unavailable" itself, before @acestep sees the request (even /status). Say so first.
      if (!(await hasChatModel())) {
        const open = vscode.l10n.t('Open the Chat');
        const check = vscode.l10n.t('Check Server');
        const choice = await vscode.window.showInformationMessage(noChatModelText(), open, check);
        if (choice === check) { await vscode.commands.executeCommand(COMMANDS.checkServer); return; }
        if (choice !== open) return;
      }
      try {
        await vscode.commands.executeCommand('workbench.action.chat.open', { query: '@acestep /write ', isPartialQuery: true });
      } catch {
        void vscode.window.showInformationMessage(vscode.l10n.t('The chat is not available in this editor. The same songwriting guide is in docs/ai-integration/ for any other AI tool: "ACE-Step: Add AI Skill to Workspace" copies it into your project.'));
      }
    }),
  );
}

/** Whether VS Code has any chat model (a model picked, or one a provider such as Copilot offers). */
async function hasChatModel(): Promise<boolean> {
  const lm = (vscode as { lm?: typeof vscode.lm }).lm;
  if (typeof lm?.selectChatModels !== 'function') return false;
  try { return (await lm.selectChatModels()).length > 0; } catch { return false; }
}

function noChatModelText(): string {
  return vscode.l10n.t('No chat model is available yet, and VS Code passes a request to @acestep only when there is one (without it VS Code itself answers "Language model unavailable", even for /status). Sign in to a model provider such as GitHub Copilot, or pick a model in the chat view. Everything else works without one: Check Server, Switch Server Mode, New Song, Generate Song and the player.');
}
