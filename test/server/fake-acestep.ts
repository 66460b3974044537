// A Node stand-in for the ACE-Step 1.5 REST API, reproducing the four server flavours the client meets
// (see the API notes shared with the team): W (Docker wrapper's standalone API), S (upstream, early),
// U (upstream, later: progress, lazy model load) and G (the API mounted on the Gradio UI).
// JSON bodies are produced byte for byte like the Python servers: FastAPI's compact envelope,
// Python's json.dumps spacing inside the `result` strings, Python float spelling.
// Everything listens on 127.0.0.1 only.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { PyFloat, f, pyDumps } from './pyjson';
import { fillPayload, payloadBytes, type PayloadSpec } from './audio-payload';
import { boundaryOf, parseMultipart } from './multipart';

export type Flavour = 'W' | 'S' | 'U' | 'G';
export type GarbageKind = 'html' | 'truncated' | 'wrong-types';

export interface GarbageOption {
  kind: GarbageKind;
  /** Paths to spoil (e.g. ['/query_result']); all JSON endpoints when absent. */
  endpoints?: string[];
  /** How many answers to spoil; unlimited when absent. */
  times?: number;
}

export interface CutOption {
  /** Close the connection after this many body bytes. */
  bytes: number;
  /** Cut every download (true) or just the next one. */
  always?: boolean;
}

export interface FakeOptions {
  flavour: Flavour;
  /** Generation time per job; a function may vary it per request. */
  generationMs: number | ((params: Record<string, unknown>) => number);
  /** S/U: how many distinct progress values a running job reports. */
  progressSteps: number;
  /** Like ACESTEP_API_KEY (W/S/U) or `--api-key` (G). null: open server. '' locks everything. */
  apiKey: string | null;
  /** The next job (or the next N jobs) fails. */
  failNext: boolean | number;
  /** /release_task answers 429 "Server busy: queue is full". */
  queueFull: boolean;
  /** /release_task answers HTTP 500 with a plain-text body (what an invalid enum value does). */
  plainText500: boolean;
  garbage: GarbageKind | GarbageOption | null;
  /** Drop the connection in the middle of /v1/audio bodies: a number means once. */
  cutDownloadAt: number | CutOption | null;
  /** Size in bytes of each generated audio file. */
  audioBytes: number;
  /** Whether the 5 Hz LM is loaded (thinking / format / sample need it). */
  lmLoaded: boolean;
  /** U: the first job loads the models and blocks the whole server meanwhile. W/S: refuse connections that long after start/restart. */
  modelLoadMs: number;
  /** Refuse connections. */
  down: boolean;
  /** Jobs generated at the same time (a real server has 1). */
  workers: number;
  queueMaxsize: number;
  /** Added delay before each answer. */
  latencyMs: number;
  /** Where the server pretends to write audio. */
  outputDir: string;
  /** DiT models loaded (first is the default). */
  models: string[];
  lmModel: string;
  /** /create_random_sample has no examples (soft error). */
  examplesMissing: boolean;
  /** Port to listen on (0: any free port). */
  port: number;
}

export interface FakeUpload {
  filename: string;
  contentType?: string;
  data: Buffer;
}

export interface FakeJob {
  id: string;
  params: Record<string, unknown>;
  uploads: Record<string, FakeUpload>;
  submittedAt: number;
  /** When generation really starts (after queueing and any model load). */
  startAt: number;
  /** When the server marks the job done. */
  endAt: number;
  generationMs: number;
  fail: boolean;
  failReason: string;
  batchSize: number;
  ext: string;
  files: string[];
  seeds: number[];
}

export interface LoggedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface FakeServer {
  readonly url: string;
  readonly port: number;
  readonly options: Readonly<FakeOptions>;
  readonly jobs: FakeJob[];
  readonly requests: LoggedRequest[];
  close(): Promise<void>;
  /** Forgets every job (like a process restart) and listens again on the same port. */
  restart(): Promise<void>;
  setOptions(partial: Partial<FakeOptions>): Promise<void>;
  /** The state a job is in now. */
  jobState(id: string): 'queued' | 'running' | 'succeeded' | 'failed' | undefined;
  /** Registers a servable file; returns its `/v1/audio?path=` link. */
  addFile(path: string, size?: number): string;
  /** The bytes the server sends for a path it knows (small files only). */
  expectedBytes(path: string): Buffer;
}

