// acestep-song generate FILE [--server URL] [--out DIR] [--json]
// acestep-song generate FILE… [--servers NAME-OR-URL,…] [--all-servers]: several songs, or several servers, go
// through album.ts (one queue dispatched over the servers).
// Submits a .song file to an ACE-Step server, follows the job and downloads every take (with a JSON
// sidecar each) into DIR (default: <song dir>/acestep-output/<song name>/). Progress goes to stderr;
// stdout gets the audio paths, or with --json {task_id, status, files, sidecars[, error]}.
// The server comes from --server, else $ACESTEP_URL, else http://localhost:8501; the key from $ACESTEP_API_KEY;
// the slowest download pace allowed (bytes/s after a grace period, 0: no limit) from $ACESTEP_DOWNLOAD_MIN_BYTES_PER_SECOND.
// Exit: 0 all takes downloaded, 1 the job failed (or was lost/cancelled), 2 usage error, unreadable file or lint errors,
// 130 stopped with Ctrl-C. A failed download is fetched again with `acestep-song download TASK_ID`.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { planJob } from '../core/jobs/plan';
import { lintSong, parseSong } from '../core/song';
import { runAlbum, type AlbumDeps } from './album';
import { parseArgs } from './args';
import { cleanStaleTemps, submitAndFollow } from './follow';
import { usageLine, type CliIO } from './io';
import { serverUrlFor } from './server-url';

const USAGE = `usage: acestep-song generate FILE… [--server URL | --servers NAME-OR-URL,… | --all-servers] [--out DIR] [--json]

Generates .song files on ACE-Step servers and downloads every take with a .json sidecar. Progress goes to
stderr; stdout gets the audio paths. Ctrl-C stops following the jobs (the servers may still finish them).
Several files, or several servers, make one queue: each song goes to the server that would finish it first.

options:
  --server URL     one server (default: $ACESTEP_URL, else http://localhost:8501); the key comes from $ACESTEP_API_KEY;
                   a URL ending in /v1/chat/completions is a hosted (OpenAI-style) endpoint: one request per take
  --servers LIST   server profiles by name (acestep.servers in the nearest .vscode/settings.json) or URLs, comma-separated;
                   the key of profile NAME comes from $ACESTEP_API_KEY_NAME ($ACESTEP_API_KEY for "default")
  --all-servers    every enabled server profile
  --config FILE    read the profiles from this settings file instead
  --move-stranded  when a server stops answering, move its songs that never started to the other servers
                   (without it: asked on a terminal, else listed at the end with the command to render them)
  --out DIR        where the takes go (default: acestep-output/<song name>/ beside each song)
  --json           print {task_id, status, server, flavour, files, sidecars[, error]} on stdout instead of the paths
                   (several songs: a list of {song, title, server, state, files, sidecars, …})

exit: 0 every song made it, 1 some did not, 2 usage or lint errors (nothing sent), 130 Ctrl-C

examples:
  acestep-song generate my.song --server http://localhost:8501 --json
  acestep-song generate songs/*.song --servers gpu0,gpu1`;

export async function run(args: string[], io: CliIO, deps?: AlbumDeps): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) { io.out(USAGE); return 0; }
  const p = parseArgs(args, ['json', 'all-servers', 'move-stranded'], { server: 'a URL', servers: 'server names or URLs', out: 'a folder', config: 'a settings file' });
  const problem = typeof p === 'string' ? p
    : [p.values.server, p.values.servers, p.flags.has('all-servers') || undefined].filter(Boolean).length > 1 ? '--server, --servers and --all-servers exclude each other' : undefined;
  if (typeof p === 'string' || problem) { io.err(`acestep-song generate: ${problem}\n${usageLine(USAGE)}`); return 2; }
  if (p.words.length > 1 || p.values.servers || p.flags.has('all-servers') || p.values.config || p.flags.has('move-stranded')) {
    return runAlbum({
      files: p.words, allServers: p.flags.has('all-servers'), json: p.flags.has('json'), moveStranded: p.flags.has('move-stranded'),
      ...(p.values.servers ? { servers: p.values.servers } : {}), ...(p.values.server ? { server: p.values.server } : {}),
      ...(p.values.config ? { config: p.values.config } : {}), ...(p.values.out ? { out: p.values.out } : {}),
    }, io, deps);
  }
  const o = { file: p.words[0], server: p.values.server, out: p.values.out, json: p.flags.has('json') };
  if (!o.file) { io.err(usageLine(USAGE)); return 2; }
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

  await cleanStaleTemps(io, 'generate', outputDir, title);

  return submitAndFollow(plan, io, { command: 'generate', json: o.json });
}
