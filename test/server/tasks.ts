// What of a /release_task's task reaches generation, per flavour: the task type, the instruction the model gets,
// the source and reference audio (an upload or a path on the server's machine), the repaint range and the cover
// strength. Tests read it from the job (FakeJob.task) to see what the real server would have generated.
// The instruction texts are ACE-Step's TASK_INSTRUCTIONS (acestep/constants.py), which the servers use when the
// client sends no instruction of its own (or the text to music default).
import type { FlavourBehaviour } from './flavours';
import type { Params } from './params';
import type { FakeUpload } from './scheduler';

const TASK_INSTRUCTIONS: Readonly<Record<string, string>> = {
  text2music: 'Fill the audio semantic mask based on the given conditions:',
  repaint: 'Repaint the mask area based on the given conditions:',
  cover: 'Generate audio semantic tokens based on the given conditions:',
  extract: 'Extract the {TRACK_NAME} track from the audio:',
  extract_default: 'Extract the track from the audio:',
  lego: 'Generate the {TRACK_NAME} track based on the audio context:',
  lego_default: 'Generate the track based on the audio context:',
  complete: 'Complete the input track with {TRACK_CLASSES}:',
  complete_default: 'Complete the input track:',
};
const DEFAULT_INSTRUCTION = TASK_INSTRUCTIONS.text2music;

/** Audio a job generates from: an uploaded file, or a path on the server's machine named in the request. */
export type TaskAudio = { upload: FakeUpload } | { serverPath: string };

export interface FakeTask {
  taskType: string;
  instruction: string;
  srcAudio?: TaskAudio;
  referenceAudio?: TaskAudio;
  repaintingStart?: number;
  repaintingEnd?: number;
  audioCoverStrength?: number;
}

/** The instruction the server resolves for a request (see instructionFill in flavours.ts). */
function instructionOf(behaviour: FlavourBehaviour, p: Params, taskType: string): string {
  const asked = p.str('instruction');
  if (asked.trim() && asked !== DEFAULT_INSTRUCTION) return asked;
  const raw = TASK_INSTRUCTIONS[taskType];
  if (raw === undefined) return asked || DEFAULT_INSTRUCTION;
  if (behaviour.instructionFill === 'verbatim') return raw;
  // U: complete names the classes upper-cased and joined by " | "; extract and lego the track upper-cased;
  // without them the task's "_default" text.
  if (taskType === 'complete') {
    const v = p.get('track_classes');
    const classes = Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : [];
    return classes.length ? raw.replace('{TRACK_CLASSES}', classes.map(c => c.toUpperCase()).join(' | ')) : TASK_INSTRUCTIONS.complete_default;
  }
  if (raw.includes('{TRACK_NAME}')) {
    const track = p.str('track_name');
    return track ? raw.replace('{TRACK_NAME}', track.toUpperCase()) : TASK_INSTRUCTIONS[`${taskType}_default`] ?? raw;
  }
  return raw;
}

/** What reaches generation. `uploads` are the files the request carried (none on a JSON request). */
export function taskOf(behaviour: FlavourBehaviour, p: Params, uploads: Record<string, FakeUpload>): FakeTask {
  if (!behaviour.taskFields) {
    // G: GenerationParams gets task_type but no audio, no instruction, no range: text to music in effect.
    return { taskType: p.str('task_type', 'text2music'), instruction: DEFAULT_INSTRUCTION };
  }
  const taskType = p.str('task_type', 'text2music');
  const task: FakeTask = { taskType, instruction: instructionOf(behaviour, p, taskType) };
  const audio = (upload: FakeUpload | undefined, pathField: string): TaskAudio | undefined => {
    if (upload) return { upload };
    const named = behaviour.jsonServerPaths ? p.str(pathField).trim() : '';
    return named ? { serverPath: named } : undefined;
  };
  const src = audio(uploads.src_audio, 'src_audio_path');
  const ref = audio(uploads.reference_audio, 'reference_audio_path');
  if (src) task.srcAudio = src;
  if (ref) task.referenceAudio = ref;
  const start = p.float('repainting_start');
  const end = p.float('repainting_end');
  if (start !== undefined) task.repaintingStart = start;
  if (end !== undefined) task.repaintingEnd = end;
  const strength = p.float('audio_cover_strength');
  if (strength !== undefined) task.audioCoverStrength = strength;
  return task;
}
