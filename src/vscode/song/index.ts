// The .song language features, registered together.
import * as vscode from 'vscode';
import { SongAnalyzer } from './analyzer';
import { registerCodeActions } from './code-actions';
import { registerDiagnostics } from './diagnostics';
import { registerEstimate } from './estimate';
import { registerLanguageFeatures } from './language-features';
import { registerNewSong } from './new-song';

export function registerSongLanguage(context: vscode.ExtensionContext): SongAnalyzer {
  const analyzer = new SongAnalyzer();
  context.subscriptions.push(analyzer);
  registerDiagnostics(context, analyzer);
  registerCodeActions(context, analyzer);
  registerLanguageFeatures(context, analyzer);
  registerEstimate(context, analyzer);
  registerNewSong(context);
  return analyzer;
}
