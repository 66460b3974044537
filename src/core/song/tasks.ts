// The tasks ACE-Step runs on a source recording, and what each needs: the track names that extract, lego and
// complete can name, and the instruction the model receives. Facts from ACE-Step's own code: its UI fills the
// task's instruction template with the track name in upper case (complete: the names in upper case, joined by
// " | "); without a track it uses the template's default; the server itself never fills the placeholders, so
// this extension sends the filled instruction. The server skips the 5 Hz LM for cover and repaint.
// One module for the `.song` (request, lints, completion) and the edits of a take (src/core/jobs/edit.ts).
import { didYouMean } from './text';

/** ACE-Step's track names (what extract, lego and complete can name). */
export const TRACK_NAMES = [
  'vocals', 'backing_vocals', 'drums', 'bass', 'guitar', 'keyboard', 'percussion', 'strings', 'synth', 'fx', 'brass', 'woodwinds',
] as const;
export type TrackName = typeof TRACK_NAMES[number];

const TRACK_SET: ReadonlySet<string> = new Set(TRACK_NAMES);

/** Tasks that name one track (`track`). */
export const ONE_TRACK_TASKS = ['extract', 'lego'] as const;
/** Tasks that name a list of tracks (`tracks`). */
export const TRACK_LIST_TASKS = ['complete'] as const;
/** Tasks for which the server never runs the 5 Hz LM (it still demands the LM when `thinking` is on). */
export const LM_SKIPPING_TASKS = ['cover', 'repaint'] as const;
/** Tasks whose repaint range may reach outside the source: the source is padded with silence there. */
export const PADDING_TASKS = ['repaint', 'lego'] as const;

/** A track name as written (`Vocals`, `backing vocals`, `backing-vocals`) → ACE-Step's name, or null. */
export function normaliseTrackName(written: string): TrackName | null {
  const s = written.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return TRACK_SET.has(s) ? s as TrackName : null;
}

/** Close track names for an unknown one ("bas" → bass). */
export function trackSuggestions(written: string): string[] {
  return didYouMean(written.trim().toLowerCase().replace(/[\s-]+/g, '_'), TRACK_NAMES);
}

/**
 * The instruction for a task as ACE-Step's UI makes it: extract and lego name the track in upper case, complete
 * names its tracks in upper case joined by " | "; without tracks, the task's default instruction.
 */
export function taskInstruction(task: string, track?: string, tracks?: readonly string[]): string {
  switch (task) {
    case 'repaint': return 'Repaint the mask area based on the given conditions:';
    case 'cover': return 'Generate audio semantic tokens based on the given conditions:';
    case 'extract': return track ? `Extract the ${track.toUpperCase()} track from the audio:` : 'Extract the track from the audio:';
    case 'lego': return track ? `Generate the ${track.toUpperCase()} track based on the audio context:` : 'Generate the track based on the audio context:';
    case 'complete': return tracks?.length ? `Complete the input track with ${tracks.map(t => t.toUpperCase()).join(' | ')}:` : 'Complete the input track:';
    default: return 'Fill the audio semantic mask based on the given conditions:';
  }
}
