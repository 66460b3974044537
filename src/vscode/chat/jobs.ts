// Following a generation job from the chat or a tool, and describing jobs in text.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobSnapshot } from '../../core/jobs';
import { isTerminal } from '../../core/jobs';
import { adviceFor, adviceText } from '../../core/jobs/advice';
import { describeProgress, progressLine, timeAgo, timing } from '../../core/jobs/progress';
import type { GenerationService } from '../generate';

/**
 * Resolves with the finished job, or undefined when `token` is cancelled first (the job goes on: ACE-Step
 * cannot cancel a generation, so the takes are still downloaded). `onUpdate` gets a progress line now and
 * then: on every change of state, and at most every `everyMs` while running.
 */
export function followJob(service: GenerationService, jobId: string, token: vscode.CancellationToken, onUpdate?: (line: string, job: JobSnapshot) => void, everyMs = 2000): Promise<JobSnapshot | undefined> {
  return new Promise(resolve => {
    let lastState = '';
    let lastAt = 0;
    let done = false;
    const update = (s: JobSnapshot) => {
      if (!onUpdate || s.id !== jobId || isTerminal(s.state)) return;
      const now = Date.now();
      if (s.state === lastState && now - lastAt < everyMs) return;
      lastState = s.state;
      lastAt = now;
      try { onUpdate(capitalise(progressLine(s)), s); } catch { /* a closed stream must not stop the job */ }
    };
    const finish = (s: JobSnapshot | undefined) => {
      if (done) return;
      done = true;
      sub.dispose();
      cancel.dispose();
      resolve(s);
    };
    const sub = service.onDidChange(update);
    const cancel = token.onCancellationRequested(() => finish(undefined));
    const current = service.jobs().get(jobId);
    if (current) update(current);
    service.jobs().waitFor(jobId).then(finish, () => finish(service.jobs().get(jobId)));
    if (token.isCancellationRequested) finish(undefined);
  });
}

export function takeFiles(job: JobSnapshot): string[] {
  return (job.takes ?? []).map(t => t.file).filter((f): f is string => !!f);
}

function capitalise(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/** A job in a few lines of text (tools and /status). */
export function jobText(job: JobSnapshot): string {
  const lines = [isTerminal(job.state)
    ? vscode.l10n.t('"{0}" (job {1}): {2}; finished {3}; server {4}.', job.title, job.id, describeProgress(job), timeAgo(Date.now() - (job.finishedAt ?? job.createdAt)), job.serverUrl)
    : vscode.l10n.t('"{0}" (job {1}): {2}; running for {3}; server {4}.', job.title, job.id, describeProgress(job), timing(job), job.serverUrl)];
  const files = takeFiles(job);
  if (files.length) lines.push(...files.map(f => `  ${vscode.l10n.t('take: {0}', f)}`));
  else if (isTerminal(job.state) && job.outputDir) lines.push(`  ${vscode.l10n.t('output folder: {0}', job.outputDir)}`);
  if (job.error && job.state !== 'succeeded') {
    lines.push(`  ${job.error.serverMessage
      ? vscode.l10n.t('error ({0}): {1} Server said: {2}', job.error.kind, job.error.message, job.error.serverMessage)
      : vscode.l10n.t('error ({0}): {1}', job.error.kind, job.error.message)}`);
  }
  if (job.songPath) lines.push(`  ${vscode.l10n.t('song: {0}', job.songPath)}`);
  return lines.join('\n');
}

/** What to do about a failed job, in a sentence (the core's advice). */
export function nextStepFor(job: JobSnapshot): string {
  return adviceText(adviceFor(job));
}

/** Markdown links to the takes. */
export function takeLinks(job: JobSnapshot): string {
  return takeFiles(job).map(f => `- [${path.basename(f)}](${vscode.Uri.file(f).toString()})`).join('\n');
}
