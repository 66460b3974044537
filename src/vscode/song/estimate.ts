// The duration estimate in the editor: a CodeLens on the `duration:` line and a status bar item while a
// .song is active. "set" writes the recommended value as one undoable edit.
import * as vscode from 'vscode';
import type { SongAnalysis } from '../../core/song';
import { formatSeconds } from '../../core/song/estimate';
import { toRange } from '../convert';
import { isSong, SONG_SELECTOR, type SongAnalyzer } from './analyzer';
import { COMMANDS } from '../commands';

export function estimateLabel(analysis: SongAnalysis): string {
  const e = analysis.estimate;
  return vscode.l10n.t('≈ {0} estimated, {1}–{2}', formatSeconds(e.seconds), formatSeconds(e.min), formatSeconds(e.max));
}

class DurationLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  constructor(private readonly analyzer: SongAnalyzer) {}

  refresh(): void { this.changed.fire(); }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration('acestep').get<boolean>('estimate.codeLens', true)) return [];
    const analysis = this.analyzer.analyze(doc);
    const fm = analysis.parsed.frontmatter;
    const entry = fm?.entries.find(e => e.canonical === 'duration');
    const anchor = entry ? toRange(entry.keyRange) : fm ? new vscode.Range(fm.openLine, 0, fm.openLine, 0) : new vscode.Range(0, 0, 0, 0);
    const lenses = [new vscode.CodeLens(anchor, { title: estimateLabel(analysis), command: '', tooltip: vscode.l10n.t('Estimated from the lyrics: about 3–5 s a sung line, depending on tempo and syllables') })];
    const current = entry?.value;
    if (current !== analysis.estimate.seconds) {
      lenses.push(new vscode.CodeLens(anchor, {
        title: vscode.l10n.t('set {0} s', analysis.estimate.seconds), command: COMMANDS.setRecommendedDuration, arguments: [doc.uri, analysis.estimate.seconds],
        tooltip: vscode.l10n.t('Write the recommended duration into the frontmatter'),
      }));
    }
    return lenses;
  }
}

/** Replaces (or adds) `duration:` in the frontmatter, as one undoable edit. */
async function setDuration(analyzer: SongAnalyzer, uri?: vscode.Uri, seconds?: number): Promise<boolean> {
  const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!isSong(doc)) return false;
  const analysis = analyzer.analyze(doc);
  const value = String(seconds ?? analysis.estimate.seconds);
  const fm = analysis.parsed.frontmatter;
  const entry = fm?.entries.find(e => e.canonical === 'duration');
  const edit = new vscode.WorkspaceEdit();
  if (entry) edit.replace(doc.uri, toRange(entry.valueRange), value);
  else if (fm && fm.closeLine !== null) edit.insert(doc.uri, new vscode.Position(fm.closeLine, 0), `duration: ${value}${doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n'}`);
  else edit.insert(doc.uri, new vscode.Position(0, 0), `---\nduration: ${value}\n---\n`);
  return vscode.workspace.applyEdit(edit);
}

export function registerEstimate(context: vscode.ExtensionContext, analyzer: SongAnalyzer): vscode.StatusBarItem {
  const lens = new DurationLens(analyzer);
  const item = vscode.window.createStatusBarItem('acestep.estimate', vscode.StatusBarAlignment.Right, 100);
  item.name = vscode.l10n.t('ACE-Step: Song Duration Estimate');
  let timer: NodeJS.Timeout | undefined;
  const update = () => {
    const doc = vscode.window.activeTextEditor?.document;
    if (!isSong(doc)) { item.hide(); return; }
    const analysis = analyzer.analyze(doc);
    const e = analysis.estimate;
    item.text = `$(clock) ≈ ${formatSeconds(e.seconds)}`;
    const heading = vscode.l10n.t('**Estimated duration** {0}–{1}, recommended {2} s', formatSeconds(e.min), formatSeconds(e.max), e.seconds);
    const sections = e.sections.map(s => `- ${s.name || vscode.l10n.t('(before the first tag)')}: ${s.seconds} s`);
    item.tooltip = new vscode.MarkdownString(`${heading}\n\n${sections.join('\n')}`);
    item.accessibilityInformation = { label: vscode.l10n.t('Estimated song duration {0}', formatSeconds(e.seconds)) };
    item.command = { title: vscode.l10n.t('Set duration'), command: COMMANDS.setRecommendedDuration, arguments: [doc.uri, e.seconds] };
    item.show();
  };
  context.subscriptions.push(
    item,
    vscode.languages.registerCodeLensProvider(SONG_SELECTOR, lens),
    vscode.commands.registerCommand(COMMANDS.setRecommendedDuration, (uri?: vscode.Uri, seconds?: number) => setDuration(analyzer, uri, seconds)),
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeTextDocument(e => {
      if (e.document !== vscode.window.activeTextEditor?.document) return;
      clearTimeout(timer);
      timer = setTimeout(update, 150);
    }),
    vscode.workspace.onDidChangeConfiguration(e => { if (e.affectsConfiguration('acestep')) lens.refresh(); }),
    { dispose: () => clearTimeout(timer) },
  );
  update();
  return item;
}
