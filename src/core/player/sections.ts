// The song's sections on a take's waveform: where each section of the lyrics probably is in the take (the
// duration estimate per section, the one the duration CodeLens uses, stretched to the take's real length),
// and the lyrics of the sections a region covers (a repaint's new lyrics replace just those lines).
// Host side only (it parses lyrics with src/core/song); the page gets the marks through the protocol.
import { estimateDuration, parseSong, type SectionEstimate } from '../song';
import type { SectionMark } from './protocol-edit';

function estimates(lyrics: string, bpm: number | undefined): SectionEstimate[] {
  const parsed = parseSong(lyrics);
  if (bpm !== undefined) parsed.params.bpm = bpm;
  return estimateDuration(parsed).sections.filter(s => s.seconds > 0);
}

const round = (x: number) => Math.round(x * 100) / 100;

/**
 * The sections of `lyrics` placed one after another at their estimated lengths, scaled so that they fill
 * `durationSec` when it is known. Empty when the lyrics have no sections.
 */
export function estimateSectionMarks(lyrics: string, opts: { bpm?: number; durationSec?: number } = {}): SectionMark[] {
  const est = estimates(lyrics, opts.bpm);
  const total = est.reduce((sum, s) => sum + s.seconds, 0);
  if (!est.length || total <= 0) return [];
  const scale = opts.durationSec && opts.durationSec > 0 ? opts.durationSec / total : 1;
  let t = 0;
  return est.map(s => {
    const start = t;
    t += s.seconds * scale;
    return { name: s.name, start: round(start), end: round(t) };
  });
}

/** The lyrics lines of the sections that overlap `start`..`end` (by more than half a second), and how to replace them. */
export interface RangeLyrics {
  /** The sections' names, in order. */
  names: string[];
  /** Their lines (without the section tags), joined with "\n". */
  text: string;
  /** The whole lyrics with those lines replaced by `lines`. */
  replace(lines: string): string;
}

export function lyricsInRange(lyrics: string, marks: readonly SectionMark[], start: number, end: number, bpm?: number): RangeLyrics | undefined {
  const est = estimates(lyrics, bpm);
  if (!est.length || est.length !== marks.length) return undefined;
  const hit = marks.map((m, i) => ({ m, i })).filter(({ m }) => Math.min(m.end, end) - Math.max(m.start, start) > 0.5);
  if (!hit.length) return undefined;
  const lines = lyrics.split(/\r?\n/);
  const first = est[hit[0].i], last = est[hit[hit.length - 1].i];
  // The tag line stays; what follows it, up to the last covered section's last line, is replaced.
  const from = first.range.start.line + (/^\s*\[/.test(lines[first.range.start.line] ?? '') ? 1 : 0);
  const to = last.range.end.line + 1;
  const eol = lyrics.includes('\r\n') ? '\r\n' : '\n';
  return {
    names: hit.map(h => h.m.name),
    text: lines.slice(from, to).join('\n'),
    replace: text => [...lines.slice(0, from), ...text.split(/\r?\n/), ...lines.slice(to)].join(eol),
  };
}
