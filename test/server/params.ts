// How the servers read /release_task parameters: top level first, then `param_obj`, then `metas`,
// each under any of its aliases.

const ALIASES: Record<string, string[]> = {
  prompt: ['prompt', 'caption'],
  sample_mode: ['sample_mode', 'sampleMode'],
  sample_query: ['sample_query', 'sampleQuery', 'description', 'desc'],
  use_format: ['use_format', 'useFormat', 'format'],
  model: ['model', 'model_name', 'modelName', 'dit_model', 'ditModel'],
  key_scale: ['key_scale', 'keyscale', 'keyScale', 'key'],
  time_signature: ['time_signature', 'timesignature', 'timeSignature'],
  audio_duration: ['audio_duration', 'duration', 'audioDuration', 'target_duration', 'targetDuration'],
  vocal_language: ['vocal_language', 'vocalLanguage', 'language'],
  inference_steps: ['inference_steps', 'inferenceSteps'],
  guidance_scale: ['guidance_scale', 'guidanceScale'],
  use_random_seed: ['use_random_seed', 'useRandomSeed'],
  task_type: ['task_type', 'taskType'],
  // The path fields of api_server.py's PARAM_ALIASES (S) and the parser's (U).
  src_audio_path: ['src_audio_path', 'ctx_audio_path', 'sourceAudioPath', 'srcAudioPath', 'ctxAudioPath'],
  reference_audio_path: ['reference_audio_path', 'ref_audio_path', 'referenceAudioPath', 'refAudioPath'],
};

/** Reads parameters from the top level, `param_obj` and `metas`, with the servers' aliases. */
export class Params {
  private readonly sources: Record<string, unknown>[];
  constructor(raw: Record<string, unknown>) {
    const asObject = (v: unknown): Record<string, unknown> => {
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
      if (typeof v === 'string' && v.trim()) {
        try {
          const o = JSON.parse(v);
          if (o && typeof o === 'object' && !Array.isArray(o)) return o;
        } catch { /* ignored like the server does */ }
      }
      return {};
    };
    let metas: Record<string, unknown> = {};
    for (const k of ['metas', 'meta', 'metadata', 'user_metadata', 'userMetadata']) {
      if (raw[k]) { metas = asObject(raw[k]); break; }
    }
    this.sources = [raw, asObject(raw.param_obj), metas];
  }
  get(name: string): unknown {
    for (const source of this.sources) {
      for (const alias of ALIASES[name] ?? [name]) {
        if (source[alias] !== undefined && source[alias] !== null) return source[alias];
      }
    }
    return undefined;
  }
  str(name: string, dflt = ''): string {
    const v = this.get(name);
    return v === undefined ? dflt : String(v);
  }
  int(name: string): number | undefined {
    const v = this.get(name);
    if (v === undefined || String(v).trim() === '') return undefined;
    const n = typeof v === 'number' ? v : Number(String(v).trim());
    return Number.isInteger(n) ? n : undefined;
  }
  float(name: string): number | undefined {
    const v = this.get(name);
    if (v === undefined || String(v).trim() === '') return undefined;
    const n = Number(String(v).trim());
    return Number.isFinite(n) ? n : undefined;
  }
  bool(name: string, dflt = false): boolean {
    const v = this.get(name);
    if (v === undefined) return dflt;
    if (typeof v === 'boolean') return v;
    const s = String(v).trim().toLowerCase();
    if (s === '') return dflt;
    return ['1', 'true', 'yes', 'y', 'on'].includes(s);
  }
}

/** FNV-1a: stable ids for seeds, file names and ETags. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
