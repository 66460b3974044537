// The HTTP exchange with one ACE-Step server: one keep-alive undici Agent, the headers (the Bearer key only
// for the configured origin), a signal and a timeout per call, and the `{data, code, error}` envelope.
import { Agent, request, type Dispatcher } from 'undici';
import { clean, cleanValue, httpError, networkError, type ClassifyContext } from './classify';
import { AceStepError } from './errors';
import type { MultipartBody } from './multipart';
import { parseEnvelope, parseJsonText, type Envelope } from './parse';
import { withoutCredentials } from '../util/server-text';

export interface ClientTimeouts {
  /** TCP connect. */
  connectMs: number;
  /** Ordinary calls (query_result, stats, models...). */
  requestMs: number;
  /** /health. */
  healthMs: number;
  /** /release_task where it answers at once (uploads may take a while). */
  releaseMs: number;
  /** /release_task where the server generates inside the request (capabilities: blockingRelease). */
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

export interface TransportOptions {
  baseUrl: string;
  apiKey?: string;
  timeouts?: Partial<ClientTimeouts>;
  /** Bring your own dispatcher (tests, proxies); it is then not closed here. */
  dispatcher?: Dispatcher;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface Answer {
  status: number;
  text: string;
  contentType: string;
}

/** JSON, or a multipart body written byte for byte (multipart.ts; never retried: its stream is read once). */
export type RequestBody = { json?: unknown; multipart?: MultipartBody };

/** Links a caller's signal and a timeout into one controller; tells afterwards which one fired. */
export class CallSignal {
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

export class Transport implements ClassifyContext {
  readonly baseUrl: string;
  readonly timeouts: ClientTimeouts;
  readonly dispatcher: Dispatcher;
  private readonly apiKey?: string;
  /** A user and password written into the server URL: never sent, printed or stored (ACE-Step takes a key). */
  private readonly urlCredentials: string[];
  private readonly ownsDispatcher: boolean;
  private readonly origin: string;

  constructor(options: TransportOptions) {
    let u: URL;
    try {
      u = new URL(options.baseUrl);
    } catch {
      throw new AceStepError('bad-request', `"${withoutCredentials(options.baseUrl)}" is not a valid server URL (expected e.g. http://localhost:8001).`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new AceStepError('bad-request', `The server URL must start with http:// or https:// (got ${u.protocol}).`);
    }
    this.urlCredentials = [u.username, u.password].flatMap(c => (c ? [c, safeDecode(c)] : []));
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    this.baseUrl = u.toString().replace(/\/+$/, '');
    this.origin = u.origin;
    this.apiKey = options.apiKey || undefined;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...(options.timeouts ?? {}) };
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

  /** What never appears in a message (ClassifyContext). */
  get secrets(): (string | undefined)[] {
    return [this.apiKey, ...this.urlCredentials];
  }

  /** Closes the keep-alive connections (only those of a dispatcher created here). */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close().catch(() => undefined);
  }

  /** An endpoint or a result link as an absolute URL (absolute links stay as they are). */
  resolve(link: string): URL {
    if (/^https?:\/\//i.test(link)) return new URL(link);
    const rel = link.startsWith('/') ? link : '/' + link;
    return new URL(this.baseUrl + rel);
  }

  headersFor(url: URL, extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { 'user-agent': 'acestep-studio', accept: 'application/json', ...extra };
    // The key goes only to the configured server, never to another origin a result item might name.
    if (this.apiKey && url.origin === this.origin) h.authorization = `Bearer ${this.apiKey}`;
    return h;
  }

  /** One HTTP exchange; returns status and text, or throws AceStepError. */
  async exchange(
    method: 'GET' | 'POST', endpoint: string, opts: CallOptions, defaultTimeout: number,
    body?: RequestBody, retrySocket = false,
  ): Promise<Answer> {
    const url = this.resolve(endpoint);
    const timeoutMs = opts.timeoutMs ?? defaultTimeout;
    for (let attempt = 1; ; attempt++) {
      const sig = new CallSignal(opts.signal, timeoutMs);
      try {
        const headers = this.headersFor(url, body?.json !== undefined ? { 'content-type': 'application/json' }
          : body?.multipart ? { 'content-type': body.multipart.contentType, 'content-length': String(body.multipart.length) } : {});
        const res = await request(url, {
          method,
          headers,
          body: body?.json !== undefined ? JSON.stringify(body.json) : body?.multipart?.stream,
          dispatcher: this.dispatcher,
          signal: sig.signal,
          headersTimeout: timeoutMs + 1000,
          bodyTimeout: timeoutMs + 1000,
        });
        const text = await readLimited(res.body, 8 * 1024 * 1024);
        const ct = res.headers['content-type'];
        return { status: res.statusCode, text, contentType: Array.isArray(ct) ? ct[0] : ct ?? '' };
      } catch (e) {
        const err = networkError(this, e, endpoint, sig, timeoutMs);
        // A keep-alive connection the server closed a moment ago: idempotent calls try once more.
        if (retrySocket && attempt === 1 && err.kind === 'unreachable' && /reset|dropped|closed/.test(err.message)) continue;
        throw err;
      } finally {
        sig.dispose();
      }
    }
  }

  /** A plain JSON endpoint (no envelope): a non-2xx answer throws, the body is parsed. */
  async json(method: 'GET' | 'POST', endpoint: string, opts: CallOptions, timeout: number, idempotent = method === 'GET'): Promise<unknown> {
    const ans = await this.exchange(method, endpoint, opts, timeout, undefined, idempotent);
    if (ans.status < 200 || ans.status >= 300) throw httpError(this, endpoint, ans);
    return cleanValue(this, parseJsonText(ans.text, endpoint, t => clean(this, t)));
  }

  /** JSON endpoint answering the `{data, code, error}` envelope. */
  async enveloped(
    method: 'GET' | 'POST', endpoint: string, opts: CallOptions, timeout: number,
    body?: RequestBody, idempotent = method === 'GET',
  ): Promise<Envelope> {
    const ans = await this.exchange(method, endpoint, opts, timeout, body, idempotent);
    if (ans.status < 200 || ans.status >= 300) throw httpError(this, endpoint, ans);
    return parseEnvelope(cleanValue(this, parseJsonText(ans.text, endpoint, t => clean(this, t))), endpoint);
  }
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

/** A body as text, at most `limit` bytes (the rest is not read). */
export async function readLimited(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
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
