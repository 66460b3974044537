// Editing a take: repaint a time range, extend it, restyle it (cover), add a part (lego), extract a stem or
// complete it. An edit is a new job whose source audio is the take; its request starts from the take's own
// request (the sidecar's), so caption, lyrics and settings carry over unless the operation changes them.
// Facts from ACE-Step's own code: `instruction` is filled from TASK_INSTRUCTIONS with the track name(s) (see
// src/core/song/tasks.ts, which the `.song` shares); a repaint range that starts before 0 or ends past the
// source's end pads the source with silence there and generates it, which is how a take is extended;
// `repainting_end` < 0 means "to the end".
// No vscode import: the player, the Generations view and the CLI all plan edits here.
import * as path from 'node:path';
import type { ReleaseRequest } from '../api/types';
import type { JobPlan } from './plan';
import { outputDirFor } from './plan';
import type { JobLineage } from './types';
import { taskInstruction, type TrackName } from '../song/tasks';

export { TRACK_NAMES, type TrackName } from '../song/tasks';

export type EditOperation =
  /** Generate `start`..`end` (seconds) again; optionally with new lyrics or caption for that range. */
  | { kind: 'repaint'; start: number; end: number; lyrics?: string; caption?: string }
  /** Add `before` seconds before the take and/or `after` seconds after it. */
  | { kind: 'extend'; before: number; after: number; lyrics?: string }
  /** The same song in another style (cover): a new caption, `strength` 0..1 (how much of the source stays). */
  | { kind: 'restyle'; caption: string; strength: number }
  /** Add a part to the take (lego), optionally described. */
  | { kind: 'add'; track: TrackName; caption?: string }
  /** Extract one stem. */
  | { kind: 'extract'; track: TrackName }
  /** Complete the take with these parts. */
  | { kind: 'complete'; tracks: TrackName[]; caption?: string };

export type EditKind = EditOperation['kind'];

/** The server's task type for each operation. */
export const TASK_OF: Readonly<Record<EditKind, string>> = {
  repaint: 'repaint', extend: 'repaint', restyle: 'cover', add: 'lego', extract: 'extract', complete: 'complete',
};

/** Operations the turbo models cannot do (ACE-Step runs them on a base model only). */
export const BASE_MODEL_ONLY: readonly EditKind[] = ['add', 'extract', 'complete'];

/** The instruction ACE-Step's own UI sends for a task (its TASK_INSTRUCTIONS with the track names filled in upper case). */
export function instructionFor(op: EditOperation): string {
  switch (op.kind) {
    case 'add': case 'extract': return taskInstruction(TASK_OF[op.kind], op.track);
    case 'complete': return taskInstruction('complete', undefined, op.tracks);
    default: return taskInstruction(TASK_OF[op.kind]);
  }
}

/** What an edit starts from: a take on disk and what is known of how it was made. */
export interface EditSource {
  /** The take's audio file (absolute). */
  file: string;
  /** The take's own request (its sidecar's `request.params`), when known. */
  params?: Record<string, unknown>;
  title: string;
  /** The take's length in seconds, when known (needed to extend after the end). */
  durationSec?: number;
  songPath?: string;
  serverUrl: string;
  /** The take's sidecar, to name the parent in the edit's own sidecar. */
  sidecar?: string;
}

/** Keys of the source's request an edit never carries over (they describe how the source was made). */
const NOT_CARRIED = new Set([
  'task_type', 'instruction', 'repainting_start', 'repainting_end', 'audio_cover_strength', 'src_audio_path',
  'reference_audio_path', 'seed', 'use_random_seed', 'thinking', 'sample_mode', 'sample_query', 'use_format',
]);

/** The request of an edit, under the server's field names; the source take is uploaded as `src_audio`. */
export function editRequest(source: EditSource, op: EditOperation): ReleaseRequest {
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(source.params ?? {})) if (!NOT_CARRIED.has(k)) params[k] = v;
  params.task_type = TASK_OF[op.kind];
  params.instruction = instructionFor(op);
  params.batch_size = 1;
  switch (op.kind) {
    case 'repaint':
      params.repainting_start = op.start;
      params.repainting_end = op.end;
      if (op.lyrics !== undefined) params.lyrics = op.lyrics;
      if (op.caption !== undefined) params.prompt = op.caption;
      break;
    case 'extend': {
      if (op.before > 0 && op.after > 0) throw new Error('Extend before or after the take, one at a time.');
      if (op.after > 0 && source.durationSec === undefined) throw new Error("Extending after the end needs the take's length.");
      params.repainting_start = op.before > 0 ? -op.before : source.durationSec!;
      params.repainting_end = op.before > 0 ? 0 : source.durationSec! + op.after;
      if (op.lyrics !== undefined) params.lyrics = op.lyrics;
      break;
    }
    case 'restyle':
      params.prompt = op.caption;
      params.audio_cover_strength = Math.min(1, Math.max(0, op.strength));
      break;
    case 'add':
      if (op.caption !== undefined) params.prompt = op.caption;
      break;
    case 'extract':
      break;
    case 'complete':
      if (op.caption !== undefined) params.prompt = op.caption;
      break;
  }
  return { params, files: { src_audio: source.file } };
}

/** A short name for an operation, for titles and file names ("repaint 40–52 s", "extract vocals"). */
export function describeEdit(op: EditOperation): string {
  const s = (n: number) => `${Math.round(n * 10) / 10}`;
  switch (op.kind) {
    case 'repaint': return `repaint ${s(op.start)}–${s(op.end)} s`;
    case 'extend': return op.before > 0 ? `extend ${s(op.before)} s before` : `extend ${s(op.after)} s after`;
    case 'restyle': return 'restyle';
    case 'add': return `add ${op.track}`;
    case 'extract': return `extract ${op.track}`;
    case 'complete': return `complete with ${op.tracks.join(', ') || 'all parts'}`;
  }
}

/**
 * The job of an edit: the request, the title ("<take title> (extract vocals)") and the output folder (the song's,
 * as planJob decides it; beside the source take when the song is unknown), and the lineage its takes' sidecars keep
 * (the parent take and the operation; the Generations view shows it as a tree).
 */
export function planEdit(
  source: EditSource, op: EditOperation, settings: { outputDirectory?: string; workspaceFolder?: string } = {},
): JobPlan & { lineage: JobLineage } {
  const title = `${source.title} (${describeEdit(op)})`;
  const outputDir = source.songPath
    ? outputDirFor(settings.outputDirectory ?? '', { songPath: source.songPath, title: source.title, workspaceFolder: settings.workspaceFolder })
    : path.dirname(source.file);
  return {
    serverUrl: source.serverUrl,
    request: editRequest(source, op),
    title,
    ...(source.songPath ? { songPath: source.songPath } : {}),
    outputDir,
    lineage: { parent: { file: source.file, ...(source.sidecar ? { sidecar: source.sidecar } : {}) }, operation: { ...op } },
  };
}
