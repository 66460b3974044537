// "ACE-Step: Generate Song": validate, save, submit, follow with a cancellable notification, then offer the takes.
import * as vscode from 'vscode';
import type { JobSnapshot } from '../../core/jobs';
import { adviceFor } from '../../core/jobs/advice';
import { errorMessage } from '../../core/util/error-message';
import { progressLine } from '../../core/jobs/progress';
import { isSong, type SongAnalyzer } from '../song/analyzer';
import { generationSettings } from '../settings';
import { showErrorWithAdvice } from './advice-buttons';
import type { GenerationService, SubmitSongOptions } from './service';

export const GENERATE_COMMAND = 'acestep.generateSong';
/** Opens a job's takes in the player (registered by the player). */
export const OPEN_TAKES_COMMAND = 'acestep.openTakes';

export interface GenerateArgs extends SubmitSongOptions {
  /** Skip the notification and the success/failure messages (chat and tools report on their own). */
  quiet?: boolean;
}

export function registerGenerate(context: vscode.ExtensionContext, service: GenerationService, analyzer: SongAnalyzer): void {
  context.subscriptions.push(vscode.commands.registerCommand(GENERATE_COMMAND, async (uri?: vscode.Uri, args: GenerateArgs = {}) => {
    const doc = uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!isSong(doc)) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Open a .song file to generate it.'));
      return undefined;
    }
    const analysis = analyzer.analyze(doc);
    const errors = analysis.diagnostics.filter(d => d.severity === 'error');
    if (errors.length) {
      const first = errors[0];
      const line = first.range.start.line + 1;
      const message = errors.length === 1
        ? vscode.l10n.t('This song has 1 error to fix before it can be generated. Line {0}: {1}', line, first.message)
        : vscode.l10n.t('This song has {0} errors to fix before it can be generated. Line {1}: {2}', errors.length, line, first.message);
      const showProblems = vscode.l10n.t('Show Problems');
      void vscode.window.showErrorMessage(message, showProblems)
        .then(choice => { if (choice === showProblems) void vscode.commands.executeCommand('workbench.actions.view.problems'); });
      return undefined;
    }
    if (doc.isDirty && !doc.isUntitled && !(await doc.save())) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The song could not be saved, so it was not submitted.'));
      return undefined;
    }
    let job: JobSnapshot;
    try {
      job = await whileWaiting(doc, () => service.submit(doc, analysis, args));
    } catch (e) {
      // No server can take it (several servers, or a song that names one): say why, as the dispatcher put it.
      void vscode.window.showErrorMessage(vscode.l10n.t('"{0}" was not sent: {1}', doc.uri.path.split('/').pop() ?? '', errorMessage(e)));
      return undefined;
    }
    if (!args.quiet) void followJob(service, job, doc.uri, args);
    return job;
  }));
}

/**
 * Runs `submit`; when it takes longer than a moment (every server busy: the song waits for one), a notification
 * says so until a server takes it.
 */
async function whileWaiting<T>(doc: vscode.TextDocument, submit: () => Promise<T>): Promise<T> {
  const work = submit();
  const quick = await Promise.race([work.then(() => true, () => true), new Promise<false>(r => setTimeout(() => r(false), 400))]);
  if (quick) return work;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('ACE-Step: {0}', doc.uri.path.split('/').pop() ?? '') },
    progress => { progress.report({ message: vscode.l10n.t('waiting for a server') }); return work; });
}

/**
 * Follows a job in a cancellable notification to its end, then offers its takes or shows the failure with its
 * advice. `open` shows the takes (default: the player on the job); edits from the player pass their own.
 */
export async function followJob(service: GenerationService, job: JobSnapshot, songUri: vscode.Uri | undefined, args: GenerateArgs = {}, open?: (job: JobSnapshot) => void): Promise<void> {
  const final = await vscode.window.withProgress({
    location: vscode.ProgressLocation.Notification,
    title: vscode.l10n.t('ACE-Step: {0}', job.title),
    cancellable: true,
  }, (progress, token) => new Promise<JobSnapshot>(resolve => {
    let reported = 0;
    const sub = service.onDidChange(s => {
      if (s.id !== job.id) return;
      const pct = s.progress !== undefined ? Math.round(s.progress * 100) : undefined;
      const increment = pct !== undefined && pct > reported ? pct - reported : undefined;
      if (increment) reported = pct!;
      progress.report({ message: progressLine(s), ...(increment ? { increment } : {}) });
    });
    token.onCancellationRequested(() => service.jobs().cancel(job.id));
    void service.jobs().waitFor(job.id).then(s => { sub.dispose(); resolve(s); });
  }));
  await reportOutcome(service, final, songUri, args, open);
}

async function reportOutcome(service: GenerationService, job: JobSnapshot, songUri: vscode.Uri | undefined, args: GenerateArgs, open?: (job: JobSnapshot) => void): Promise<void> {
  const follow = (next: JobSnapshot) => followJob(service, next, songUri, args, open);
  const show = open ?? ((j: JobSnapshot) => void vscode.commands.executeCommand(OPEN_TAKES_COMMAND, j.id));
  if (job.state === 'succeeded') {
    const files = job.takes?.filter(t => t.file) ?? [];
    if (generationSettings(songUri).openPlayerOnFinish) show(job);
    const ready = files.length === 1
      ? vscode.l10n.t('"{0}": 1 take ready in {1}.', job.title, job.outputDir)
      : vscode.l10n.t('"{0}": {1} takes ready in {2}.', job.title, files.length, job.outputDir);
    // What the job warns about (e.g. takes the server listed beyond those asked for) is shown with the result.
    if (job.warnings?.length) void vscode.window.showWarningMessage(vscode.l10n.t('"{0}": {1}', job.title, job.warnings.join(' ')));
    const openInPlayer = vscode.l10n.t('Open in Player');
    const reveal = vscode.l10n.t('Reveal');
    const choice = await vscode.window.showInformationMessage(ready, openInPlayer, reveal);
    if (choice === openInPlayer) show(job);
    if (choice === reveal && files[0]?.file) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(files[0].file));
    return;
  }
  if (job.state === 'cancelled') return;
  const error = job.error;
  const reason = error?.message ?? vscode.l10n.t('unknown error');
  const serverSaid = error?.serverMessage && !error.message.includes(error.serverMessage) ? error.serverMessage : undefined;
  const message = job.state === 'lost'
    ? (serverSaid ? vscode.l10n.t('"{0}" was lost: {1} Server said: {2}', job.title, reason, serverSaid) : vscode.l10n.t('"{0}" was lost: {1}', job.title, reason))
    : (serverSaid ? vscode.l10n.t('"{0}" failed: {1} Server said: {2}', job.title, reason, serverSaid) : vscode.l10n.t('"{0}" failed: {1}', job.title, reason));
  // The URL used may be the other Docker mode's port (.env selects Gradio, the job went to the API port, or the
  // reverse): then switching the server's mode is what makes it answer. Server control knows, from the files.
  let servingMode: 'api' | 'gradio' | undefined;
  if (error?.kind === 'unreachable') {
    const mode = await service.endpoint.modeServing(job.serverUrl);
    if (mode === 'api' || mode === 'gradio') servingMode = mode;
  }
  await showErrorWithAdvice(message, adviceFor(job, servingMode ? { servingMode } : {}), {
    'submit-without-thinking': () => void follow(service.resubmit(job, { thinking: false })),
    'try-again': () => void follow(service.resubmit(job)),
    'retry-download': () => void service.jobs().retryDownload(job.id).then(s => reportOutcome(service, s, songUri, args, open)),
  });
}
