// Lets the core's sentences (src/core/l10n.ts) go through vscode.l10n, so lint messages, quick fixes and
// hover texts appear in the display language. The only place that calls l10n.t with a non-literal: its
// templates are extracted from src/core by scripts/l10n.mjs.
import * as vscode from 'vscode';
import { setTranslator } from '../core/l10n';

export function installCoreTranslator(context: vscode.ExtensionContext): void {
  setTranslator((template, args) => vscode.l10n.t(template, ...args));
  context.subscriptions.push({ dispose: () => setTranslator() });
}
