// acestep-song edit TAKE (--repaint A-B | --extend S | --extend-before S | --restyle CAPTION | --add TRACK |
//   --extract TRACK | --complete TRACKS) [--lyrics FILE] [--strength X] [--server URL] [--out DIR] [--json]
// Edits a take on an ACE-Step server: the take is the source audio, its sidecar gives the request it was made with
// (caption, lyrics, settings carry over), its title and song. The new take and its sidecar (naming the parent take
// and the operation) go into the song's output folder, or beside the source when the song is unknown.
// Exit codes as `generate`: 0 done, 1 the job failed, 2 usage error or unreadable take, 130 Ctrl-C.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { sidecarPathOf } from '../core/jobs/download';
import { planEdit, type EditOperation, type EditSource } from '../core/jobs/edit';
import { readSidecar, type Sidecar } from '../core/jobs/sidecar';
import { readAudioLength } from '../core/song/audio-length';
import { normaliseTrackName, trackSuggestions, type TrackName } from '../core/song/tasks';
import { parseArgs } from './args';
import { cleanStaleTemps, submitAndFollow } from './follow';
import { usageLine, type CliIO } from './io';
import { serverUrlFor } from './server-url';

const USAGE = `usage: acestep-song edit TAKE (--repaint START-END [--lyrics FILE] | --extend SECONDS | --extend-before SECONDS
       | --restyle CAPTION [--strength X] | --add TRACK | --extract TRACK | --complete TRACKS) [--server URL] [--out DIR] [--json]

Edits a take (an audio file this extension or acestep-song generate downloaded) on an ACE-Step server and
downloads the result with a .json sidecar that names the take it came from. The take's own sidecar
(TAKE with .json) gives the caption, lyrics and settings it was made with; they carry over.

operations (exactly one):
  --repaint START-END    generate this range again, in seconds (40-52, 1:05-1:20)
  --lyrics FILE          with --repaint or --extend: the lyrics for the new part (default: the take's)
  --extend SECONDS       add this many seconds after the end
  --extend-before SECONDS  add this many seconds before the start
  --restyle CAPTION      the same song in another style (cover)
  --strength X           with --restyle: how closely it follows the take, 0-1 (default 0.5)
  --add TRACK            add a part (lego; base models only)
  --extract TRACK        extract one part (base models only)
  --complete TRACKS      complete the take with these parts, comma-separated (base models only)
  TRACK is one of: vocals, backing_vocals, drums, bass, guitar, keyboard, percussion, strings, synth, fx, brass, woodwinds

options:
  --server URL   the server (default: $ACESTEP_URL, else the take's server, else http://localhost:8501); the key comes from $ACESTEP_API_KEY
  --out DIR      where the new take goes (default: the song's output folder, else beside TAKE)
  --json         print {task_id, status, server, flavour, files, sidecars[, error]} on stdout instead of the paths

example:
  acestep-song edit acestep-output/tempest/tempest_take1.mp3 --repaint 40-52 --server http://localhost:8001`;

const OPERATIONS = ['repaint', 'extend', 'extend-before', 'restyle', 'add', 'extract', 'complete'] as const;

/** `40-52`, `40.5-52`, `1:05-1:20` → seconds, or null. */
export function parseRange(text: string): { start: number; end: number } | null {
  const t = '(\\d+(?:\\.\\d+)?|\\d+:[0-5]\\d(?:\\.\\d+)?)';
  const m = new RegExp(`^\\s*${t}\\s*(?:-|–|\\.\\.)\\s*${t}\\s*$`).exec(text);
  if (!m) return null;
  const sec = (s: string) => s.includes(':') ? Number(s.split(':')[0]) * 60 + Number(s.split(':')[1]) : Number(s);
  const start = sec(m[1]!);
  const end = sec(m[2]!);
  return end > start ? { start, end } : null;
}

function track(written: string): TrackName | string {
  const t = normaliseTrackName(written);
  if (t) return t;
  const close = trackSuggestions(written);
  return `unknown track "${written}"${close.length ? `; did you mean ${close.join(' or ')}?` : ''}`;
}

const isTrack = (x: string): x is TrackName => normaliseTrackName(x) === x;

