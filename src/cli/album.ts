// acestep-song generate A.song B.song … [--servers NAME-OR-URL,…] [--all-servers]: an album render. Every song is
// linted first (an error stops everything: exit 2), planned like a single song (planJob), longest first, and handed
// to one Dispatcher over the chosen servers; a live view on a TTY (plain lines otherwise); Ctrl-C as in follow.ts;
// a server that dies strands its unstarted songs: moved only when the user agrees (asked on a TTY, or
// --move-stranded), otherwise listed with the command that renders them again. The summary table at the end; exit 0
// only when every song made it, 1 otherwise, 2 for usage and lint errors, 130 after Ctrl-C.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { JobManager, MemoryJobStorage, type JobManagerOptions } from '../core/jobs';
import { Dispatcher, type DispatcherOptions } from '../core/jobs/dispatch';
import type { DispatchEntry, DispatchInput } from '../core/jobs/dispatch-types';
import { dispatchInputOf, longestFirst, planJob } from '../core/jobs/plan';
import { enabledProfiles, pickServers, profileNamed, DEFAULT_PROFILE, type ServerProfile } from '../core/servers/profiles';
import { lintSong, parseSong } from '../core/song';
import { liveView, plainView, summaryTable, type AlbumView } from './album-view';
import { cleanStaleTemps, underSignals } from './follow';
import { downloadPaceOption, type CliIO } from './io';
import { keyFor, loadProfiles } from './profiles';
import { serverUrlFor } from './server-url';

export interface AlbumOptions {
  files: string[];
  /** --servers NAME-OR-URL,… */
  servers?: string;
  allServers: boolean;
  /** --server URL (one server, as for a single song). */
  server?: string;
  config?: string;
  out?: string;
  json: boolean;
  moveStranded: boolean;
}

/** What tests change: the job manager's and the dispatcher's timing. */
export interface AlbumDeps {
  manager?: Partial<JobManagerOptions>;
  dispatcher?: Partial<Omit<DispatcherOptions, 'manager' | 'servers'>>;
}

const P = 'acestep-song generate';

interface Song { file: string; input: DispatchInput }

async function readSongs(o: AlbumOptions, io: CliIO, profileNames: string[]): Promise<Song[] | undefined> {
  const songs: Song[] = [];
  let bad = false;
  for (const file of o.files) {
    const songPath = path.resolve(io.cwd, file);
    let text: string;
    try {
      text = await readFile(songPath, 'utf8');
    } catch (e) {
      io.err(`${P}: cannot read ${file}: ${(e as { code?: string }).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
      bad = true;
      continue;
    }
    const parsed = parseSong(text);
    const diagnostics = lintSong(parsed, { baseDir: path.dirname(songPath), fileExists: p => existsSync(p), serverProfiles: profileNames });
    for (const d of diagnostics.filter(x => x.severity === 'error' || x.code === 'unknown-server')) {
      io.err(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`);
    }
    if (diagnostics.some(d => d.severity === 'error')) { bad = true; continue; }
    const plan = planJob({ song: parsed, songPath, serverUrl: '', cwd: io.cwd, ...(o.out ? { outputDir: o.out } : {}) });
    songs.push({ file, input: dispatchInputOf(plan, parsed) });
  }
  if (bad) { io.err(`${P}: nothing was sent; fix the files above first (see acestep-song lint).`); return undefined; }
  return songs;
}

/** The servers of the run, or a usage problem. */
function chooseServers(o: AlbumOptions, io: CliIO, profiles: ServerProfile[]): { servers: ServerProfile[]; adHoc: ServerProfile[] } | string {
  let picked: ServerProfile[];
  if (o.allServers) picked = enabledProfiles(profiles);
  else if (o.servers || o.server) {
    const r = pickServers(o.servers ?? serverUrlFor(o.server, io, 'generate'), profiles);
    if (r.problems.length) return `--servers: ${r.problems.join('; ')}`;
    picked = r.servers;
  } else picked = [profileNamed(profiles, DEFAULT_PROFILE)!];
  if (!picked.length) return 'no enabled server (acestep.servers)';
  return { servers: picked, adHoc: picked.filter(p => !profiles.some(q => q.url === p.url)) };
}

