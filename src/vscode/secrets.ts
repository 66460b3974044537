// The API key lives in SecretStorage only. It is kept in memory after the first read so requests can use it
// synchronously, and it is handed out only for the servers the user configured.
import * as vscode from 'vscode';
import { COMMANDS } from './commands';

const KEY = 'acestep.apiKey';

export class ApiKeyStore implements vscode.Disposable {
  private cached: string | undefined;
  private loaded: Promise<void> | undefined;
  private readonly sub: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.sub = secrets.onDidChange(e => { if (e.key === KEY) this.loaded = undefined; });
  }

  /** Reads the key once (lazily, never during activation). */
  async load(): Promise<string | undefined> {
    this.loaded ??= Promise.resolve(this.secrets.get(KEY)).then(v => { this.cached = v || undefined; }, () => { this.cached = undefined; });
    await this.loaded;
    return this.cached;
  }

  /** The key for `serverUrl` when it is one of `allowed` (same origin); never for anything else. */
  keyFor(serverUrl: string, allowed: readonly string[]): string | undefined {
    if (!this.cached) return undefined;
    const origin = originOf(serverUrl);
    return origin && allowed.some(a => originOf(a) === origin) ? this.cached : undefined;
  }

  async set(value: string | undefined): Promise<void> {
    if (value) await this.secrets.store(KEY, value); else await this.secrets.delete(KEY);
    this.cached = value || undefined;
    this.loaded = Promise.resolve();
  }

  dispose(): void { this.sub.dispose(); }
}

function originOf(url: string): string | undefined {
  try { return new URL(url).origin; } catch { return undefined; }
}

export function registerApiKeyCommands(context: vscode.ExtensionContext, store: ApiKeyStore): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.setApiKey, async (value?: string) => {
      const key = typeof value === 'string' ? value : await vscode.window.showInputBox({
        title: vscode.l10n.t('ACE-Step API Key'),
        prompt: vscode.l10n.t('The key your ACE-Step server expects (ACESTEP_API_KEY). Stored in VS Code\'s secret storage, sent only to your configured server.'),
        password: true,
        ignoreFocusOut: true,
      });
      if (key === undefined) return false;
      await store.set(key.trim() || undefined);
      void vscode.window.showInformationMessage(key.trim() ? vscode.l10n.t('ACE-Step API key saved.') : vscode.l10n.t('ACE-Step API key removed.'));
      return true;
    }),
    vscode.commands.registerCommand(COMMANDS.clearApiKey, async () => {
      await store.set(undefined);
      void vscode.window.showInformationMessage(vscode.l10n.t('ACE-Step API key removed.'));
    }),
  );
}
