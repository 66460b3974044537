// "ACE-Step: Generate All Songs in Folder": every .song of a folder, dispatched across the enabled servers by the
// window's dispatcher (src/core/jobs/dispatch.ts), followed in the Servers view and a notification, ended with a
// summary. Songs with errors are left out (and named); a server that stops answering leaves its songs that had not
// started waiting for the user's word before they move (GPU time is the user's to spend).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DispatchEntry, DispatchInput, DispatcherLike } from '../../core/jobs/dispatch-types';
import { allSucceeded, formatTable, summaryRows, tally, tallyLine } from '../../core/jobs/dispatch-view';
import { dispatchInputOf, longestFirst } from '../../core/jobs/plan';
import type { SongAnalyzer } from '../song/analyzer';
import { COMMANDS } from '../commands';
import type { GenerationService } from './service';
import { RENDER_VIEW_ID, type RenderNode, type RenderViewSource } from './render-view';

export interface RenderArgs {
  /** false: no confirmation (tests, scripts). */
  confirm?: boolean;
}

export interface RenderOutcome {
  entries: DispatchEntry[];
  /** The songs left out, with why. */
  skipped: { file: string; reason: string }[];
}


async function pickFolder(): Promise<vscode.Uri | undefined> {
  const [folder] = await vscode.window.showOpenDialog({
    canSelectFolders: true, canSelectFiles: false, canSelectMany: false,
    ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
    openLabel: vscode.l10n.t('Generate All Songs'),
  }) ?? [];
  return folder;
}

export async function renderFolder(service: GenerationService, analyzer: SongAnalyzer, folderArg: unknown, args: RenderArgs = {}): Promise<RenderOutcome | undefined> {
  const folder = folderArg instanceof vscode.Uri ? folderArg : await pickFolder();
  if (!folder) return undefined;
  const files = (await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '*.song'))).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  const name = path.basename(folder.fsPath);
  if (!files.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There are no .song files in {0}.', name));
    return undefined;
  }
  const profiles = service.profiles.enabled();
  if (!profiles.length) {
    void vscode.window.showErrorMessage(vscode.l10n.t('No ACE-Step server is enabled: enable one in the acestep.servers setting.'));
    return undefined;
  }
  const inputs: DispatchInput[] = [];
  const skipped: RenderOutcome['skipped'] = [];
  for (const file of files) {
    const rel = path.relative(folder.fsPath, file.fsPath);
    let doc: vscode.TextDocument;
    try {
      doc = await vscode.workspace.openTextDocument(file);
    } catch {
      skipped.push({ file: rel, reason: vscode.l10n.t('it could not be read') });
      continue;
    }
    const analysis = analyzer.analyze(doc);
    const errors = analysis.diagnostics.filter(d => d.severity === 'error');
    if (errors.length) {
      skipped.push({ file: rel, reason: vscode.l10n.t('line {0}: {1}', errors[0].range.start.line + 1, errors[0].message) });
      continue;
    }
    if (doc.isDirty && !doc.isUntitled && !(await doc.save())) {
      skipped.push({ file: rel, reason: vscode.l10n.t('it could not be saved') });
      continue;
    }
    const plan = service.plan(doc, analysis);
    await service.clearStaleTemps(plan);
    inputs.push(dispatchInputOf(plan, analysis.parsed));
  }
  if (!inputs.length) {
    void vscode.window.showErrorMessage(vscode.l10n.t('None of the {0} songs in {1} can be generated: {2}', files.length, name, skipped.map(s => `${s.file} (${s.reason})`).join('; ')));
    return { entries: [], skipped };
  }
  if (args.confirm !== false) {
    const go = vscode.l10n.t('Generate');
    const servers = profiles.map(p => p.name).join(', ');
    const detail = skipped.length
      ? vscode.l10n.t('Left out, with errors to fix first: {0}', skipped.map(s => `${s.file} (${s.reason})`).join('; '))
      : undefined;
    const message = inputs.length === 1
      ? vscode.l10n.t('Generate 1 song from {0} on {1}?', name, servers)
      : vscode.l10n.t('Generate {0} songs from {1} on {2}?', inputs.length, name, servers);
    if (await vscode.window.showInformationMessage(message, { modal: true, ...(detail ? { detail } : {}) }, go) !== go) return undefined;
  }
  const dispatcher = await service.dispatcher();
  const entries = dispatcher.enqueue(longestFirst(inputs, i => i.audioSeconds));
  const ids = new Set(entries.map(e => e.id));
  const mine = () => dispatcher.entries().filter(e => ids.has(e.id));
  void vscode.commands.executeCommand(`${RENDER_VIEW_ID}.focus`).then(undefined, () => undefined);
  const asked = new Set<string>();
  const final = await vscode.window.withProgress({
    location: vscode.ProgressLocation.Notification,
    title: vscode.l10n.t('ACE-Step: {0}', name),
    cancellable: true,
  }, (progress, token) => new Promise<DispatchEntry[]>(resolve => {
    const update = () => {
      const now = mine();
      progress.report({ message: tallyLine(tally(now)) });
      const stranded = now.filter(e => e.state === 'stranded' && !asked.has(e.id));
      if (stranded.length) {
        stranded.forEach(e => asked.add(e.id));
        void askToMove(dispatcher, stranded);
      }
    };
    const sub = dispatcher.onDidChange(update);
    update();
    token.onCancellationRequested(() => { for (const e of mine()) dispatcher.cancel(e.id); });
    // A song not started because its server stopped answering counts as ended, until the user moves it.
    void dispatcher.settled([...ids]).then(done => { sub.dispose(); resolve(done); });
  }));
  const t = tally(final);
  service.log.info(`Generated ${name}:\n${formatTable(summaryRows(final.map(entry => ({ title: entry.title, entry })))).join('\n')}`);
  const showLog = vscode.l10n.t('Show Summary');
  const message = allSucceeded(final)
    ? vscode.l10n.t('{0}: all {1} songs generated.', name, t.total)
    : vscode.l10n.t('{0}: {1}', name, tallyLine(t));
  void (allSucceeded(final) ? vscode.window.showInformationMessage(message, showLog) : vscode.window.showWarningMessage(message, showLog))
    .then(choice => { if (choice === showLog) service.log.show(true); });
  return { entries: final, skipped };
}

