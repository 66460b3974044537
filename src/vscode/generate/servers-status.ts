// The servers status bar item: shown only when there are several enabled servers (with one, the server status
// bar item says all as before). "ACE-Step 2/3 up", every server in the tooltip, click for Check Server. It looks
// when woken (the first .song editor), when the profiles change, on Check Server, and every minute meanwhile.
import * as vscode from 'vscode';
import type { ServerStatus } from '../../core/servers/status';
import { upCount } from '../../core/servers/status';
import type { ServerProfiles } from '../server/profiles';
import { COMMANDS } from '../commands';
import { serversTooltip, upSummary } from './servers-report';
import type { GenerationService } from './service';

const REFRESH_MS = 60_000;

export class ServersStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('acestep.servers', vscode.StatusBarAlignment.Left, 48);
  private readonly subs: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private last: ServerStatus[] | undefined;
  private pending: Promise<ServerStatus[]> | undefined;
  private awake = false;

  constructor(private readonly service: GenerationService, private readonly profiles: ServerProfiles) {
    this.item.name = vscode.l10n.t('ACE-Step: Servers');
    this.item.command = COMMANDS.checkServer;
    this.subs.push(this.item, profiles.onDidChange(() => {
      this.last = undefined;
      // A second server just added (or the list changed): look now; back to one, the item hides.
      if (profiles.several()) { this.awake = true; void this.refresh(); } else this.render();
    }));
    // Loaded when several servers are already set (generation loads on first use): show them from the start.
    if (profiles.several()) this.wake();
  }

  /** Starts looking (once): now, then every minute while there are several servers. */
  wake(): void {
    if (this.awake) return;
    this.awake = true;
    void this.refresh();
  }

  /** Asks every enabled server now (a look already under way is shared) and shows the result. */
  refresh(): Promise<ServerStatus[]> {
    this.pending ??= this.service.checkServers().then(statuses => {
      this.last = statuses;
      return statuses;
    }).finally(() => {
      this.pending = undefined;
      this.render();
    });
    this.render();
    return this.pending;
  }

  private render(): void {
    clearTimeout(this.timer);
    if (!this.profiles.several()) { this.item.hide(); return; }
    const last = this.last;
    if (!last) {
      this.item.text = `$(sync~spin) ${vscode.l10n.t('ACE-Step servers')}`;
      this.item.tooltip = vscode.l10n.t('Checking every ACE-Step server…');
    } else {
      const { up, checked } = upCount(last);
      this.item.text = `${up < checked ? '$(warning)' : '$(server)'} ACE-Step ${upSummary(last)}`;
      this.item.tooltip = serversTooltip(last);
    }
    this.item.accessibilityInformation = { label: this.item.text.replace(/\$\([^)]*\)\s*/g, '') };
    this.item.show();
    if (this.awake && !this.pending) this.timer = setTimeout(() => void this.refresh(), REFRESH_MS);
  }

  /** What the item shows (tests). */
  text(): string { return this.item.text; }
  tooltip(): string { const t = this.item.tooltip; return typeof t === 'string' ? t : t?.value ?? ''; }
  shown(): boolean { return this.profiles.several(); }

  dispose(): void {
    clearTimeout(this.timer);
    this.subs.forEach(s => s.dispose());
  }
}
