// Error classification: whatever went wrong (a socket code, a timeout, the local disk, an HTTP status, a soft
// `{code, error}` answer) becomes one AceStepError with a kind the UI can act on. No I/O here.
import { AceStepError, kindForStatus, type AceStepErrorKind } from './errors';
import { serverWords } from './parse';
import { errorMessage } from '../util/error-message';
import { serverText, serverValue } from '../util/server-text';

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
const FS_SYSCALLS = ['open', 'write', 'rename', 'mkdir', 'close', 'fsync', 'unlink', 'read', 'stat', 'copyfile'];

/** The first code we know (network, timeout, disk) along an error's cause chain. */
export function errorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const c = (cur as { code?: unknown }).code;
    if (typeof c === 'string' && (c in NETWORK_CODES || TIMEOUT_CODES.has(c) || DISK_CODES.has(c) || c === 'ENOENT')) return c;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A failed file-system call (as opposed to a network failure inside the same pipeline). */
export function isFsError(e: unknown): boolean {
  const o = e as { syscall?: unknown; code?: unknown } | null;
  return !!o && typeof o.syscall === 'string' && FS_SYSCALLS.includes(o.syscall);
}

/** Who is asked, and what must never appear in a message. */
export interface ClassifyContext {
  baseUrl: string;
  secrets: (string | undefined)[];
}

/** How a call ended besides its error: the caller cancelled it, or its own timer fired. */
export interface CallEnd {
  cancelled: boolean;
  timedOut: boolean;
}

/**
 * Text that came from a server, made safe to print, log or store: escapes and control characters removed, the
 * key and URL credentials redacted (src/core/util/server-text.ts). Every server text enters through here or
 * through cleanValue (the JSON answers, in transport.ts).
 */
export const clean = (ctx: Pick<ClassifyContext, 'secrets'>, text: string): string => serverText(text, ctx.secrets);

/** A parsed JSON answer with every string in it cleaned. */
export const cleanValue = <T>(ctx: Pick<ClassifyContext, 'secrets'>, value: T): T => serverValue(value, ctx.secrets);

/** A failure without an HTTP answer: cancelled, timed out, or the server not reachable. */
export function networkError(
  ctx: ClassifyContext, e: unknown, endpoint: string, end: CallEnd, timeoutMs: number, what = `${endpoint}`,
): AceStepError {
  if (e instanceof AceStepError) return e;
  if (end.cancelled) return new AceStepError('cancelled', `${what} was cancelled.`, { endpoint, cause: e });
  if (end.timedOut) {
    return new AceStepError('timeout', `The ACE-Step server at ${ctx.baseUrl} did not answer ${endpoint} within ${Math.round(timeoutMs / 1000)} s.`, { endpoint, cause: e });
  }
  const code = errorCode(e);
  if (code && TIMEOUT_CODES.has(code)) {
    return new AceStepError('timeout', `The ACE-Step server at ${ctx.baseUrl} timed out on ${endpoint} (${code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connecting' : 'waiting for data'}).`, { endpoint, cause: e });
  }
  const why = code ? NETWORK_CODES[code] : undefined;
  const hint = code === 'ECONNREFUSED' ? ' Is it running?' : '';
  const message = why ?? clean(ctx, errorMessage(e));
  return new AceStepError('unreachable', `Cannot reach the ACE-Step server at ${ctx.baseUrl} (${endpoint}): ${message}.${hint}`, { endpoint, cause: e });
}

/** A non-2xx answer, with the server's own words. */
export function httpError(ctx: ClassifyContext, endpoint: string, ans: { status: number; text: string }): AceStepError {
  // Cleaned before (a key cut in half by the length limit) and after (escapes written as \u001b in JSON).
  const words = clean(ctx, serverWords(clean(ctx, ans.text)));
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

/** A soft error (HTTP 200, code ≠ 200) becomes an AceStepError with the server's words. */
export function softError(ctx: ClassifyContext, endpoint: string, env: { code: number; error: string | null }): AceStepError {
  const words = clean(ctx, env.error ?? `code ${env.code}`);
  const kind: AceStepErrorKind = /LLM|language model|\bLM\b/i.test(words) && /not (initiali[sz]ed|loaded|available)|requires/i.test(words)
    ? 'lm-unavailable' : env.code >= 400 && env.code < 500 ? 'bad-request' : 'server';
  return new AceStepError(kind, `The server could not do ${endpoint}: ${words}`, { endpoint, status: 200, serverMessage: words });
}
