// "ACE-Step: Generate Song": validate, save, submit, follow with a cancellable notification, then offer the takes.
import * as vscode from 'vscode';
import type { JobSnapshot } from '../../core/jobs';
import { isSong, type SongAnalyzer } from '../song/analyzer';
import { SET_API_KEY_COMMAND } from '../secrets';
import { generationSettings } from '../settings';
import { describeJob, timing } from './describe';
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
      void vscode.window.showWarningMessage('Open a .song file to generate it.');
      return undefined;
    }
    const analysis = analyzer.analyze(doc);
    const errors = analysis.diagnostics.filter(d => d.severity === 'error');
    if (errors.length) {
      const first = errors[0];
      void vscode.window.showErrorMessage(
        `This song has ${errors.length} error${errors.length === 1 ? '' : 's'} to fix before it can be generated. Line ${first.range.start.line + 1}: ${first.message}`,
        'Show Problems').then(choice => { if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems'); });
      return undefined;
    }
    if (doc.isDirty && !doc.isUntitled && !(await doc.save())) {
      void vscode.window.showErrorMessage('The song could not be saved, so it was not submitted.');
      return undefined;
    }
    const job = await service.submit(doc, analysis, args);
    if (!args.quiet) void follow(service, job, doc.uri, args);
    return job;
  }));
}

async function follow(service: GenerationService, job: JobSnapshot, songUri: vscode.Uri, args: GenerateArgs): Promise<void> {
  const final = await vscode.window.withProgress({
    location: vscode.ProgressLocation.Notification,
    title: `ACE-Step: ${job.title}`,
    cancellable: true,
  }, (progress, token) => new Promise<JobSnapshot>(resolve => {
    let reported = 0;
    const sub = service.onDidChange(s => {
      if (s.id !== job.id) return;
      const pct = s.progress !== undefined ? Math.round(s.progress * 100) : undefined;
      const increment = pct !== undefined && pct > reported ? pct - reported : undefined;
      if (increment) reported = pct!;
      progress.report({ message: `${describeJob(s)} · ${timing(s)}`, ...(increment ? { increment } : {}) });
    });
    token.onCancellationRequested(() => service.jobs().cancel(job.id));
    void service.jobs().waitFor(job.id).then(s => { sub.dispose(); resolve(s); });
  }));
  await reportOutcome(service, final, songUri, args);
}

async function reportOutcome(service: GenerationService, job: JobSnapshot, songUri: vscode.Uri, args: GenerateArgs): Promise<void> {
  if (job.state === 'succeeded') {
    const files = job.takes?.filter(t => t.file) ?? [];
    if (generationSettings(songUri).openPlayerOnFinish) void vscode.commands.executeCommand(OPEN_TAKES_COMMAND, job.id);
    const choice = await vscode.window.showInformationMessage(`"${job.title}": ${files.length} take${files.length === 1 ? '' : 's'} ready in ${job.outputDir}.`, 'Open in Player', 'Reveal');
    if (choice === 'Open in Player') void vscode.commands.executeCommand(OPEN_TAKES_COMMAND, job.id);
    if (choice === 'Reveal' && files[0]?.file) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(files[0].file));
    return;
  }
  if (job.state === 'cancelled') return;
  const error = job.error;
  const words = error?.serverMessage && !error.message.includes(error.serverMessage) ? ` Server said: ${error.serverMessage}` : '';
  const message = `"${job.title}" ${job.state === 'lost' ? 'was lost' : 'failed'}: ${error?.message ?? 'unknown error'}${words}`;
  const actions: string[] = [];
  switch (error?.kind) {
    case 'unreachable': actions.push('Start Server', 'Open Settings'); break;
    case 'auth': actions.push('Set API Key'); break;
    case 'lm-unavailable': actions.push('Submit Without Thinking'); break;
    case 'queue-full': actions.push('Try Again'); break;
    default: if (job.items?.length) actions.push('Retry Download'); else actions.push('Try Again');
  }
  const choice = await vscode.window.showErrorMessage(message, ...actions);
  switch (choice) {
    case 'Start Server': void vscode.commands.executeCommand('acestep.startServer'); break;
    case 'Open Settings': void vscode.commands.executeCommand('workbench.action.openSettings', 'acestep.serverUrl'); break;
    case 'Set API Key': void vscode.commands.executeCommand(SET_API_KEY_COMMAND); break;
    case 'Submit Without Thinking': void follow(service, service.resubmit(job, { thinking: false }), songUri, args); break;
    case 'Try Again': void follow(service, service.resubmit(job), songUri, args); break;
    case 'Retry Download': void service.jobs().retryDownload(job.id).then(s => reportOutcome(service, s, songUri, args)); break;
  }
}
