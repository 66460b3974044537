// The HTTP side of the fake: listening (and refusing) on 127.0.0.1, routing, and the endpoint handlers.
// What each flavour does differently comes from its behaviour table (flavours.ts).
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { LoraState, loraRoute, transcribeRoute } from './adapters';
import { chatCompletions, standaloneRoute, type ChatContext } from './chat';
import { fillPayload, type PayloadSpec } from './audio-payload';
import type { Faults } from './faults';
import { behaviourOf } from './flavours';
import type { FakeOptions, TrickleOption } from './options';
import { hash32, Params } from './params';
import { Auth, parseFields, readBody } from './requests';
import {
  AUDIO_TYPES, blockingResultEntry, formatBody, healthBody, HttpError, inventoryBody, modelsBody, PlainTextError,
  queuedResultEntry, randomSampleBody, sendJson, sendRaw, statsBody, wrap,
} from './responses';
import { now, type FakeUpload, type Scheduler } from './scheduler';

export interface LoggedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

type Res = http.ServerResponse;

const KNOWN_PATHS = ['/health', '/release_task', '/query_result', '/v1/audio', '/v1/models', '/v1/stats', '/format_input', '/create_random_sample', '/v1/chat/completions'];
const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms));

export class FakeHttpServer {
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly auth: Auth;
  /** /v1/audio answers being sent now, the most at once, and in all. */
  readonly downloads = { active: 0, maxActive: 0, total: 0 };
  /** U's loaded style adapter. */
  readonly lora = new LoraState();
  private listening = false;
  private upTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly opts: FakeOptions,
    private readonly scheduler: Scheduler,
    private readonly faults: Faults,
    private readonly requests: LoggedRequest[],
    public port: number,
  ) {
    this.auth = new Auth(opts);
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(() => { try { res.destroy(); } catch { /* gone */ } });
    });
    this.server.keepAliveTimeout = 5000;
    this.server.on('connection', s => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
  }

  // ---- listening --------------------------------------------------------------------------------

  listen(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.listening) return resolve();
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        this.listening = true;
        resolve();
      });
    });
  }

  unlisten(): Promise<void> {
    return new Promise<void>(resolve => {
      if (!this.listening) return resolve();
      this.listening = false;
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
      this.server.closeAllConnections();
    });
  }

  /** Whether this flavour refuses connections while its models load after a (re)start. */
  refusesWhileLoading(): boolean {
    return behaviourOf(this.opts).modelLoad === 'refuse-connections' && this.opts.modelLoadMs > 0;
  }

  /** Listens after `ms`, unless the server is down by then. */
  comeUpLater(ms: number): void {
    this.cancelComeUp();
    this.upTimer = setTimeout(() => { this.upTimer = undefined; if (!this.opts.down) void this.listen(); }, ms);
  }

  cancelComeUp(): void {
    if (this.upTimer) clearTimeout(this.upTimer);
  }

  // ---- dispatch ---------------------------------------------------------------------------------

  private send(res: Res, endpoint: string, status: number, value: unknown): void {
    sendJson(res, this.faults, endpoint, status, value);
  }

  private async handle(req: http.IncomingMessage, res: Res): Promise<void> {
    const { opts, scheduler } = this;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    this.faults.authorization = req.headers.authorization;
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers, body: raw.toString('utf8'), at: now() });
    if (opts.latencyMs > 0) await sleep(opts.latencyMs);
    const wait = scheduler.blockedUntil - now();
    if (wait > 0) await sleep(wait);
    const behaviour = behaviourOf(opts);
    const route = `${req.method} ${url.pathname}`;
    const endpoint = url.pathname;
    try {
      const chat: ChatContext = { opts, behaviour, scheduler, faults: this.faults, send: (r, e, s, v) => this.send(r, e, s, v) };
      if (route === 'POST /v1/chat/completions' && behaviour.chat) return await chatCompletions(chat, req, res, raw);
      if (behaviour.chat === 'standalone') {
        if (standaloneRoute(chat, req, res, route)) return;
        if (url.pathname === '/v1/chat/completions') throw new HttpError(405, 'Method Not Allowed');
        throw new HttpError(404, 'Not Found');
      }
      if (url.pathname === '/v1/chat/completions' && !behaviour.chat) throw new HttpError(404, 'Not Found');
      switch (route) {
        case 'GET /health': return this.send(res, endpoint, 200, healthBody(opts, behaviour, scheduler, this.faults));
        case 'POST /release_task': return await this.releaseTask(req, res, raw);
        case 'POST /query_result': return await this.queryResult(req, res, raw);
        case 'GET /v1/audio': return await this.audio(req, res, url);
        case 'GET /v1/models':
          if (behaviour.models === 'native') this.auth.verifyHeader(req.headers.authorization);
          return this.send(res, endpoint, 200, modelsBody(opts, behaviour));
        case 'GET /v1/model_inventory':
          if (!behaviour.modelInventory) throw new HttpError(404, 'Not Found');
          this.auth.verifyHeader(req.headers.authorization);
          return this.send(res, endpoint, 200, inventoryBody(opts));
        case 'GET /v1/stats':
          if (!behaviour.stats) throw new HttpError(404, 'Not Found');
          this.auth.verifyHeader(req.headers.authorization);
          return this.send(res, endpoint, 200, statsBody(opts, scheduler));
        case 'POST /format_input': return this.formatInput(req, res, raw);
        case 'POST /create_random_sample': return this.randomSample(req, res, raw);
      }
      if (behaviour.adapterRoutes && (url.pathname.startsWith('/v1/lora/') || url.pathname === '/v1/transcribe')) return this.adapters(req, res, route, raw);
      if (KNOWN_PATHS.includes(url.pathname)) throw new HttpError(405, 'Method Not Allowed');
      throw new HttpError(404, 'Not Found');
    } catch (e) {
      if (res.headersSent) { res.destroy(); return; }
      if (e instanceof HttpError) return this.send(res, endpoint, e.status, { detail: e.detail });
      return sendRaw(res, 500, 'Internal Server Error', 'text/plain; charset=utf-8');
    }
  }

  // ---- endpoints --------------------------------------------------------------------------------

  private async releaseTask(req: http.IncomingMessage, res: Res, raw: Buffer): Promise<void> {
    const { opts, scheduler } = this;
    const { fields, uploads, encoding } = parseFields(req.headers['content-type'] ?? '', raw);
    this.auth.verifyBody(fields, req.headers.authorization);
    const p = new Params(fields);
    const behaviour = behaviourOf(opts);
    // S: any multipart or form-encoded request is a TypeError in _build_request (see formRelease).
    if (encoding === 'form' && behaviour.formRelease === 'type-error') throw new PlainTextError();
    if (behaviour.blockingRelease) return this.releaseTaskBlocking(res, fields, p);
    const backend = p.str('lm_backend', 'vllm');
    if (opts.plainText500 || (behaviour.lmBackends && !behaviour.lmBackends.includes(backend))) throw new PlainTextError();
    const named: Record<string, FakeUpload> = {};
    const ref = uploads.ref_audio ?? uploads.reference_audio;
    const src = uploads.ctx_audio ?? uploads.src_audio;
    if (ref) named.reference_audio = ref;
    if (src) named.src_audio = src;
    if (opts.queueFull || scheduler.waitingCount() >= opts.queueMaxsize) {
      if (behaviour.rejectedStayQueued) scheduler.rejectedQueued++;
      throw new HttpError(429, 'Server busy: queue is full');
    }
    const position = scheduler.waitingCount() + 1;
    const job = scheduler.createJob(fields, named);
    this.send(res, '/release_task', 200, wrap({ task_id: job.id, status: 'queued', queue_position: position }));
  }

  /** The whole generation runs inside the request (and blocks the server's event loop). */
  private async releaseTaskBlocking(res: Res, fields: Record<string, unknown>, p: Params): Promise<void> {
    const { opts, scheduler } = this;
    if ((p.bool('sample_mode') || p.str('sample_query').trim()) && !opts.lmLoaded) {
      throw new HttpError(500, 'sample_mode requires LLM to be initialized');
    }
    const job = scheduler.createJob(fields, {});
    scheduler.blockedUntil = Math.max(scheduler.blockedUntil, job.endAt);
    await scheduler.waitUntil(job.endAt);
    if (job.fail) throw new HttpError(500, 'Music generation failed: CUDA out of memory. Tried to allocate 2.00 GiB');
    this.send(res, '/release_task', 200, wrap({ task_id: job.id, status: 'succeeded' }));
  }

  private async queryResult(req: http.IncomingMessage, res: Res, raw: Buffer): Promise<void> {
    const { opts, scheduler } = this;
    // Jobs finishing together: every query waits for that moment, so all clients hear of it at once.
    if (opts.finishAt !== null && opts.finishAt > now()) await sleep(opts.finishAt - now());
    const { fields } = parseFields(req.headers['content-type'] ?? 'application/x-www-form-urlencoded', raw);
    this.auth.verifyBody(fields, req.headers.authorization);
    let ids: unknown = fields.task_id_list ?? [];
    if (typeof ids === 'string') {
      try { ids = JSON.parse(ids); } catch { ids = []; }
    }
    const list = Array.isArray(ids) ? ids.map(String) : [];
    const behaviour = behaviourOf(opts);
    const data = behaviour.blockingRelease
      ? list.map(id => blockingResultEntry(behaviour, scheduler, id))
      : list.map(id => queuedResultEntry(opts, behaviour, scheduler, this.faults, id));
    this.send(res, '/query_result', 200, wrap(data));
  }

  private async audio(req: http.IncomingMessage, res: Res, url: URL): Promise<void> {
    const { opts, scheduler, downloads } = this;
    downloads.active++;
    downloads.total++;
    downloads.maxActive = Math.max(downloads.maxActive, downloads.active);
    let counted = true;
    const uncount = () => { if (counted) { counted = false; downloads.active--; } };
    res.on('close', uncount);
    try {
      if (opts.downloadDelayMs > 0) await sleep(opts.downloadDelayMs);
    } catch (e) {
      uncount();
      throw e;
    }
    this.auth.verifyHeader(req.headers.authorization);
    const path = url.searchParams.get('path');
    if (path === null) {
      throw new HttpError(422, [{ type: 'missing', loc: ['query', 'path'], msg: 'Field required', input: null }]);
    }
    const spec = scheduler.files.get(path);
    const behaviour = behaviourOf(opts);
    if (behaviour.confinedAudio && !path.startsWith(opts.outputDir + '/')) throw new HttpError(403, 'Access denied: path outside allowed directory');
    if (!spec) throw new HttpError(404, behaviour.audioNotFound(path));
    const dot = path.lastIndexOf('.');
    const type = AUDIO_TYPES[path.slice(dot + 1).toLowerCase()] ?? 'audio/mpeg';
    if (opts.notAudio) {
      const body = Buffer.from(opts.notAudio.body, 'utf8');
      const chunked = opts.notAudio.framing === 'chunked';
      res.writeHead(200, { server: 'uvicorn', 'content-type': type, ...(chunked ? {} : { 'content-length': body.length }) });
      res.end(body);
      return;
    }
    res.writeHead(200, {
      server: 'uvicorn',
      'content-type': type,
      'accept-ranges': 'bytes',
      'content-length': spec.size,
      'last-modified': new Date(scheduler.jobs[0]?.submittedAt ?? now()).toUTCString(),
      etag: `"${hash32(path).toString(16)}-${spec.size}"`,
    });
    const trickle = this.faults.takeTrickle();
    if (trickle) trickleDownload(res, spec, trickle);
    else streamPayload(res, spec, this.faults.takeCut(), this.opts.downloadChunkDelayMs);
  }

  /** U's LoRA and transcription routes (adapters.ts): verify_api_key, then a JSON body. */
  private adapters(req: http.IncomingMessage, res: Res, route: string, raw: Buffer): void {
    this.auth.verifyHeader(req.headers.authorization);
    const body = route.startsWith('POST') && raw.length ? parseFields('application/json', raw).fields : {};
    const endpoint = route.slice(route.indexOf(' ') + 1);
    const answer = endpoint === '/v1/transcribe'
      ? (route.startsWith('POST') ? transcribeRoute(body, this.opts, this.scheduler) : (() => { throw new HttpError(405, 'Method Not Allowed'); })())
      : loraRoute(route, body, this.opts, this.scheduler, this.lora);
    this.send(res, endpoint, 200, answer);
  }

  private formatInput(req: http.IncomingMessage, res: Res, raw: Buffer): void {
    const { opts } = this;
    const { fields } = parseFields(req.headers['content-type'] ?? '', raw);
    const behaviour = behaviourOf(opts);
    if (behaviour.formatWithoutLm === 'soft' && !opts.lmLoaded) return this.send(res, '/format_input', 200, wrap(null, 500, 'LLM not initialized'));
    this.auth.verifyBody(fields, req.headers.authorization);
    if (behaviour.formatWithoutLm === 'http-503' && !opts.lmLoaded) throw new HttpError(503, 'LLM not initialized. Set ACESTEP_INIT_LLM=true in .env to enable.');
    let po: Record<string, unknown> = {};
    if (behaviour.formatParamObj) {
      const v = fields.param_obj;
      if (v && typeof v === 'object') po = v as Record<string, unknown>;
      else if (typeof v === 'string' && v) { try { po = JSON.parse(v); } catch { po = {}; } }
    }
    this.send(res, '/format_input', 200, formatBody(fields, po));
  }

  private randomSample(req: http.IncomingMessage, res: Res, raw: Buffer): void {
    const { fields } = parseFields(req.headers['content-type'] ?? '', raw);
    this.auth.verifyBody(fields, req.headers.authorization);
    this.send(res, '/create_random_sample', 200, randomSampleBody(this.opts, fields));
  }
}

