// Lyrics timing in the player: the sung lines of a take with their times (from the server's LRC), the line
// sung at a moment (karaoke highlighting), the `.lrc` file beside the take, and the check of the `lyricsTiming`
// message (protocol.ts). No vscode, no Node-only modules: the webview imports it too.

export interface TimedLine {
  /** Seconds from the start of the take. */
  start: number;
  /** When the next line starts (or the take ends). */
  end: number;
  text: string;
}

export interface LyricsTiming {
  type: 'lyricsTiming';
  takeId: string;
  lines: TimedLine[];
}

export const MAX_TIMED_LINES = 2_000;
const MAX_LINE = 2_000;
const LRC_LINE = /^\[(\d{1,3}):(\d{1,2}(?:\.\d{1,3})?)\](.*)$/;

/** The timed lines of an LRC text (`[mm:ss.xx]line`), in time order; each ends where the next starts. */
export function linesFromLrc(lrc: string, duration?: number): TimedLine[] {
  const starts: { start: number; text: string }[] = [];
  for (const raw of lrc.split(/\r?\n/)) {
    const m = LRC_LINE.exec(raw.trim());
    if (!m) continue;
    const text = m[3].trim();
    if (text) starts.push({ start: Number(m[1]) * 60 + Number(m[2]), text });
  }
  starts.sort((a, b) => a.start - b.start);
  return starts.slice(0, MAX_TIMED_LINES).map((l, i, all) => ({
    start: l.start,
    end: i + 1 < all.length ? all[i + 1].start : Math.max(l.start, duration ?? l.start + 5),
    text: l.text.slice(0, MAX_LINE),
  }));
}

/** The index of the line sung at `t` seconds, or -1 between lines' reach (before the first, after the last). */
export function activeLineAt(lines: readonly TimedLine[], t: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid].start <= t) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found >= 0 && t < lines[found].end ? found : -1;
}

/** The `.lrc` file beside a take: the same name with the `.lrc` extension. */
export function lrcPathFor(takeFile: string): string {
  return takeFile.replace(/\.[^./\\]+$/, '') + '.lrc';
}

/** A `lyricsTiming` message checked field by field (a clean copy), or null. */
export function parseLyricsTiming(o: Record<string, unknown>): LyricsTiming | null {
  if (typeof o.takeId !== 'string' || !o.takeId || o.takeId.length > 512) return null;
  if (!Array.isArray(o.lines) || o.lines.length > MAX_TIMED_LINES) return null;
  const lines: TimedLine[] = [];
  for (const l of o.lines as unknown[]) {
    if (typeof l !== 'object' || l === null) return null;
    const { start, end, text } = l as Record<string, unknown>;
    if (typeof start !== 'number' || typeof end !== 'number' || !Number.isFinite(start) || !Number.isFinite(end)
      || start < 0 || end < start || start > 86_400 || typeof text !== 'string' || text.length > MAX_LINE) return null;
    lines.push({ start, end, text });
  }
  return { type: 'lyricsTiming', takeId: o.takeId, lines };
}
