// "ACE-Step: New Song from a Description…": one sentence (and, if wanted, a language, no vocals, a length) goes to
// the server's own 5 Hz LM, which writes the caption, lyrics and metadata and generates them. The takes open in the
// player and the .song the LM's answer makes (src/core/ai/sample-song.ts) is written beside their folder and opened.
// The job is planned in the core (src/core/jobs/describe-song.ts); this is the input and the reporting.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { writeSampleSong } from '../../core/ai/sample-song';
import type { JobSnapshot } from '../../core/jobs';
import { adviceFor } from '../../core/jobs/advice';
import { descriptionProblem, planDescribedSong, type Description } from '../../core/jobs/describe-song';
import { progressLine } from '../../core/jobs/progress';
import { LANGUAGE_NAMES } from '../../core/song/schema';
import { errorMessage } from '../../core/util/error-message';
import { COMMANDS } from '../commands';
import { generationSettings } from '../settings';
import { showErrorWithAdvice } from './advice-buttons';
import { OPEN_TAKES_COMMAND } from './generate';
import type { GenerationService } from './service';

export interface DescribeArgs extends Partial<Description> {
  /** Report nothing (the chat and the tools report on their own); never asks anything then either. */
  quiet?: boolean;
}

export interface DescribeOutcome {
  job: JobSnapshot;
  /** The .song written from the LM's answer (absent when the job failed before the LM answered). */
  songPath?: string;
  /** Fixes the linter applied, and what the user should know. */
  applied: string[];
  notes: string[];
}

/** Asks for the sentence and the options; undefined when the user backs out. */
async function ask(args: DescribeArgs): Promise<Description | undefined> {
  const description = args.description ?? await vscode.window.showInputBox({
    title: vscode.l10n.t('New Song from a Description'),
    prompt: vscode.l10n.t('Describe the song in one sentence. The ACE-Step server\'s own LM writes the caption, lyrics, tempo, key and length, then generates it (no chat model needed).'),
    placeHolder: vscode.l10n.t('a creative black metal song with good lyrics, in English, with cool guitar solos'),
    ignoreFocusOut: true,
    validateInput: v => descriptionProblem({ description: v }),
  });
  if (!description?.trim()) return undefined;
  const d: Description = { description, ...pickDefined(args) };
  if (args.description !== undefined) return d;
  type Option = vscode.QuickPickItem & { id: 'go' | 'instrumental' | 'language' | 'duration' };
  const items: Option[] = [
    { id: 'go', label: vscode.l10n.t('$(play) Write and Generate'), description: vscode.l10n.t('the LM decides the rest') },
    { id: 'instrumental', label: vscode.l10n.t('Instrumental (no vocals)') },
    { id: 'language', label: vscode.l10n.t('Choose the Language…') },
    { id: 'duration', label: vscode.l10n.t('Ask for a Length…') },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('New Song from a Description'), canPickMany: true, placeHolder: vscode.l10n.t('Options (none: the LM decides)'), ignoreFocusOut: true });
  if (!picked) return undefined;
  const ids = new Set(picked.map(p => p.id));
  if (ids.has('instrumental')) d.instrumental = true;
  if (ids.has('language')) {
    const lang = await vscode.window.showQuickPick(Object.entries(LANGUAGE_NAMES).map(([code, name]) => ({ label: name, description: code, code })), { title: vscode.l10n.t('Language of the lyrics'), ignoreFocusOut: true });
    if (!lang) return undefined;
    d.language = lang.code;
  }
  if (ids.has('duration')) {
    const secs = await vscode.window.showInputBox({
      title: vscode.l10n.t('Length in seconds'), value: '180', ignoreFocusOut: true,
      validateInput: v => descriptionProblem({ description: 'x', duration: Number(v) }),
    });
    if (!secs) return undefined;
    d.duration = Number(secs);
  }
  return d;
}

function pickDefined(a: Partial<Description>): Partial<Description> {
  return {
    ...(a.language ? { language: a.language } : {}),
    ...(a.instrumental ? { instrumental: true } : {}),
    ...(a.duration !== undefined ? { duration: a.duration } : {}),
  };
}