/** Sends a file's bytes in chunks; at `cutAt` the connection drops after the partial body went out. */
function streamPayload(res: Res, spec: PayloadSpec, cutAt: number, chunkDelayMs = 0): void {
  const CHUNK = chunkDelayMs > 0 ? 16 * 1024 : 256 * 1024;
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
      const flowing = res.write(buf);
      if (chunkDelayMs > 0 && offset < spec.size) {
        setTimeout(() => { if (!res.destroyed) pump(); }, chunkDelayMs);
        return;
      }
      if (!flowing) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('close', () => { offset = Math.max(offset, spec.size); });
  pump();
}

/** Sends the first `afterBytes` at once, then one byte every `intervalMs`, until done or the client leaves. */
function trickleDownload(res: Res, spec: PayloadSpec, tr: TrickleOption): void {
  const head = Math.min(spec.size, Math.max(0, tr.afterBytes ?? 0));
  let offset = 0;
  if (head > 0) {
    const buf = Buffer.allocUnsafe(head);
    fillPayload(spec, 0, buf);
    res.write(buf);
    offset = head;
  }
  const timer = setInterval(() => {
    if (offset >= spec.size) { clearInterval(timer); res.end(); return; }
    const buf = Buffer.allocUnsafe(1);
    fillPayload(spec, offset++, buf);
    res.write(buf);
  }, Math.max(1, tr.intervalMs));
  res.on('close', () => clearInterval(timer));
}