const DEFAULTS: FakeOptions = {
  flavour: 'S',
  generationMs: 300,
  progressSteps: 10,
  apiKey: null,
  failNext: false,
  queueFull: false,
  plainText500: false,
  garbage: null,
  cutDownloadAt: null,
  audioBytes: 64 * 1024,
  lmLoaded: true,
  modelLoadMs: 0,
  down: false,
  workers: 1,
  queueMaxsize: 200,
  latencyMs: 0,
  outputDir: '',
  models: ['acestep-v15-turbo'],
  lmModel: 'acestep-5Hz-lm-1.7B',
  examplesMissing: false,
  port: 0,
};

const INITIAL_AVG_JOB_SECONDS = 5.0;
const AUDIO_TYPES: Record<string, string> = { mp3: 'audio/mpeg', wav: 'audio/wav', flac: 'audio/flac', ogg: 'audio/ogg' };
const KNOWN_EXT: Record<string, string> = { mp3: 'mp3', wav: 'wav', flac: 'flac', opus: 'opus', aac: 'aac', wav32: 'wav' };

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
};

/** Reads parameters from the top level, `param_obj` and `metas`, with the servers' aliases. */
class Params {
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

class HttpError extends Error {
  constructor(readonly status: number, readonly detail: unknown) {
    super(typeof detail === 'string' ? detail : 'http error');
  }
}
class PlainTextError extends Error {}

const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms));

function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Turns every value into one of the wrong type (for the 'wrong-types' garbage). */
function wrongTypes(v: unknown): unknown {
  if (v === null || v === undefined) return 17;
  if (v instanceof PyFloat) return String(v.value);
  if (Array.isArray(v)) return { items: v.length };
  switch (typeof v) {
    case 'string': return 42;
    case 'number': return String(v);
    case 'boolean': return 'yes';
    case 'object': return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, wrongTypes(x)]));
    default: return null;
  }
}

