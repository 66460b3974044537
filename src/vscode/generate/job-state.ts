// Where the jobs are kept (VS Code's global state), and the cheap look at it that activation makes: generation
// loads at activation only when a previous window left jobs pending (they resume, and the jobs status bar shows them).
import type * as vscode from 'vscode';
import { isTerminal, type JobRecord } from '../../core/jobs/types';

export const JOBS_STATE_KEY = 'acestep.jobs.v1';

/** The stored job records (an in-memory read: global state is loaded before activation). */
export function storedJobs(memento: vscode.Memento): JobRecord[] {
  const v = memento.get<unknown>(JOBS_STATE_KEY);
  return Array.isArray(v) ? (v as JobRecord[]) : [];
}

/** True when stored state holds unfinished jobs. */
export function hasPendingJobs(memento: vscode.Memento): boolean {
  return storedJobs(memento).some(r => !isTerminal(r.state));
}
