// Editing a take from the player: the page posts which edit (and, for a repaint, the region); this asks for
// what is missing with quick picks and input boxes, plans the edit (src/core/jobs/edit.ts), submits it and
// follows it like Generate Song; the result opens beside its source, at the edited region.
import * as vscode from 'vscode';
import { planEdit, TRACK_NAMES, type EditOperation, type EditSource, type TrackName } from '../../core/jobs/edit';
import type { JobSnapshot } from '../../core/jobs';
import type { PlayerEdit } from '../../core/player/protocol';
import { estimateSectionMarks, lyricsInRange } from '../../core/player/sections';
import { errorMessage } from '../../core/util/error-message';
import { followJob } from '../generate/generate';
import type { GenerationService } from '../generate/service';
import { generationSettings } from '../settings';
import type { TakeSource } from './views';

/** The questions an edit asks (VS Code's quick pick and input box; host tests answer them instead). */
export interface EditAsk {
  pick(items: string[], options: { title: string; placeHolder?: string; canPickMany?: boolean }): Promise<string[] | undefined>;
  input(options: { title: string; prompt?: string; value?: string; validate?: (v: string) => string | undefined }): Promise<string | undefined>;
}

export const vscodeAsk: EditAsk = {
  async pick(items, options) {
    if (options.canPickMany) return vscode.window.showQuickPick(items, { title: options.title, placeHolder: options.placeHolder, canPickMany: true, ignoreFocusOut: true });
    const one = await vscode.window.showQuickPick(items, { title: options.title, placeHolder: options.placeHolder, ignoreFocusOut: true });
    return one === undefined ? undefined : [one];
  },
  input: options => Promise.resolve(vscode.window.showInputBox({
    title: options.title, prompt: options.prompt, value: options.value, ignoreFocusOut: true, validateInput: options.validate,
  })),
};

/** Lyrics lines in one input box: " / " between lines. */
const LINE_SEP = ' / ';

function seconds(min: number, max: number) {
  return (v: string) => {
    const n = Number(v.trim());
    return Number.isFinite(n) && n >= min && n <= max ? undefined : vscode.l10n.t('A number from {0} to {1}', min, max);
  };
}

async function pickTrack(ask: EditAsk, title: string): Promise<TrackName | undefined> {
  const one = await ask.pick([...TRACK_NAMES], { title, placeHolder: vscode.l10n.t('Which part?') });
  return one?.[0] as TrackName | undefined;
}