export async function startFakeAceStep(partial: Partial<FakeOptions> = {}): Promise<FakeServer> {
  const opts: FakeOptions = { ...DEFAULTS, ...partial };
  if (!opts.outputDir) {
    opts.outputDir = opts.flavour === 'G' ? `/app/gradio_outputs/api_${Math.floor(Date.now() / 1000)}` : '/app/.cache/acestep/tmp/api_audio';
  }
  const jobs: FakeJob[] = [];
  const requests: LoggedRequest[] = [];
  const files = new Map<string, PayloadSpec>();
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let workerFreeAt: number[] = [];
  let modelsLoaded = false;
  let blockedUntil = 0;
  let garbageUsed = 0;
  let lastLog = '';
  let port = opts.port;
  let listening = false;

  const now = () => Date.now();
  const isUpstream = () => opts.flavour === 'S' || opts.flavour === 'U';

  const wrap = (data: unknown, code = 200, error: string | null = null) =>
    ({ data, code, error, timestamp: now(), extra: null });

  const stateOf = (job: FakeJob, t = now()): 'queued' | 'running' | 'succeeded' | 'failed' => {
    if (t < job.startAt) return 'queued';
    if (t < job.endAt) return 'running';
    return job.fail ? 'failed' : 'succeeded';
  };

  const avgJobSeconds = (): number => {
    const t = now();
    const done = jobs.filter(j => j.endAt <= t).sort((a, b) => a.endAt - b.endAt).slice(-50);
    if (!done.length) return INITIAL_AVG_JOB_SECONDS;
    return done.reduce((s, j) => s + (j.endAt - j.startAt) / 1000, 0) / done.length;
  };

  const waitingCount = (t = now()) => jobs.filter(j => stateOf(j, t) === 'queued').length;

  // ---- auth -------------------------------------------------------------------------------------
  const keyRequired = () => opts.apiKey !== null && opts.apiKey !== undefined;
  const tokenOk = (token: string) => opts.apiKey !== '' && token === opts.apiKey;

  /** Like verify_token_from_request: body `ai_token` first, then the Authorization header. */
  const verifyBody = (body: Record<string, unknown>, authorization: string | undefined) => {
    if (!keyRequired()) return;
    const aiToken = body.ai_token;
    if (aiToken) {
      if (tokenOk(String(aiToken))) return;
      throw new HttpError(401, 'Invalid ai_token');
    }
    if (authorization) {
      const token = authorization.startsWith('Bearer ') ? authorization.slice(7) : authorization;
      if (tokenOk(token)) return;
      throw new HttpError(401, 'Invalid API key');
    }
    throw new HttpError(401, 'Missing ai_token or Authorization header');
  };

  /** Like verify_api_key (GET endpoints). */
  const verifyHeader = (authorization: string | undefined) => {
    if (!keyRequired()) return;
    if (!authorization) throw new HttpError(401, 'Missing Authorization header');
    const token = authorization.startsWith('Bearer ') ? authorization.slice(7) : authorization;
    if (!tokenOk(token)) throw new HttpError(401, 'Invalid API key');
  };

  // ---- responses --------------------------------------------------------------------------------
  const garbageFor = (endpoint: string): GarbageKind | null => {
    const g = opts.garbage;
    if (!g) return null;
    const spec: GarbageOption = typeof g === 'string' ? { kind: g } : g;
    if (spec.endpoints && !spec.endpoints.includes(endpoint)) return null;
    if (spec.times !== undefined && garbageUsed >= spec.times) return null;
    garbageUsed++;
    return spec.kind;
  };

  const sendRaw = (res: http.ServerResponse, status: number, body: string | Buffer, contentType: string) => {
    const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    res.writeHead(status, { server: 'uvicorn', 'content-length': buf.length, 'content-type': contentType });
    res.end(buf);
  };

  const sendJson = (res: http.ServerResponse, endpoint: string, status: number, value: unknown) => {
    const kind = garbageFor(endpoint);
    if (kind === 'html') {
      sendRaw(res, 200, '<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body><h1>It works!</h1><p>This is not the API you are looking for.</p></body></html>\n', 'text/html; charset=utf-8');
      return;
    }
    if (kind === 'wrong-types' && value && typeof value === 'object' && 'data' in (value as object)) {
      value = { ...(value as object), data: wrongTypes((value as { data: unknown }).data) };
    }
    let text = pyDumps(value, true);
    if (kind === 'truncated') text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    sendRaw(res, status, text, 'application/json');
  };

  // ---- result items -----------------------------------------------------------------------------
  const audioLink = (path: string) => `/v1/audio?path=${encodeURIComponent(path)}`;
  /** Python's urlencode (quote_plus): spaces become '+'. */
  const audioLinkG = (path: string) =>
    `/v1/audio?path=${encodeURIComponent(path).replace(/%20/g, '+').replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase())}`;

  const metasOf = (job: FakeJob) => {
    const p = new Params(job.params);
    const lm = p.bool('thinking') && opts.lmLoaded;
    const na = <T>(v: T | undefined, lmValue: unknown) => (v !== undefined && v !== '' ? v : lm ? lmValue : 'N/A');
    const duration = p.float('audio_duration');
    return {
      bpm: na(p.int('bpm'), 118),
      duration: duration !== undefined ? f(duration) : lm ? 187 : 'N/A',
      genres: 'N/A',
      keyscale: na(p.str('key_scale') || undefined, 'A minor'),
      timesignature: na(p.str('time_signature') || undefined, '4'),
      prompt: p.str('prompt'),
      lyrics: p.str('lyrics'),
    };
  };

  const generationInfo = (job: FakeJob) => {
    const per = job.generationMs / 1000 / Math.max(1, job.batchSize);
    return `**🎯 Average Time per Track: ${per.toFixed(2)}s** (${job.batchSize} track(s))\n\n` +
      `**⏱️ Time Costs:**\n  - DiT: ${(job.generationMs / 1000).toFixed(2)}s\n\n**🎲 Seeds:** ${job.seeds.join(',')}\n**🔢 Steps:** ${new Params(job.params).int('inference_steps') ?? 8}`;
  };

  const successItems = (job: FakeJob) => {
    const p = new Params(job.params);
    const lm = p.bool('thinking') && opts.lmLoaded;
    const prompt = p.str('prompt');
    const common = {
      prompt: lm && prompt ? `${prompt}, polished mix, wide stereo` : prompt,
      lyrics: p.str('lyrics'),
      metas: metasOf(job),
      generation_info: generationInfo(job),
      seed_value: job.seeds.join(','),
      lm_model: opts.lmModel,
      dit_model: opts.models.includes(p.str('model')) ? p.str('model') : opts.models[0],
    };
    const createTime = Math.floor(job.submittedAt / 1000);
    return job.files.map(path => ({
      file: audioLink(path), wave: '', status: 1, create_time: createTime, env: 'development',
      ...common,
      ...(isUpstream() ? { progress: f(1), stage: 'succeeded' } : {}),
    }));
  };

  const stageAt = (job: FakeJob, t: number): { progress: number; stage: string } => {
    const frac = Math.min(0.999, Math.max(0, (t - job.startAt) / Math.max(1, job.endAt - job.startAt)));
    const steps = Math.max(1, opts.progressSteps);
    const progress = Math.floor(frac * steps) / steps;
    const stage = frac < 0.1 ? 'Preparing inputs...' : frac < 0.85 ? `Generating music (batch size: ${job.batchSize})...` : 'Decoding audio...';
    return { progress, stage };
  };

  const resultFor = (id: string) => {
    const job = jobs.find(j => j.id === id);
    if (!job) return { task_id: id, result: '[]', status: 0 };
    const t = now();
    const state = stateOf(job, t);
    const createTime = Math.floor(job.submittedAt / 1000);
    let items: unknown[];
    let status: number;
    switch (state) {
      case 'succeeded': status = 1; items = successItems(job); break;
      case 'failed':
        status = 2;
        items = [opts.flavour === 'W'
          ? { file: '', wave: '', status: 2, create_time: createTime, env: 'development', error: job.failReason }
          : opts.flavour === 'U'
            ? { file: '', wave: '', status: 2, create_time: createTime, env: 'development', progress: f(0), stage: 'failed', error: null }
            : { file: '', wave: '', status: 2, create_time: createTime, env: 'development', progress: f(0), stage: 'failed' }];
        break;
      case 'running':
        status = 0;
        if (isUpstream()) {
          const { progress, stage } = stageAt(job, t);
          items = [{ file: '', wave: '', status: 0, create_time: createTime, env: 'development', progress: f(progress), stage }];
          break;
        }
        items = [{ file: '', wave: '', status: 0, create_time: createTime, env: 'development', prompt: '', lyrics: '', metas: {}, error: null }];
        break;
      default:
        status = 0;
        items = [isUpstream()
          ? { file: '', wave: '', status: 0, create_time: createTime, env: 'development', prompt: '', lyrics: '', metas: {}, progress: f(0), stage: 'queued', error: null }
          : { file: '', wave: '', status: 0, create_time: createTime, env: 'development', prompt: '', lyrics: '', metas: {}, error: null }];
    }
    const entry: Record<string, unknown> = { task_id: id, result: pyDumps(items), status };
    if (isUpstream()) entry.progress_text = progressText(t);
    return entry;
  };

  const progressText = (t: number): string => {
    const running = jobs.filter(j => stateOf(j, t) === 'running').sort((a, b) => b.startAt - a.startAt)[0];
    if (running) {
      const steps = new Params(running.params).int('inference_steps') ?? 8;
      const done = Math.min(steps, Math.floor(((t - running.startAt) / Math.max(1, running.endAt - running.startAt)) * steps));
      const pct = Math.floor((done / steps) * 100);
      const bar = '█'.repeat(Math.floor(pct / 10)).padEnd(10, ' ');
      lastLog = `${String(pct).padStart(3)}%|${bar}| ${done}/${steps} [00:0${Math.min(9, Math.floor((t - running.startAt) / 1000))}<00:00,  2.61it/s]`;
    }
    return lastLog;
  };

  // ---- job creation -----------------------------------------------------------------------------
  const createJob = (raw: Record<string, unknown>, uploads: Record<string, FakeUpload>): FakeJob => {
    const p = new Params(raw);
    const t = now();
    const id = randomUUID();
    const generationMs = typeof opts.generationMs === 'function' ? opts.generationMs(raw) : opts.generationMs;
    const batchSize = Math.min(8, Math.max(1, p.int('batch_size') ?? 2));
    let format = p.str('audio_format', 'mp3').toLowerCase();
    if (opts.flavour !== 'U' && !['mp3', 'wav', 'flac'].includes(format)) format = 'flac';
    const ext = KNOWN_EXT[format] ?? 'flac';
    const needsLm = p.bool('thinking') || p.bool('use_format') || p.bool('sample_mode') || !!p.str('sample_query').trim();
    let fail = false;
    let failReason = '';
    if (opts.failNext) {
      fail = true;
      opts.failNext = typeof opts.failNext === 'number' && opts.failNext > 1 ? opts.failNext - 1 : false;
      failReason = 'Traceback (most recent call last):\n  File "/app/acestep/api_server.py", line 1499, in _run_one_job\n    result = await loop.run_in_executor(executor, _blocking_generate)\n  File "/app/acestep/api_server.py", line 1407, in _blocking_generate\n    raise RuntimeError(f"Music generation failed: {result.error or result.status_message}")\nRuntimeError: Music generation failed: CUDA out of memory. Tried to allocate 2.00 GiB\n';
    } else if (needsLm && !opts.lmLoaded) {
      fail = true;
      failReason = 'Traceback (most recent call last):\n  File "/app/acestep/api_server.py", line 1499, in _run_one_job\n    result = await loop.run_in_executor(executor, _blocking_generate)\n  File "/app/acestep/api_server.py", line 1262, in _blocking_generate\n    raise RuntimeError("LLM is not initialized; thinking/format/sample mode needs it")\nRuntimeError: LLM is not initialized; thinking/format/sample mode needs it\n';
    }
    // Seeds: W and S ignore `seed`; U and G honour it when use_random_seed is false.
    const seedParam = p.int('seed') ?? -1;
    const honour = (opts.flavour === 'U' || opts.flavour === 'G') && !p.bool('use_random_seed', true) && seedParam >= 0;
    const base = honour ? seedParam : hash32(id) % 4_000_000_000;
    const seeds = Array.from({ length: batchSize }, (_, i) => base + i);
    // Schedule on the worker that frees up first.
    while (workerFreeAt.length < Math.max(1, opts.workers)) workerFreeAt.push(0);
    let w = 0;
    for (let i = 1; i < workerFreeAt.length; i++) if (workerFreeAt[i] < workerFreeAt[w]) w = i;
    let startAt = Math.max(t, workerFreeAt[w]);
    if (opts.flavour === 'U' && !modelsLoaded) {
      modelsLoaded = true;
      if (opts.modelLoadMs > 0) {
        blockedUntil = Math.max(blockedUntil, startAt + opts.modelLoadMs);
        startAt += opts.modelLoadMs;
      }
    }
    const endAt = startAt + Math.max(0, generationMs);
    workerFreeAt[w] = endAt;
    const job: FakeJob = {
      id, params: raw, uploads, submittedAt: t, startAt, endAt, generationMs, fail, failReason, batchSize, ext,
      files: fail ? [] : seeds.map((_, i) => `${opts.outputDir}/${hash32(id + i).toString(16).padStart(8, '0')}-${id.slice(0, 8)}-take${i}.${ext}`),
      seeds,
    };
    for (const path of job.files) files.set(path, { path, size: opts.audioBytes, ext });
    jobs.push(job);
    lastLog = `Job ${id} queued`;
    return job;
  };

  // ---- request bodies ---------------------------------------------------------------------------
  const readBody = (req: http.IncomingMessage) => new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

  /** What FastAPI handlers do with `await request.json()` / `await request.form()`. */
  const parseFields = (contentType: string, raw: Buffer): { fields: Record<string, unknown>; uploads: Record<string, FakeUpload> } => {
    const ct = contentType.toLowerCase();
    if (ct.startsWith('multipart/form-data')) {
      const boundary = boundaryOf(contentType);
      if (!boundary) throw new PlainTextError();
      const fields: Record<string, unknown> = {};
      const uploads: Record<string, FakeUpload> = {};
      for (const part of parseMultipart(raw, boundary)) {
        if (part.filename !== undefined) uploads[part.name] = { filename: part.filename, contentType: part.contentType, data: part.data };
        else fields[part.name] = part.data.toString('utf8');
      }
      return { fields, uploads };
    }
    if (ct.includes('json') || (!ct && /^\s*[[{]/.test(raw.toString('utf8')))) {
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        if (!ct) throw new HttpError(400, "Invalid JSON body (hint: set 'Content-Type: application/json')");
        throw new PlainTextError();
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'JSON payload must be an object');
      return { fields: body as Record<string, unknown>, uploads: {} };
    }
    if (ct.startsWith('application/x-www-form-urlencoded') || (!ct && raw.includes('='))) {
      return { fields: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))), uploads: {} };
    }
    throw new HttpError(415, `Unsupported Content-Type: ${ct || '(missing)'}; use application/json, application/x-www-form-urlencoded, or multipart/form-data`);
  };

  // ---- endpoints --------------------------------------------------------------------------------
  const health = () => {
    const data: Record<string, unknown> = {
      status: 'ok',
      service: opts.flavour === 'G' ? 'ACE-Step Gradio API' : 'ACE-Step API',
      version: '1.0',
    };
    if (opts.flavour === 'U') {
      Object.assign(data, {
        models_initialized: modelsLoaded && now() >= blockedUntil,
        llm_initialized: opts.lmLoaded && modelsLoaded && now() >= blockedUntil,
        loaded_model: opts.models[0],
        loaded_lm_model: opts.lmLoaded ? opts.lmModel : null,
        gpus: [{ index: 0, name: 'NVIDIA GeForce RTX 4090', total_memory_gb: f(23.99) }],
        gpu_mapping: { dit: 0, lm: 0 },
        device_map: { dit: 'cuda:0', lm: 'cuda:0', vae: 'cuda:0' },
      });
    }
    return wrap(data);
  };

  const openRouterModels = () => {
    const created = Math.floor(now() / 1000) - 86400 * 30;
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
  };

  const inventory = () => ({
    models: [...opts.models].sort().map(name => ({
      name, is_default: name === opts.models[0], is_loaded: true,
      supported_task_types: ['text2music', 'repaint', 'cover'],
    })),
    default_model: opts.models[0],
    lm_models: [{ name: opts.lmModel, is_loaded: opts.lmLoaded }],
    loaded_lm_model: opts.lmLoaded ? opts.lmModel : null,
    llm_initialized: opts.lmLoaded,
    gpus: [{ index: 0, name: 'NVIDIA GeForce RTX 4090', total_memory_gb: f(23.99) }],
    gpu_mapping: { dit: 0, lm: 0 },
    device_map: { dit: 'cuda:0', lm: 'cuda:0', vae: 'cuda:0' },
  });

  const stats = () => {
    const t = now();
    const counts = { total: jobs.length, queued: 0, running: 0, succeeded: 0, failed: 0 };
    for (const j of jobs) counts[stateOf(j, t)]++;
    return wrap({ jobs: counts, queue_size: waitingCount(t), queue_maxsize: opts.queueMaxsize, avg_job_seconds: f(avgJobSeconds()) });
  };

  const releaseTask = async (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer) => {
    const { fields, uploads } = parseFields(req.headers['content-type'] ?? '', raw);
    verifyBody(fields, req.headers.authorization);
    const p = new Params(fields);
    if (opts.flavour === 'G') return releaseTaskG(res, fields, p);
    const backend = p.str('lm_backend', 'vllm');
    const backends = opts.flavour === 'W' ? ['vllm', 'pt'] : ['vllm', 'pt', 'mlx'];
    if (opts.plainText500 || !backends.includes(backend)) throw new PlainTextError();
    const named: Record<string, FakeUpload> = {};
    const ref = uploads.ref_audio ?? uploads.reference_audio;
    const src = uploads.ctx_audio ?? uploads.src_audio;
    if (ref) named.reference_audio = ref;
    if (src) named.src_audio = src;
    if (opts.queueFull || waitingCount() >= opts.queueMaxsize) throw new HttpError(429, 'Server busy: queue is full');
    const position = waitingCount() + 1;
    const job = createJob(fields, named);
    sendJson(res, '/release_task', 200, wrap({ task_id: job.id, status: 'queued', queue_position: position }));
  };

  /** G: the whole generation runs inside the request (and blocks the server's event loop). */
  const releaseTaskG = async (res: http.ServerResponse, fields: Record<string, unknown>, p: Params) => {
    if ((p.bool('sample_mode') || p.str('sample_query').trim()) && !opts.lmLoaded) {
      throw new HttpError(500, 'sample_mode requires LLM to be initialized');
    }
    const job = createJob(fields, {});
    blockedUntil = Math.max(blockedUntil, job.endAt);
    await new Promise<void>(resolve => {
      const timer = setTimeout(() => { timers.delete(timer); resolve(); }, Math.max(0, job.endAt - now()));
      timers.add(timer);
    });
    if (job.fail) throw new HttpError(500, 'Music generation failed: CUDA out of memory. Tried to allocate 2.00 GiB');
    sendJson(res, '/release_task', 200, wrap({ task_id: job.id, status: 'succeeded' }));
  };

  const queryResult = (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer) => {
    const { fields } = parseFields(req.headers['content-type'] ?? 'application/x-www-form-urlencoded', raw);
    verifyBody(fields, req.headers.authorization);
    let ids: unknown = fields.task_id_list ?? (opts.flavour === 'G' ? [] : '[]');
    if (typeof ids === 'string') {
      try { ids = JSON.parse(ids); } catch { ids = []; }
    }
    const list = Array.isArray(ids) ? ids.map(String) : [];
    let data: unknown[];
    if (opts.flavour === 'G') {
      data = list.map(id => {
        const job = jobs.find(j => j.id === id);
        if (job && stateOf(job) === 'succeeded') {
          const items = job.files.map(path => ({ file: path, url: audioLinkG(path), status: 1, create_time: Math.floor(job.endAt / 1000) }));
          return { task_id: id, status: 1, result: pyDumps(items) };
        }
        return { task_id: id, status: 0, result: '[]' };
      });
    } else {
      data = list.map(resultFor);
    }
    sendJson(res, '/query_result', 200, wrap(data));
  };

  const audio = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    verifyHeader(req.headers.authorization);
    const path = url.searchParams.get('path');
    if (path === null) {
      throw new HttpError(422, [{ type: 'missing', loc: ['query', 'path'], msg: 'Field required', input: null }]);
    }
    const spec = files.get(path);
    if (isUpstream() && !path.startsWith(opts.outputDir + '/')) throw new HttpError(403, 'Access denied: path outside allowed directory');
    if (!spec) throw new HttpError(404, opts.flavour === 'W' || opts.flavour === 'G' ? `Audio file not found: ${path}` : 'Audio file not found');
    const dot = path.lastIndexOf('.');
    const type = AUDIO_TYPES[path.slice(dot + 1).toLowerCase()] ?? 'audio/mpeg';
    res.writeHead(200, {
      server: 'uvicorn',
      'content-type': type,
      'accept-ranges': 'bytes',
      'content-length': spec.size,
      'last-modified': new Date(jobs[0]?.submittedAt ?? now()).toUTCString(),
      etag: `"${hash32(path).toString(16)}-${spec.size}"`,
    });
    let cutAt = Infinity;
    const cut = opts.cutDownloadAt;
    if (cut !== null && cut !== undefined) {
      const spec2: CutOption = typeof cut === 'number' ? { bytes: cut } : cut;
      cutAt = spec2.bytes;
      if (!spec2.always) opts.cutDownloadAt = null;
    }
    streamPayload(res, spec, cutAt);
  };

  const streamPayload = (res: http.ServerResponse, spec: PayloadSpec, cutAt: number) => {
    const CHUNK = 256 * 1024;
    let offset = 0;
    const pump = () => {
      while (offset < spec.size) {
        if (offset >= cutAt) {
          res.socket?.destroy();
          return;
        }
        const n = Math.min(CHUNK, spec.size - offset, cutAt - offset);
        const buf = Buffer.allocUnsafe(n);
        fillPayload(spec, offset, buf);
        offset += n;
        if (offset >= cutAt) {
          // Make sure the partial body reaches the client before the connection drops.
          res.write(buf, () => res.socket?.destroy());
          return;
        }
        if (!res.write(buf)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    res.on('close', () => { offset = Math.max(offset, spec.size); });
    pump();
  };

  const formatInput = (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer) => {
    const { fields } = parseFields(req.headers['content-type'] ?? '', raw);
    if (opts.flavour === 'G') {
      if (!opts.lmLoaded) return sendJson(res, '/format_input', 200, wrap(null, 500, 'LLM not initialized'));
      verifyBody(fields, req.headers.authorization);
    } else {
      verifyBody(fields, req.headers.authorization);
      if (!opts.lmLoaded) throw new HttpError(503, 'LLM not initialized. Set ACESTEP_INIT_LLM=true in .env to enable.');
    }
    const prompt = String(fields.prompt ?? '');
    const lyrics = String(fields.lyrics ?? '');
    if (!prompt.trim() && !lyrics.trim()) {
      return sendJson(res, '/format_input', 200, wrap(null, 500, 'format_sample failed: caption and lyrics are both empty'));
    }
    let po: Record<string, unknown> = {};
    if (opts.flavour !== 'G') {
      const v = fields.param_obj;
      if (v && typeof v === 'object') po = v as Record<string, unknown>;
      else if (typeof v === 'string' && v) { try { po = JSON.parse(v); } catch { po = {}; } }
    }
    const duration = po.duration !== undefined ? Number(po.duration) : undefined;
    sendJson(res, '/format_input', 200, wrap({
      caption: prompt ? `${prompt}, with a warm analog mix and a driving bassline` : 'an upbeat pop song',
      lyrics: lyrics || '[Verse]\nLa la la',
      bpm: po.bpm !== undefined ? Number(po.bpm) : 120,
      key_scale: String(po.key ?? po.key_scale ?? 'C major'),
      time_signature: String(po.time_signature ?? fields.time_signature ?? '4'),
      duration: duration !== undefined && Number.isFinite(duration) ? f(duration) : 180,
      vocal_language: String(po.language || 'en'),
    }));
  };

  const randomSample = (req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer) => {
    const { fields } = parseFields(req.headers['content-type'] ?? '', raw);
    verifyBody(fields, req.headers.authorization);
    if (opts.examplesMissing) return sendJson(res, '/create_random_sample', 200, wrap(null, 500, 'No example data available'));
    const type = String(fields.sample_type || 'simple_mode');
    const data = type === 'simple_mode'
      ? { description: 'A melancholic indie folk ballad about leaving home, fingerpicked guitar and soft male vocals', instrumental: false, vocal_language: 'en' }
      : {
        think: true, caption: 'energetic synthwave with pulsing arpeggios and retro drums',
        lyrics: '[Verse]\nNeon rivers in the night\n[Chorus]\nWe run, we run', bpm: 118, duration: 180,
        keyscale: 'A minor', language: 'en', timesignature: '4',
      };
    sendJson(res, '/create_random_sample', 200, wrap(data));
  };

  // ---- dispatch ---------------------------------------------------------------------------------
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers, body: raw.toString('utf8'), at: now() });
    if (opts.latencyMs > 0) await sleep(opts.latencyMs);
    const wait = blockedUntil - now();
    if (wait > 0) await sleep(wait);
    const route = `${req.method} ${url.pathname}`;
    const endpoint = url.pathname;
    try {
      switch (route) {
        case 'GET /health': return sendJson(res, endpoint, 200, health());
        case 'POST /release_task': return await releaseTask(req, res, raw);
        case 'POST /query_result': return queryResult(req, res, raw);
        case 'GET /v1/audio': return audio(req, res, url);
        case 'GET /v1/models':
          if (isUpstream()) return sendJson(res, endpoint, 200, openRouterModels());
          verifyHeader(req.headers.authorization);
          return sendJson(res, endpoint, 200, wrap({
            models: opts.models.map((name, i) => ({ name, is_default: i === 0 })),
            default_model: opts.models[0] ?? null,
          }));
        case 'GET /v1/model_inventory':
          if (opts.flavour !== 'U') throw new HttpError(404, 'Not Found');
          verifyHeader(req.headers.authorization);
          return sendJson(res, endpoint, 200, wrap(inventory()));
        case 'GET /v1/stats':
          if (opts.flavour === 'G') throw new HttpError(404, 'Not Found');
          verifyHeader(req.headers.authorization);
          return sendJson(res, endpoint, 200, stats());
        case 'POST /format_input': return formatInput(req, res, raw);
        case 'POST /create_random_sample': return randomSample(req, res, raw);
      }
      const known = ['/health', '/release_task', '/query_result', '/v1/audio', '/v1/models', '/v1/stats', '/format_input', '/create_random_sample'];
      if (known.includes(url.pathname)) throw new HttpError(405, 'Method Not Allowed');
      throw new HttpError(404, 'Not Found');
    } catch (e) {
      if (res.headersSent) { res.destroy(); return; }
      if (e instanceof HttpError) return sendJson(res, endpoint, e.status, { detail: e.detail });
      return sendRaw(res, 500, 'Internal Server Error', 'text/plain; charset=utf-8');
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => { try { res.destroy(); } catch { /* gone */ } });
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', s => { sockets.add(s); s.on('close', () => sockets.delete(s)); });

  const listen = () => new Promise<void>((resolve, reject) => {
    if (listening) return resolve();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      port = (server.address() as AddressInfo).port;
      listening = true;
      resolve();
    });
  });
  const unlisten = () => new Promise<void>(resolve => {
    if (!listening) return resolve();
    listening = false;
    server.close(() => resolve());
    for (const s of sockets) s.destroy();
    server.closeAllConnections();
  });

  let upTimer: NodeJS.Timeout | undefined;
  const comeUpLater = (ms: number) => {
    if (upTimer) clearTimeout(upTimer);
    upTimer = setTimeout(() => { upTimer = undefined; if (!opts.down) void listen(); }, ms);
  };

  await listen(); // reserves the port
  if (opts.down) await unlisten();
  else if ((opts.flavour === 'W' || opts.flavour === 'S') && opts.modelLoadMs > 0) {
    await unlisten();
    comeUpLater(opts.modelLoadMs);
  }

  const fake: FakeServer = {
    get url() { return `http://127.0.0.1:${port}`; },
    get port() { return port; },
    options: opts,
    jobs,
    requests,
    async close() {
      if (upTimer) clearTimeout(upTimer);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      opts.down = true;
      await unlisten();
    },
    async restart() {
      await unlisten();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      jobs.length = 0;
      files.clear();
      workerFreeAt = [];
      modelsLoaded = false;
      blockedUntil = 0;
      lastLog = '';
      if (opts.down) return;
      if ((opts.flavour === 'W' || opts.flavour === 'S') && opts.modelLoadMs > 0) comeUpLater(opts.modelLoadMs);
      else await listen();
    },
    async setOptions(p: Partial<FakeOptions>) {
      const wasDown = opts.down;
      Object.assign(opts, p);
      if ('garbage' in p) garbageUsed = 0;
      if (opts.down && !wasDown) await unlisten();
      else if (!opts.down && wasDown) await listen();
    },
    jobState(id: string) {
      const job = jobs.find(j => j.id === id);
      return job ? stateOf(job) : undefined;
    },
    addFile(path: string, size = opts.audioBytes) {
      const dot = path.lastIndexOf('.');
      files.set(path, { path, size, ext: dot >= 0 ? path.slice(dot + 1).toLowerCase() : 'mp3' });
      return opts.flavour === 'G' ? audioLinkG(path) : audioLink(path);
    },
    expectedBytes(path: string) {
      const spec = files.get(path);
      if (!spec) throw new Error(`the fake server has no file ${path}`);
      return payloadBytes(spec);
    },
  };
  return fake;
}
