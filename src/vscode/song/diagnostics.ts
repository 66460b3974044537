// Diagnostics for .song files, refreshed shortly after typing stops (typing never waits on the linter).
import * as vscode from 'vscode';
import { toRange, toSeverity } from '../convert';
import { isSong, type SongAnalyzer } from './analyzer';

const DEBOUNCE_MS = 120;
export const DIAGNOSTIC_SOURCE = 'acestep';

export function registerDiagnostics(context: vscode.ExtensionContext, analyzer: SongAnalyzer): vscode.DiagnosticCollection {
  const collection = vscode.languages.createDiagnosticCollection('acestep');
  const timers = new Map<string, NodeJS.Timeout>();

  const refresh = (doc: vscode.TextDocument) => {
    // Documents of our own `acestep-…` schemes (an LM's proposal in a diff) are not the user's files: no problems.
    if (!isSong(doc) || doc.uri.scheme.startsWith('acestep-')) return;
    const diagnostics = analyzer.analyze(doc).diagnostics.map(d => {
      const diagnostic = new vscode.Diagnostic(toRange(d.range), d.message, toSeverity(d.severity));
      diagnostic.code = d.code;
      diagnostic.source = DIAGNOSTIC_SOURCE;
      return diagnostic;
    });
    collection.set(doc.uri, diagnostics);
  };
  const schedule = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => { timers.delete(key); refresh(doc); }, DEBOUNCE_MS));
  };

  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(refresh),
    vscode.workspace.onDidChangeTextDocument(e => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument(doc => { clearTimeout(timers.get(doc.uri.toString())); collection.delete(doc.uri); }),
    vscode.workspace.onDidChangeConfiguration(e => {
      if (e.affectsConfiguration('acestep.lint')) vscode.workspace.textDocuments.forEach(refresh);
    }),
    analyzer.onDidChange(() => vscode.workspace.textDocuments.forEach(refresh)),
    { dispose: () => timers.forEach(clearTimeout) },
  );
  vscode.workspace.textDocuments.forEach(refresh);
  return collection;
}