/** Where the .song goes: the workspace folder, else a folder the user picks. */
async function songFolder(quiet: boolean): Promise<string | undefined> {
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (ws?.scheme === 'file') return ws.fsPath;
  if (quiet) return undefined;
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: vscode.l10n.t('Put the Song Here') });
  return picked?.[0]?.fsPath;
}

/** The whole flow; resolves when the job is over (and the .song written), or undefined when nothing was sent. */
export async function newSongFromDescription(service: GenerationService, args: DescribeArgs = {}): Promise<DescribeOutcome | undefined> {
  const quiet = !!args.quiet;
  const d = quiet ? (args.description ? { description: args.description, ...pickDefined(args) } : undefined) : await ask(args);
  if (!d) return undefined;
  const problem = descriptionProblem(d);
  if (problem) {
    if (quiet) throw new Error(problem);
    void vscode.window.showErrorMessage(problem);
    return undefined;
  }
  const songDir = await songFolder(quiet);
  if (!songDir) {
    if (quiet) throw new Error(vscode.l10n.t('Open a folder first: the new .song is written into it.'));
    return undefined;
  }
  const settings = generationSettings();
  const workspaceFolder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const { plan, songPath } = planDescribedSong({
    ...d, serverUrl: service.serverUrl(), songDir, exists: existsSync,
    settings: { outputDirectory: settings.outputDirectory, batchSize: settings.defaultBatchSize, audioFormat: settings.defaultAudioFormat },
    ...(workspaceFolder ? { workspaceFolder } : {}),
  });
  const submitted = await service.submitPlan(plan);
  const job = quiet ? await service.jobs().waitFor(submitted.id) : await follow(service, submitted);
  const outcome: DescribeOutcome = { job, applied: [], notes: [] };
  const item = job.items?.[0];
  if (item) {
    const song = await writeSampleSong(d, plan.title, item, songPath);
    if (song.error === undefined) Object.assign(outcome, { songPath, applied: song.applied, notes: song.notes });
    else outcome.notes.push(vscode.l10n.t('The song could not be written to {0}: {1}', songPath, errorMessage(song.error)));
  }
  if (!quiet) await report(service, outcome);
  return outcome;
}

function follow(service: GenerationService, job: JobSnapshot): Thenable<JobSnapshot> {
  return vscode.window.withProgress({
    location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('ACE-Step\'s LM writes "{0}"', job.title), cancellable: true,
  }, (progress, token) => new Promise<JobSnapshot>(resolve => {
    const sub = service.onDidChange(s => { if (s.id === job.id) progress.report({ message: progressLine(s) }); });
    token.onCancellationRequested(() => service.jobs().cancel(job.id));
    void service.jobs().waitFor(job.id).then(s => { sub.dispose(); resolve(s); });
  }));
}

async function report(service: GenerationService, o: DescribeOutcome): Promise<void> {
  const { job } = o;
  if (o.songPath) await vscode.window.showTextDocument(vscode.Uri.file(o.songPath), { preview: false });
  for (const note of o.notes) void vscode.window.showWarningMessage(note);
  if (job.state === 'succeeded') {
    if (generationSettings().openPlayerOnFinish) void vscode.commands.executeCommand(OPEN_TAKES_COMMAND, job.id);
    const n = job.takes?.filter(t => t.file).length ?? 0;
    void vscode.window.showInformationMessage(vscode.l10n.t('"{0}": the LM wrote the song and {1} take(s) are ready; edit the .song and generate again to change it.', job.title, n));
    return;
  }
  if (job.state === 'cancelled') return;
  const said = job.error?.serverMessage && !job.error.message.includes(job.error.serverMessage) ? ` ${job.error.serverMessage}` : '';
  const message = vscode.l10n.t('"{0}" failed: {1}', job.title, `${job.error?.message ?? vscode.l10n.t('unknown error')}${said}`);
  const advice = adviceFor(job);
  // The fix for a missing LM is in the Docker setup's .env: a button opens it when that setup is known.
  const handlers = service.endpoint.dockerUrl() !== undefined ? { 'enable-lm': () => void vscode.commands.executeCommand(COMMANDS.openEnvFile) } : {};
  const text = advice.find(a => a.id === 'enable-lm')?.text;
  await showErrorWithAdvice(text ? `${message} ${text}` : message, advice, handlers);
}