export async function runAlbum(o: AlbumOptions, io: CliIO, deps: AlbumDeps = {}): Promise<number> {
  if (!o.files.length) { io.err(`${P}: no FILE given (acestep-song generate --help)`); return 2; }
  const loaded = await loadProfiles(io, o.config);
  if (loaded.fatal) { io.err(`${P}: ${loaded.fatal}`); return 2; }
  for (const p of loaded.problems) io.err(`${P}: warning: ${p}`);
  const chosen = chooseServers(o, io, loaded.profiles);
  if (typeof chosen === 'string') { io.err(`${P}: ${chosen}`); return 2; }
  const read = await readSongs(o, io, loaded.profiles.map(p => p.name));
  if (!read) return 2;
  const songs = longestFirst(read, s => s.input.audioSeconds);
  for (const s of songs) await cleanStaleTemps(io, 'generate', s.input.outputDir, s.input.title);

  const manager = new JobManager({
    storage: new MemoryJobStorage(), apiKey: keyFor(io, loaded.profiles, chosen.adHoc), ...downloadPaceOption(io), ...deps.manager,
  });
  const dispatcher = new Dispatcher({ manager, servers: chosen.servers, ...deps.dispatcher });
  io.err(`${P}: ${songs.length} song(s) over ${chosen.servers.map(s => `${s.name} (${s.url})`).join(', ')}`);
  const view: AlbumView = io.tty ? liveView(io) : plainView(io, P);
  const sub = dispatcher.onDidChange(() => view.update(dispatcher.entries(), dispatcher.servers()));

  const enqueued = dispatcher.enqueue(songs.map(s => s.input));
  const rows = enqueued.map((e, i) => ({ id: e.id, title: e.title, file: songs[i]!.file }));
  const stop = () => { for (const e of dispatcher.entries()) dispatcher.cancel(e.id); };
  let interrupted = false;
  const done = await underSignals(io, 'generate', 'stopping (the servers may still finish the songs sent)', stop, async presses => {
    try {
      for (;;) {
        const settled = await dispatcher.settled();
        const stranded = settled.filter(e => e.state === 'stranded');
        if (!stranded.length || presses()) return settled;
        let agree = o.moveStranded;
        if (!agree && io.tty) {
          view.pause();
          agree = /^y(es)?$/i.test((await io.tty.ask(`${stranded.length} song(s) were stranded on a server that stopped answering: move them to the other servers? [y/N] `)).trim());
          view.resume();
        }
        if (!agree) return settled;
        io.err(`${P}: moving ${stranded.length} stranded song(s) to the other servers`);
        dispatcher.moveStranded();
      }
    } finally {
      interrupted = presses() > 0;
      sub.dispose();
      view.update(dispatcher.entries(), dispatcher.servers());
      view.dispose();
      await dispatcher.dispose();
      // Still under the handlers: disposing waits for cancelled downloads to remove their .part files.
      await manager.dispose();
    }
  });
  return report(done, rows, chosen.servers, o, io, interrupted);
}

function report(done: DispatchEntry[], rows: { id: string; title: string; file: string }[], servers: ServerProfile[], o: AlbumOptions, io: CliIO, interrupted: boolean): number {
  const byId = new Map(done.map(e => [e.id, e]));
  const table = rows.map(r => ({ ...r, entry: byId.get(r.id) }));
  const files = table.flatMap(r => (r.entry?.job?.takes ?? []).filter(t => t.file).map(t => t.file!));
  if (o.json) {
    io.out(JSON.stringify(table.map(({ title, file, entry: e }) => ({
      song: file, title, server: e?.server ?? null, server_url: e?.serverUrl ?? null, state: e ? (e.state === 'dispatched' ? e.job?.state ?? 'submitting' : e.state) : 'stopped',
      task_id: e?.job?.taskId ?? null, files: (e?.job?.takes ?? []).filter(t => t.file).map(t => t.file), sidecars: (e?.job?.takes ?? []).filter(t => t.sidecar).map(t => t.sidecar),
      ...(e?.reason ? { reason: e.reason } : e?.job?.error ? { error: e.job.error.message } : {}),
    })), null, 2));
  } else {
    for (const f of files) io.out(f);
  }
  for (const line of summaryTable(table)) io.err(line);
  for (const { title, entry: e } of table) {
    if (!e) continue;
    if (e.state === 'refused' || e.state === 'stranded') io.err(`${P}: ${title}: ${e.reason ?? ''}`);
    else if (e.job && e.job.state !== 'succeeded' && e.job.error) io.err(`${P}: ${title}: ${e.job.error.message}`);
  }
  // What did not make it, with the command that renders it again on the servers that still answer.
  const quote = (f: string) => (/^[\w./-]+$/.test(f) ? f : `'${f.replace(/'/g, `'\\''`)}'`);
  const stranded = table.filter(r => r.entry?.state === 'stranded');
  const lost = table.filter(r => r.entry?.state === 'dispatched' && (r.entry.job?.state === 'failed' || r.entry.job?.state === 'lost'));
  const dead = new Set([...stranded, ...lost.filter(r => r.entry!.job!.state === 'lost')].map(r => r.entry!.server));
  const others = servers.filter(s => !dead.has(s.name)).map(s => s.name);
  const again = (list: typeof table) => `  acestep-song generate ${list.map(r => quote(r.file)).join(' ')}${others.length ? ` --servers ${others.join(',')}` : ''}`;
  if (stranded.length) {
    io.err(`${P}: ${stranded.length} song(s) were not rendered (stranded, not lost). Render them with:`);
    io.err(again(stranded));
  }
  if (lost.length) {
    io.err(`${P}: ${lost.length} song(s) failed or were lost. Try them again with:`);
    io.err(again(lost));
  }
  if (interrupted) return 130;
  const ok = table.every(r => r.entry?.state === 'dispatched' && r.entry.job?.state === 'succeeded');
  io.err(`${P}: ${table.filter(r => r.entry?.job?.state === 'succeeded').length} of ${table.length} song(s) done, ${files.length} take(s)`);
  return ok ? 0 : 1;
}
