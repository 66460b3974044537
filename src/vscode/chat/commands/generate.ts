// @acestep /generate: the song (written first when the request has a prompt) is checked, its GPU cost shown, and
// it is submitted only after the confirmation button; the answer follows the job to its takes.
import * as vscode from 'vscode';
import { formatDiagnostic } from '../../../core/ai';
import { gpuCostText } from '../../../core/ai/assistant';
import type { JobSnapshot } from '../../../core/jobs';
import { formatSeconds } from '../../../core/song';
import { followJob, nextStepFor, takeFiles, takeLinks } from '../jobs';
import { findSongDocument, generationCost, songName } from '../songs';
import { CONFIRM_TIMEOUT_MS, notConfirmed, result, type ChatDeps, type Result, type Stream } from './common';
import { writeAndOpen } from './flow';
import { COMMANDS, INTERNAL_COMMANDS } from '../../commands';
import { errorMessage } from '../../../core/util/error-message';

export async function handleGenerate(deps: ChatDeps, request: vscode.ChatRequest, prompt: string, stream: Stream, token: vscode.CancellationToken): Promise<Result> {
  let doc: vscode.TextDocument | undefined;
  if (prompt) {
    const written = await writeAndOpen(deps, request, prompt, 'generate', stream, token);
    if (!written.ok) return written.result;
    doc = written.doc;
  } else {
    doc = await findSongDocument(request.references);
  }
  if (!doc) {
    stream.markdown(vscode.l10n.t('Open the `.song` file to generate, or tell me what to write first: `/generate a lo-fi beat to study to`.'));
    return result({ command: 'generate', ok: false, reason: 'no-song' });
  }
  const analysis = deps.analyzer.analyze(doc);
  const errors = analysis.diagnostics.filter(d => d.severity === 'error');
  if (errors.length) {
    const list = errors.slice(0, 8).map(d => `- ${formatDiagnostic(d)}`).join('\n');
    const heading = errors.length === 1
      ? vscode.l10n.t('{0} has 1 error to fix before it can be generated:', songName(doc))
      : vscode.l10n.t('{0} has {1} errors to fix before it can be generated:', songName(doc), errors.length);
    const advice = errors.length === 1
      ? vscode.l10n.t('Fix it in the editor (quick fixes are on the light bulb) or ask `/improve`.')
      : vscode.l10n.t('Fix them in the editor (quick fixes are on the light bulb) or ask `/improve`.');
    stream.markdown(`${heading}\n${list}\n\n${advice}`);
    return result({ command: 'generate', ok: false, reason: 'lint-errors', song: doc.uri.toString() });
  }
  const cost = generationCost(doc, analysis, deps.generation);
  const ticket = deps.broker.newTicket();
  stream.markdown(`${gpuCostText(cost)}\n\n${vscode.l10n.t('Generate it?')}\n\n`);
  stream.button({
    command: INTERNAL_COMMANDS.chatRunAction, title: `$(play) ${vscode.l10n.t('Generate ({0} × {1})', cost.takes, formatSeconds(cost.durationSeconds))}`,
    arguments: [ticket, { kind: 'generate', uri: doc.uri.toString() }],
  });
  stream.button({ command: INTERNAL_COMMANDS.chatDismissAction, title: vscode.l10n.t('Not Now'), arguments: [ticket] });
  const outcome = await deps.broker.wait(ticket, token, deps.confirmTimeoutMs ?? CONFIRM_TIMEOUT_MS);
  const song = doc.uri.toString();
  if (outcome.kind !== 'ran') return notConfirmed('generate', outcome, stream, song, vscode.l10n.t('Not generated.'));
  let job: JobSnapshot | undefined;
  try {
    job = await outcome.result as JobSnapshot | undefined;
  } catch (e) {
    stream.markdown(vscode.l10n.t('The song could not be submitted: {0}', errorMessage(e)));
    return result({ command: 'generate', ok: false, reason: 'submit-failed', song });
  }
  if (!job?.id) {
    stream.markdown(vscode.l10n.t('The song was not submitted (see the message VS Code showed: it may have errors now, or could not be saved).'));
    return result({ command: 'generate', ok: false, reason: 'submit-failed', song });
  }
  stream.progress(vscode.l10n.t('Submitted "{0}" to {1}…', job.title, job.serverUrl));
  const final = await followJob(deps.generation, job.id, token, line => stream.progress(line));
  if (!final) {
    return result({ command: 'generate', ok: false, reason: 'cancelled', song, jobId: job.id });
  }
  reportJob(final, stream);
  return result({ command: 'generate', ok: final.state === 'succeeded', ...(final.state === 'succeeded' ? {} : { reason: final.state }), song, jobId: final.id });
}

function reportJob(job: JobSnapshot, stream: Stream): void {
  if (job.state === 'succeeded') {
    const files = takeFiles(job);
    const done = files.length === 1
      ? vscode.l10n.t('Done: **"{0}"**, 1 take in {1}:', job.title, job.outputDir)
      : vscode.l10n.t('Done: **"{0}"**, {1} takes in {2}:', job.title, files.length, job.outputDir);
    stream.markdown(`${done}\n${takeLinks(job)}\n\n`);
    stream.button({ command: COMMANDS.openTakes, title: `$(play) ${vscode.l10n.t('Play')}`, arguments: [job.id] });
    if (files[0]) stream.button({ command: 'revealFileInOS', title: `$(folder-opened) ${vscode.l10n.t('Reveal')}`, arguments: [vscode.Uri.file(files[0])] });
    return;
  }
  if (job.state === 'cancelled') {
    stream.markdown(vscode.l10n.t('"{0}" was cancelled.', job.title));
    return;
  }
  const reason = job.error?.message ?? vscode.l10n.t('unknown error');
  const serverSaid = job.error?.serverMessage && !job.error.message.includes(job.error.serverMessage) ? job.error.serverMessage : undefined;
  const what = job.state === 'lost'
    ? (serverSaid ? vscode.l10n.t('"{0}" was lost: {1}. Server said: {2}', job.title, reason, serverSaid) : vscode.l10n.t('"{0}" was lost: {1}.', job.title, reason))
    : (serverSaid ? vscode.l10n.t('"{0}" failed: {1}. Server said: {2}', job.title, reason, serverSaid) : vscode.l10n.t('"{0}" failed: {1}.', job.title, reason));
  stream.markdown(`${what}\n\n${nextStepFor(job)}`);
}
