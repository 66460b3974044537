// The "Servers" view: every server with what it is doing, and under it the songs of the current render that went
// there (queue position, stage, ETA); songs still waiting for a server, not started because their server stopped
// answering, or not sent, in groups of their own. The texts are the core's (dispatch-view.ts), as in a terminal.
import * as vscode from 'vscode';
import type { DispatchEntry, DispatcherLike, ServerLoad } from '../../core/jobs/dispatch-types';
import { entryDone, entryEta, entryState, serverBusy, serverState } from '../../core/jobs/dispatch-view';
import { COMMANDS } from '../commands';

/** The view's id (package.json contributes it to the ACE-Step container). */
export const RENDER_VIEW_ID = 'acestep.serversView';

export type RenderNode =
  | { kind: 'server'; server: ServerLoad }
  | { kind: 'group'; group: 'waiting' | 'stranded' | 'refused'; entries: DispatchEntry[] }
  | { kind: 'entry'; entry: DispatchEntry };

/** What the view shows: the window's dispatcher when there is one, the configured servers before that. */
export interface RenderViewSource {
  /** The dispatcher, when one was made (undefined: nothing rendered in this window yet). */
  dispatcher(): DispatcherLike | undefined;
  /** The servers to list before any render (name and URL, not asked yet). */
  idleServers(): ServerLoad[];
  /** Fires when a dispatcher is made or the configured servers change. */
  readonly onDidChange: vscode.Event<void>;
}

export class RenderTree implements vscode.TreeDataProvider<RenderNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subs: vscode.Disposable[] = [];
  private watched: DispatcherLike | undefined;
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly source: RenderViewSource) {
    this.subs.push(source.onDidChange(() => { this.watch(); this.refresh(); }));
    this.watch();
  }

  private watch(): void {
    const d = this.source.dispatcher();
    if (!d || d === this.watched) return;
    this.watched = d;
    // Progress comes often: redraw at most a few times a second.
    this.subs.push(d.onDidChange(() => { this.pending ??= setTimeout(() => { this.pending = undefined; this.refresh(); }, 250); }));
  }

  refresh(): void { this.changed.fire(); }

  private servers(): ServerLoad[] {
    return this.source.dispatcher()?.servers() ?? this.source.idleServers();
  }

  getChildren(node?: RenderNode): RenderNode[] {
    const entries = this.source.dispatcher()?.entries() ?? [];
    if (!node) {
      const nodes: RenderNode[] = this.servers().map(server => ({ kind: 'server', server }));
      for (const group of ['waiting', 'stranded', 'refused'] as const) {
        const inGroup = entries.filter(e => e.state === group);
        if (inGroup.length) nodes.push({ kind: 'group', group, entries: inGroup });
      }
      return nodes;
    }
    if (node.kind === 'server') {
      return entries.filter(e => e.state === 'dispatched' && e.server === node.server.name)
        // Unfinished first, in the order they will finish.
        .sort((a, b) => Number(entryDone(a)) - Number(entryDone(b)) || (a.etaSeconds ?? Infinity) - (b.etaSeconds ?? Infinity))
        .map(entry => ({ kind: 'entry', entry }));
    }
    if (node.kind === 'group') return node.entries.map(entry => ({ kind: 'entry', entry }));
    return [];
  }

  getTreeItem(node: RenderNode): vscode.TreeItem {
    if (node.kind === 'server') {
      const s = node.server;
      const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.Expanded);
      item.description = serverState(s);
      item.tooltip = new vscode.MarkdownString().appendText(`${s.name} — ${s.url}\n\n${serverState(s)}`);
      item.iconPath = new vscode.ThemeIcon(s.up === false ? 'debug-disconnect' : serverBusy(s) ? 'server-process' : 'server');
      item.contextValue = 'acestep.render.server';
      return item;
    }
    if (node.kind === 'group') {
      const label = node.group === 'waiting' ? vscode.l10n.t('Waiting for a server')
        : node.group === 'stranded' ? vscode.l10n.t('Not started: server stopped answering') : vscode.l10n.t('Not sent');
      const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
      item.description = String(node.entries.length);
      item.iconPath = new vscode.ThemeIcon(node.group === 'waiting' ? 'clock' : 'warning');
      item.contextValue = `acestep.render.${node.group}`;
      return item;
    }
    const e = node.entry;
    const item = new vscode.TreeItem(e.title, vscode.TreeItemCollapsibleState.None);
    item.description = [entryState(e), entryEta(e)].filter(Boolean).join(' · ');
    item.tooltip = new vscode.MarkdownString().appendText([e.title, e.server ? `${e.server} (${e.serverUrl ?? ''})` : '', item.description].filter(Boolean).join('\n\n'));
    const job = e.job;
    item.iconPath = new vscode.ThemeIcon(
      e.state === 'waiting' ? 'clock' : e.state !== 'dispatched' ? 'warning'
        : job?.state === 'succeeded' ? 'pass' : job && entryDone(e) ? 'error' : 'sync~spin');
    if (e.songPath) item.resourceUri = vscode.Uri.file(e.songPath);
    if (job?.state === 'succeeded') item.command = { title: vscode.l10n.t('Open'), command: COMMANDS.openTakes, arguments: [job.id] };
    else if (e.songPath) item.command = { title: vscode.l10n.t('Open'), command: 'vscode.open', arguments: [vscode.Uri.file(e.songPath)] };
    item.contextValue = `acestep.render.entry.${e.state}`;
    return item;
  }

  dispose(): void {
    clearTimeout(this.pending);
    this.subs.forEach(s => s.dispose());
    this.changed.dispose();
  }
}
