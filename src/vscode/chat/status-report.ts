// The status report that @acestep /status and the acestep_job_status tool both give: the server (asked only when
// the caller wants it, with a time limit), the jobs still pending and the last finished one. Built here once;
// the chat renders it as markdown for the user, the tool as plain text for the model.
import * as vscode from 'vscode';
import type { ServerInfo } from '../../core/api';
import { isTerminal, type JobSnapshot } from '../../core/jobs';
import type { GenerationService } from '../generate';
import { errorMessage } from '../../core/util/error-message';

export interface StatusReport {
  serverUrl: string;
  /** The server's answer, when it was asked. */
  server?: { ok: true; info: ServerInfo } | { ok: false; error: string };
  /** Every job, newest first. */
  jobs: JobSnapshot[];
  pending: JobSnapshot[];
  /** The newest finished job. */
  last?: JobSnapshot;
}

export interface StatusReportOptions {
  /** Ask the server too (Check Server's question), giving up after `timeoutMs` or when `token` is cancelled. */
  askServer?: { token: vscode.CancellationToken; timeoutMs: number };
}

export async function statusReport(service: GenerationService, options: StatusReportOptions = {}): Promise<StatusReport> {
  const serverUrl = service.serverUrl();
  let server: StatusReport['server'];
  if (options.askServer) {
    try {
      server = { ok: true, info: await withTimeout(service.serverInfo(serverUrl), options.askServer.timeoutMs, options.askServer.token) };
    } catch (e) {
      server = { ok: false, error: errorMessage(e) };
    }
  }
  const jobs = service.list().sort((a, b) => b.createdAt - a.createdAt);
  const last = jobs.find(j => isTerminal(j.state));
  return { serverUrl, ...(server ? { server } : {}), jobs, pending: jobs.filter(j => !isTerminal(j.state)), ...(last ? { last } : {}) };
}

/** A job by its local id or the server's task id. */
export function findJob(report: StatusReport, id: string): JobSnapshot | undefined {
  return report.jobs.find(j => j.id === id || j.taskId === id);
}

function withTimeout<T>(p: Promise<T>, ms: number, token: vscode.CancellationToken): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(vscode.l10n.t('no answer within {0} s', Math.round(ms / 1000)))), ms);
    const sub = token.onCancellationRequested(() => reject(new Error(vscode.l10n.t('cancelled'))));
    p.then(v => { clearTimeout(timer); sub.dispose(); resolve(v); }, e => { clearTimeout(timer); sub.dispose(); reject(e); });
  });
}
