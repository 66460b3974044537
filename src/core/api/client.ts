// The ACE-Step 1.5 REST client (no vscode import: the CLI uses it too). All HTTP goes through one
// keep-alive undici Agent per client; every call takes an AbortSignal and has its own timeout; every
// answer is validated (parse.ts); every failure becomes an AceStepError (errors.ts).
import { createWriteStream, promises as fsp, openAsBlob } from 'node:fs';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Agent, FormData, request, type Dispatcher } from 'undici';
import { AceStepError, kindForStatus, redact, type AceStepErrorKind } from './errors';
import { LeanError, leanDownload } from './lean-download';
import {
  describeBody, parseEnvelope, parseFormat, parseHealth, parseInventory, parseJsonText, parseModels,
  parseQueryResult, parseRandomSample, parseRelease, parseStats, serverWords,
} from './parse';
import type {
  DownloadProgress, DownloadResult, Flavour, FormatInputRequest, FormatResult, HealthInfo, ModelInfo, ModelInventory,
  RandomSample, ReleaseAnswer, ReleaseRequest, ResultItem, ServerInfo, ServerStats, TaskStatus,
} from './types';

export interface ClientTimeouts {
  /** TCP connect. */
  connectMs: number;
  /** Ordinary calls (query_result, stats, models...). */
  requestMs: number;
  /** /health. */
  healthMs: number;
  /** /release_task on W/S/U (answers at once; uploads may take a while). */
  releaseMs: number;
  /** /release_task on G, which generates inside the request. */
  blockingReleaseMs: number;
  /** /format_input (the LM runs inside the request). */
  formatInputMs: number;
  /** Downloads: longest silence between two chunks, and for the headers. */
  downloadIdleMs: number;
}

export const DEFAULT_TIMEOUTS: ClientTimeouts = {
  connectMs: 5_000,
  requestMs: 30_000,
  healthMs: 10_000,
  releaseMs: 120_000,
  blockingReleaseMs: 30 * 60_000,
  formatInputMs: 180_000,
  downloadIdleMs: 60_000,
};

export interface AceStepClientOptions {
  baseUrl: string;
  apiKey?: string;
  timeouts?: Partial<ClientTimeouts>;
  /** Bring your own dispatcher (tests, proxies); the client then does not close it. */
  dispatcher?: Dispatcher;
  /** The flavour, if already known (skips nothing, but lets releaseTask adapt without detectFlavour()). */
  flavour?: Flavour;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface ReleaseOptions extends CallOptions {
  /** Defaults to the flavour given at construction or found by detectFlavour(). */
  flavour?: Flavour;
}

export interface DownloadOptions {
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Tries in all (a dropped connection restarts from scratch: no reliable Range). Default 4. */
  attempts?: number;
  /** Pause before retry n (ms), default 250 × n. */
  retryDelayMs?: (attempt: number) => number;
  /**
   * 'auto' (default): plain-http takes use the lean socket reader (lean-download.ts: flat memory for
   * huge files), everything else (https, chunked answers) undici. 'undici' forces undici.
   */
  transport?: 'auto' | 'undici';
}

/** Fields the Gradio-mounted API (G) reads; everything else is dropped with a warning. */
const G_FIELDS = new Set([
  'prompt', 'caption', 'lyrics', 'vocal_language', 'language', 'lm_temperature', 'temperature', 'sample_mode', 'sampleMode',
  'sample_query', 'sampleQuery', 'description', 'desc', 'use_format', 'useFormat', 'task_type', 'bpm', 'key_scale', 'keyscale',
  'key', 'time_signature', 'timesignature', 'audio_duration', 'duration', 'inference_steps', 'guidance_scale', 'seed',
  'thinking', 'lm_cfg_scale', 'lm_negative_prompt', 'batch_size', 'use_random_seed', 'audio_format', 'param_obj', 'ai_token',
]);

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNABORTED: 'connection aborted',
  UND_ERR_SOCKET: 'connection dropped',
  UND_ERR_CLOSED: 'connection closed',
};
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const DISK_CODES = new Set(['ENOSPC', 'EACCES', 'EPERM', 'EROFS', 'EDQUOT', 'EISDIR', 'ENOTDIR', 'EMFILE', 'ENFILE', 'EEXIST', 'ENAMETOOLONG', 'EBUSY', 'EIO']);

function errorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const c = (cur as { code?: unknown }).code;
    if (typeof c === 'string' && (c in NETWORK_CODES || TIMEOUT_CODES.has(c) || DISK_CODES.has(c) || c === 'ENOENT')) return c;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function isFsError(e: unknown): boolean {
  const o = e as { syscall?: unknown; code?: unknown } | null;
  return !!o && typeof o.syscall === 'string' && ['open', 'write', 'rename', 'mkdir', 'close', 'fsync', 'unlink', 'read', 'stat', 'copyfile'].includes(o.syscall);
}

const AUDIO_EXT = new Set(['mp3', 'wav', 'flac', 'ogg', 'opus', 'aac', 'm4a']);

/** Links a caller's signal and a timeout into one controller; tells afterwards which one fired. */
class CallSignal {
  readonly controller = new AbortController();
  timedOut = false;
  private timer?: NodeJS.Timeout;
  private readonly onAbort = () => this.controller.abort(this.caller?.reason);
  constructor(private readonly caller: AbortSignal | undefined, timeoutMs: number) {
    if (caller?.aborted) this.controller.abort(caller.reason);
    else caller?.addEventListener('abort', this.onAbort, { once: true });
    if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
      this.timer = setTimeout(() => { this.timedOut = true; this.controller.abort(new Error('timeout')); }, timeoutMs);
    }
  }
  get signal(): AbortSignal { return this.controller.signal; }
  get cancelled(): boolean { return !!this.caller?.aborted; }
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.onAbort);
  }
}

interface Answer {
  status: number;
  text: string;
  contentType: string;
}

export class AceStepClient {
  readonly baseUrl: string;
  readonly timeouts: ClientTimeouts;
  private readonly apiKey?: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly origin: string;
  /** The flavour found by detectFlavour() (or given at construction). */
  flavour?: Flavour;

  constructor(options: AceStepClientOptions) {
    let u: URL;
    try {
      u = new URL(options.baseUrl);
    } catch {
      throw new AceStepError('bad-request', `"${options.baseUrl}" is not a valid server URL (expected e.g. http://localhost:8001).`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new AceStepError('bad-request', `The server URL must start with http:// or https:// (got ${u.protocol}).`);
    }
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    this.baseUrl = u.toString().replace(/\/+$/, '');
    this.origin = u.origin;
    this.apiKey = options.apiKey || undefined;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...(options.timeouts ?? {}) };
    this.flavour = options.flavour;
    if (options.dispatcher) {
      this.dispatcher = options.dispatcher;
      this.ownsDispatcher = false;
    } else {
      this.dispatcher = new Agent({
        keepAliveTimeout: 4_000,
        keepAliveMaxTimeout: 60_000,
        connections: 16,
        connect: { timeout: this.timeouts.connectMs },
      });
      this.ownsDispatcher = true;
    }
  }

