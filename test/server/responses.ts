// What the server says: FastAPI's envelope and error bodies, Python's json.dumps inside `result` strings,
// and every endpoint's body. Which shape a flavour answers with comes from its behaviour table.
import type http from 'node:http';
import { echoBody, spoilText, spoilValue, NOT_THE_API_HTML, type Faults } from './faults';
import type { FlavourBehaviour } from './flavours';
import type { FakeOptions } from './options';
import { Params } from './params';
import { f, pyDumps } from './pyjson';
import { isSampleRequest, lmSample } from './sample';
import type { FakeJob, Scheduler } from './scheduler';

/** An HTTP error FastAPI answers with `{"detail": …}`. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly detail: unknown) {
    super(typeof detail === 'string' ? detail : 'http error');
  }
}
/** An error the server does not handle: uvicorn's plain-text 500. */
export class PlainTextError extends Error {}

export const TRACEBACK_OOM = 'Traceback (most recent call last):\n  File "/app/acestep/api_server.py", line 1499, in _run_one_job\n    result = await loop.run_in_executor(executor, _blocking_generate)\n  File "/app/acestep/api_server.py", line 1407, in _blocking_generate\n    raise RuntimeError(f"Music generation failed: {result.error or result.status_message}")\nRuntimeError: Music generation failed: CUDA out of memory. Tried to allocate 2.00 GiB\n';
export const TRACEBACK_NO_LM = 'Traceback (most recent call last):\n  File "/app/acestep/api_server.py", line 1499, in _run_one_job\n    result = await loop.run_in_executor(executor, _blocking_generate)\n  File "/app/acestep/api_server.py", line 1262, in _blocking_generate\n    raise RuntimeError("LLM is not initialized; thinking/format/sample mode needs it")\nRuntimeError: LLM is not initialized; thinking/format/sample mode needs it\n';

export const AUDIO_TYPES: Record<string, string> = { mp3: 'audio/mpeg', wav: 'audio/wav', flac: 'audio/flac', ogg: 'audio/ogg' };

const GPUS = [{ index: 0, name: 'NVIDIA GeForce RTX 4090', total_memory_gb: f(23.99) }];
const GPU_MAPPING = { dit: 0, lm: 0 };
const DEVICE_MAP = { dit: 'cuda:0', lm: 'cuda:0', vae: 'cuda:0' };

// ---- envelopes and sending ----------------------------------------------------------------------

export const wrap = (data: unknown, code = 200, error: string | null = null) =>
  ({ data, code, error, timestamp: Date.now(), extra: null });

export function sendRaw(res: http.ServerResponse, status: number, body: string | Buffer, contentType: string): void {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { server: 'uvicorn', 'content-length': buf.length, 'content-type': contentType });
  res.end(buf);
}

/** FastAPI's compact JSON, unless a garbage fault spoils this endpoint's answer. */
export function sendJson(res: http.ServerResponse, faults: Faults, endpoint: string, status: number, value: unknown): void {
  const kind = faults.garbageFor(endpoint);
  if (kind === 'html') {
    sendRaw(res, 200, NOT_THE_API_HTML, 'text/html; charset=utf-8');
    return;
  }
  if (kind === 'echo') {
    sendRaw(res, 200, echoBody(faults.authorization), 'text/plain; charset=utf-8');
    return;
  }
  sendRaw(res, status, spoilText(kind, pyDumps(spoilValue(kind, value), true)), 'application/json');
}

/** A `/v1/audio?path=` link: quote, or Python's urlencode (quote_plus: spaces become '+'). */
export function audioLink(path: string, style: FlavourBehaviour['audioLink']): string {
  if (style === 'quote') return `/v1/audio?path=${encodeURIComponent(path)}`;
  return `/v1/audio?path=${encodeURIComponent(path).replace(/%20/g, '+').replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase())}`;
}

// ---- endpoint bodies ----------------------------------------------------------------------------

export function healthBody(opts: FakeOptions, behaviour: FlavourBehaviour, scheduler: Scheduler, faults: Faults) {
  const data: Record<string, unknown> = { status: 'ok', service: faults.hostileText(behaviour.service), version: '1.0' };
  if (behaviour.healthDetails) {
    Object.assign(data, {
      models_initialized: scheduler.modelsReady(),
      llm_initialized: opts.lmLoaded && scheduler.modelsReady(),
      loaded_model: opts.models[0],
      loaded_lm_model: opts.lmLoaded ? opts.lmModel : null,
      gpus: GPUS,
      gpu_mapping: GPU_MAPPING,
      device_map: DEVICE_MAP,
    });
  }
  return wrap(data);
}

