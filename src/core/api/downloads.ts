// Downloading takes, the one module for it: the entry (download) with the retries, the `.part` file and
// the error kinds, over two transports. Plain http goes through the lean reader (lean-reader.ts: flat
// memory for huge files, Content-Length-framed answers only); everything else (https, chunked answers,
// or `transport: 'undici'`) goes through undici, below.
import { closeSync, createWriteStream, openSync, promises as fsp } from 'node:fs';
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
import { moveNoReplace } from '../util/fs-atomic';
import { trackTemp, untrackTemp } from '../util/temp-files';
import { checkAudioFile } from './audio-check';

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
  /**
   * The slowest pace a take may arrive at once `slowGraceMs` has passed: an attempt that has not received
   * minBytesPerSecond × (elapsed − grace) bytes is stopped as a timeout (and retried), so a server trickling
   * a byte now and then (which no idle timer notices) cannot hold a take forever. 0 turns the check off.
   * Default DEFAULT_MIN_BYTES_PER_SECOND.
   */
  minBytesPerSecond?: number;
  /** Default DEFAULT_SLOW_GRACE_MS. */
  slowGraceMs?: number;
  /** The audio format the file must start like; default: the destination's extension. */
  format?: string;
}

export const DEFAULT_MIN_BYTES_PER_SECOND = 16 * 1024;
export const DEFAULT_SLOW_GRACE_MS = 30_000;

/** Stops an attempt that falls below the minimum pace after the grace period. */
class PaceGuard {
  private readonly ac = new AbortController();
  private readonly started = Date.now();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly onAbort = () => this.ac.abort();
  received = 0;
  tooSlow = false;

  constructor(private readonly outer: AbortSignal | undefined, private readonly minBps: number, private readonly graceMs: number) {
    if (outer?.aborted) this.ac.abort();
    else outer?.addEventListener('abort', this.onAbort, { once: true });
    if (minBps > 0) {
      this.timer = setInterval(() => {
        const late = Date.now() - this.started - graceMs;
        if (late > 0 && this.received < (minBps * late) / 1000) {
          this.tooSlow = true;
          this.ac.abort();
        }
      }, 250);
      this.timer.unref?.();
    }
  }

  get signal(): AbortSignal { return this.ac.signal; }

  error(endpoint: string): AceStepError {
    const secs = ((Date.now() - this.started) / 1000).toFixed(1);
    return new AceStepError('timeout', `The download from ${endpoint} is too slow: ${this.received} bytes in ${secs} s, below the minimum of ${this.minBps} bytes/s (after ${Math.round(this.graceMs / 1000)} s of grace; the minimum download speed is a setting).`, { endpoint });
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.outer?.removeEventListener('abort', this.onAbort);
  }
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
  try {
    await fsp.mkdir(path.dirname(destPath), { recursive: true });
  } catch (e) {
    throw new AceStepError('disk', `Cannot create the folder ${path.dirname(destPath)}: ${(e as Error).message}`, { endpoint, cause: e });
  }
  const format = opts.format ?? path.extname(destPath);
  let last: AceStepError | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const r = await attemptOnce(t, url, endpoint, destPath, format, opts);
      return { path: destPath, bytes: r.bytes, contentType: r.contentType, attempts: attempt };
    } catch (e) {
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

/** One try: the body streamed into the part file at no less than the minimum pace (throughPart does the rest). */
async function attemptOnce(t: Transport, url: URL, endpoint: string, destPath: string, format: string, opts: DownloadOptions): Promise<Got> {
  const pace = new PaceGuard(opts.signal, opts.minBytesPerSecond ?? DEFAULT_MIN_BYTES_PER_SECOND, opts.slowGraceMs ?? DEFAULT_SLOW_GRACE_MS);
  try {
    return await throughPart(t, destPath, endpoint, format, async part => {
      const paced: DownloadOptions = { ...opts, signal: pace.signal, onProgress: p => { pace.received = p.received; opts.onProgress?.(p); } };
      try {
        return opts.transport !== 'undici' && url.protocol === 'http:'
          ? await viaLean(t, url, endpoint, part, paced)
          : await viaUndici(t, url, endpoint, part, paced);
      } catch (e) {
        if (pace.tooSlow && !opts.signal?.aborted) throw pace.error(endpoint);
        throw e;
      }
    });
  } finally {
    pace.dispose();
  }
}

/**
 * The way every take reaches its place: the temp file `<dest>.part` claimed exclusively (a second writer to the same
 * name fails instead of mixing in), filled by `fill`, checked to be audio, then moved to `destPath` without replacing
 * anything there. The temp file goes whatever happens.
 */
async function throughPart(t: Transport, destPath: string, endpoint: string, format: string, fill: (part: string) => Promise<Got>): Promise<Got> {
  const part = destPath + '.part';
  let created = false;
  try {
    try {
      // Created and registered in one synchronous step: a signal handler (they run between events) never sees a
      // file of ours that is not registered yet.
      closeSync(openSync(part, 'wx'));
      created = true;
      trackTemp(part);
    } catch (e) {
      const inUse = (e as NodeJS.ErrnoException).code === 'EEXIST';
      throw new AceStepError('disk', inUse ? `${part} is in use by another download: not overwritten.` : `Cannot write ${part}: ${(e as Error).message}`, { endpoint, cause: e });
    }
    const r = await fill(part);
    await checkAudioFile(part, format, endpoint, t.secrets);
    try {
      await moveNoReplace(part, destPath);
    } catch (e) {
      const taken = (e as NodeJS.ErrnoException).code === 'EEXIST';
      throw new AceStepError('disk', taken ? `${destPath} already exists: not replaced.` : `Cannot move the download into place (${destPath}): ${(e as Error).message}`, { endpoint, cause: e });
    }
    return r;
  } catch (e) {
    if (created) await fsp.rm(part, { force: true }).catch(() => undefined);
    throw e;
  } finally {
    if (created) untrackTemp(part);
  }
}

/**
 * A take that came inside the server's answer (a chat completions endpoint sends it base64): written to `destPath`
 * the way a download is (part file, audio check, never replacing a file).
 */
export async function saveTake(t: Transport, bytes: Uint8Array, destPath: string, opts: { endpoint: string; format?: string }): Promise<DownloadResult> {
  try {
    await fsp.mkdir(path.dirname(destPath), { recursive: true });
  } catch (e) {
    throw new AceStepError('disk', `Cannot create the folder ${path.dirname(destPath)}: ${(e as Error).message}`, { endpoint: opts.endpoint, cause: e });
  }
  const r = await throughPart(t, destPath, opts.endpoint, opts.format ?? path.extname(destPath), async part => {
    try {
      // The part exists (throughPart made it): opened without O_CREAT, so an exit's clean-up is never undone.
      await fsp.writeFile(part, bytes, { flag: 'r+' });
    } catch (e) {
      throw new AceStepError('disk', `Cannot write ${part}: ${(e as Error).message}`, { endpoint: opts.endpoint, cause: e });
    }
    return { bytes: bytes.length };
  });
  return { path: destPath, bytes: r.bytes, attempts: 1 };
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
      existing: true,
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
    // The part exists (attemptOnce made it): emptied (a lean try may have written into it) and opened without
    // O_CREAT, so an exit's clean-up is never undone by this open.
    await fsp.truncate(part, 0);
    const out = createWriteStream(part, { flags: 'r+', highWaterMark: 1024 * 1024 });
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
