// What an album render shows in a terminal: one line per song (server, waiting or queue place, stage, ETA) and one
// per server (up or down, busy or idle, its queue), redrawn in place on a TTY; plain lines, each change once, when
// the output is a file or a pipe; the summary table at the end. Every text that may come from a server goes through
// serverText. The words are the core's (dispatch-view.ts), as in VS Code's Servers view.
import type { DispatchEntry, ServerLoad } from '../core/jobs/dispatch-types';
import { entryLine, formatTable, serverLine, summaryRows } from '../core/jobs/dispatch-view';
import { serverText } from '../core/util/server-text';
import type { CliIO } from './io';

const fit = (line: string, columns: number) => (line.length > columns ? line.slice(0, Math.max(1, columns - 1)) + '…' : line);

/** The live view's lines: the servers, then the songs. */
export function liveLines(entries: readonly DispatchEntry[], servers: readonly ServerLoad[], columns: number): string[] {
  return [...servers.map(s => `  ${serverText(serverLine(s))}`), ...entries.map(e => `  ${serverText(entryLine(e))}`)].map(l => fit(l, columns));
}

/** The summary table (the core's rows, the server's texts cleaned). */
export function summaryTable(rows: readonly { title: string; entry?: DispatchEntry }[]): string[] {
  return formatTable(summaryRows(rows).map(r => r.map(c => serverText(c))));
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
        if (up.get(s.name) !== s.up && s.up !== undefined) io.err(`${prefix}: ${serverText(serverLine(s))}`);
        up.set(s.name, s.up);
      }
      for (const e of entries) {
        const line = serverText(entryLine(e, false));
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
