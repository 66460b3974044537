// acestep-song generate FILE [--server URL] [--out DIR] [--json]
// Submits a .song file to an ACE-Step server, follows the job and downloads every take (with a JSON
// sidecar each) into DIR (default: <song dir>/acestep-output/<song name>/). Progress goes to stderr;
// stdout gets the audio paths, or with --json {task_id, status, files, sidecars[, error]}.
// The server comes from --server, else $ACESTEP_URL, else http://localhost:8501; the key from $ACESTEP_API_KEY.
// Exit: 0 all takes downloaded, 1 the job failed (or was lost/cancelled), 2 usage error, unreadable file or lint errors.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { JobManager, MemoryJobStorage, type JobSnapshot } from '../core/jobs';
import { adviceFor, adviceText } from '../core/jobs/advice';
import { planJob } from '../core/jobs/plan';
import { progressLine } from '../core/jobs/progress';
import { lintSong, parseSong } from '../core/song';
import type { CliIO } from './io';
import { serverUrlFor } from './server-url';

const USAGE = 'usage: acestep-song generate FILE [--server URL] [--out DIR] [--json]';

interface Options {
  file?: string;
  server?: string;
  out?: string;
  json: boolean;
}

function parseArgs(args: string[]): Options | string {
  const o: Options = { json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string | undefined => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i]);
    if (a === '--json') o.json = true;
    else if (a === '--server' || a.startsWith('--server=')) {
      const v = value();
      if (!v) return '--server needs a URL';
      o.server = v;
    } else if (a === '--out' || a.startsWith('--out=')) {
      const v = value();
      if (!v) return '--out needs a folder';
      o.out = v;
    } else if (a.startsWith('-')) return `unknown option ${a}`;
    else if (o.file) return 'only one FILE at a time';
    else o.file = a;
  }
  return o;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) { io.out(USAGE); return 0; }
  const o = parseArgs(args);
  if (typeof o === 'string') { io.err(`acestep-song generate: ${o}\n${USAGE}`); return 2; }
  if (!o.file) { io.err(USAGE); return 2; }
  const songPath = path.resolve(io.cwd, o.file);
  let text: string;
  try {
    text = await readFile(songPath, 'utf8');
  } catch (e) {
    const code = (e as { code?: string })?.code;
    io.err(`acestep-song generate: cannot read ${o.file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    return 2;
  }
  const baseDir = path.dirname(songPath);
  const parsed = parseSong(text);
  const errors = lintSong(parsed, { baseDir, fileExists: p => existsSync(p) }).filter(d => d.severity === 'error');
  if (errors.length) {
    for (const d of errors) io.err(`${o.file}:${d.range.start.line + 1}:${d.range.start.character + 1} error ${d.code} ${d.message}`);
    io.err(`acestep-song generate: ${errors.length} error(s) in ${o.file}; fix them first (see acestep-song lint).`);
    return 2;
  }
  const serverUrl = serverUrlFor(o.server, io, 'generate');
  const plan = planJob({ song: parsed, songPath, serverUrl, cwd: io.cwd, ...(o.out ? { outputDir: o.out } : {}) });
  const { title, outputDir } = plan;
  const apiKey = io.env.ACESTEP_API_KEY || undefined;

  const manager = new JobManager({ storage: new MemoryJobStorage(), apiKey });
  let lastLine = '';
  let lastAt = 0;
  const sub = manager.onDidChange(s => {
    const line = progressLine(s);
    const now = Date.now();
    const sameKind = line.replace(/\d+/g, '#') === lastLine.replace(/\d+/g, '#');
    if (line === lastLine || (sameKind && now - lastAt < 2000)) return;
    lastLine = line;
    lastAt = now;
    io.err(`acestep-song generate: ${line}`);
  });
  let job: JobSnapshot;
  try {
    job = manager.submit(plan);
  } catch (e) {
    sub.dispose();
    await manager.dispose();
    io.err(`acestep-song generate: ${(e as Error).message}`);
    return 2;
  }
  io.err(`acestep-song generate: "${title}" → ${serverUrl}`);
  const onSigint = () => { manager.cancel(job.id); };
  process.once('SIGINT', onSigint);
  let done: JobSnapshot;
  try {
    done = await manager.waitFor(job.id);
  } finally {
    process.removeListener('SIGINT', onSigint);
    sub.dispose();
    await manager.dispose();
  }
  for (const w of done.warnings ?? []) io.err(`acestep-song generate: warning: ${w}`);
  const files = (done.takes ?? []).filter(t => t.file).map(t => t.file!);
  const sidecars = (done.takes ?? []).filter(t => t.sidecar).map(t => t.sidecar!);
  if (o.json) {
    io.out(JSON.stringify({
      task_id: done.taskId ?? null,
      status: done.state,
      server: serverUrl,
      flavour: done.flavour ?? null,
      files,
      sidecars,
      ...(done.error ? { error: done.error } : {}),
    }, null, 2));
  } else {
    for (const f of files) io.out(f);
  }
  if (done.state === 'succeeded') {
    io.err(`acestep-song generate: done, ${files.length} take(s) in ${outputDir}`);
    return 0;
  }
  io.err(`acestep-song generate: ${done.state}: ${done.error?.message ?? 'no details'}`);
  if (done.error?.serverMessage && done.error.serverMessage !== done.error.message) {
    io.err(`acestep-song generate: the server said: ${done.error.serverMessage.trim()}`);
  }
  const advice = adviceText(adviceFor(done, { surface: 'terminal' }));
  if (advice) io.err(`acestep-song generate: ${advice}`);
  return 1;
}
