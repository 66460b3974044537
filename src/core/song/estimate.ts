// estimateDuration: how long the lyrics need, from the lines, their syllables and the tempo.
// The rules (documented in docs/song-format.md) follow ACE-Step's own guidance of about 3–5 s per
// sung line; the time around the singing (intros, outros, breaks, the bars between sections) is
// calibrated on the example songs ACE-Step's authors ship (fitted on half of them, checked on the
// other half: `node scripts/corpus.mjs`, then `npm run bench -- corpus`).
import type { DurationEstimate, ParsedSong, Section, SectionEstimate } from './types';

export const MIN_DURATION = 10;
export const MAX_DURATION = 600;

/** Seconds of one sung line of 8 syllables at 120 BPM. */
const LINE_SECONDS = 4;
const LINE_MIN = 3;
const LINE_MAX = 5;
/** Room around a sung section (lead-in bars, fills, the band between lines): seconds, min, max. */
const VOCAL_GAP = [10, 4, 15] as const;
const INTRO_OUTRO = [20, 8, 30] as const;
const INSTRUMENTAL = [10, 4, 15] as const;
const SILENCE = [2, 1, 4] as const;
/** A free-text tag right under another tag or line (`[Outro]` then `[Song fades out]`): it describes
 *  the passage it belongs to rather than adding one. */
const DESCRIPTION = [0, 0, 5] as const;
/** Seconds of singing from which intro, outro and the room around sung sections take their full time;
 *  a shorter song scales them down (to a quarter at most), so a jingle does not get a 20-second intro. */
const FULL_SINGING = 60;
const MIN_SCALE = 0.25;
/** A body without any section: let the model shape it. */
const NOTHING = [60, 30, 120] as const;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** The tempo's effect on line length: slower songs need longer lines, mildly (square root). */
export function tempoFactor(bpm: number | 'auto' | undefined): number {
  if (typeof bpm !== 'number' || !(bpm > 0)) return 1;
  return clamp(Math.sqrt(120 / bpm), 0.8, 1.25);
}

/** Seconds for one sung line with `syllables` syllables at the given tempo factor. */
export function lineSeconds(syllables: number, tempo: number): number {
  const s = syllables > 0 ? syllables : 8;
  return clamp(LINE_SECONDS * clamp(s / 8, 0.75, 1.25) * tempo, LINE_MIN, LINE_MAX);
}

/** A section's sung time (seconds, min, max) and the played time around it (seconds, min, max). */
interface SectionParts { sung: [number, number, number]; extra: readonly [number, number, number] | null; scales: boolean }

function sectionParts(section: Section, tempo: number, stacked: boolean): SectionParts {
  let sec = 0;
  let sungLines = 0;
  for (const l of section.lines) {
    if (l.kind === 'lyric' || l.kind === 'uppercase') { sec += lineSeconds(l.syllables ?? 8, tempo); sungLines++; }
    else if (l.kind === 'backing') { sec += lineSeconds(8, tempo) / 2; sungLines++; }
  }
  let extra: readonly [number, number, number] | null = null;
  switch (section.category) {
    case 'intro':
    case 'outro': extra = INTRO_OUTRO; break;
    case 'instrumental': extra = INSTRUMENTAL; break;
    case 'silence': extra = SILENCE; break;
    default:
      if (!section.tag) extra = null; // lines before the first tag: just the lines
      else if (sungLines > 0) extra = VOCAL_GAP;
      else extra = section.category === 'unknown' && stacked ? DESCRIPTION : INSTRUMENTAL; // an empty section is played, not sung
  }
  return { sung: [sec, sec * 0.8, sec * 1.25], extra, scales: extra === INTRO_OUTRO || extra === VOCAL_GAP };
}

function round5(x: number, mode: 'round' | 'floor' | 'ceil'): number {
  return Math[mode](x / 5) * 5;
}

/**
 * Estimates the duration the song needs. `seconds` is the recommended value (rounded to 5 s),
 * `min`/`max` the plausible span; all three are clamped to the server's 10–600 s.
 */
export function estimateDuration(parsed: ParsedSong): DurationEstimate {
  const tempo = tempoFactor(parsed.params.bpm);
  const parts: { section: Section; p: SectionParts }[] = [];
  let sungTotal = 0;
  let previousEnd = -2;
  for (const s of parsed.sections) {
    // Sections made only of comments and blank lines (possible before the first tag) add nothing.
    if (!s.tag && !s.lines.some(l => l.kind !== 'blank' && l.kind !== 'comment')) continue;
    const stacked = s.range.start.line === previousEnd + 1;
    previousEnd = s.range.end.line;
    const p = sectionParts(s, tempo, stacked);
    parts.push({ section: s, p });
    sungTotal += p.sung[0];
  }
  // A short song (a jingle) has a short intro and outro and little room between its sections: that time
  // shrinks with the singing. Passages written as their own sections (a solo, a drop) keep theirs.
  const shrink = sungTotal > 0 ? clamp(sungTotal / FULL_SINGING, MIN_SCALE, 1) : 1;
  const sections: SectionEstimate[] = [];
  let total = 0, lo = 0, hi = 0;
  for (const { section, p } of parts) {
    const x = p.extra ?? [0, 0, 0];
    const scale = p.scales ? shrink : 1;
    const sec = p.sung[0] + x[0] * scale, min = p.sung[1] + x[1] * scale, max = p.sung[2] + x[2] * scale;
    sections.push({ name: section.name || '(untagged)', seconds: Math.round(sec), min: Math.floor(min), max: Math.ceil(max), range: section.range });
    total += sec; lo += min; hi += max;
  }
  if (sections.length === 0) [total, lo, hi] = NOTHING;
  const seconds = clamp(round5(total, 'round'), MIN_DURATION, MAX_DURATION);
  const min = clamp(Math.min(round5(lo, 'floor'), seconds), MIN_DURATION, MAX_DURATION);
  const max = clamp(Math.max(round5(hi, 'ceil'), seconds), MIN_DURATION, MAX_DURATION);
  return { seconds, min, max, sections };
}

/** `205` → `3:25`. */
export function formatSeconds(s: number): string {
  const t = Math.max(0, Math.round(s));
  return `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`;
}
