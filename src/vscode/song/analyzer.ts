// One analysis per document version, shared by every feature (diagnostics, CodeLens, status bar, quick fixes):
// a .song is parsed and linted at most once per edit, however many providers ask.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SongAnalysis, LintOptions } from '../../core/song';
import { bundles } from '../lazy';

export const SONG_LANGUAGE = 'song';
export const SONG_SELECTOR: vscode.DocumentSelector = { language: SONG_LANGUAGE };

export function isSong(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return doc?.languageId === SONG_LANGUAGE;
}

export class SongAnalyzer implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; analysis: SongAnalysis }>();
  private options: LintOptions | undefined;
  private readonly subscriptions: vscode.Disposable[];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when an analysis may have changed without an edit (a source recording's length was read). */
  readonly onDidChange = this.changed.event;
  /** The names of the server profiles (a song's `server:` is checked against them), once known. */
  private serverNames: (() => readonly string[]) | undefined;
  /** Source recordings' lengths (for the repaint range lints), read in the background, kept by path and mtime. */
  private lengths: { lengthOf(file: string): number | undefined } | undefined;

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidCloseTextDocument(doc => this.cache.delete(doc.uri.toString())),
      vscode.workspace.onDidChangeConfiguration(e => {
        if (e.affectsConfiguration('acestep.lint')) { this.options = undefined; this.cache.clear(); }
      }),
    ];
  }

  analyze(doc: vscode.TextDocument): SongAnalysis {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.analysis;
    const baseDir = doc.uri.scheme === 'file' ? path.dirname(doc.uri.fsPath) : undefined;
    const serverProfiles = this.serverNames?.();
    const analysis = bundles.song().analyzeSong(doc.getText(), { ...this.lintOptions(), baseDir, ...(serverProfiles ? { serverProfiles } : {}) });
    this.cache.set(key, { version: doc.version, analysis });
    return analysis;
  }

  /** Checks `server:` against these names from now on, again whenever `onChange` fires. */
  useServerNames(names: () => readonly string[], onChange: vscode.Event<void>): vscode.Disposable {
    // Read once and kept until the profiles change: an analysis runs on every edit.
    let known: readonly string[] | undefined;
    this.serverNames = () => (known ??= names());
    return onChange(() => { known = undefined; this.cache.clear(); this.changed.fire(); });
  }

  private lintOptions(): LintOptions {
    if (!this.options) {
      const config = vscode.workspace.getConfiguration('acestep.lint');
      const min = config.get<number>('syllables.min', 6);
      const max = config.get<number>('syllables.max', 10);
      const disabled = [...config.get<string[]>('disabled', [])];
      if (!config.get<boolean>('syllables.enabled', true)) disabled.push('syllables');
      this.lengths ??= new (bundles.song().AudioLengthCache)(() => { this.cache.clear(); this.changed.fire(); });
      const lengths = this.lengths;
      this.options = { disabled, syllableRange: { min, max }, fileExists: p => fs.existsSync(p), audioLength: p => lengths.lengthOf(p) };
    }
    return this.options;
  }

  dispose(): void {
    this.subscriptions.forEach(d => d.dispose());
    this.changed.dispose();
    this.cache.clear();
  }
}
