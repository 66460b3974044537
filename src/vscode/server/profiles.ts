// The server profiles of the window: `acestep.servers` beside the default profile, whose URL is the one the
// ServerEndpoint chooses (the user's acestep.serverUrl, else the Docker setup's server). Read afresh on every ask
// (the Docker server may change without a settings change); onDidChange fires when the settings change.
// Loaded at activation (made in src/extension.ts): reads settings only, no network, no files.
import * as vscode from 'vscode';
import { enabledProfiles, readProfiles, type Profiles, type ServerProfile } from '../../core/servers/profiles';
import type { ServerEndpoint } from './endpoint';

/** The settings whose change changes the profiles. */
const SETTINGS = ['acestep.servers', 'acestep.serverUrl', 'acestep.composeDirectory'];

export class ServerProfiles implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** The profiles may have changed (a setting did). */
  readonly onDidChange = this.changed.event;
  private readonly sub: vscode.Disposable;
  /** The problems last shown, so the same ones are shown once. */
  private shown = '';

  constructor(private readonly endpoint: Pick<ServerEndpoint, 'url'>) {
    this.sub = vscode.workspace.onDidChangeConfiguration(e => {
      if (!SETTINGS.some(s => e.affectsConfiguration(s))) return;
      this.current();
      this.changed.fire();
    });
  }

  /** Every profile (the default one first) and what was wrong in the setting; new problems are shown once. */
  current(): Profiles {
    const read = readProfiles({
      servers: vscode.workspace.getConfiguration('acestep').get<unknown>('servers'),
      defaultUrl: this.endpoint.url(),
      ...(vscode.workspace.workspaceFolders?.[0] ? { baseDir: vscode.workspace.workspaceFolders[0].uri.fsPath } : {}),
    });
    this.warn(read.problems);
    return read;
  }

  list(): ServerProfile[] {
    return this.current().profiles;
  }

  /** The profiles that get jobs and are shown in the status. */
  enabled(): ServerProfile[] {
    return enabledProfiles(this.list());
  }

  /** Whether there is more than one server to show (with one, everything looks as it did before profiles). */
  several(): boolean {
    return this.enabled().length > 1;
  }

  private warn(problems: readonly string[]): void {
    const key = problems.join('\n');
    if (key === this.shown) return;
    this.shown = key;
    if (!problems.length) return;
    const open = vscode.l10n.t('Open Settings');
    void vscode.window.showWarningMessage(vscode.l10n.t('Some ACE-Step servers in acestep.servers are left out: {0}', problems.join(' ')), open)
      .then(choice => { if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'acestep.servers'); });
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
