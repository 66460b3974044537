// toReleaseRequest: the exact JSON body for POST /release_task, under the server's field names.
// Only what the song sets is sent (plus batch_size and audio_format, always); `auto` is omitted
// so the server decides. Audio files are returned separately as absolute paths for upload. extract, lego and
// complete get their instruction with `track`/`tracks` filled in (the server would send its template's
// placeholder to the model otherwise); `instruction` in the song overrides it.
import * as path from 'node:path';
import { KEY_SPECS } from './schema';
import { ONE_TRACK_TASKS, taskInstruction, TRACK_LIST_TASKS } from './tasks';
import type { AudioFormat, ParsedSong } from './types';

export interface ReleaseRequestOptions {
  /** Folder of the .song file: relative `src_audio` / `reference_audio` resolve against it. */
  baseDir: string;
  /** batch_size when the song does not set one (default 1; the server's own default is 2). */
  batchSize?: number;
  /** audio_format when the song does not set one (default mp3). */
  audioFormat?: AudioFormat;
}

export interface ReleaseRequest {
  /** The JSON body (without files). */
  params: Record<string, unknown>;
  /** Audio to upload as multipart files, as absolute paths. */
  files: { src_audio?: string; reference_audio?: string };
}

/** Keys handled by hand below, not by the generic copy. */
const SPECIAL = new Set(['title', 'caption', 'instrumental', 'seed', 'src_audio', 'reference_audio', 'batch_size', 'audio_format']);

export function toReleaseRequest(parsed: ParsedSong, options: ReleaseRequestOptions): ReleaseRequest {
  const p = parsed.params;
  const params: Record<string, unknown> = {
    prompt: p.caption ?? '',
    lyrics: parsed.instrumental ? '[Instrumental]' : parsed.lyrics,
  };
  for (const spec of KEY_SPECS) {
    if (SPECIAL.has(spec.key) || spec.server === null) continue;
    const value = p[spec.key];
    if (value === undefined || value === 'auto') continue;
    params[spec.server] = value;
  }
  if (typeof p.seed === 'number' && p.seed >= 0) {
    params.seed = p.seed;
    params.use_random_seed = false;
  }
  const task = p.task_type;
  if (p.instruction === undefined && task && ([...ONE_TRACK_TASKS, ...TRACK_LIST_TASKS] as string[]).includes(task)) {
    params.instruction = taskInstruction(task, p.track, p.tracks);
  }
  params.batch_size = p.batch_size ?? options.batchSize ?? 1;
  params.audio_format = p.audio_format ?? options.audioFormat ?? 'mp3';
  const files: ReleaseRequest['files'] = {};
  if (p.src_audio) files.src_audio = path.resolve(options.baseDir, p.src_audio);
  if (p.reference_audio) files.reference_audio = path.resolve(options.baseDir, p.reference_audio);
  return { params, files };
}