/** The operation the options ask for, or a usage error. */
export function operationOf(values: Record<string, string>, lyrics?: string): EditOperation | string {
  const given = OPERATIONS.filter(o => values[o] !== undefined);
  if (given.length !== 1) return given.length ? `one operation at a time (got --${given.join(', --')})` : 'an operation is needed (--repaint, --extend, --restyle, --add, --extract, --complete)';
  const op = given[0]!;
  const v = values[op]!;
  if (lyrics !== undefined && op !== 'repaint' && op !== 'extend' && op !== 'extend-before') return '--lyrics goes with --repaint or --extend';
  if (values.strength !== undefined && op !== 'restyle') return '--strength goes with --restyle';
  const seconds = () => { const n = Number(v); return Number.isFinite(n) && n > 0 && n <= 600 ? n : null; };
  switch (op) {
    case 'repaint': {
      const r = parseRange(v);
      return r ? { kind: 'repaint', ...r, ...(lyrics !== undefined ? { lyrics } : {}) } : `--repaint needs START-END in seconds, START before END (got "${v}")`;
    }
    case 'extend': case 'extend-before': {
      const n = seconds();
      if (n === null) return `--${op} needs a number of seconds, more than 0 and at most 600 (got "${v}")`;
      return { kind: 'extend', before: op === 'extend' ? 0 : n, after: op === 'extend' ? n : 0, ...(lyrics !== undefined ? { lyrics } : {}) };
    }
    case 'restyle': {
      const strength = values.strength === undefined ? 0.5 : Number(values.strength);
      if (!(strength >= 0 && strength <= 1)) return `--strength needs a number from 0 to 1 (got "${values.strength}")`;
      return v.trim() ? { kind: 'restyle', caption: v, strength } : '--restyle needs a caption';
    }
    case 'add': case 'extract': {
      const t = track(v);
      return isTrack(t) ? { kind: op, track: t } : t;
    }
    case 'complete': {
      const tracks = v.split(',').map(x => x.trim()).filter(Boolean).map(track);
      const bad = tracks.find(t => !isTrack(t));
      return bad ?? (tracks.length ? { kind: 'complete', tracks: tracks as TrackName[] } : '--complete needs track names, comma-separated');
    }
  }
}

async function readTakeSidecar(take: string): Promise<Sidecar | undefined> {
  try {
    return readSidecar(JSON.parse(await readFile(sidecarPathOf(take), 'utf8')));
  } catch {
    return undefined;
  }
}

export async function run(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) { io.out(USAGE); return 0; }
  const valueNames: Record<string, string> = {
    server: 'a URL', out: 'a folder', lyrics: 'a file', strength: 'a number from 0 to 1', repaint: 'START-END', extend: 'seconds',
    'extend-before': 'seconds', restyle: 'a caption', add: 'a track name', extract: 'a track name', complete: 'track names',
  };
  const p = parseArgs(args, ['json'], valueNames);
  const fail = (problem: string) => { io.err(`acestep-song edit: ${problem}\n${usageLine(USAGE)}`); return 2; };
  if (typeof p === 'string') return fail(p);
  if (p.words.length !== 1) return fail(p.words.length ? 'only one TAKE at a time' : 'which take? (TAKE is its audio file)');
  const take = path.resolve(io.cwd, p.words[0]!);
  if (!existsSync(take)) { io.err(`acestep-song edit: cannot read ${p.words[0]}: no such file`); return 2; }
  let lyrics: string | undefined;
  if (p.values.lyrics !== undefined) {
    try {
      lyrics = (await readFile(path.resolve(io.cwd, p.values.lyrics), 'utf8')).replace(/\r\n?/g, '\n').trim();
    } catch {
      io.err(`acestep-song edit: cannot read ${p.values.lyrics}`);
      return 2;
    }
  }
  const op = operationOf(p.values, lyrics);
  if (typeof op === 'string') return fail(op);

  const sidecar = await readTakeSidecar(take);
  if (!sidecar) io.err(`acestep-song edit: no readable sidecar beside ${p.words[0]}: the edit starts without the take's caption, lyrics and settings`);
  const serverUrl = serverUrlFor(p.values.server ?? (io.env.ACESTEP_URL ? undefined : sidecar?.server.url || undefined), io, 'edit');
  const durationSec = await readAudioLength(take).catch(() => undefined);
  const songPath = sidecar?.song && existsSync(sidecar.song) ? sidecar.song : undefined;
  const source: EditSource = {
    file: take, params: sidecar?.request.params, title: sidecar?.title || path.basename(take).replace(/\.[^.]+$/, ''),
    serverUrl, ...(durationSec !== undefined ? { durationSec } : {}), ...(songPath ? { songPath } : {}),
    ...(sidecar ? { sidecar: sidecarPathOf(take) } : {}),
  };
  let plan: ReturnType<typeof planEdit>;
  try {
    plan = planEdit(source, op, { outputDirectory: '' });
  } catch (e) {
    io.err(`acestep-song edit: ${(e as Error).message}`);
    return 2;
  }
  if (p.values.out) plan = { ...plan, outputDir: path.resolve(io.cwd, p.values.out) };
  await cleanStaleTemps(io, 'edit', plan.outputDir, plan.title);

  return submitAndFollow(plan, io, { command: 'edit', json: p.flags.has('json') });
}