  /** Closes the keep-alive connections (only those of a dispatcher the client created). */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close().catch(() => undefined);
  }

  // ---- plumbing -----------------------------------------------------------------------------------

  private clean(text: string): string {
    return redact(text, [this.apiKey]);
  }

  private resolve(link: string): URL {
    if (/^https?:\/\//i.test(link)) return new URL(link);
    const rel = link.startsWith('/') ? link : '/' + link;
    return new URL(this.baseUrl + rel);
  }

  private headersFor(url: URL, extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { 'user-agent': 'acestep-studio', accept: 'application/json', ...extra };
    // The key goes only to the configured server, never to another origin a result item might name.
    if (this.apiKey && url.origin === this.origin) h.authorization = `Bearer ${this.apiKey}`;
    return h;
  }

  private networkError(e: unknown, endpoint: string, sig: CallSignal, timeoutMs: number, what = `${endpoint}`): AceStepError {
    if (e instanceof AceStepError) return e;
    if (sig.cancelled) return new AceStepError('cancelled', `${what} was cancelled.`, { endpoint, cause: e });
    if (sig.timedOut) {
      return new AceStepError('timeout', `The ACE-Step server at ${this.baseUrl} did not answer ${endpoint} within ${Math.round(timeoutMs / 1000)} s.`, { endpoint, cause: e });
    }
    const code = errorCode(e);
    if (code && TIMEOUT_CODES.has(code)) {
      return new AceStepError('timeout', `The ACE-Step server at ${this.baseUrl} timed out on ${endpoint} (${code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connecting' : 'waiting for data'}).`, { endpoint, cause: e });
    }
    const why = code ? NETWORK_CODES[code] : undefined;
    const hint = code === 'ECONNREFUSED' ? ' Is it running?' : '';
    const msg = why ?? this.clean(e instanceof Error ? e.message : String(e));
    return new AceStepError('unreachable', `Cannot reach the ACE-Step server at ${this.baseUrl} (${endpoint}): ${msg}.${hint}`, { endpoint, cause: e });
  }

  private httpError(endpoint: string, ans: Answer): AceStepError {
    const words = this.clean(serverWords(ans.text));
    const kind: AceStepErrorKind = kindForStatus(ans.status, words);
    const lead: Record<string, string> = {
      auth: ans.status === 403 ? 'The server refused access' : 'The server needs a valid API key (set ACESTEP_API_KEY / the API key setting)',
      'not-found': `${endpoint} does not exist on this server`,
      'queue-full': "The server's queue is full",
      'lm-unavailable': "The server's language model (5 Hz LM) is not loaded",
      'bad-request': 'The server rejected the request',
      server: 'The server failed',
    };
    const message = `${lead[kind] ?? 'The server failed'} (HTTP ${ans.status} on ${endpoint})${words ? `: ${words}` : '.'}`;
    return new AceStepError(kind, message, { endpoint, status: ans.status, serverMessage: words || undefined });
  }

  /** One HTTP exchange; returns status and text, or throws AceStepError. */
  private async exchange(
    method: 'GET' | 'POST', endpoint: string, opts: CallOptions, defaultTimeout: number,
    body?: { json?: unknown; form?: FormData }, retrySocket = false,
  ): Promise<Answer> {
    const url = this.resolve(endpoint);
    const timeoutMs = opts.timeoutMs ?? defaultTimeout;
    for (let attempt = 1; ; attempt++) {
      const sig = new CallSignal(opts.signal, timeoutMs);
      try {
        const headers = this.headersFor(url, body?.json !== undefined ? { 'content-type': 'application/json' } : {});
        const res = await request(url, {
          method,
          headers,
          body: body?.json !== undefined ? JSON.stringify(body.json) : body?.form,
          dispatcher: this.dispatcher,
          signal: sig.signal,
          headersTimeout: timeoutMs + 1000,
          bodyTimeout: timeoutMs + 1000,
        });
        const text = await readLimited(res.body, 8 * 1024 * 1024);
        const ct = res.headers['content-type'];
        return { status: res.statusCode, text, contentType: Array.isArray(ct) ? ct[0] : ct ?? '' };
      } catch (e) {
        const err = this.networkError(e, endpoint, sig, timeoutMs);
        // A keep-alive connection the server closed a moment ago: idempotent calls try once more.
        if (retrySocket && attempt === 1 && err.kind === 'unreachable' && /reset|dropped|closed/.test(err.message)) continue;
        throw err;
      } finally {
        sig.dispose();
      }
    }
  }

  /** JSON endpoint answering the `{data, code, error}` envelope. */
  private async enveloped(
    method: 'GET' | 'POST', endpoint: string, opts: CallOptions, timeout: number,
    body?: { json?: unknown; form?: FormData }, idempotent = method === 'GET',
  ): Promise<{ data: unknown; code: number; error: string | null }> {
    const ans = await this.exchange(method, endpoint, opts, timeout, body, idempotent);
    if (ans.status < 200 || ans.status >= 300) throw this.httpError(endpoint, ans);
    return parseEnvelope(parseJsonText(ans.text, endpoint), endpoint);
  }

  /** A soft error (HTTP 200, code ≠ 200) becomes an AceStepError with the server's words. */
  private softError(endpoint: string, env: { code: number; error: string | null }): AceStepError {
    const words = this.clean(env.error ?? `code ${env.code}`);
    const kind: AceStepErrorKind = /LLM|language model|\bLM\b/i.test(words) && /not (initiali[sz]ed|loaded|available)|requires/i.test(words)
      ? 'lm-unavailable' : env.code >= 400 && env.code < 500 ? 'bad-request' : 'server';
    return new AceStepError(kind, `The server could not do ${endpoint}: ${words}`, { endpoint, status: 200, serverMessage: words });
  }

  // ---- endpoints ----------------------------------------------------------------------------------

  async health(opts: CallOptions = {}): Promise<HealthInfo> {
    const env = await this.enveloped('GET', '/health', opts, this.timeouts.healthMs);
    return parseHealth(env.data);
  }

  /**
   * Tells the server flavour from /health's `service` (G), U's extra /health fields, then the shape of
   * /v1/models (W: wrapped; S: OpenAI list; open on S/U, so a 401 there also means W).
   */
  async detectFlavour(opts: CallOptions = {}): Promise<ServerInfo> {
    const health = await this.health(opts);
    const base = { service: health.service, version: health.version, health };
    let info: ServerInfo;
    if (/gradio/i.test(health.service)) {
      let models: ModelInfo[] = [];
      let defaultModel: string | null = null;
      let authRequired: boolean | undefined;
      try {
        ({ models, defaultModel } = await this.modelsRaw(opts));
      } catch (e) {
        if (e instanceof AceStepError && e.kind === 'auth') authRequired = true;
        else if (!(e instanceof AceStepError) || !['not-found', 'bad-response'].includes(e.kind)) throw e;
      }
      info = { ...base, flavour: 'G', models, defaultModel, hasStats: false, ...(authRequired ? { authRequired } : {}) };
    } else if (health.modelsInitialized !== undefined || health.llmInitialized !== undefined) {
      let models: ModelInfo[] = [];
      let defaultModel: string | null = health.loadedModel ?? null;
      let lmModel: string | null = health.loadedLmModel ?? null;
      try {
        const inv = await this.modelInventory(opts);
        if (inv) {
          models = inv.models;
          defaultModel = inv.defaultModel ?? defaultModel;
          lmModel = inv.loadedLmModel ?? lmModel;
        }
      } catch (e) {
        if (!(e instanceof AceStepError) || ['cancelled', 'unreachable', 'timeout'].includes(e.kind)) throw e;
      }
      if (!models.length) {
        try {
          ({ models } = await this.modelsRaw(opts));
        } catch (e) {
          if (!(e instanceof AceStepError) || ['cancelled', 'unreachable', 'timeout'].includes(e.kind)) throw e;
        }
      }
      info = {
        ...base, flavour: 'U', models, defaultModel, hasStats: true,
        // Before its first job U has loaded nothing, the LM included: unknown rather than "not loaded".
        lmLoaded: health.modelsInitialized === false ? undefined : health.llmInitialized,
        lmModel, modelsInitialized: health.modelsInitialized,
      };
    } else {
      try {
        const m = await this.modelsRaw(opts);
        info = { ...base, flavour: m.shape === 'openai' ? 'S' : 'W', models: m.models, defaultModel: m.defaultModel, hasStats: true };
      } catch (e) {
        if (e instanceof AceStepError && e.kind === 'auth') {
          info = { ...base, flavour: 'W', models: [], defaultModel: null, hasStats: true, authRequired: true };
        } else {
          throw e;
        }
      }
    }
    this.flavour = info.flavour;
    return info;
  }

  private async modelsRaw(opts: CallOptions) {
    const ans = await this.exchange('GET', '/v1/models', opts, this.timeouts.requestMs, undefined, true);
    if (ans.status < 200 || ans.status >= 300) throw this.httpError('/v1/models', ans);
    return parseModels(parseJsonText(ans.text, '/v1/models'), '/v1/models');
  }

  /** The DiT models, whatever shape the server lists them in. */
  async models(opts: CallOptions = {}): Promise<ModelInfo[]> {
    return (await this.modelsRaw(opts)).models;
  }

  /** U only (null elsewhere): DiT and LM models with their load state. */
  async modelInventory(opts: CallOptions = {}): Promise<ModelInventory | null> {
    try {
      const env = await this.enveloped('GET', '/v1/model_inventory', opts, this.timeouts.requestMs);
      return parseInventory(env.data);
    } catch (e) {
      if (e instanceof AceStepError && (e.kind === 'not-found' || (e.kind === 'bad-request' && e.status === 405))) return null;
      throw e;
    }
  }

  /** Queue and timing figures; null where the server has no /v1/stats (G). */
  async stats(opts: CallOptions = {}): Promise<ServerStats | null> {
    try {
      const env = await this.enveloped('GET', '/v1/stats', opts, this.timeouts.requestMs);
      return parseStats(env.data);
    } catch (e) {
      if (e instanceof AceStepError && e.kind === 'not-found') return null;
      throw e;
    }
  }

  /**
   * Submits a job. JSON, or multipart when src_audio/reference_audio files are given.
   * On G the call blocks until the generation is done (long timeout) and only G's fields are sent.
   */
  async releaseTask(req: ReleaseRequest, opts: ReleaseOptions = {}): Promise<ReleaseAnswer> {
    const flavour = opts.flavour ?? this.flavour;
    const warnings: string[] = [];
    const params: Record<string, unknown> = {};
    const dropped: string[] = [];
    for (const [k, v] of Object.entries(req.params ?? {})) {
      if (v === undefined || v === null) continue;
      if (flavour === 'G' && !G_FIELDS.has(k)) { dropped.push(k); continue; }
      params[k] = v;
    }
    if (dropped.length) warnings.push(`The Gradio-mounted API does not take ${dropped.join(', ')}; not sent.`);
    const files = Object.entries(req.files ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '');
    if (flavour === 'G' && files.length) {
      warnings.push(`The Gradio-mounted API takes no audio uploads; ${files.map(([k]) => k).join(', ')} not sent.`);
      files.length = 0;
    }
    let body: { json?: unknown; form?: FormData };
    if (files.length) {
      const form = new FormData();
      for (const [k, v] of Object.entries(params)) form.append(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
      for (const [field, file] of files) {
        let blob: Blob;
        try {
          blob = await openAsBlob(file);
        } catch (e) {
          throw new AceStepError('disk', `Cannot read the ${field} file ${file}: ${(e as Error).message}`, { endpoint: '/release_task', cause: e });
        }
        form.append(field, blob, path.basename(file));
      }
      body = { form };
    } else {
      body = { json: params };
    }
    const timeout = flavour === 'G' ? this.timeouts.blockingReleaseMs : this.timeouts.releaseMs;
    const env = await this.enveloped('POST', '/release_task', opts, timeout, body, false);
    if (env.code !== 200) throw this.softError('/release_task', env);
    return { ...parseRelease(env.data), warnings };
  }

  /** Status of several jobs in one call. */
  async queryResult(ids: string[], opts: CallOptions = {}): Promise<TaskStatus[]> {
    if (!ids.length) return [];
    const env = await this.enveloped('POST', '/query_result', opts, this.timeouts.requestMs, { json: { task_id_list: ids } }, true);
    if (env.code !== 200) throw this.softError('/query_result', env);
    return parseQueryResult(env.data);
  }

  async formatInput(input: FormatInputRequest, opts: ReleaseOptions = {}): Promise<FormatResult> {
    const flavour = opts.flavour ?? this.flavour;
    const body: Record<string, unknown> = { prompt: input.prompt ?? '', lyrics: input.lyrics ?? '' };
    if (input.temperature !== undefined) body.temperature = input.temperature;
    if (flavour !== 'G') {
      const po: Record<string, unknown> = {};
      if (input.duration !== undefined) po.duration = input.duration;
      if (input.bpm !== undefined) po.bpm = input.bpm;
      if (input.key !== undefined) po.key = input.key;
      if (input.timeSignature !== undefined) po.time_signature = input.timeSignature;
      if (input.language !== undefined) po.language = input.language;
      if (Object.keys(po).length) body.param_obj = po;
    }
    const env = await this.enveloped('POST', '/format_input', opts, this.timeouts.formatInputMs, { json: body }, false);
    if (env.code !== 200) throw this.softError('/format_input', env);
    return parseFormat(env.data);
  }

  async createRandomSample(sampleType: 'simple_mode' | 'custom_mode' = 'simple_mode', opts: CallOptions = {}): Promise<RandomSample> {
    const env = await this.enveloped('POST', '/create_random_sample', opts, this.timeouts.requestMs, { json: { sample_type: sampleType } }, true);
    if (env.code !== 200) throw this.softError('/create_random_sample', env);
    return parseRandomSample(env.data);
  }

  /** The absolute URL a result item (or link) downloads from. */
  linkUrl(ref: ResultItem | string): string {
    const link = typeof ref === 'string' ? ref : ref.link;
    if (!link) throw new AceStepError('bad-response', 'The result item has no download link (no "file"/"url").', { endpoint: '/query_result' });
    return this.resolve(link).toString();
  }

  /**
   * Streams one take to `destPath` (through `destPath.part`, renamed when complete and matching
   * Content-Length). A dropped connection restarts the download from scratch, a few times.
   * The local path is the caller's; nothing of the server's path is used.
   */
  async download(ref: ResultItem | string, destPath: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
    const attempts = Math.max(1, opts.attempts ?? 4);
    const delay = opts.retryDelayMs ?? (n => 250 * n);
    let url: URL;
    try {
      url = new URL(this.linkUrl(ref));
    } catch (e) {
      if (e instanceof AceStepError) throw e;
      throw new AceStepError('bad-response', `The result item's download link is not a URL.`, { endpoint: '/v1/audio' });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new AceStepError('bad-response', `The result item's download link is not http(s).`, { endpoint: '/v1/audio' });
    }
    const endpoint = url.pathname || '/v1/audio';
    const part = destPath + '.part';
    try {
      await fsp.mkdir(path.dirname(destPath), { recursive: true });
    } catch (e) {
      throw new AceStepError('disk', `Cannot create the folder ${path.dirname(destPath)}: ${(e as Error).message}`, { endpoint, cause: e });
    }
    let last: AceStepError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const r = opts.transport !== 'undici' && url.protocol === 'http:'
          ? await this.downloadLean(url, endpoint, part, opts)
          : await this.downloadOnce(url, endpoint, part, opts);
        try {
          await fsp.rename(part, destPath);
        } catch (e) {
          throw new AceStepError('disk', `Cannot move the download into place (${destPath}): ${(e as Error).message}`, { endpoint, cause: e });
        }
        return { path: destPath, bytes: r.bytes, contentType: r.contentType, attempts: attempt };
      } catch (e) {
        await fsp.rm(part, { force: true }).catch(() => undefined);
        last = e instanceof AceStepError ? e : new AceStepError('unreachable', this.clean(String((e as Error)?.message ?? e)), { endpoint, cause: e });
        const retryable = last.kind === 'unreachable' || last.kind === 'timeout';
        if (!retryable || attempt === attempts || opts.signal?.aborted) break;
        await sleep(delay(attempt), opts.signal).catch(() => undefined);
        if (opts.signal?.aborted) {
          last = new AceStepError('cancelled', `The download from ${endpoint} was cancelled.`, { endpoint });
          break;
        }
      }
    }
    if (last && (last.kind === 'unreachable' || last.kind === 'timeout') && attempts > 1) {
      throw new AceStepError(last.kind, `${last.message} (gave up after ${attempts} tries)`, {
        endpoint: last.endpoint, status: last.status, serverMessage: last.serverMessage, cause: last,
      });
    }
    throw last ?? new AceStepError('unreachable', 'The download failed.', { endpoint });
  }

  /** The plain-http path: see lean-download.ts. Falls back to undici for answers it does not handle. */
  private async downloadLean(url: URL, endpoint: string, part: string, opts: DownloadOptions): Promise<{ bytes: number; contentType?: string }> {
    const idle = this.timeouts.downloadIdleMs;
    const ac = new AbortController();
    const onAbort = () => ac.abort();
    if (opts.signal?.aborted) ac.abort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const headers = this.headersFor(url, { accept: '*/*' });
      const r = await leanDownload(url, headers, part, {
        signal: ac.signal,
        idleMs: idle,
        onProgress: opts.onProgress ? (received, total) => opts.onProgress!({ received, total }) : undefined,
      });
      if (r.fallback) return await this.downloadOnce(url, endpoint, part, opts);
      const contentType = r.headers['content-type'] || undefined;
      if (r.body !== undefined) {
        if (r.status >= 200 && r.status < 300) {
          throw new AceStepError('bad-response', `The server's answer to ${endpoint} is not audio: ${describeBody(r.body)}.`, { endpoint, status: r.status });
        }
        throw this.httpError(endpoint, { status: r.status, text: r.body, contentType: contentType ?? '' });
      }
      opts.onProgress?.({ received: r.bytes ?? 0, total: r.bytes ?? 0 });
      return { bytes: r.bytes ?? 0, contentType };
    } catch (e) {
      if (e instanceof AceStepError) throw e;
      if (e instanceof LeanError) {
        const of = `${e.received}${e.total !== undefined ? ` of ${e.total}` : ''} bytes`;
        switch (e.code) {
          case 'ABORTED': throw new AceStepError('cancelled', `The download from ${endpoint} was cancelled.`, { endpoint });
          case 'TIMEOUT': throw new AceStepError('timeout', `The download from ${endpoint} stalled after ${of} (${e.message}).`, { endpoint });
          case 'DISK': throw new AceStepError('disk', `Cannot write ${part}: ${e.message}`, { endpoint, cause: e.cause });
          case 'PREMATURE': throw new AceStepError('unreachable', `The download from ${endpoint} broke off after ${of}: the connection closed early.`, { endpoint });
          default: throw new AceStepError('bad-response', `The server's answer to ${endpoint} is not valid HTTP: ${e.message}.`, { endpoint });
        }
      }
      const sig = new CallSignal(undefined, 0);
      sig.dispose();
      throw this.networkError(e, endpoint, sig, idle, `The download from ${endpoint}`);
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  private async downloadOnce(url: URL, endpoint: string, part: string, opts: DownloadOptions): Promise<{ bytes: number; contentType?: string }> {
    const idle = this.timeouts.downloadIdleMs;
    const sig = new CallSignal(opts.signal, 0);
    let received = 0;
    let total: number | undefined;
    try {
      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, {
          method: 'GET',
          headers: this.headersFor(url, { accept: '*/*' }),
          dispatcher: this.dispatcher,
          signal: sig.signal,
          headersTimeout: idle,
          bodyTimeout: idle,
        });
      } catch (e) {
        throw this.networkError(e, endpoint, sig, idle, `The download from ${endpoint}`);
      }
      const ctHeader = res.headers['content-type'];
      const contentType = (Array.isArray(ctHeader) ? ctHeader[0] : ctHeader) || undefined;
      if (res.statusCode < 200 || res.statusCode >= 300) {
        const text = await readLimited(res.body, 1024 * 1024).catch(() => '');
        throw this.httpError(endpoint, { status: res.statusCode, text, contentType: contentType ?? '' });
      }
      if (contentType && /^(text\/html|application\/json)/i.test(contentType)) {
        const text = await readLimited(res.body, 1024 * 1024).catch(() => '');
        throw new AceStepError('bad-response', `The server's answer to ${endpoint} is not audio: ${describeBody(text)}.`, { endpoint, status: res.statusCode });
      }
      const lenHeader = res.headers['content-length'];
      const len = Number(Array.isArray(lenHeader) ? lenHeader[0] : lenHeader);
      if (lenHeader !== undefined && Number.isFinite(len) && len >= 0) total = len;
      let lastReport = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          received += chunk.length;
          const t = Date.now();
          if (opts.onProgress && t - lastReport >= 100) {
            lastReport = t;
            try { opts.onProgress({ received, total }); } catch { /* a listener's problem is not ours */ }
          }
          cb(null, chunk);
        },
      });
      let diskError: unknown;
      const out = createWriteStream(part, { highWaterMark: 1024 * 1024 });
      out.on('error', e => { diskError = diskError ?? e; });
      try {
        await pipeline(res.body, counter, out);
      } catch (e) {
        if (diskError || isFsError(e)) {
          const de = diskError ?? e;
          throw new AceStepError('disk', `Cannot write ${part}: ${(de as Error).message}`, { endpoint, cause: de });
        }
        const ne = this.networkError(e, endpoint, sig, idle, `The download from ${endpoint}`);
        if (ne.kind === 'unreachable' || ne.kind === 'timeout') {
          throw new AceStepError(ne.kind, `The download from ${endpoint} broke off after ${received}${total !== undefined ? ` of ${total}` : ''} bytes: ${ne.message}`, { endpoint, cause: e });
        }
        throw ne;
      }
      if (total !== undefined && received !== total) {
        throw new AceStepError('unreachable', `The download from ${endpoint} stopped after ${received} of ${total} bytes.`, { endpoint });
      }
      opts.onProgress?.({ received, total });
      return { bytes: received, contentType };
    } finally {
      sig.dispose();
    }
  }
}

async function readLimited(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of body) {
    const b = chunk as Buffer;
    n += b.length;
    if (n > limit) {
      body.destroy();
      chunks.push(b.subarray(0, Math.max(0, limit - (n - b.length))));
      break;
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(t); reject(new Error('aborted')); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The audio file extension for a result item: from the server path, else the content type. */
export function audioExtension(item: Pick<ResultItem, 'serverPath' | 'link'>, contentType?: string): string {
  const p = item.serverPath ?? '';
  const m = /\.([A-Za-z0-9]{2,5})$/.exec(p);
  if (m && AUDIO_EXT.has(m[1].toLowerCase())) return m[1].toLowerCase();
  const ct = (contentType ?? '').toLowerCase();
  if (ct.includes('wav')) return 'wav';
  if (ct.includes('flac')) return 'flac';
  if (ct.includes('ogg') || ct.includes('opus')) return 'ogg';
  if (ct.includes('aac') || ct.includes('mp4')) return 'aac';
  return 'mp3';
}

