// Following one job to its end in a terminal, shared by `generate` and `download`: progress on stderr (each
// change once, the end said once), Ctrl-C, the result on stdout (paths, or --json), the failure and the next step.
//
// Ctrl-C once stops following the job (ACE-Step has no cancel) and removes what was half downloaded; Ctrl-C
// again, SIGTERM or SIGHUP end the process at once, removing this process's temporary files first. Every exit
// path removes them (the 'exit' hook), so no `.part` file outlives the run.
import * as path from 'node:path';
import { JobManager, MemoryJobStorage, type JobSnapshot } from '../core/jobs';
import type { JobPlan } from '../core/jobs/plan';
import { adviceFor, adviceText } from '../core/jobs/advice';
import { progressLine } from '../core/jobs/progress';
import { removeStaleTemps } from '../core/jobs/stale-temps';
import { isTerminal } from '../core/jobs/types';
import { removeLiveTempFilesSync } from '../core/util/temp-files';
import { downloadPaceOption, type CliIO } from './io';

export interface FollowOptions {
  /** The subcommand, for the message prefix. */
  command: string;
  json: boolean;
  /** More fields for the --json answer (write: the .song). */
  extra?: Record<string, unknown>;
}

/** Removes the stale temporary files an earlier, killed run of this song left in its output folder. */
export async function cleanStaleTemps(io: CliIO, command: string, outputDir: string, title: string): Promise<void> {
  const removed = await removeStaleTemps(outputDir, title);
  if (removed.length) io.err(`acestep-song ${command}: removed ${removed.length} stale temporary file(s) of an earlier run in ${outputDir}`);
}

/** Prints each change of the job's progress (the same kind of line at most every 2 s); the end is left to `report`. */
export function printProgress(manager: JobManager, io: CliIO, command: string): { dispose(): void } {
  let lastLine = '';
  let lastAt = 0;
  return manager.onDidChange(s => {
    if (isTerminal(s.state)) return;
    const line = progressLine(s);
    const now = Date.now();
    const sameKind = line.replace(/\d+/g, '#') === lastLine.replace(/\d+/g, '#');
    if (line === lastLine || (sameKind && now - lastAt < 2000)) return;
    lastLine = line;
    lastAt = now;
    io.err(`acestep-song ${command}: ${line}`);
  });
}

/**
 * Runs `work` with Ctrl-C and the other signals handled: the first Ctrl-C says `stopping` and calls `stop`; a second
 * one, SIGTERM or SIGHUP end the process at once, removing this process's temporary files first. `work` gets how
 * many Ctrl-C came so far; its own clean-up (in its finally) still runs under the handlers.
 */
export async function underSignals<T>(io: CliIO, command: string, stopping: string, stop: () => void, work: (presses: () => number) => Promise<T>): Promise<T> {
  let presses = 0;
  const now = (code: number) => () => { removeLiveTempFilesSync(); process.exit(code); };
  const onSigint = () => {
    presses++;
    if (presses > 1) return now(130)();
    io.err(`acestep-song ${command}: ${stopping}; Ctrl-C again to quit at once`);
    stop();
  };
  const onTerm = now(143);
  const onHup = now(129);
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onHup);
  process.on('exit', removeLiveTempFilesSync);
  try {
    return await work(() => presses);
  } finally {
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onTerm);
    process.removeListener('SIGHUP', onHup);
    process.removeListener('exit', removeLiveTempFilesSync);
  }
}

/** Waits for the job with Ctrl-C and the other signals handled; true in `interrupted` when Ctrl-C ended it. */
export async function waitWithSignals(manager: JobManager, id: string, io: CliIO, command: string): Promise<{ done: JobSnapshot; interrupted: boolean }> {
  return underSignals(io, command, 'stopping (the server may still finish the job)', () => manager.cancel(id), async presses => {
    try {
      const done = await manager.waitFor(id);
      return { done, interrupted: presses() > 0 };
    } finally {
      // Still under the handlers: disposing waits for the cancelled download to remove its .part.
      await manager.dispose();
    }
  });
}

/**
 * Submits a planned job and follows it to its end (progress on stderr, Ctrl-C); `started` says where it went.
 * Undefined when the submit itself was refused (already said on stderr).
 */
export async function followPlan(
  plan: JobPlan, io: CliIO, command: string, started: (job: JobSnapshot) => string = job => `"${plan.title}" → ${job.serverUrl}`,
): Promise<{ done: JobSnapshot; interrupted: boolean } | undefined> {
  const manager = new JobManager({ storage: new MemoryJobStorage(), apiKey: io.env.ACESTEP_API_KEY || undefined, ...downloadPaceOption(io) });
  const sub = printProgress(manager, io, command);
  let job: JobSnapshot;
  try {
    job = manager.submit(plan);
  } catch (e) {
    sub.dispose();
    await manager.dispose();
    io.err(`acestep-song ${command}: ${(e as Error).message}`);
    return undefined;
  }
  io.err(`acestep-song ${command}: ${started(job)}`);
  try {
    return await waitWithSignals(manager, job.id, io, command);
  } finally {
    sub.dispose();
  }
}

/** The end of a job: paths or JSON on stdout, the outcome and the next step on stderr; the exit code. */
export function report(done: JobSnapshot, io: CliIO, o: FollowOptions & { interrupted: boolean }): number {
  const files = (done.takes ?? []).filter(t => t.file).map(t => t.file!);
  const sidecars = (done.takes ?? []).filter(t => t.sidecar).map(t => t.sidecar!);
  const prefix = `acestep-song ${o.command}`;
  for (const w of done.warnings ?? []) io.err(`${prefix}: warning: ${w}`);
  if (o.json) {
    io.out(JSON.stringify({
      task_id: done.taskId ?? null,
      status: done.state,
      server: done.serverUrl,
      flavour: done.flavour ?? null,
      files,
      sidecars,
      ...o.extra,
      ...(done.error ? { error: done.error } : {}),
    }, null, 2));
  } else {
    for (const f of files) io.out(f);
  }
  if (done.state === 'succeeded') {
    io.err(`${prefix}: done, ${files.length} take(s) in ${done.outputDir}`);
    return 0;
  }
  io.err(`${prefix}: ${done.state}: ${done.error?.message ?? 'no details'}`);
  const said = done.error?.serverMessage?.trim();
  if (said && !done.error!.message.includes(said)) io.err(`${prefix}: the server said: ${said}`);
  const advice = adviceText(adviceFor(done, { surface: 'terminal' }));
  if (advice) io.err(`${prefix}: ${advice}`);
  if (o.interrupted) return 130;
  return 1;
}

/** The default output folder of takes fetched by task id (no song to put them beside). */
export const defaultDownloadDir = (cwd: string): string => path.join(cwd, 'acestep-output');

/** Submits a plan, follows it to its end and reports it: the exit code (2 when it could not be submitted). */
export async function submitAndFollow(plan: JobPlan, io: CliIO, o: FollowOptions): Promise<number> {
  const followed = await followPlan(plan, io, o.command);
  if (!followed) return 2;
  return report(followed.done, io, { ...o, interrupted: followed.interrupted });
}
