// Current upstream's (U) style adapter and lyrics timing routes, as its code answers them:
// /v1/lora/{load,unload,toggle,scale,status} (acestep/api/http/lora_routes.py with the handler's
// lora lifecycle messages) and /v1/transcribe (acestep/api/http/transcribe_route.py, words and LRC as
// scripts/lora_data_prepare/whisper_transcription.py builds them). Flavours without the routes never get here:
// they answer 404 like any unknown path.
import { HttpError, wrap } from './responses';
import type { FakeOptions } from './options';
import type { Scheduler } from './scheduler';

const OK = '\u2705';
const WARN = '\u26a0\ufe0f';

/** What the server's handler holds: one adapter (basic mode), whether it is used, its scale. */
export class LoraState {
  path: string | null = null;
  adapterName: string | null = null;
  use = false;
  scale = 1.0;
  reset(): void { this.path = null; this.adapterName = null; this.use = false; this.scale = 1.0; }
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const missing = (loc: string) => new HttpError(422, [{ type: 'missing', loc: ['body', loc], msg: 'Field required', input: null }]);

/** One LoRA route; returns the JSON body (HTTP 200) or throws an HttpError. */
export function loraRoute(route: string, body: Record<string, unknown>, opts: FakeOptions, scheduler: Scheduler, lora: LoraState): unknown {
  // _require_initialized_handler: the models load on the first job, before that there is no model.
  if (!scheduler.modelsReady()) throw new HttpError(500, 'Model not initialized');
  const name = typeof body.adapter_name === 'string' && body.adapter_name.trim() ? body.adapter_name.trim() : null;
  switch (route) {
    case 'POST /v1/lora/load': {
      if (typeof body.lora_path !== 'string') throw missing('lora_path');
      const p = body.lora_path.trim();
      if (!p) throw new HttpError(400, '\u274c Please provide a LoRA path.');
      if (!opts.loraAdapters.includes(p)) throw new HttpError(400, `\u274c LoRA path not found: ${p}`);
      Object.assign(lora, { path: p, adapterName: name, use: true, scale: 1.0 });
      const message = `${OK} LoRA loaded from ${p}`;
      return wrap(name ? { message, lora_path: body.lora_path, adapter_name: name } : { message, lora_path: body.lora_path });
    }
    case 'POST /v1/lora/unload': {
      if (!lora.path) return wrap({ message: `${WARN} No LoRA adapter loaded.` });
      lora.reset();
      return wrap({ message: `${OK} LoRA unloaded, using base model` });
    }
    case 'POST /v1/lora/toggle': {
      if (typeof body.use_lora !== 'boolean') throw missing('use_lora');
      if (!lora.path) return wrap(null, 400, '\u274c No LoRA adapter loaded. Please load a LoRA first.');
      lora.use = body.use_lora;
      return wrap({ message: `${OK} LoRA ${lora.use ? 'enabled' : 'disabled'}`, use_lora: lora.use });
    }
    case 'POST /v1/lora/scale': {
      if (!isNum(body.scale)) throw missing('scale');
      if (body.scale < 0 || body.scale > 1) {
        throw new HttpError(422, [{ type: body.scale < 0 ? 'greater_than_equal' : 'less_than_equal', loc: ['body', 'scale'], msg: `Input should be ${body.scale < 0 ? 'greater than or equal to 0' : 'less than or equal to 1'}`, input: body.scale }]);
      }
      if (!lora.path) return wrap(null, 400, '\u274c No LoRA adapter loaded.');
      lora.scale = body.scale;
      const message = `${OK} LoRA scale set to ${body.scale.toFixed(2)}`;
      return wrap(name ? { message, scale: body.scale, adapter_name: name } : { message, scale: body.scale });
    }
    case 'GET /v1/lora/status': {
      const adapters = lora.path ? [lora.adapterName ?? 'default'] : [];
      return wrap({
        lora_loaded: !!lora.path, use_lora: lora.use, lora_scale: lora.scale, adapter_type: lora.path ? 'lora' : null,
        scales: Object.fromEntries(adapters.map(a => [a, lora.scale])), active_adapter: adapters[0] ?? null,
        adapters, synthetic_default_mode: false,
      });
    }
  }
  throw new HttpError(405, 'Method Not Allowed');
}

/** The sung lines of the job that made `path`, spread evenly over its length, as Whisper-like words. */
function wordsFor(path: string, scheduler: Scheduler): { word: string; start: number; end: number }[] {
  const job = scheduler.jobs.find(j => j.files.includes(path));
  const lyrics = typeof job?.params.lyrics === 'string' ? job.params.lyrics : 'la la la';
  const lines = lyrics.split(/\r?\n/).map(l => l.trim()).filter(l => l && !/^\[.*\]$/.test(l) && !/^\(.*\)$/.test(l));
  const duration = typeof job?.params.audio_duration === 'number' && job.params.audio_duration > 0 ? job.params.audio_duration : 60;
  const words: { word: string; start: number; end: number }[] = [];
  const step = duration / Math.max(1, lines.length + 1);
  lines.forEach((line, i) => {
    const ws = line.split(/\s+/);
    const lineStart = step * (i + 0.5);
    const each = (step * 0.6) / ws.length;
    ws.forEach((w, k) => {
      const start = Math.round((lineStart + k * each) * 100) / 100;
      words.push({ word: k === ws.length - 1 ? `${w}.` : w, start, end: Math.round((start + each * 0.9) * 100) / 100 });
    });
  });
  return words;
}

const fmt = (s: number) => {
  const m = Math.floor(s / 60);
  return `${String(m).padStart(2, '0')}:${(s - m * 60).toFixed(2).padStart(5, '0')}`;
};

/** POST /v1/transcribe: the key check first, then the file, then the words, LRC and plain lyrics. */
export function transcribeRoute(body: Record<string, unknown>, opts: FakeOptions, scheduler: Scheduler): unknown {
  if (typeof body.audio_path !== 'string') throw missing('audio_path');
  if (!opts.transcriptionKey) {
    throw new HttpError(400, 'OPENAI_API_KEY environment variable is not set. Set it in your environment or the app settings to use Whisper transcription.');
  }
  if (!scheduler.files.has(body.audio_path)) throw new HttpError(404, `Audio file not found: ${body.audio_path}`);
  const words = wordsFor(body.audio_path, scheduler);
  if (!words.length) throw new HttpError(500, 'Whisper API returned no word-level timestamps.');
  const lines: { start: number; text: string }[] = [];
  let cur: typeof words = [];
  words.forEach((w, i) => {
    cur.push(w);
    const last = i === words.length - 1;
    if (last || /[.!?,]$/.test(w.word) || words[i + 1].start - w.end > 1.5) {
      const text = cur.map(c => c.word).join(' ').trim().replace(/[,.]+$/, '');
      if (text) lines.push({ start: cur[0].start, text });
      cur = [];
    }
  });
  return wrap({
    words,
    lrc_text: lines.map(l => `[${fmt(l.start)}]${l.text}`).join('\n') + '\n',
    lyrics_text: lines.map(l => l.text).join('\n') + '\n',
  });
}
