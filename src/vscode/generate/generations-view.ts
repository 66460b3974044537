// The "Generations" tree: songs → jobs → takes, with open, reveal, delete and re-run. An edited take's job sits
// under the take it was edited from (its lineage), so a song's edits read as a tree: take → edit → take → edit.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { serverKindLabel } from '../../core/api';
import { isTerminal, type JobSnapshot, type TakeRecord } from '../../core/jobs';
import { describeEdit, type EditOperation } from '../../core/jobs/edit';
import { describeProgress, progressLine } from '../../core/jobs/progress';
import type { GenerationService } from './service';
import { COMMANDS } from '../commands';

type Node =
  | { kind: 'song'; key: string; title: string; jobs: JobSnapshot[] }
  | { kind: 'job'; job: JobSnapshot }
  | { kind: 'take'; job: JobSnapshot; take: TakeRecord };

class GenerationsTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  constructor(private readonly service: GenerationService) {}
  refresh(): void { this.changed.fire(); }

  /** Edited jobs by the take file they were edited from, for the jobs whose parent take is listed. */
  private derived(jobs: JobSnapshot[]): Map<string, JobSnapshot[]> {
    const files = new Set(jobs.flatMap(j => (j.takes ?? []).map(t => t.file).filter((f): f is string => !!f)));
    const byParent = new Map<string, JobSnapshot[]>();
    for (const job of jobs) {
      const parent = job.lineage?.parent.file;
      if (parent && files.has(parent)) byParent.set(parent, [...(byParent.get(parent) ?? []), job]);
    }
    return byParent;
  }

  getChildren(node?: Node): Node[] {
    const all = this.service.list();
    const derived = this.derived(all);
    if (node?.kind === 'take') {
      return (node.take.file ? derived.get(node.take.file) ?? [] : []).sort((a, b) => a.createdAt - b.createdAt).map(job => ({ kind: 'job', job }));
    }
    if (!node) {
      const underTakes = new Set([...derived.values()].flat().map(j => j.id));
      const bySong = new Map<string, JobSnapshot[]>();
      for (const job of all.filter(j => !underTakes.has(j.id))) {
        const key = job.songPath ?? job.title;
        bySong.set(key, [...(bySong.get(key) ?? []), job]);
      }
      return [...bySong.entries()]
        .map(([key, jobs]) => ({ kind: 'song' as const, key, title: jobs[0].title, jobs: jobs.sort((a, b) => b.createdAt - a.createdAt) }))
        .sort((a, b) => b.jobs[0].createdAt - a.jobs[0].createdAt);
    }
    if (node.kind === 'song') return node.jobs.map(job => ({ kind: 'job', job }));
    if (node.kind === 'job') return (node.job.takes ?? []).map(take => ({ kind: 'take', job: node.job, take }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'song') {
      const item = new vscode.TreeItem(node.title, vscode.TreeItemCollapsibleState.Expanded);
      item.iconPath = new vscode.ThemeIcon('book');
      item.description = node.jobs.length === 1 ? vscode.l10n.t('1 generation') : vscode.l10n.t('{0} generations', node.jobs.length);
      if (node.jobs[0].songPath) item.resourceUri = vscode.Uri.file(node.jobs[0].songPath);
      item.contextValue = 'acestep.song';
      return item;
    }
    if (node.kind === 'job') {
      const j = node.job;
      // An edit is named by what it did; a generation by when it ran.
      const label = j.lineage ? describeEdit(j.lineage.operation as unknown as EditOperation) : new Date(j.createdAt).toLocaleString();
      // Open where there is lineage to see: an edit, or a job whose takes were edited.
      const derived = this.derived(this.service.list());
      const open = !!j.lineage || !!j.takes?.some(t => t.file && derived.has(t.file));
      const item = new vscode.TreeItem(label, j.takes?.length ? (open ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None);
      item.description = progressLine(j);
      const server = j.flavour ? `${j.serverUrl} (${serverKindLabel(j.flavour)})` : j.serverUrl;
      item.tooltip = new vscode.MarkdownString(vscode.l10n.t('**{0}**\n\n{1}\n\nServer: {2}\n\nOutput: {3}', j.title, describeProgress(j), server, j.outputDir));
      item.iconPath = new vscode.ThemeIcon(j.state === 'succeeded' ? 'pass' : isTerminal(j.state) ? (j.state === 'cancelled' ? 'circle-slash' : 'error') : 'sync~spin');
      item.contextValue = `acestep.job.${isTerminal(j.state) ? 'done' : 'running'}`;
      return item;
    }
    const { take, job } = node;
    const label = take.file ? path.basename(take.file) : vscode.l10n.t('take {0} (not downloaded)', take.index + 1);
    const edits = take.file ? this.derived(this.service.list()).get(take.file)?.length ?? 0 : 0;
    const item = new vscode.TreeItem(label, edits ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    const item0 = job.items?.[take.index];
    const parts = [item0?.metas.duration ? `${Math.round(item0.metas.duration)} s` : undefined, item0?.seed !== undefined ? vscode.l10n.t('seed {0}', item0.seed) : undefined,
      take.bytes ? `${(take.bytes / 1e6).toFixed(1)} MB` : undefined, take.error ? take.error.message : undefined].filter(Boolean);
    item.description = parts.join(' · ');
    item.iconPath = new vscode.ThemeIcon(take.file ? 'file-media' : 'warning');
    if (take.file) {
      item.resourceUri = vscode.Uri.file(take.file);
      // Opens the player on this take (not the job's first).
      item.command = { title: vscode.l10n.t('Open'), command: COMMANDS.openTakes, arguments: [job.id, take.index] };
    }
    item.contextValue = take.file ? 'acestep.take' : 'acestep.take.missing';
    return item;
  }
}

/** The view's commands and data; the view itself is created at activation (src/vscode/generate/index.ts). */
export function registerGenerationsView(context: vscode.ExtensionContext, service: GenerationService): vscode.TreeDataProvider<unknown> {
  const tree = new GenerationsTree(service);
  let pending: NodeJS.Timeout | undefined;
  context.subscriptions.push(
    // Progress events come often: redraw the tree at most a few times a second.
    service.onDidChange(() => { pending ??= setTimeout(() => { pending = undefined; tree.refresh(); }, 250); }),
    { dispose: () => clearTimeout(pending) },
    vscode.commands.registerCommand(COMMANDS.generationsRefresh, () => tree.refresh()),
    vscode.commands.registerCommand(COMMANDS.generationsReveal, (node?: Node) => {
      const file = node?.kind === 'take' ? node.take.file : node?.kind === 'job' ? node.job.takes?.find(t => t.file)?.file : undefined;
      if (file) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(file));
    }),
    vscode.commands.registerCommand(COMMANDS.generationsRerun, (node?: Node) => {
      if (node?.kind === 'job') service.resubmit(node.job);
    }),
    vscode.commands.registerCommand(COMMANDS.generationsCancel, (node?: Node) => {
      if (node?.kind === 'job') service.jobs().cancel(node.job.id);
    }),
    vscode.commands.registerCommand(COMMANDS.generationsDelete, async (node?: Node) => {
      if (!node || node.kind === 'song') return;
      if (node.kind === 'job') {
        if (!isTerminal(node.job.state)) return;
        service.jobs().remove(node.job.id);
        return;
      }
      const file = node.take.file;
      if (!file) return;
      const remove = vscode.l10n.t('Delete');
      const ok = await vscode.window.showWarningMessage(vscode.l10n.t('Delete {0} and its sidecar?', path.basename(file)), { modal: true }, remove);
      if (ok !== remove) return;
      await vscode.workspace.fs.delete(vscode.Uri.file(file), { useTrash: true }).then(undefined, () => fs.rm(file, { force: true }));
      if (node.take.sidecar) await fs.rm(node.take.sidecar, { force: true });
      tree.refresh();
    }),
  );
  return tree as vscode.TreeDataProvider<unknown>;
}
