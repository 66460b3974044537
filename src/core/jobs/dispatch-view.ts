// Several servers in words: one line per song in a render (where it is, how far, when it ends), one per server
// (busy or idle, its queue), the tally and the end table. The live view in VS Code and the CLI's live progress
// both show these texts. No vscode import; the texts go through msg() (src/core/l10n.ts).
import { msg } from '../l10n';
import type { DispatchEntry, ServerLoad } from './dispatch-types';
import { clock, describeProgress } from './progress';
import { isTerminal } from './types';

/** Where an entry is, in a few words: "waiting for a server (2nd)", "stranded: …", or the job's own progress. */
export function entryState(e: DispatchEntry): string {
  switch (e.state) {
    case 'waiting': return e.waitingPosition ? msg('waiting for a server, {0} in line', e.waitingPosition) : msg('waiting for a server');
    case 'refused': return msg('not sent: {0}', e.reason ?? msg('no server can do it'));
    case 'stranded': return msg('not started: {0}', e.reason ?? msg('its server stopped answering'));
    case 'dispatched': return e.job ? describeProgress(e.job) : msg('submitting');
  }
}

/** Whether the entry's song is finished one way or another (nothing more will happen without the user). */
export function entryDone(e: DispatchEntry): boolean {
  return e.state === 'refused' || e.state === 'stranded' || (e.state === 'dispatched' && !!e.job && isTerminal(e.job.state));
}

/** Whether the entry's song made it: its job succeeded. */
export const entrySucceeded = (e: DispatchEntry): boolean => e.state === 'dispatched' && e.job?.state === 'succeeded';

/** "about 1:20 left", "" when unknown or finished. */
export function entryEta(e: DispatchEntry): string {
  if (entryDone(e) || e.etaSeconds === undefined || !Number.isFinite(e.etaSeconds)) return '';
  return e.etaSeconds <= 0 ? msg('any moment') : msg('about {0} left', clock(e.etaSeconds * 1000));
}

/** One line for a song: "Neon Skyline — gpu1 · queued, position 2 · about 1:20 left" (`withEta` false: without the time). */
export function entryLine(e: DispatchEntry, withEta = true): string {
  const parts = [e.server ? `${e.title} — ${e.server}` : e.title, entryState(e), withEta ? entryEta(e) : ''].filter(Boolean);
  return parts.join(' · ');
}

/** What a server is doing: "busy: 1 running, 2 waiting (1 ours)", "idle", "not answering: …", "not asked yet". */
export function serverState(s: ServerLoad): string {
  if (s.up === false) return msg('not answering: {0}', s.error ?? msg('no answer'));
  if (s.up === undefined && !s.running && !s.queued && !s.ours) return msg('not asked yet');
  if (!s.running && !s.queued && !s.ours) return msg('idle');
  const ours = s.ours ? msg(' ({0} ours)', s.ours) : '';
  return msg('busy: {0} running, {1} waiting{2}', s.running, s.queued, ours);
}

/** One line for a server: "gpu0 (http://…) busy: 1 running, 2 waiting (2 ours) · 0.25 s per s of audio". */
export function serverLine(s: ServerLoad): string {
  const speed = s.secondsPerAudioSecond !== undefined ? msg(' · {0} s per s of audio', s.secondsPerAudioSecond.toFixed(2)) : '';
  return `${s.name} (${s.url}) ${serverState(s)}${speed}`;
}

/** Whether the server has work (running or waiting jobs, ours or others'). */
export const serverBusy = (s: ServerLoad): boolean => s.up !== false && (s.running > 0 || s.queued > 0 || s.ours > 0);

export interface Tally {
  total: number;
  succeeded: number;
  failed: number;
  running: number;
  waiting: number;
  stranded: number;
  refused: number;
}

/** How many songs are where. "failed" counts failed, lost and cancelled jobs; "running" every job on a server. */
export function tally(entries: readonly DispatchEntry[]): Tally {
  const t: Tally = { total: entries.length, succeeded: 0, failed: 0, running: 0, waiting: 0, stranded: 0, refused: 0 };
  for (const e of entries) {
    if (e.state === 'waiting') t.waiting++;
    else if (e.state === 'refused') t.refused++;
    else if (e.state === 'stranded') t.stranded++;
    else if (e.job?.state === 'succeeded') t.succeeded++;
    else if (e.job && isTerminal(e.job.state)) t.failed++;
    else t.running++;
  }
  return t;
}

/** "3 of 7 done · 2 on servers · 2 waiting" (only the parts that are not zero besides the first). */
export function tallyLine(t: Tally): string {
  const parts = [msg('{0} of {1} done', t.succeeded, t.total)];
  if (t.running) parts.push(msg('{0} on servers', t.running));
  if (t.waiting) parts.push(msg('{0} waiting', t.waiting));
  if (t.failed) parts.push(msg('{0} failed', t.failed));
  if (t.stranded) parts.push(msg('{0} not started (server down)', t.stranded));
  if (t.refused) parts.push(msg('{0} not sent', t.refused));
  return parts.join(' · ');
}

/** Whether every song of the render made it (the CLI's exit code 0). */
export const allSucceeded = (entries: readonly DispatchEntry[]): boolean => entries.length > 0 && entries.every(entrySucceeded);

/** What became of a song, in a word: its job's state, or the dispatcher's; "not sent" for a song never queued. */
export function outcome(e: DispatchEntry | undefined): string {
  if (!e) return msg('not sent (stopped)');
  if (e.state === 'waiting') return msg('not sent');
  return e.state === 'dispatched' ? e.job?.state ?? msg('submitting') : e.state;
}

/** The end table: song, server, outcome, takes, time; a header row first. A row without an entry was never queued. */
export function summaryRows(rows: readonly { title: string; entry?: DispatchEntry }[]): string[][] {
  const out = [[msg('song'), msg('server'), msg('outcome'), msg('takes'), msg('time')]];
  for (const { title, entry: e } of rows) {
    const takes = e?.job?.takes?.filter(t => t.file).length ?? 0;
    out.push([title, e?.server ?? '-', outcome(e), String(takes), e?.job ? clock(e.job.elapsedMs) : '-']);
  }
  return out;
}

/** Rows as aligned columns, a rule under the header (plain text, for a terminal or a log). */
export function formatTable(rows: readonly string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map(r => [...(r[i] ?? '')].length))) ?? [];
  const line = (r: readonly string[]) => r.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length)).join('  ').trimEnd();
  return rows.length ? [line(rows[0]!), line(widths.map(w => '-'.repeat(w))), ...rows.slice(1).map(line)] : [];
}
