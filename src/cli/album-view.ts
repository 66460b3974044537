// What an album render shows in a terminal: one line per song (server, waiting or queue place, stage, ETA) and one
// per server (up or down, busy or idle, its queue), redrawn in place on a TTY; plain lines, each change once, when
// the output is a file or a pipe; the summary table at the end. Every text that may come from a server goes through
// serverText. The line builders are pure.
import type { DispatchEntry, ServerLoad } from '../core/jobs/dispatch-types';
import { clock, describeProgress } from '../core/jobs/progress';
import { isTerminal } from '../core/jobs/types';
import { serverText } from '../core/util/server-text';
import type { CliIO } from './io';

/** What became of a song, in one word: its job's state, or the dispatcher's. */
export function outcome(e: DispatchEntry): string {
  if (e.state !== 'dispatched') return e.state;
  return e.job?.state ?? 'submitting';
}

/** "waiting (#2)", "queued, 1 job ahead", "42% Decoding audio", "refused: …". */
export function entryStatus(e: DispatchEntry): string {
  switch (e.state) {
    case 'waiting': return e.waitingPosition ? `waiting for a server (#${e.waitingPosition})` : 'waiting for a server';
    case 'refused': return `refused: ${e.reason ?? ''}`;
    case 'stranded': return `stranded: ${e.reason ?? ''}`;
    case 'dispatched': return e.job ? describeProgress(e.job) : 'submitting';
  }
}

/** One song's line: title, server, status and, while pending, the time left. */
export function entryLine(e: DispatchEntry, withEta = true): string {
  const pending = e.state === 'waiting' || (e.state === 'dispatched' && (!e.job || !isTerminal(e.job.state)));
  const eta = withEta && pending && e.etaSeconds !== undefined ? ` · about ${clock(Math.max(1000, e.etaSeconds * 1000))} left` : '';
  return serverText(`${e.title} · ${e.server ?? '-'} · ${entryStatus(e)}${eta}`);
}

/** One server's line: "gpu0 (http://…) up, busy: 1 running, 2 queued (ours 2)". */
export function serverLine(s: ServerLoad): string {
  const state = s.up === undefined ? 'asking…' : !s.up ? `not answering${s.error ? ` (${s.error})` : ''}` : s.running || s.queued ? 'busy' : 'idle';
  const queue = s.up ? `: ${s.running} running, ${s.queued} queued (ours ${s.ours})` : '';
  const speed = s.secondsPerAudioSecond !== undefined ? ` · ${s.secondsPerAudioSecond.toFixed(2)} s per s of audio` : '';
  return serverText(`${s.name} (${s.url}) ${state}${queue}${speed}`);
}

const fit = (line: string, columns: number) => (line.length > columns ? line.slice(0, Math.max(1, columns - 1)) + '…' : line);

/** The live view's lines: the servers, then the songs. */
export function liveLines(entries: readonly DispatchEntry[], servers: readonly ServerLoad[], columns: number): string[] {
  return [...servers.map(s => `  ${serverLine(s)}`), ...entries.map(e => `  ${entryLine(e)}`)].map(l => fit(l, columns));
}

/** The summary table: song, server, state, takes, time. */
export function summaryTable(rows: readonly { title: string; entry?: DispatchEntry }[]): string[] {
  const cells = rows.map(({ title, entry: e }) => [
    title,
    e?.server ?? '-',
    e ? outcome(e) : 'not sent (stopped)',
    e?.job ? String(e.job.takes?.filter(t => t.file).length ?? 0) : '0',
    e?.job ? clock(e.job.elapsedMs) : '-',
  ].map(c => serverText(c)));
  const head = ['song', 'server', 'state', 'takes', 'time'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map(r => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), line(widths.map(w => '-'.repeat(w))), ...cells.map(line)];
}

export interface AlbumView {
  update(entries: readonly DispatchEntry[], servers: readonly ServerLoad[]): void;
  /** Stops drawing (before a question or the summary); the last drawing stays. */
  pause(): void;
  resume(): void;
  dispose(): void;
}

/** On a TTY: the whole view redrawn in place, at most five times a second. */
export function liveView(io: CliIO): AlbumView {
  const tty = io.tty!;
  let drawn = 0;
  let paused = false;
  let last = 0;
  let pending: { entries: readonly DispatchEntry[]; servers: readonly ServerLoad[] } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    timer = undefined;
    if (!pending || paused) return;
    const lines = liveLines(pending.entries, pending.servers, tty.columns());
    // Up over the last drawing, clear to the end of the screen, draw again.
    tty.write((drawn ? `\x1b[${drawn}A\r\x1b[J` : '') + lines.join('\n') + '\n');
    drawn = lines.length;
    last = Date.now();
  };
  return {
    update(entries, servers) {
      pending = { entries, servers };
      if (!timer) timer = setTimeout(draw, Math.max(0, 200 - (Date.now() - last)));
    },
    pause() { paused = true; },
    resume() { paused = false; drawn = 0; },
    dispose() { if (timer) clearTimeout(timer); draw(); timer = undefined; paused = true; },
  };
}

/** Not a TTY: each song's change on a line of its own, the same kind of line at most every 2 s; servers going down or up. */
export function plainView(io: CliIO, prefix: string): AlbumView {
  const seen = new Map<string, { line: string; at: number }>();
  const up = new Map<string, boolean | undefined>();
  return {
    update(entries, servers) {
      const now = Date.now();
      for (const s of servers) {
        if (up.get(s.name) !== s.up && s.up !== undefined) io.err(`${prefix}: ${serverLine(s)}`);
        up.set(s.name, s.up);
      }
      for (const e of entries) {
        const line = entryLine(e, false);
        const before = seen.get(e.id);
        const sameKind = before && before.line.replace(/\d+/g, '#') === line.replace(/\d+/g, '#');
        if (before && (before.line === line || (sameKind && now - before.at < 2000))) continue;
        seen.set(e.id, { line, at: now });
        io.err(`${prefix}: ${line}`);
      }
    },
    pause() { /* nothing is redrawn */ },
    resume() { /* nothing is redrawn */ },
    dispose() { /* nothing is redrawn */ },
  };
}