export function modelsBody(opts: FakeOptions, behaviour: FlavourBehaviour) {
  if (behaviour.models === 'native') {
    return wrap({
      models: opts.models.map((name, i) => ({ name, is_default: i === 0 })),
      default_model: opts.models[0] ?? null,
    });
  }
  const created = Math.floor(Date.now() / 1000) - 86400 * 30;
  return {
    object: 'list',
    data: opts.models.map(name => ({
      id: `acestep/${name}`, name: `ACE-Step ${name}`, created,
      input_modalities: ['text', 'audio'], output_modalities: ['audio', 'text'],
      context_length: 4096, max_output_length: 300,
      pricing: { prompt: '0', completion: '0', request: '0', image: '0' },
      description: 'AI music generation model', architecture: null,
    })),
  };
}

export const inventoryBody = (opts: FakeOptions) => wrap({
  models: [...opts.models].sort().map(name => ({
    name, is_default: name === opts.models[0], is_loaded: true,
    supported_task_types: ['text2music', 'repaint', 'cover'],
  })),
  default_model: opts.models[0],
  lm_models: [{ name: opts.lmModel, is_loaded: opts.lmLoaded }],
  loaded_lm_model: opts.lmLoaded ? opts.lmModel : null,
  llm_initialized: opts.lmLoaded,
  gpus: GPUS,
  gpu_mapping: GPU_MAPPING,
  device_map: DEVICE_MAP,
});

export function statsBody(opts: FakeOptions, scheduler: Scheduler) {
  const t = Date.now();
  const counts = { total: scheduler.jobs.length + scheduler.rejectedQueued, queued: scheduler.rejectedQueued, running: 0, succeeded: 0, failed: 0 };
  for (const j of scheduler.jobs) counts[scheduler.stateOf(j, t)]++;
  return wrap({ jobs: counts, queue_size: scheduler.waitingCount(t), queue_maxsize: opts.queueMaxsize, avg_job_seconds: f(scheduler.avgJobSeconds()) });
}

/** What the LM "formats" the user's caption and lyrics into. */
export function formatBody(fields: Record<string, unknown>, po: Record<string, unknown>) {
  const prompt = String(fields.prompt ?? '');
  const lyrics = String(fields.lyrics ?? '');
  if (!prompt.trim() && !lyrics.trim()) return wrap(null, 500, 'format_sample failed: caption and lyrics are both empty');
  const duration = po.duration !== undefined ? Number(po.duration) : undefined;
  return wrap({
    caption: prompt ? `${prompt}, with a warm analog mix and a driving bassline` : 'an upbeat pop song',
    lyrics: lyrics || '[Verse]\nLa la la',
    bpm: po.bpm !== undefined ? Number(po.bpm) : 120,
    key_scale: String(po.key ?? po.key_scale ?? 'C major'),
    time_signature: String(po.time_signature ?? fields.time_signature ?? '4'),
    duration: duration !== undefined && Number.isFinite(duration) ? f(duration) : 180,
    vocal_language: String(po.language || 'en'),
  });
}

export function randomSampleBody(opts: FakeOptions, fields: Record<string, unknown>) {
  if (opts.examplesMissing) return wrap(null, 500, 'No example data available');
  const type = String(fields.sample_type || 'simple_mode');
  return wrap(type === 'simple_mode'
    ? { description: 'A melancholic indie folk ballad about leaving home, fingerpicked guitar and soft male vocals', instrumental: false, vocal_language: 'en' }
    : {
      think: true, caption: 'energetic synthwave with pulsing arpeggios and retro drums',
      lyrics: '[Verse]\nNeon rivers in the night\n[Chorus]\nWe run, we run', bpm: 118, duration: 180,
      keyscale: 'A minor', language: 'en', timesignature: '4',
    });
}

// ---- /query_result entries ----------------------------------------------------------------------

export function metasOf(opts: FakeOptions, job: FakeJob) {
  const p = new Params(job.params);
  const lm = p.bool('thinking') && opts.lmLoaded;
  const na = <T>(v: T | undefined, lmValue: unknown) => (v !== undefined && v !== '' ? v : lm ? lmValue : 'N/A');
  const duration = p.float('audio_duration');
  if (isSampleRequest(p) && opts.lmLoaded) {
    // Sample mode: the LM chose these (its length wins over audio_duration); prompt/lyrics stay the user's own.
    const s = lmSample(p);
    return { bpm: s.bpm, duration: f(s.duration), genres: 'N/A', keyscale: s.keyscale, timesignature: s.timesignature, prompt: p.str('prompt'), lyrics: p.str('lyrics') };
  }
  return {
    bpm: na(p.int('bpm'), 118),
    duration: duration !== undefined ? f(duration) : lm ? 187 : 'N/A',
    genres: 'N/A',
    keyscale: na(p.str('key_scale') || undefined, 'A minor'),
    timesignature: na(p.str('time_signature') || undefined, '4'),
    prompt: p.str('prompt'),
    lyrics: p.str('lyrics'),
  };
}

