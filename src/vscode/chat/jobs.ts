// Following a generation job from the chat or a tool, and describing jobs in text.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { JobSnapshot } from '../../core/jobs';
import { isTerminal } from '../../core/jobs';
import { describeJob, timing } from '../generate/describe';
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
      try { onUpdate(`${capitalise(describeJob(s))} · ${timing(s)}`, s); } catch { /* a closed stream must not stop the job */ }
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

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return vscode.l10n.t('{0} s ago', s);
  const m = Math.round(s / 60);
  if (m < 90) return vscode.l10n.t('{0} min ago', m);
  const h = Math.round(m / 60);
  return h < 36 ? vscode.l10n.t('{0} h ago', h) : vscode.l10n.t('{0} days ago', Math.round(h / 24));
}

/** A job in a few lines of text (tools and /status). */
export function jobText(job: JobSnapshot): string {
  const lines = [isTerminal(job.state)
    ? vscode.l10n.t('"{0}" (job {1}): {2}; finished {3}; server {4}.', job.title, job.id, describeJob(job), ago(Date.now() - (job.finishedAt ?? job.createdAt)), job.serverUrl)
    : vscode.l10n.t('"{0}" (job {1}): {2}; running for {3}; server {4}.', job.title, job.id, describeJob(job), timing(job), job.serverUrl)];
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

/** What to do about a failed job, in one sentence. */
export function nextStepFor(job: JobSnapshot): string {
  switch (job.error?.kind) {
    case 'unreachable': return vscode.l10n.t('No ACE-Step server answers at {0}: start it (ACE-Step: Start Server, or docker compose up -d in the ACE-Step folder) or point acestep.serverUrl at it.', job.serverUrl);
    case 'auth': return vscode.l10n.t('The server wants an API key: run ACE-Step: Set API Key.');
    case 'lm-unavailable': return vscode.l10n.t('The server\'s LM is switched off: set thinking: false in the song and generate again.');
    case 'queue-full': return vscode.l10n.t('The server\'s queue is full: try again in a few minutes.');
    default: return job.state === 'lost'
      ? vscode.l10n.t('The server no longer knows this job (it was restarted?): generate again.')
      : vscode.l10n.t('Check the ACE-Step log (ACE-Step: Show Log) and generate again.');
  }
}

/** Markdown links to the takes. */
export function takeLinks(job: JobSnapshot): string {
  return takeFiles(job).map(f => `- [${path.basename(f)}](${vscode.Uri.file(f).toString()})`).join('\n');
}
