// Quick fixes: every fix the linter attached to a diagnostic becomes a code action. The diagnostics VS Code
// hands back are copies, so the core diagnostic is found again by code and range in the (cached) analysis.
import * as vscode from 'vscode';
import { toRange, toWorkspaceEdit } from '../convert';
import { SONG_SELECTOR, type SongAnalyzer } from './analyzer';
import { DIAGNOSTIC_SOURCE } from './diagnostics';

class SongQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];
  constructor(private readonly analyzer: SongAnalyzer) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter(d => d.source === DIAGNOSTIC_SOURCE);
    if (!ours.length) return [];
    const core = this.analyzer.analyze(doc).diagnostics;
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of ours) {
      const match = core.find(c => c.code === diagnostic.code && toRange(c.range).isEqual(diagnostic.range));
      for (const fix of match?.fixes ?? []) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = toWorkspaceEdit(doc.uri, fix.edits);
        action.diagnostics = [diagnostic];
        action.isPreferred = fix.isPreferred;
        actions.push(action);
      }
    }
    return actions;
  }
}

export function registerCodeActions(context: vscode.ExtensionContext, analyzer: SongAnalyzer): void {
  context.subscriptions.push(vscode.languages.registerCodeActionsProvider(SONG_SELECTOR, new SongQuickFixes(analyzer), {
    providedCodeActionKinds: SongQuickFixes.kinds,
  }));
}