function generationInfo(job: FakeJob): string {
  const per = job.generationMs / 1000 / Math.max(1, job.batchSize);
  return `**🎯 Average Time per Track: ${per.toFixed(2)}s** (${job.batchSize} track(s))\n\n` +
    `**⏱️ Time Costs:**\n  - DiT: ${(job.generationMs / 1000).toFixed(2)}s\n\n**🎲 Seeds:** ${job.seeds.join(',')}\n**🔢 Steps:** ${new Params(job.params).int('inference_steps') ?? 8}`;
}

function successItems(opts: FakeOptions, behaviour: FlavourBehaviour, job: FakeJob, faults: Faults) {
  const p = new Params(job.params);
  const lm = p.bool('thinking') && opts.lmLoaded;
  const prompt = p.str('prompt');
  const h = (text: string) => faults.hostileText(text);
  const sample = isSampleRequest(p) && opts.lmLoaded ? lmSample(p) : undefined;
  const common = {
    prompt: h(sample ? sample.caption : lm && prompt ? `${prompt}, polished mix, wide stereo` : prompt),
    lyrics: h(sample ? sample.lyrics : p.str('lyrics')),
    metas: metasOf(opts, job),
    generation_info: h(generationInfo(job)),
    seed_value: job.seeds.join(','),
    lm_model: h(opts.lmModel),
    dit_model: h(opts.models.includes(p.str('model')) ? p.str('model') : opts.models[0]),
  };
  const createTime = Math.floor(job.submittedAt / 1000);
  return job.files.map(path => ({
    file: audioLink(path, behaviour.audioLink), wave: '', status: 1, create_time: createTime, env: 'development',
    ...common,
    ...(behaviour.progress ? { progress: f(1), stage: 'succeeded' } : {}),
  }));
}

/** One `/query_result` entry of a queued (status 0) server: items in `result`, a job at a time. */
export function queuedResultEntry(opts: FakeOptions, behaviour: FlavourBehaviour, scheduler: Scheduler, faults: Faults, id: string) {
  const frozen = scheduler.frozen.get(id);
  const job = scheduler.find(id) ?? frozen?.job;
  if (!job) return { task_id: id, result: '[]', status: 0 };
  // A job the restart caught: the disk cache's last word about it, at the moment it froze.
  const t = scheduler.find(id) ? Date.now() : frozen!.at;
  const base = { file: '', wave: '', status: 0, create_time: Math.floor(job.submittedAt / 1000), env: 'development' };
  const waiting = { prompt: '', lyrics: '', metas: {} };
  let items: unknown[];
  let status: number;
  switch (scheduler.stateOf(job, t)) {
    case 'succeeded': status = 1; items = successItems(opts, behaviour, job, faults); break;
    case 'failed': {
      status = 2;
      const error = behaviour.failureError === 'traceback' ? { error: faults.hostileText(job.failReason.trimEnd()) + '\n' } : behaviour.failureError === 'null' ? { error: null } : {};
      items = [{ ...base, status: 2, ...(behaviour.progress ? { progress: f(0), stage: 'failed' } : {}), ...error }];
      break;
    }
    case 'running':
      status = 0;
      if (behaviour.progress) {
        const { progress, stage } = scheduler.stageAt(job, t);
        items = [{ ...base, progress: f(progress), stage: faults.hostileText(stage) }];
        break;
      }
      items = [{ ...base, ...waiting, error: null }];
      break;
    default:
      status = 0;
      items = [behaviour.progress ? { ...base, ...waiting, progress: f(0), stage: 'queued', error: null } : { ...base, ...waiting, error: null }];
  }
  const entry: Record<string, unknown> = { task_id: id, result: pyDumps(items), status };
  if (behaviour.progress) entry.progress_text = faults.hostileText(scheduler.progressText(t));
  return entry;
}

/** One `/query_result` entry of a blocking (G) server: the files once succeeded, else status 0 and "[]". */
export function blockingResultEntry(behaviour: FlavourBehaviour, scheduler: Scheduler, id: string) {
  const job = scheduler.find(id);
  if (job && scheduler.stateOf(job) === 'succeeded') {
    const items = job.files.map(path => ({ file: path, url: audioLink(path, behaviour.audioLink), status: 1, create_time: Math.floor(job.endAt / 1000) }));
    return { task_id: id, status: 1, result: pyDumps(items) };
  }
  return { task_id: id, status: 0, result: '[]' };
}
