// Hand-written validators: every answer is checked here, at the edge, and turned into the types of
// types.ts. Anything that does not match (HTML, truncated JSON, wrong types) becomes an
// AceStepError of kind 'bad-response' naming the endpoint.
import { AceStepError } from './errors';
import type {
  FormatResult, HealthInfo, ModelInfo, ModelInventory, RandomSample, ReleaseAnswer, ResultItem, ResultMetas,
  ServerStats, TaskStatus,
} from './types';

type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(endpoint: string, what: string): AceStepError {
  return new AceStepError('bad-response', `The server's answer to ${endpoint} is not what the ACE-Step API sends: ${what}.`, { endpoint });
}

/** A short, single-line description of a body that is not JSON. */
export function describeBody(text: string): string {
  const t = text.trim();
  if (!t) return 'an empty body';
  if (/^<(!doctype|html|head|body)/i.test(t)) {
    const title = /<title>([^<]{0,120})<\/title>/i.exec(t)?.[1]?.trim();
    return `an HTML page${title ? ` ("${title}")` : ''}`;
  }
  const oneLine = t.replace(/\s+/g, ' ');
  return `"${oneLine.length > 120 ? oneLine.slice(0, 117) + '...' : oneLine}"`;
}

/** `clean` makes the server's text safe to show (classify.ts); the body is quoted in the error only through it. */
export function parseJsonText(text: string, endpoint: string, clean: (text: string) => string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const t = text.trim();
    if (/^[[{]/.test(t)) throw bad(endpoint, `the JSON is cut off or malformed (${t.length} characters)`);
    throw bad(endpoint, `expected JSON, got ${describeBody(clean(text))}`);
  }
}

export interface Envelope {
  data: unknown;
  code: number;
  error: string | null;
}

/** `{"data", "code", "error", "timestamp", "extra"}`. */
export function parseEnvelope(value: unknown, endpoint: string): Envelope {
  if (!isObj(value)) throw bad(endpoint, 'expected a JSON object');
  if (!('data' in value)) throw bad(endpoint, 'no "data" field');
  const code = value.code;
  if (code !== undefined && typeof code !== 'number') throw bad(endpoint, '"code" is not a number');
  const error = value.error;
  if (error !== undefined && error !== null && typeof error !== 'string') throw bad(endpoint, '"error" is not text');
  return { data: value.data, code: typeof code === 'number' ? code : 200, error: typeof error === 'string' ? error : null };
}

// ---- small typed readers -------------------------------------------------------------------------

function optStr(o: Obj, key: string, endpoint: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw bad(endpoint, `"${key}" is not text`);
  return v;
}

function reqStr(o: Obj, key: string, endpoint: string): string {
  const v = optStr(o, key, endpoint);
  if (v === undefined) throw bad(endpoint, `"${key}" is missing`);
  return v;
}

function optNum(o: Obj, key: string, endpoint: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(endpoint, `"${key}" is not a number`);
  return v;
}

function optBool(o: Obj, key: string, endpoint: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw bad(endpoint, `"${key}" is not true/false`);
  return v;
}

/** Values that may be a number, a numeric string, "N/A", "" or null. */
function looseNum(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const t = v.trim();
    if (!t || t.toUpperCase() === 'N/A') return null;
    const n = Number(t);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function looseStr(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') {
    const t = v.trim();
    return !t || t.toUpperCase() === 'N/A' ? null : v;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

// ---- endpoint answers ----------------------------------------------------------------------------

export function parseHealth(data: unknown, endpoint = '/health'): HealthInfo {
  if (!isObj(data)) throw bad(endpoint, '"data" is not an object');
  const out: HealthInfo = {
    status: reqStr(data, 'status', endpoint),
    service: optStr(data, 'service', endpoint) ?? '',
    version: looseStr(data.version) ?? '',
  };
  if ('models_initialized' in data) out.modelsInitialized = optBool(data, 'models_initialized', endpoint);
  if ('llm_initialized' in data) out.llmInitialized = optBool(data, 'llm_initialized', endpoint);
  if ('loaded_model' in data) out.loadedModel = optStr(data, 'loaded_model', endpoint) ?? null;
  if ('loaded_lm_model' in data) out.loadedLmModel = optStr(data, 'loaded_lm_model', endpoint) ?? null;
  return out;
}

/** W/G wrapped `{models:[{name,is_default}], default_model}`, U's inventory, or S/U's OpenAI list. */
export function parseModels(body: unknown, endpoint = '/v1/models'): { models: ModelInfo[]; defaultModel: string | null; shape: 'wrapped' | 'openai' } {
  if (isObj(body) && body.object === 'list' && Array.isArray(body.data)) {
    const models = body.data.map((m, i): ModelInfo => {
      if (!isObj(m)) throw bad(endpoint, `model ${i} is not an object`);
      const id = reqStr(m, 'id', endpoint);
      return { id, name: id.includes('/') ? id.slice(id.indexOf('/') + 1) : id };
    });
    return { models, defaultModel: models[0]?.name ?? null, shape: 'openai' };
  }
  if (isObj(body) && 'data' in body) {
    const env = parseEnvelope(body, endpoint);
    if (!isObj(env.data) || !Array.isArray(env.data.models)) throw bad(endpoint, '"data.models" is not a list');
    const models = env.data.models.map((m, i): ModelInfo => {
      if (!isObj(m)) throw bad(endpoint, `model ${i} is not an object`);
      const info: ModelInfo = { name: reqStr(m, 'name', endpoint) };
      const d = optBool(m, 'is_default', endpoint);
      if (d !== undefined) info.isDefault = d;
      const l = optBool(m, 'is_loaded', endpoint);
      if (l !== undefined) info.isLoaded = l;
      return info;
    });
    const dflt = optStr(env.data, 'default_model', endpoint) ?? models.find(m => m.isDefault)?.name ?? null;
    return { models, defaultModel: dflt, shape: 'wrapped' };
  }
  throw bad(endpoint, 'neither a model list nor an ACE-Step envelope');
}

export function parseInventory(data: unknown, endpoint = '/v1/model_inventory'): ModelInventory {
  if (!isObj(data)) throw bad(endpoint, '"data" is not an object');
  const { models, defaultModel } = parseModels({ data }, endpoint);
  const lm = Array.isArray(data.lm_models) ? data.lm_models : [];
  return {
    models,
    defaultModel,
    lmModels: lm.filter(isObj).map(m => ({ name: reqStr(m, 'name', endpoint), isLoaded: optBool(m, 'is_loaded', endpoint) ?? false })),
    loadedLmModel: optStr(data, 'loaded_lm_model', endpoint) ?? null,
    llmInitialized: optBool(data, 'llm_initialized', endpoint) ?? null,
  };
}

export function parseStats(data: unknown, endpoint = '/v1/stats'): ServerStats {
  if (!isObj(data)) throw bad(endpoint, '"data" is not an object');
  const jobs = data.jobs;
  if (!isObj(jobs)) throw bad(endpoint, '"jobs" is not an object');
  const n = (o: Obj, k: string) => optNum(o, k, endpoint) ?? 0;
  return {
    jobs: { total: n(jobs, 'total'), queued: n(jobs, 'queued'), running: n(jobs, 'running'), succeeded: n(jobs, 'succeeded'), failed: n(jobs, 'failed') },
    queueSize: n(data, 'queue_size'),
    queueMaxsize: n(data, 'queue_maxsize'),
    avgJobSeconds: n(data, 'avg_job_seconds'),
  };
}

export function parseRelease(data: unknown, endpoint = '/release_task'): Omit<ReleaseAnswer, 'warnings'> {
  if (!isObj(data)) throw bad(endpoint, '"data" is not an object');
  const taskId = reqStr(data, 'task_id', endpoint);
  if (!taskId) throw bad(endpoint, '"task_id" is empty');
  const out: Omit<ReleaseAnswer, 'warnings'> = { taskId, status: optStr(data, 'status', endpoint) ?? 'queued' };
  const pos = optNum(data, 'queue_position', endpoint);
  if (pos !== undefined) out.queuePosition = pos;
  return out;
}

function parseMetas(v: unknown): ResultMetas {
  if (!isObj(v)) return {};
  const out: ResultMetas = {};
  if ('bpm' in v) out.bpm = looseNum(v.bpm);
  if ('duration' in v) out.duration = looseNum(v.duration);
  if ('genres' in v) out.genres = looseStr(v.genres);
  if ('keyscale' in v) out.keyscale = looseStr(v.keyscale);
  if ('timesignature' in v) out.timesignature = looseStr(v.timesignature);
  if (typeof v.prompt === 'string') out.prompt = v.prompt;
  if (typeof v.lyrics === 'string') out.lyrics = v.lyrics;
  return out;
}

export function parseSeeds(seedValue: unknown): number[] {
  if (typeof seedValue === 'number' && Number.isInteger(seedValue)) return [seedValue];
  if (typeof seedValue !== 'string') return [];
  return seedValue.split(',').map(s => s.trim()).filter(s => /^-?\d+$/.test(s)).map(Number);
}

/** The `path=` value of a `/v1/audio?path=` link, or a raw path. */
export function serverPathOf(link: string): string | undefined {
  if (!link) return undefined;
  const q = link.indexOf('?');
  if (q >= 0) {
    try {
      const p = new URLSearchParams(link.slice(q + 1)).get('path');
      if (p) return p;
    } catch { /* fall through */ }
  }
  return link.startsWith('/v1/') || /^https?:/i.test(link) ? undefined : link;
}

function parseItem(o: Obj, index: number, endpoint: string): ResultItem {
  const file = typeof o.file === 'string' ? o.file : '';
  const url = typeof o.url === 'string' && o.url ? o.url : undefined;
  let link = '';
  if (url) link = url;
  else if (file.startsWith('/v1/') || /^https?:\/\//i.test(file)) link = file;
  else if (file) link = `/v1/audio?path=${encodeURIComponent(file)}`;
  if (o.file !== undefined && o.file !== null && typeof o.file !== 'string') throw bad(endpoint, `result item ${index}: "file" is not text`);
  const item: ResultItem = {
    file,
    link,
    metas: parseMetas(o.metas),
    seeds: parseSeeds(o.seed_value),
    raw: o,
  };
  if (url) item.url = url;
  const sp = url ? (typeof o.file === 'string' && o.file ? o.file : serverPathOf(url)) : serverPathOf(file);
  if (sp) item.serverPath = sp;
  if (typeof o.prompt === 'string') item.prompt = o.prompt;
  if (typeof o.lyrics === 'string') item.lyrics = o.lyrics;
  if (typeof o.generation_info === 'string') item.generationInfo = o.generation_info;
  if (typeof o.seed_value === 'string') item.seedValue = o.seed_value;
  if (typeof o.lm_model === 'string') item.lmModel = o.lm_model;
  if (typeof o.dit_model === 'string') item.ditModel = o.dit_model;
  if (typeof o.create_time === 'number') item.createTime = o.create_time;
  return item;
}

/** One entry of /query_result's data list; `result` is a JSON string. */
export function parseTaskEntry(entry: unknown, index: number, endpoint = '/query_result'): TaskStatus {
  if (!isObj(entry)) throw bad(endpoint, `entry ${index} is not an object`);
  const taskId = reqStr(entry, 'task_id', endpoint);
  const rawStatus = entry.status;
  if (rawStatus !== 0 && rawStatus !== 1 && rawStatus !== 2) throw bad(endpoint, `entry ${index}: "status" is ${JSON.stringify(rawStatus)}, not 0, 1 or 2`);
  const resultText = entry.result;
  let list: unknown;
  if (typeof resultText === 'string') {
    try {
      list = JSON.parse(resultText);
    } catch {
      throw bad(endpoint, `entry ${index}: "result" is not valid JSON`);
    }
  } else if (Array.isArray(resultText)) {
    list = resultText; // be lenient with servers that send the list itself
  } else if (resultText === undefined || resultText === null) {
    list = [];
  } else {
    throw bad(endpoint, `entry ${index}: "result" is neither a JSON string nor a list`);
  }
  if (!Array.isArray(list)) list = isObj(list) ? [list] : [];
  const objs = (list as unknown[]).filter(isObj);
  const status = rawStatus as 0 | 1 | 2;
  const out: TaskStatus = { taskId, status, unknown: status === 0 && objs.length === 0, items: [] };
  if (typeof entry.progress_text === 'string') out.progressText = entry.progress_text;
  const first = objs[0];
  if (first) {
    if (typeof first.progress === 'number' && Number.isFinite(first.progress)) out.progress = Math.max(0, Math.min(1, first.progress));
    if (typeof first.stage === 'string' && first.stage) out.stage = first.stage;
    if (typeof first.error === 'string' && first.error) out.error = first.error;
  }
  if (status === 1) {
    out.items = objs.map((o, i) => parseItem(o, i, endpoint)).filter(it => it.link);
    const seeds = out.items[0]?.seeds ?? [];
    if (seeds.length === out.items.length) out.items.forEach((it, i) => { it.seed = seeds[i]; });
  }
  return out;
}

export function parseQueryResult(data: unknown, endpoint = '/query_result'): TaskStatus[] {
  if (!Array.isArray(data)) throw bad(endpoint, '"data" is not a list');
  return data.map((e, i) => parseTaskEntry(e, i, endpoint));
}

export function parseFormat(data: unknown, endpoint = '/format_input'): FormatResult {
  if (!isObj(data)) throw bad(endpoint, '"data" is not an object');
  return {
    caption: optStr(data, 'caption', endpoint) ?? '',
    lyrics: optStr(data, 'lyrics', endpoint) ?? '',
    bpm: looseNum(data.bpm),
    keyScale: looseStr(data.key_scale),
    timeSignature: looseStr(data.time_signature),
    duration: looseNum(data.duration),
    vocalLanguage: looseStr(data.vocal_language),
  };
}

export function parseRandomSample(data: unknown, endpoint = '/create_random_sample'): RandomSample {
  if (!isObj(data)) throw bad(endpoint, '"data" is not an object');
  if (typeof data.description === 'string' && !('caption' in data)) {
    return {
      kind: 'simple',
      description: data.description,
      instrumental: data.instrumental === true || data.instrumental === 'true',
      vocalLanguage: looseStr(data.vocal_language ?? data.language),
      raw: data,
    };
  }
  if (typeof data.caption !== 'string' && typeof data.prompt !== 'string') throw bad(endpoint, 'neither "description" nor "caption"');
  return {
    kind: 'custom',
    caption: typeof data.caption === 'string' ? data.caption : String(data.prompt),
    lyrics: typeof data.lyrics === 'string' ? data.lyrics : '',
    think: typeof data.think === 'boolean' ? data.think : null,
    bpm: looseNum(data.bpm),
    duration: looseNum(data.duration),
    keyscale: looseStr(data.keyscale ?? data.key_scale),
    language: looseStr(data.language ?? data.vocal_language),
    timesignature: looseStr(data.timesignature ?? data.time_signature),
    raw: data,
  };
}

/** The server's words from an error body: `{"detail": ...}` JSON, or plain text / HTML. */
export function serverWords(text: string): string {
  const t = text.trim();
  if (!t) return '';
  try {
    const v = JSON.parse(t);
    if (isObj(v)) {
      const d = v.detail;
      if (typeof d === 'string') return d;
      if (Array.isArray(d)) {
        return d.map(x => (isObj(x) ? `${Array.isArray(x.loc) ? x.loc.join('.') + ': ' : ''}${String(x.msg ?? JSON.stringify(x))}` : String(x))).join('; ');
      }
      if (d !== undefined) return JSON.stringify(d);
      if (typeof v.error === 'string') return v.error;
      if (isObj(v.error) && typeof v.error.message === 'string') return v.error.message;
    }
  } catch { /* not JSON */ }
  if (/^<(!doctype|html)/i.test(t)) return describeBody(t);
  return t.length > 2000 ? t.slice(0, 2000) + '…' : t;
}
