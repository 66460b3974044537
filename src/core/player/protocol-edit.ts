// The player's edit and section messages (issue 13): which edit the user started on a take, and the song's
// sections drawn on a take's waveform. Checked like every other message (protocol.ts uses these checks).

/** The edits the player offers (src/core/jobs/edit.ts plans them; the host asks for what is missing). */
export const EDIT_KINDS = ['repaint', 'extend', 'restyle', 'add', 'extract', 'complete'] as const;
export type PlayerEditKind = typeof EDIT_KINDS[number];

/** An edit started in the player: the operation, and for a repaint the selected region (seconds). */
export interface PlayerEdit {
  kind: PlayerEditKind;
  start?: number;
  end?: number;
}

/** One section of the song on a take's waveform, in seconds. */
export interface SectionMark {
  name: string;
  start: number;
  end: number;
}

/** At most this many sections on one take. */
export const MAX_SECTIONS = 200;
const MAX_SECONDS = 86_400;

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const time = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= MAX_SECONDS;

/** A checked copy of an edit request, or undefined. A repaint needs a region with end after start. */
export function checkEdit(x: unknown): PlayerEdit | undefined {
  if (!isObj(x) || !(EDIT_KINDS as readonly unknown[]).includes(x.kind)) return undefined;
  const kind = x.kind as PlayerEditKind;
  if (kind !== 'repaint') return { kind };
  if (!time(x.start) || !time(x.end) || !(x.end > x.start)) return undefined;
  return { kind, start: x.start, end: x.end };
}

/** A checked copy of a section list (names up to 200 characters, times in order within each), or undefined. */
export function checkSections(x: unknown): SectionMark[] | undefined {
  if (!Array.isArray(x) || x.length > MAX_SECTIONS) return undefined;
  const out: SectionMark[] = [];
  for (const s of x) {
    if (!isObj(s) || typeof s.name !== 'string' || s.name.length > 200 || !time(s.start) || !time(s.end) || s.end < s.start) return undefined;
    out.push({ name: s.name, start: s.start, end: s.end });
  }
  return out;
}
