// API keys live in SecretStorage only, one per server profile (secretKeyName: the default profile keeps the first
// release's 'acestep.apiKey'). They are kept in memory after the first read so requests can use them synchronously,
// and each is handed out only for its own profile's server (same origin); the default profile's also for the other
// addresses of that server the user configured (the Gradio URL, the Docker setup's).
import * as vscode from 'vscode';
import { cleanServerUrl, DEFAULT_PROFILE, profileNamed, secretKeyName, type ServerProfile } from '../core/servers/profiles';
import { COMMANDS } from './commands';

/** What the store needs to know about the servers. */
export interface KeyOwners {
  /** Every profile (the default one first). */
  profiles(): readonly ServerProfile[];
  /** Further addresses of the default profile's server (acestep.serverUrl, acestep.gradioUrl, the Docker server). */
  defaultUrls(): readonly string[];
}

export class ApiKeyStore implements vscode.Disposable {
  /** Secret name → key, for the names read so far. */
  private readonly cached = new Map<string, string>();
  private readonly loading = new Map<string, Promise<void>>();
  private readonly sub: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage, private readonly owners: KeyOwners) {
    this.sub = secrets.onDidChange(e => {
      if (e.key !== 'acestep.apiKey' && !e.key.startsWith('acestep.apiKey.')) return;
      this.loading.delete(e.key);
      void this.loadOne(e.key);
    });
  }

  private loadOne(name: string): Promise<void> {
    let p = this.loading.get(name);
    if (!p) {
      p = Promise.resolve(this.secrets.get(name)).then(
        v => { if (v) this.cached.set(name, v); else this.cached.delete(name); },
        () => { this.cached.delete(name); },
      );
      this.loading.set(name, p);
    }
    return p;
  }

  /** Reads every profile's key once (lazily, never during activation). */
  async load(): Promise<void> {
    // The default key too when a named profile stands for the default server (see readProfiles).
    const names = new Set([...this.owners.profiles().map(p => secretKeyName(p.name)), secretKeyName(DEFAULT_PROFILE)]);
    await Promise.all([...names].map(n => this.loadOne(n)));
  }

  /** Whether the profile has a key (after load()). */
  has(profile: string): boolean {
    return this.cached.has(secretKeyName(profile));
  }

  /**
   * The key for a request to `serverUrl`: the key of the profile that server is (the profile with exactly that URL
   * first, then one of the same origin); never a key of another server.
   */
  keyFor(serverUrl: string): string | undefined {
    const origin = originOf(serverUrl);
    if (!origin) return undefined;
    const url = cleanServerUrl(serverUrl);
    const profiles = this.owners.profiles();
    const addresses = (p: ServerProfile): string[] => (p.isDefault ? [p.url, ...this.owners.defaultUrls()] : [p.url]);
    const exact = profiles.filter(p => addresses(p).some(a => cleanServerUrl(a) === url));
    const sameOrigin = profiles.filter(p => addresses(p).some(a => originOf(a) === origin));
    for (const p of [...exact, ...sameOrigin]) {
      // The default server's key stays its key when a named profile stands for it (readProfiles).
      const key = this.cached.get(secretKeyName(p.name)) ?? (p.isDefault ? this.cached.get(secretKeyName(DEFAULT_PROFILE)) : undefined);
      if (key) return key;
    }
    return undefined;
  }

  /** Stores (or with no value removes) a profile's key. */
  async set(profile: string, value: string | undefined): Promise<void> {
    const name = secretKeyName(profile);
    if (value) await this.secrets.store(name, value); else await this.secrets.delete(name);
    if (value) this.cached.set(name, value); else this.cached.delete(name);
    this.loading.set(name, Promise.resolve());
  }

  dispose(): void { this.sub.dispose(); }
}

function originOf(url: string): string | undefined {
  try { return new URL(url).origin; } catch { return undefined; }
}

/** Which profile's key a command is about: the one named, the only one, or the one the user picks. */
async function pickProfile(store: ApiKeyStore, owners: KeyOwners, name: unknown, title: string): Promise<ServerProfile | undefined> {
  const profiles = owners.profiles();
  if (typeof name === 'string' && name) {
    const p = profileNamed(profiles, name);
    if (!p) void vscode.window.showErrorMessage(vscode.l10n.t('There is no ACE-Step server named "{0}" (acestep.servers).', name));
    return p;
  }
  if (profiles.length === 1) return profiles[0];
  await store.load();
  const pick = await vscode.window.showQuickPick(profiles.map(p => ({
    label: p.name,
    description: p.url,
    detail: store.has(p.name) ? vscode.l10n.t('has a key') : vscode.l10n.t('no key'),
    profile: p,
  })), { title, placeHolder: vscode.l10n.t('Which server is the key for?') });
  return pick?.profile;
}

export function registerApiKeyCommands(context: vscode.ExtensionContext, store: ApiKeyStore, owners: KeyOwners): void {
  context.subscriptions.push(
    // (value, profileName): tests and scripts give both; without a name and with several servers, a quick pick asks.
    vscode.commands.registerCommand(COMMANDS.setApiKey, async (value?: unknown, profileName?: unknown) => {
      const profile = typeof value === 'string' && profileName === undefined
        ? owners.profiles()[0]
        : await pickProfile(store, owners, profileName, vscode.l10n.t('ACE-Step API Key'));
      if (!profile) return false;
      const key = typeof value === 'string' ? value : await vscode.window.showInputBox({
        title: owners.profiles().length > 1 ? vscode.l10n.t('ACE-Step API Key for {0}', profile.name) : vscode.l10n.t('ACE-Step API Key'),
        prompt: owners.profiles().length > 1
          ? vscode.l10n.t('The key the ACE-Step server {0} ({1}) expects. Stored in VS Code\'s secret storage, sent only to that server.', profile.name, profile.url)
          : vscode.l10n.t('The key your ACE-Step server expects (ACESTEP_API_KEY). Stored in VS Code\'s secret storage, sent only to your configured server.'),
        password: true,
        ignoreFocusOut: true,
      });
      if (key === undefined) return false;
      await store.set(profile.name, key.trim() || undefined);
      void vscode.window.showInformationMessage(key.trim() ? vscode.l10n.t('ACE-Step API key saved.') : vscode.l10n.t('ACE-Step API key removed.'));
      return true;
    }),
    vscode.commands.registerCommand(COMMANDS.clearApiKey, async (profileName?: unknown) => {
      const profile = await pickProfile(store, owners, profileName, vscode.l10n.t('Clear ACE-Step API Key'));
      if (!profile) return false;
      await store.set(profile.name, undefined);
      void vscode.window.showInformationMessage(vscode.l10n.t('ACE-Step API key removed.'));
      return true;
    }),
  );
}
