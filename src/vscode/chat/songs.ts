// Songs as the chat and the tools see them: the editor's lint settings as a validator for model-written
// songs, which open document a request is about, what a generation of it will cost.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { autofixSong, AUTOFIX_CODES, formatDiagnostic } from '../../core/ai';
import type { GpuCostInput } from '../../core/ai/assistant';
import { songTitle } from '../../core/jobs/plan';
import { analyzeSong, type LintOptions, type SongAnalysis } from '../../core/song';
import { isSong } from '../song/analyzer';
import { generationSettings } from '../settings';
import type { GenerationService } from '../generate';

/** The lint settings the editor uses (acestep.lint.*), for songs that have no document yet. */
export function editorLintOptions(): LintOptions {
  const config = vscode.workspace.getConfiguration('acestep.lint');
  const disabled = [...config.get<string[]>('disabled', []), 'file-not-found'];
  if (!config.get<boolean>('syllables.enabled', true)) disabled.push('syllables');
  return { disabled, syllableRange: { min: config.get<number>('syllables.min', 6), max: config.get<number>('syllables.max', 10) } };
}

/** Codes reported to the model whatever their severity (as songValidator does). */
const ALSO_CODES = new Set(['stacked-modifiers', 'syllables', 'duration-too-long']);

/** writeSong's `validate` with the editor's settings: errors, warnings and the few hints a model should fix. */
export function editorValidator(): (songText: string) => { errors: string[] } {
  const options = editorLintOptions();
  return text => ({
    errors: analyzeSong(text, options).diagnostics
      .filter(d => d.severity === 'error' || d.severity === 'warning' || ALSO_CODES.has(d.code))
      .map(formatDiagnostic),
  });
}

/**
 * The linter's safe quick fixes, applied to a model's draft before it is checked. Out-of-range values are
 * not clamped: the model is asked to choose a sensible value itself.
 */
export function chatAutofix(text: string): { text: string; applied: string[] } {
  return autofixSong(text, AUTOFIX_CODES.filter(c => c !== 'out-of-range'));
}

/** The .song a request is about: one attached to the request, else the active editor, else a visible one. */
export async function findSongDocument(references: readonly vscode.ChatPromptReference[] = []): Promise<vscode.TextDocument | undefined> {
  for (const ref of references) {
    const value = ref.value;
    const uri = value instanceof vscode.Uri ? value : value instanceof vscode.Location ? value.uri : undefined;
    if (uri && /\.song$/i.test(uri.path)) {
      try { return await vscode.workspace.openTextDocument(uri); } catch { /* a missing file: try the editors */ }
    }
  }
  const active = vscode.window.activeTextEditor?.document;
  if (isSong(active)) return active;
  return vscode.window.visibleTextEditors.map(e => e.document).find(isSong);
}

/** A path from a tool call: absolute, a file URI, or relative to the first workspace folder. */
export function resolveSongPath(input: string): vscode.Uri | undefined {
  const p = input.trim();
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(p)) {
    try { return vscode.Uri.parse(p, true); } catch { return undefined; }
  }
  if (path.isAbsolute(p)) return vscode.Uri.file(p);
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  return root ? vscode.Uri.joinPath(root, p) : undefined;
}

export async function exists(uri: vscode.Uri): Promise<boolean> {
  if (vscode.workspace.textDocuments.some(d => d.uri.toString() === uri.toString())) return true;
  try { await vscode.workspace.fs.stat(uri); return true; } catch { return false; }
}

/** A short name for messages: the path relative to the workspace, or the untitled editor's name. */
export function songName(doc: vscode.TextDocument): string {
  if (doc.isUntitled) return vscode.l10n.t('unsaved editor "{0}"', path.basename(doc.uri.path));
  return vscode.workspace.asRelativePath(doc.uri, false);
}

/** The GPU cost of generating a song as it stands (`doc` undefined: a song not opened yet). */
export function generationCost(doc: vscode.TextDocument | undefined, analysis: SongAnalysis, service: GenerationService): GpuCostInput {
  const p = analysis.parsed.params;
  const settings = generationSettings(doc?.uri);
  const fromSong = typeof p.duration === 'number';
  return {
    // The title the job will have (planJob's), without its stand-in for an untitled song.
    title: songTitle(analysis.parsed, doc && !doc.isUntitled ? doc.uri.path : undefined),
    takes: p.batch_size ?? settings.defaultBatchSize,
    durationSeconds: fromSong ? p.duration as number : analysis.estimate.seconds,
    durationSource: fromSong ? 'song' : 'estimate',
    serverUrl: service.serverUrl(),
    thinking: p.thinking === true,
  };
}
