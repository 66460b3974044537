// Downloading takes, the one module for it: the entry (download) with the retries, the `.part` file and
// the error kinds, over two transports. Plain http goes through the lean reader (lean-reader.ts: flat
// memory for huge files, Content-Length-framed answers only); everything else (https, chunked answers,
// or `transport: 'undici'`) goes through undici, below.
import { createWriteStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { request, type Dispatcher } from 'undici';
import { clean, httpError, isFsError, networkError } from './classify';
import { AceStepError } from './errors';
import { LeanError, leanGet } from './lean-reader';
import { describeBody } from './parse';
import { CallSignal, readLimited, type Transport } from './transport';
import type { DownloadProgress, DownloadResult, ResultItem } from './types';
import { sleep } from '../util/sleep';
import { trackTemp, untrackTemp } from '../util/temp-files';

export interface DownloadOptions {
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  /** Tries in all (a dropped connection restarts from scratch: no reliable Range). Default 4. */
  attempts?: number;
  /** Pause before retry n (ms), default 250 × n. */
  retryDelayMs?: (attempt: number) => number;
  /**
   * 'auto' (default): plain-http takes use the lean socket reader (lean-reader.ts: flat memory for
   * huge files), everything else (https, chunked answers) undici. 'undici' forces undici.
   */
  transport?: 'auto' | 'undici';
}

type Got = { bytes: number; contentType?: string };
const AUDIO_EXT = new Set(['mp3', 'wav', 'flac', 'ogg', 'opus', 'aac', 'm4a']);

/** The absolute URL a result item (or link) downloads from. */
export function linkUrl(t: Transport, ref: ResultItem | string): string {
  const link = typeof ref === 'string' ? ref : ref.link;
  if (!link) throw new AceStepError('bad-response', 'The result item has no download link (no "file"/"url").', { endpoint: '/query_result' });
  return t.resolve(link).toString();
}

/**
 * Streams one take to `destPath` (through `destPath.part`, renamed when complete and matching
 * Content-Length). A dropped connection restarts the download from scratch, a few times.
 * The local path is the caller's; nothing of the server's path is used.
 */
export async function download(t: Transport, ref: ResultItem | string, destPath: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
  const attempts = Math.max(1, opts.attempts ?? 4);
  const delay = opts.retryDelayMs ?? (n => 250 * n);
  let url: URL;
  try {
    url = new URL(linkUrl(t, ref));
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
  trackTemp(part);
  try {
    return await attemptAll(t, url, endpoint, part, destPath, attempts, delay, opts);
  } finally {
    untrackTemp(part);
  }
}

async function attemptAll(
  t: Transport, url: URL, endpoint: string, part: string, destPath: string, attempts: number,
  delay: (attempt: number) => number, opts: DownloadOptions,
): Promise<DownloadResult> {
  let last: AceStepError | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const r = opts.transport !== 'undici' && url.protocol === 'http:'
        ? await viaLean(t, url, endpoint, part, opts)
        : await viaUndici(t, url, endpoint, part, opts);
      try {
        await fsp.rename(part, destPath);
      } catch (e) {
        throw new AceStepError('disk', `Cannot move the download into place (${destPath}): ${(e as Error).message}`, { endpoint, cause: e });
      }
      return { path: destPath, bytes: r.bytes, contentType: r.contentType, attempts: attempt };
    } catch (e) {
      await fsp.rm(part, { force: true }).catch(() => undefined);
      last = e instanceof AceStepError ? e : new AceStepError('unreachable', clean(t, String((e as Error)?.message ?? e)), { endpoint, cause: e });
      const retryable = last.kind === 'unreachable' || last.kind === 'timeout';
      if (!retryable || attempt === attempts || opts.signal?.aborted) break;
      await sleep(delay(attempt), opts.signal);
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

/** The plain-http path. Falls back to undici for answers the lean reader does not handle. */
async function viaLean(t: Transport, url: URL, endpoint: string, part: string, opts: DownloadOptions): Promise<Got> {
  const idle = t.timeouts.downloadIdleMs;
  const ac = new AbortController();
  const onAbort = () => ac.abort();
  if (opts.signal?.aborted) ac.abort();
  else opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const r = await leanGet(url, t.headersFor(url, { accept: '*/*' }), part, {
      signal: ac.signal,
      idleMs: idle,
      onProgress: opts.onProgress ? (received, total) => opts.onProgress!({ received, total }) : undefined,
    });
    if (r.fallback) return await viaUndici(t, url, endpoint, part, opts);
    const contentType = r.headers['content-type'] || undefined;
    if (r.body !== undefined) {
      if (r.status >= 200 && r.status < 300) {
        throw new AceStepError('bad-response', `The server's answer to ${endpoint} is not audio: ${describeBody(clean(t, r.body))}.`, { endpoint, status: r.status });
      }
      throw httpError(t, endpoint, { status: r.status, text: r.body });
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
    // The socket's own errors (ECONNREFUSED, ...): neither cancelled nor timed out here (those are LeanErrors).
    throw networkError(t, e, endpoint, { cancelled: false, timedOut: false }, idle, `The download from ${endpoint}`);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

async function viaUndici(t: Transport, url: URL, endpoint: string, part: string, opts: DownloadOptions): Promise<Got> {
  const idle = t.timeouts.downloadIdleMs;
  const sig = new CallSignal(opts.signal, 0);
  const what = `The download from ${endpoint}`;
  let received = 0;
  let total: number | undefined;
  try {
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        method: 'GET', headers: t.headersFor(url, { accept: '*/*' }), dispatcher: t.dispatcher, signal: sig.signal, headersTimeout: idle, bodyTimeout: idle,
      });
    } catch (e) {
      throw networkError(t, e, endpoint, sig, idle, what);
    }
    const ctHeader = res.headers['content-type'];
    const contentType = (Array.isArray(ctHeader) ? ctHeader[0] : ctHeader) || undefined;
    if (res.statusCode < 200 || res.statusCode >= 300) {
      const text = await readLimited(res.body, 1024 * 1024).catch(() => '');
      throw httpError(t, endpoint, { status: res.statusCode, text });
    }
    if (contentType && /^(text\/html|application\/json)/i.test(contentType)) {
      const text = await readLimited(res.body, 1024 * 1024).catch(() => '');
      throw new AceStepError('bad-response', `The server's answer to ${endpoint} is not audio: ${describeBody(clean(t, text))}.`, { endpoint, status: res.statusCode });
    }
    const lenHeader = res.headers['content-length'];
    const len = Number(Array.isArray(lenHeader) ? lenHeader[0] : lenHeader);
    if (lenHeader !== undefined && Number.isFinite(len) && len >= 0) total = len;
    let lastReport = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        received += chunk.length;
        const now = Date.now();
        if (opts.onProgress && now - lastReport >= 100) {
          lastReport = now;
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
      const ne = networkError(t, e, endpoint, sig, idle, what);
      if (ne.kind === 'unreachable' || ne.kind === 'timeout') {
        throw new AceStepError(ne.kind, `${what} broke off after ${received}${total !== undefined ? ` of ${total}` : ''} bytes: ${ne.message}`, { endpoint, cause: e });
      }
      throw ne;
    }
    if (total !== undefined && received !== total) {
      throw new AceStepError('unreachable', `${what} stopped after ${received} of ${total} bytes.`, { endpoint });
    }
    opts.onProgress?.({ received, total });
    return { bytes: received, contentType };
  } finally {
    sig.dispose();
  }
}

/** The audio file extension for a result item: from the server path, else the content type. */
export function audioExtension(item: Pick<ResultItem, 'serverPath' | 'link'>, contentType?: string): string {
  const m = /\.([A-Za-z0-9]{2,5})$/.exec(item.serverPath ?? '');
  if (m && AUDIO_EXT.has(m[1].toLowerCase())) return m[1].toLowerCase();
  const ct = (contentType ?? '').toLowerCase();
  if (ct.includes('wav')) return 'wav';
  if (ct.includes('flac')) return 'flac';
  if (ct.includes('ogg') || ct.includes('opus')) return 'ogg';
  if (ct.includes('aac') || ct.includes('mp4')) return 'aac';
  return 'mp3';
}
