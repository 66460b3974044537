// What a request looks like for a given server generation, decided by its capabilities (capabilities.ts),
// never by its letter: which /release_task fields and files are sent, and whether /format_input gets
// param_obj. Pure functions; the client sends what they return.
import { capabilitiesOf } from './capabilities';
import type { Flavour, FormatInputRequest, ReleaseRequest } from './types';

/** The fields a server without `fullParameters` reads (the Gradio-mounted API); the rest is dropped with a warning. */
export const BASIC_FIELDS: ReadonlySet<string> = new Set([
  'prompt', 'caption', 'lyrics', 'vocal_language', 'language', 'lm_temperature', 'temperature', 'sample_mode', 'sampleMode',
  'sample_query', 'sampleQuery', 'description', 'desc', 'use_format', 'useFormat', 'task_type', 'bpm', 'key_scale', 'keyscale',
  'key', 'time_signature', 'timesignature', 'audio_duration', 'duration', 'inference_steps', 'guidance_scale', 'seed',
  'thinking', 'lm_cfg_scale', 'lm_negative_prompt', 'batch_size', 'use_random_seed', 'audio_format', 'param_obj', 'ai_token',
]);

export interface ShapedRelease {
  /** The fields to send (undefined and null dropped). */
  params: Record<string, unknown>;
  /** [field, local file] pairs to upload as multipart. */
  files: [string, string][];
  /** What was not sent, and why. */
  warnings: string[];
}

/**
 * The /release_task request for this server. A server without `fullParameters` reads only the basic
 * fields and has no upload fields at all, so the rest is dropped with a warning. (`uploads: false` alone,
 * as on S, does not drop files: S has the fields, and they are still sent.)
 */
export function shapeRelease(req: ReleaseRequest, flavour: Flavour): ShapedRelease {
  const basicOnly = !capabilitiesOf(flavour).fullParameters;
  const warnings: string[] = [];
  const params: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [k, v] of Object.entries(req.params ?? {})) {
    if (v === undefined || v === null) continue;
    if (basicOnly && !BASIC_FIELDS.has(k)) { dropped.push(k); continue; }
    params[k] = v;
  }
  if (dropped.length) warnings.push(`The Gradio-mounted API does not take ${dropped.join(', ')}; not sent.`);
  let files = Object.entries(req.files ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '');
  if (basicOnly && files.length) {
    warnings.push(`The Gradio-mounted API takes no audio uploads; ${files.map(([k]) => k).join(', ')} not sent.`);
    files = [];
  }
  return { params, files, warnings };
}

/** The /format_input body: the musical hints go in `param_obj` where the server takes it. */
export function formatInputBody(input: FormatInputRequest, flavour: Flavour): Record<string, unknown> {
  const body: Record<string, unknown> = { prompt: input.prompt ?? '', lyrics: input.lyrics ?? '' };
  if (input.temperature !== undefined) body.temperature = input.temperature;
  if (capabilitiesOf(flavour).formatParamObj) {
    const po: Record<string, unknown> = {};
    if (input.duration !== undefined) po.duration = input.duration;
    if (input.bpm !== undefined) po.bpm = input.bpm;
    if (input.key !== undefined) po.key = input.key;
    if (input.timeSignature !== undefined) po.time_signature = input.timeSignature;
    if (input.language !== undefined) po.language = input.language;
    if (Object.keys(po).length) body.param_obj = po;
  }
  return body;
}
