// The lean HTTP/1.1 GET behind downloads.ts for big takes over plain http: reads the socket into one reused
// staging buffer (net's `onread`) and copies into a small fixed pool of write buffers, so a 200 MB download
// allocates almost nothing (a stream of fresh 64 KB chunks would leave tens of MB of garbage behind).
// Only the common case is handled here: a Content-Length-framed answer. Anything else (chunked, no
// length, https) is left to the undici path by downloads.ts: `fallback` tells why. Errors are LeanErrors
// (or the socket's own); downloads.ts turns them into AceStepErrors.
import * as net from 'node:net';
import { promises as fsp } from 'node:fs';

export interface LeanSizes {
  /** The staging buffer one socket read fills (at most this many bytes per read). */
  stage: number;
  /** Write buffers in the pool, and the size of each. */
  pool: number;
  slot: number;
  /** Longest response head accepted. */
  maxHead: number;
}

export const LEAN_SIZES: Readonly<LeanSizes> = { stage: 256 * 1024, pool: 4, slot: 1024 * 1024, maxHead: 64 * 1024 };
const MAX_ERROR_BODY = 1024 * 1024;

/**
 * The sizes the reader's copy loop relies on. It keeps reading only while the current slot has room for a
 * whole staged read or a free slot waits, so one read must fit in one slot (stage ≤ slot), or it would copy
 * into a slot that does not exist. The first body bytes come with the head (up to maxHead + one read) into
 * an empty pool, so they must fit the whole pool.
 */
export function assertLeanSizes(s: LeanSizes): void {
  const problems = [
    ...(Object.values(s).every(v => Number.isInteger(v) && v > 0) ? [] : ['every size must be a positive whole number']),
    ...(s.stage <= s.slot ? [] : [`one socket read (stage ${s.stage} bytes) must fit in one write slot (${s.slot} bytes)`]),
    ...(s.maxHead + s.stage <= s.pool * s.slot ? [] : [`the head and the first read (${s.maxHead + s.stage} bytes) must fit in the pool (${s.pool} × ${s.slot} bytes)`]),
  ];
  if (problems.length) throw new Error(`lean download sizes: ${problems.join('; ')}`);
}
assertLeanSizes(LEAN_SIZES);

export interface LeanResult {
  status: number;
  headers: Record<string, string>;
  /** Body bytes written to the file (2xx). */
  bytes?: number;
  /** The (small) body of a non-2xx answer, or of a 2xx that is HTML/JSON instead of audio. */
  body?: string;
  /** The answer is not Content-Length framed: use another transport. */
  fallback?: string;
}

export interface LeanOptions {
  signal: AbortSignal;
  /** Longest silence allowed (connect included). */
  idleMs: number;
  onProgress?: (received: number, total: number) => void;
  /** Buffer sizes (tests); LEAN_SIZES by default. */
  sizes?: LeanSizes;
  /** The caller created the file: open it without creating it, so a file removed meanwhile (an exit cleaning up
   *  its temp files) is never made again by an open still under way. */
  existing?: boolean;
}

/** Errors of the lean reader carry one of these codes (besides the socket's own, e.g. ECONNREFUSED). */
export class LeanError extends Error {
  constructor(readonly code: 'PREMATURE' | 'TIMEOUT' | 'ABORTED' | 'DISK' | 'BAD_HEAD', message: string, readonly received = 0, readonly total?: number, readonly cause?: unknown) {
    super(message);
  }
}

function parseHead(text: string): { status: number; headers: Record<string, string> } | undefined {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!m) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const k = line.slice(0, i).trim().toLowerCase();
    const v = line.slice(i + 1).trim();
    headers[k] = headers[k] !== undefined ? `${headers[k]}, ${v}` : v;
  }
  return { status: Number(m[1]), headers };
}

