// acestep-song download TASK_ID [--server URL] [--out DIR] [--title TITLE] [--json]
// Fetches the takes of a job the server has already made (or is still making) by its task id, each with its
// JSON sidecar, into DIR (default ./acestep-output): what to do when `generate` says the download failed.
// The same job code as `generate` downloads them; the takes are named from TITLE (default "task-<id>").
// Exit: 0 all takes downloaded, 1 the server failed or does not know the task, 2 usage error, 130 Ctrl-C.
import * as path from 'node:path';
import { AceStepClient, AceStepError } from '../core/api';
import { JobManager, MemoryJobStorage } from '../core/jobs';
import { parseArgs } from './args';
import { cleanStaleTemps, defaultDownloadDir, printProgress, report, waitWithSignals } from './follow';
import { downloadPaceOption, usageLine, type CliIO } from './io';
import { serverUrlFor } from './server-url';

export const USAGE = `usage: acestep-song download TASK_ID [--server URL] [--out DIR] [--title TITLE] [--json]

Fetches the takes of a finished job by its task id (what "acestep-song generate --json" prints as task_id),
each with its .json sidecar; waits first when the job is still running.

options:
  --server URL    the ACE-Step server (default: $ACESTEP_URL, else http://localhost:8501); key: $ACESTEP_API_KEY
  --out DIR       where the takes go (default: ./acestep-output)
  --title TITLE   the name the take files start with (default: task-<first 8 characters of the id>)
  --json          print {task_id, status, server, files, sidecars[, error]} on stdout instead of the paths

example:
  acestep-song download 3f2b9c1e-5d7a-4e8b-9c0d-1a2b3c4d5e6f --server http://localhost:8501 --out takes`;

export async function run(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) { io.out(USAGE); return 0; }
  const p = parseArgs(args, ['json'], { server: 'a URL', out: 'a folder', title: 'a name' });
  const problem = typeof p === 'string' ? p : p.words.length > 1 ? 'only one TASK_ID at a time' : undefined;
  if (typeof p === 'string' || problem) { io.err(`acestep-song download: ${problem}\n${usageLine(USAGE)}`); return 2; }
  const o = { taskId: p.words[0], server: p.values.server, out: p.values.out, title: p.values.title, json: p.flags.has('json') };
  if (!o.taskId) { io.err(usageLine(USAGE)); return 2; }
  const taskId = o.taskId;
  const serverUrl = serverUrlFor(o.server, io, 'download');
  const apiKey = io.env.ACESTEP_API_KEY || undefined;
  const outputDir = o.out ? path.resolve(io.cwd, o.out) : defaultDownloadDir(io.cwd);
  const title = o.title ?? `task-${taskId.slice(0, 8)}`;

  // Ask once first: a task the server does not know (or that failed) is said at once, not after a wait.
  let client: AceStepClient;
  try {
    client = new AceStepClient({ baseUrl: serverUrl, ...(apiKey ? { apiKey } : {}) });
  } catch (e) {
    io.err(`acestep-song download: ${(e as Error).message}`);
    return 2;
  }
  try {
    const [st] = await client.queryResult([taskId]);
    if (!st || st.unknown) {
      io.err(`acestep-song download: the server at ${client.baseUrl} does not know task ${taskId} (a server forgets its jobs when it restarts).`);
      return 1;
    }
    if (st.status === 0) io.err(`acestep-song download: task ${taskId} is still running; waiting for it.`);
  } catch (e) {
    io.err(`acestep-song download: ${e instanceof AceStepError ? e.message : String(e)}`);
    return 1;
  } finally {
    await client.close();
  }

  await cleanStaleTemps(io, 'download', outputDir, title);
  const manager = new JobManager({ storage: new MemoryJobStorage(), apiKey, ...downloadPaceOption(io) });
  const sub = printProgress(manager, io, 'download');
  const job = manager.adopt({ serverUrl, taskId, title, outputDir });
  try {
    const { done, interrupted } = await waitWithSignals(manager, job.id, io, 'download');
    return report(done, io, { command: 'download', json: o.json, interrupted });
  } finally {
    sub.dispose();
  }
}
