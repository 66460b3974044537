// The task lints: what each task_type needs (source audio, a track, a base model), settings the task ignores,
// `thinking` where the server skips the LM, and the repaint range against the source (padding before 0 or past
// the end extends the take; ACE-Step's handler pads repaint and lego sources with silence there).
import * as path from 'node:path';
import { BASE_ONLY_TASKS, TASKS_NEEDING_SOURCE } from './schema';
import { LM_SKIPPING_TASKS, ONE_TRACK_TASKS, PADDING_TASKS, TRACK_LIST_TASKS } from './tasks';
import { type Collector, findEntry, insertFrontmatterLine, type LintOptions } from './lint-support';
import type { ParsedSong } from './types';
import { msg } from '../l10n';

const has = (list: readonly string[], x: string) => list.includes(x);
const secs = (n: number) => String(Math.round(n * 10) / 10);

export function lintTask(parsed: ParsedSong, options: LintOptions, out: Collector): void {
  const p = parsed.params;
  const task = p.task_type ?? 'text2music';
  const taskEntry = findEntry(parsed, 'task_type');
  if (has(TASKS_NEEDING_SOURCE, task) && !p.src_audio && taskEntry) {
    out.add({ severity: 'error', code: 'task-needs-source', range: taskEntry.valueRange,
      message: msg('task_type {0} needs src_audio (a path to the audio to work on)', task),
      fixes: [{ title: msg('Add src_audio'), edits: [insertFrontmatterLine(parsed, 'src_audio: ')] }] });
  }
  if (has(ONE_TRACK_TASKS, task) && !p.track && p.instruction === undefined && taskEntry && !findEntry(parsed, 'track')) {
    out.add({ severity: 'error', code: 'task-needs-track', range: taskEntry.valueRange,
      message: task === 'extract' ? msg('task_type extract needs track: the part to extract (e.g. vocals)') : msg('task_type lego needs track: the part to add (e.g. bass)'),
      fixes: [{ title: msg('Add track'), edits: [insertFrontmatterLine(parsed, 'track: ')] }] });
  }
  const model = findEntry(parsed, 'model');
  if (has(BASE_ONLY_TASKS, task) && typeof p.model === 'string' && /turbo/i.test(p.model) && model) {
    out.add({ severity: 'error', code: 'task-needs-base-model', range: model.valueRange,
      message: msg('task_type {0} needs a base model; {1} is a turbo model', task, p.model),
      fixes: [{ title: msg('Change to {0}', 'acestep-v15-base'), isPreferred: true, edits: [{ range: model.valueRange, newText: 'acestep-v15-base' }] }] });
  }
  const thinking = findEntry(parsed, 'thinking');
  if (p.thinking === true && has(LM_SKIPPING_TASKS, task) && thinking) {
    out.add({ severity: 'warning', code: 'thinking-skipped', range: thinking.valueRange,
      message: msg('the server skips the language model for {0}, so thinking does nothing here, yet the job fails when the LM is not loaded', task),
      fixes: [{ title: msg('Change to {0}', 'false'), isPreferred: true, edits: [{ range: thinking.valueRange, newText: 'false' }] }] });
  }
  lintFiles(parsed, options, out);
  const unused = (key: string, why: string) => {
    const entry = findEntry(parsed, key);
    if (entry && entry.value !== undefined) {
      out.add({ severity: 'information', code: 'unused-param', range: entry.keyRange, message: msg('{0} is ignored {1}', key, why) });
    }
  };
  if (task !== 'repaint' && task !== 'lego') {
    unused('repainting_start', msg('unless task_type is repaint or lego'));
    unused('repainting_end', msg('unless task_type is repaint or lego'));
  }
  if (task !== 'cover') unused('audio_cover_strength', msg('unless task_type is cover'));
  if (task === 'text2music' && p.src_audio) unused('src_audio', msg('by text2music; set task_type (e.g. cover or repaint)'));
  if (p.instruction !== undefined) {
    unused('track', msg('when instruction is set'));
    unused('tracks', msg('when instruction is set'));
  } else {
    if (!has(ONE_TRACK_TASKS, task)) unused('track', msg('unless task_type is extract or lego'));
    if (!has(TRACK_LIST_TASKS, task)) unused('tracks', msg('unless task_type is complete'));
  }
  lintRange(parsed, options, out, task);
}

function lintFiles(parsed: ParsedSong, options: LintOptions, out: Collector): void {
  for (const key of ['src_audio', 'reference_audio'] as const) {
    const value = parsed.params[key];
    const entry = findEntry(parsed, key);
    if (!value || !entry || !options.fileExists || options.baseDir === undefined) continue;
    let ok = false;
    try { ok = options.fileExists(path.resolve(options.baseDir, value)); } catch { ok = false; }
    if (!ok) out.add({ severity: 'error', code: 'file-not-found', range: entry.valueRange, message: msg('{0}: file not found: {1}', key, value) });
  }
}

/** The repaint range: in order, and against the source's length (padding extends the take). */
function lintRange(parsed: ParsedSong, options: LintOptions, out: Collector, task: string): void {
  const p = parsed.params;
  const s = typeof p.repainting_start === 'number' ? p.repainting_start : 0;
  const end = p.repainting_end;
  const startEntry = findEntry(parsed, 'repainting_start');
  const endEntry = findEntry(parsed, 'repainting_end');
  if (typeof end === 'number' && end !== -1 && end <= s) {
    if (endEntry) out.add({ severity: 'error', code: 'repaint-range', range: endEntry.valueRange, message: msg('repainting_end ({0}) must be after repainting_start ({1})', end, s) });
    return;
  }
  if (!has(PADDING_TASKS, task)) return;
  if (s < 0 && startEntry) {
    out.add({ severity: 'information', code: 'repaint-extends', range: startEntry.valueRange,
      message: msg('{0} s of silence is added before src_audio and generated: the take gets longer at the front', secs(-s)) });
  }
  if (!p.src_audio || !options.audioLength || options.baseDir === undefined) return;
  let length: number | undefined;
  try { length = options.audioLength(path.resolve(options.baseDir, p.src_audio)); } catch { length = undefined; }
  if (length === undefined) return;
  if (s >= length && startEntry) {
    out.add({ severity: 'warning', code: 'repaint-past-source', range: startEntry.valueRange,
      message: msg('repainting_start ({0} s) is at or past the end of src_audio ({1} s): the range is only silence padded after it', s, secs(length)) });
  } else if (typeof end === 'number' && end > length && endEntry) {
    out.add({ severity: 'information', code: 'repaint-extends', range: endEntry.valueRange,
      message: msg('repainting_end ({0} s) is past the end of src_audio ({1} s): {2} s of silence is added and generated, the take gets longer', end, secs(length), secs(end - length)) });
  }
}
