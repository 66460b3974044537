// acestep-song write "DESCRIPTION" [--language CODE] [--instrumental] [--duration SECONDS] [--server URL] [--out DIR] [--json]
// The server's own 5 Hz LM writes the caption, lyrics and metadata from one sentence (sample mode) and generates
// them; the takes are downloaded like `generate`'s and a .song holding what the LM chose is written into DIR, so
// the song can be edited and generated again. The server must have its LM loaded (ACESTEP_INIT_LLM=true).
// Exit: 0 done, 1 the job failed, 2 usage error, 130 stopped with Ctrl-C.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { writeSampleSong } from '../core/ai/sample-song';
import { descriptionProblem, planDescribedSong, type Description } from '../core/jobs/describe-song';
import { errorMessage } from '../core/util/error-message';
import { parseArgs } from './args';
import { cleanStaleTemps, report, followPlan } from './follow';
import { usageLine, type CliIO } from './io';
import { serverUrlFor } from './server-url';

const USAGE = `usage: acestep-song write "DESCRIPTION" [--language CODE] [--instrumental] [--duration SECONDS] [--server URL] [--out DIR] [--json]

Lets the ACE-Step server's own language model (the 5 Hz LM) write a song from one sentence: it chooses the
caption, lyrics, tempo, key and length, then generates. The takes are downloaded with a .json sidecar each, and
a .song holding what the LM wrote (and your sentence as a comment) is written, ready to edit and generate again.
No chat model is needed, but the server must have its LM loaded (ACESTEP_INIT_LLM=true in its .env).

options:
  --language CODE      the language of the lyrics (en, de, ja, …; default: the LM decides from the sentence)
  --instrumental       no vocals
  --duration SECONDS   a length to ask for, 10 to 600 (default: the LM decides; it may differ a little)
  --server URL         the server (default: $ACESTEP_URL, else http://localhost:8501); the key comes from $ACESTEP_API_KEY
  --out DIR            where the .song goes (default: the current folder); the takes go to DIR/acestep-output/<song name>/
  --json               print {task_id, status, server, flavour, files, sidecars, song, lint[, error]} on stdout

example:
  acestep-song write "a creative black metal song with good lyrics, in English, with cool guitar solos" --duration 180`;

export async function run(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) { io.out(USAGE); return 0; }
  const p = parseArgs(args, ['json', 'instrumental'], { server: 'a URL', out: 'a folder', language: 'a language code', duration: 'seconds' });
  const problem = typeof p === 'string' ? p : p.words.length > 1 ? 'put the description in quotes (one argument)' : undefined;
  if (typeof p === 'string' || problem) { io.err(`acestep-song write: ${problem}\n${usageLine(USAGE)}`); return 2; }
  if (!p.words[0]) { io.err(usageLine(USAGE)); return 2; }
  const d: Description = {
    description: p.words[0],
    ...(p.values.language ? { language: p.values.language } : {}),
    ...(p.flags.has('instrumental') ? { instrumental: true } : {}),
    ...(p.values.duration !== undefined ? { duration: Number(p.values.duration) } : {}),
  };
  const bad = descriptionProblem(d);
  if (bad) { io.err(`acestep-song write: ${bad}`); return 2; }
  const serverUrl = serverUrlFor(p.values.server, io, 'write');
  const songDir = path.resolve(io.cwd, p.values.out ?? '.');
  const { plan, songPath, query } = planDescribedSong({ ...d, serverUrl, songDir, exists: existsSync, cwd: io.cwd });
  await cleanStaleTemps(io, 'write', plan.outputDir, plan.title);

  const followed = await followPlan(plan, io, 'write', job => `the server's LM writes "${query}" → ${job.serverUrl}`);
  if (!followed) return 2;
  const { done, interrupted } = followed;
  const extra: Record<string, unknown> = {};
  const item = done.items?.[0];
  if (item) {
    const song = await writeSampleSong(d, plan.title, item, songPath);
    if (song.error === undefined) {
      extra.song = songPath;
      extra.lint = { applied: song.applied, remaining: song.remaining.map(r => ({ line: r.range.start.line + 1, severity: r.severity, code: r.code, message: r.message })) };
      io.err(`acestep-song write: wrote ${songPath}${song.applied.length ? ` (fixed: ${song.applied.join('; ')})` : ''}`);
      for (const r of song.remaining) io.err(`${songPath}:${r.range.start.line + 1}: ${r.severity} ${r.code} ${r.message}`);
      for (const n of song.notes) io.err(`acestep-song write: ${n}`);
    } else {
      io.err(`acestep-song write: could not write ${songPath}: ${errorMessage(song.error)}`);
      extra.song = null;
    }
  }
  return report(done, io, { command: 'write', json: p.flags.has('json'), interrupted, extra });
}