/** One GET over a fresh socket, the body written to `file` through the slot pool. */
export async function leanGet(url: URL, requestHeaders: Record<string, string>, file: string, opts: LeanOptions): Promise<LeanResult> {
  const sizes = opts.sizes ?? LEAN_SIZES;
  assertLeanSizes(sizes);
  const { stage: STAGE, pool: POOL, slot: SLOT, maxHead: MAX_HEAD } = sizes;
  for (const [k, v] of Object.entries(requestHeaders)) {
    if (/[\r\n]/.test(k) || /[\r\n]/.test(v)) throw new LeanError('BAD_HEAD', `header ${k} contains a line break`);
  }
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(file, opts.existing ? 'r+' : 'w');
  } catch (e) {
    throw new LeanError('DISK', (e as Error).message, 0, undefined, e);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 80);
  const target = `${url.pathname || '/'}${url.search}`;
  const head = [`GET ${target} HTTP/1.1`, `Host: ${url.host}`, ...Object.entries(requestHeaders).map(([k, v]) => `${k}: ${v}`), 'Connection: close', '', ''].join('\r\n');

  const free: Buffer[] = Array.from({ length: POOL }, () => Buffer.allocUnsafe(SLOT));
  const stage = Buffer.allocUnsafe(STAGE);
  let cur: Buffer | undefined = free.pop();
  let fill = 0;
  let writing: Promise<void> = Promise.resolve();
  let diskError: unknown;
  let stopped = false;

  let headBuf = Buffer.alloc(0);
  let status = 0;
  let headers: Record<string, string> = {};
  let phase: 'head' | 'body' | 'error-body' | 'done' = 'head';
  let total = 0;
  let received = 0;
  const errorChunks: Buffer[] = [];
  let errorBytes = 0;
  let lastReport = 0;

  let settle!: (r: LeanResult | LeanError | Error) => void;
  const done = new Promise<LeanResult>((resolve, reject) => {
    let settled = false;
    settle = r => {
      if (settled) return;
      settled = true;
      if (r instanceof Error) reject(r);
      else resolve(r);
    };
  });

  let socket!: net.Socket;
  const flush = () => {
    if (!cur || fill === 0) return;
    const b = cur;
    const len = fill;
    cur = free.pop();
    fill = 0;
    writing = writing.then(async () => {
      if (diskError) return;
      try {
        let off = 0;
        while (off < len) off += (await fh.write(b, off, len - off)).bytesWritten;
      } catch (e) {
        diskError = e;
        socket.destroy();
      }
    }).then(() => {
      free.push(b);
      if (!cur) cur = free.pop();
      if (stopped && phase === 'body') {
        stopped = false;
        socket.resume();
      }
    });
  };

  const finishBody = () => {
    phase = 'done';
    flush();
    socket.destroy();
    settle({ status, headers, bytes: received });
  };

  /** Body bytes of a 2xx answer. Returns false to stop reading until a pool buffer is free again. */
  const onBody = (b: Buffer, start: number, end: number): boolean => {
    let off = start;
    const limit = Math.min(end, start + (total - received));
    while (off < limit) {
      const n = Math.min(limit - off, SLOT - fill);
      b.copy(cur!, fill, off, off + n);
      fill += n;
      off += n;
      received += n;
      if (fill === SLOT) flush();
    }
    if (opts.onProgress && (received === total || Date.now() - lastReport >= 100)) {
      lastReport = Date.now();
      try { opts.onProgress(received, total); } catch { /* the listener's problem */ }
    }
    if (received >= total) {
      finishBody();
      return false;
    }
    // The next read (up to STAGE bytes) must fit: room in this slot, or a free one (see assertLeanSizes).
    if (!cur || (SLOT - fill < STAGE && free.length === 0)) {
      stopped = true;
      return false;
    }
    return true;
  };

  const onErrorBody = (b: Buffer, start: number, end: number) => {
    const n = Math.min(end - start, MAX_ERROR_BODY - errorBytes);
    if (n > 0) {
      errorChunks.push(Buffer.from(b.subarray(start, start + n)));
      errorBytes += n;
    }
    const length = Number(headers['content-length']);
    if ((Number.isFinite(length) && errorBytes >= length) || errorBytes >= MAX_ERROR_BODY) {
      phase = 'done';
      socket.destroy();
      settle({ status, headers, body: Buffer.concat(errorChunks).toString('utf8') });
    }
  };

  const onData = (nread: number, buf: Uint8Array): boolean => {
    const b = buf as Buffer;
    if (phase === 'body') return onBody(b, 0, nread);
    if (phase === 'error-body') { onErrorBody(b, 0, nread); return true; }
    if (phase === 'done') return false;
    headBuf = Buffer.concat([headBuf, b.subarray(0, nread)]);
    const end = headBuf.indexOf('\r\n\r\n');
    if (end < 0) {
      if (headBuf.length > MAX_HEAD) {
        socket.destroy();
        settle(new LeanError('BAD_HEAD', 'the answer has no end of headers'));
      }
      return true;
    }
    const parsed = parseHead(headBuf.subarray(0, end).toString('latin1'));
    if (!parsed) {
      socket.destroy();
      settle(new LeanError('BAD_HEAD', 'the answer is not HTTP/1.x'));
      return false;
    }
    ({ status, headers } = parsed);
    const rest = headBuf.subarray(end + 4);
    const te = headers['transfer-encoding'];
    const cl = headers['content-length'];
    const textual = /^(text\/html|application\/json)/i.test(headers['content-type'] ?? '');
    if (status >= 200 && status < 300 && !textual) {
      if (te || cl === undefined || !/^\d+$/.test(cl)) {
        phase = 'done';
        socket.destroy();
        settle({ status, headers, fallback: te ? `transfer-encoding ${te}` : 'no content-length' });
        return false;
      }
      total = Number(cl);
      phase = 'body';
      if (total === 0) { finishBody(); return false; }
      return onBody(rest, 0, rest.length);
    }
    phase = 'error-body';
    if (cl === '0') {
      phase = 'done';
      socket.destroy();
      settle({ status, headers, body: '' });
      return false;
    }
    onErrorBody(rest, 0, rest.length);
    return true;
  };

  const onAbort = () => {
    socket?.destroy();
    settle(new LeanError('ABORTED', 'aborted', received, total || undefined));
  };
  if (opts.signal.aborted) {
    await fh.close().catch(() => undefined);
    throw new LeanError('ABORTED', 'aborted');
  }
  opts.signal.addEventListener('abort', onAbort, { once: true });

  socket = net.connect({ host, port, onread: { buffer: stage, callback: onData } });
  socket.setNoDelay(true);
  socket.setTimeout(opts.idleMs, () => {
    socket.destroy();
    settle(new LeanError('TIMEOUT', `no data for ${Math.round(opts.idleMs / 1000)} s`, received, total || undefined));
  });
  socket.on('connect', () => socket.write(head));
  socket.on('error', e => settle(e));
  socket.on('close', () => {
    if (phase === 'error-body') settle({ status, headers, body: Buffer.concat(errorChunks).toString('utf8') });
    else if (phase !== 'done') settle(new LeanError('PREMATURE', 'the connection closed early', received, total || undefined));
  });

  try {
    const r = await done;
    await writing;
    if (diskError) throw new LeanError('DISK', (diskError as Error).message, received, total, diskError);
    return r;
  } catch (e) {
    await writing.catch(() => undefined);
    if (diskError) throw new LeanError('DISK', (diskError as Error).message, received, total, diskError);
    throw e;
  } finally {
    opts.signal.removeEventListener('abort', onAbort);
    socket.destroy();
    await fh.close().catch(() => undefined);
  }
}
