// "Use These Settings" on an edited take: the frontmatter of a `.song` that makes the same edit again (the
// task keys of the .song language, filled from the edit job's request and its lineage).
import type { JobLineage } from '../jobs/types';

export type SongValue = string | number;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

/**
 * The `.song` values of an edit: task_type, src_audio (the parent take), the repaint range, the cover strength,
 * `track` (add, extract) or `tracks` (complete), and the caption and musical settings the edit used.
 */
export function editSongValues(params: Record<string, unknown>, lineage: JobLineage): Record<string, SongValue> {
  const op = lineage.operation;
  const out: Record<string, SongValue | undefined> = {
    caption: str(params.prompt),
    bpm: num(params.bpm),
    key: str(params.key_scale),
    task_type: str(params.task_type),
    src_audio: lineage.parent.file,
    repainting_start: num(params.repainting_start),
    repainting_end: num(params.repainting_end),
    audio_cover_strength: num(params.audio_cover_strength),
    track: (op.kind === 'add' || op.kind === 'extract') ? str(op.track) : undefined,
    tracks: op.kind === 'complete' && Array.isArray(op.tracks) ? op.tracks.filter((t): t is string => typeof t === 'string').join(', ') : undefined,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as Record<string, SongValue>;
}