async function askToMove(dispatcher: DispatcherLike, stranded: DispatchEntry[]): Promise<void> {
  const server = stranded[0].server ?? '';
  const move = vscode.l10n.t('Move to Other Servers');
  const message = stranded.length === 1
    ? vscode.l10n.t('{0} stopped answering before "{1}" started. Move it to the other servers?', server, stranded[0].title)
    : vscode.l10n.t('{0} stopped answering before {1} songs started. Move them to the other servers?', server, stranded.length);
  if (await vscode.window.showWarningMessage(message, move) === move) dispatcher.moveStranded(stranded.map(e => e.id));
}

export function registerRender(context: vscode.ExtensionContext, service: GenerationService, analyzer: SongAnalyzer): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.generateFolder, (folder?: unknown, args?: RenderArgs) =>
      renderFolder(service, analyzer, folder, args && typeof args === 'object' ? args : {})),
    // The inline action of the "Not started" group in the Servers view: the user agrees to move them.
    vscode.commands.registerCommand(COMMANDS.renderMoveStranded, (node?: RenderNode) => {
      const ids = node?.kind === 'group' ? node.entries.map(e => e.id) : node?.kind === 'entry' ? [node.entry.id] : undefined;
      service.currentDispatcher()?.moveStranded(ids);
    }),
  );
}

/** What the Servers view follows: the window's dispatcher once made, the configured servers before. */
export function renderViewSource(context: vscode.ExtensionContext, service: GenerationService): RenderViewSource {
  const changed = new vscode.EventEmitter<void>();
  context.subscriptions.push(
    changed,
    service.onDidMakeDispatcher(() => changed.fire()),
    service.profiles.onDidChange(() => changed.fire()),
  );
  return {
    dispatcher: () => service.currentDispatcher(),
    idleServers: () => service.profiles.enabled().map(p => ({ name: p.name, url: p.url, queued: 0, running: 0, ours: 0 })),
    onDidChange: changed.event,
  };
}