/** Asks what the edit needs; undefined when the user cancels. */
export async function askEdit(ask: EditAsk, take: TakeSource, edit: PlayerEdit, durationSec: number | undefined): Promise<EditOperation | undefined> {
  switch (edit.kind) {
    case 'repaint': {
      const start = edit.start ?? 0, end = edit.end ?? 0;
      const title = vscode.l10n.t('Repaint {0}–{1} s', Math.round(start * 10) / 10, Math.round(end * 10) / 10);
      // The sections as the page shows them: placed by the user, else estimated over the take.
      const marks = take.sections ?? estimateSectionMarks(take.meta.lyrics, { bpm: take.meta.bpm, durationSec: durationSec ?? take.meta.duration });
      const range = lyricsInRange(take.meta.lyrics, marks, start, end, take.meta.bpm);
      if (!range) return { kind: 'repaint', start, end };
      const keep = vscode.l10n.t('Keep the lyrics');
      const change = vscode.l10n.t('New lyrics for {0}…', range.names.join(', '));
      const choice = await ask.pick([keep, change], { title });
      if (!choice) return undefined;
      if (choice[0] === keep) return { kind: 'repaint', start, end };
      const text = await ask.input({ title, prompt: vscode.l10n.t('The lyrics of this range; " / " separates lines'), value: range.text.split('\n').join(LINE_SEP) });
      if (text === undefined) return undefined;
      return { kind: 'repaint', start, end, lyrics: range.replace(text.split(/\s+\/\s+/).join('\n')) };
    }
    case 'extend': {
      const after = vscode.l10n.t('After the end'), before = vscode.l10n.t('Before the start');
      const where = await ask.pick([after, before], { title: vscode.l10n.t('Extend the take') });
      if (!where) return undefined;
      const value = await ask.input({ title: vscode.l10n.t('Extend the take'), prompt: vscode.l10n.t('Seconds to add'), value: '30', validate: seconds(1, 240) });
      if (value === undefined) return undefined;
      const n = Number(value.trim());
      if (where[0] === after && durationSec === undefined) throw new Error(vscode.l10n.t("The take's length is not known yet; play it once, then extend it."));
      return where[0] === after ? { kind: 'extend', before: 0, after: n } : { kind: 'extend', before: n, after: 0 };
    }
    case 'restyle': {
      const title = vscode.l10n.t('Restyle the take');
      const caption = await ask.input({ title, prompt: vscode.l10n.t('The new style (caption)'), value: take.meta.caption, validate: v => (v.trim() ? undefined : vscode.l10n.t('Describe the style')) });
      if (caption === undefined) return undefined;
      const strength = await ask.input({ title, prompt: vscode.l10n.t('How much of the take stays, 0 to 1'), value: '0.5', validate: seconds(0, 1) });
      if (strength === undefined) return undefined;
      return { kind: 'restyle', caption: caption.trim(), strength: Number(strength.trim()) };
    }
    case 'add': {
      const track = await pickTrack(ask, vscode.l10n.t('Add a part'));
      return track && { kind: 'add', track };
    }
    case 'extract': {
      const track = await pickTrack(ask, vscode.l10n.t('Extract a stem'));
      return track && { kind: 'extract', track };
    }
    case 'complete': {
      const tracks = await ask.pick([...TRACK_NAMES], { title: vscode.l10n.t('Complete the take'), placeHolder: vscode.l10n.t('Which parts?'), canPickMany: true });
      return tracks && { kind: 'complete', tracks: tracks as TrackName[] };
    }
  }
}

/** Where the player shows the result: the edited range (the new part of an extension). */
export function editFocus(op: EditOperation, durationSec: number | undefined): { start: number; end: number } | undefined {
  if (op.kind === 'repaint') return { start: op.start, end: op.end };
  if (op.kind === 'extend') return op.before > 0 ? { start: 0, end: op.before } : durationSec !== undefined ? { start: durationSec, end: durationSec + op.after } : undefined;
  return undefined;
}

export interface EditContext {
  service: GenerationService;
  ask: EditAsk;
  /** The title of the take's job (the song's). */
  title: string;
  durationSec?: number;
  /** Shows the finished edit beside its source. */
  open(job: JobSnapshot, focus: { start: number; end: number } | undefined): void;
}

/** Asks, plans, submits and follows one edit; returns the job (undefined when cancelled or refused here). */
export async function runEdit(ctx: EditContext, take: TakeSource, edit: PlayerEdit): Promise<JobSnapshot | undefined> {
  try {
    const op = await askEdit(ctx.ask, take, edit, ctx.durationSec);
    if (!op) return undefined;
    const source: EditSource = {
      file: take.file, title: ctx.title, serverUrl: ctx.service.serverUrl(),
      ...(take.params ? { params: take.params } : {}),
      ...(ctx.durationSec !== undefined ? { durationSec: ctx.durationSec } : {}),
      ...(take.songPath ? { songPath: take.songPath } : {}),
      ...(take.sidecar ? { sidecar: take.sidecar } : {}),
    };
    const songUri = take.songPath ? vscode.Uri.file(take.songPath) : undefined;
    const plan = planEdit(source, op, { outputDirectory: generationSettings(songUri).outputDirectory, workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath });
    const job = await ctx.service.submitPlan(plan);
    const focus = editFocus(op, ctx.durationSec);
    void followJob(ctx.service, job, songUri, {}, done => ctx.open(done, focus));
    return job;
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Edit: {0}', errorMessage(e)));
    return undefined;
  }
}
