// The one error type the ACE-Step client throws. Every failure, whatever its origin (network, HTTP status,
// a body that is not what the API promises, the local disk), ends up as an AceStepError with a `kind`
// the UI can act on and a message a person can read. Messages never contain the API key nor a raw control character: server text
// reaches them through `clean` (classify.ts), the one door.

export type AceStepErrorKind =
  | 'unreachable' // no connection (refused, DNS, reset, dropped mid-body)
  | 'timeout' // the server took longer than allowed
  | 'cancelled' // the caller aborted
  | 'auth' // 401 / 403
  | 'queue-full' // 429
  | 'not-found' // 404
  | 'lm-unavailable' // the 5 Hz language model is not loaded
  | 'bad-request' // 400 / 405 / 415 / 422 and soft errors about the request
  | 'server' // 5xx and soft errors, with the server's own words
  | 'bad-response' // HTML, truncated JSON, wrong types
  | 'disk' // local file system
  | 'unsupported'; // the server cannot carry out this job (refused before sending; see needs.ts)

export interface AceStepErrorDetails {
  endpoint?: string;
  status?: number;
  serverMessage?: string;
  cause?: unknown;
}

export class AceStepError extends Error {
  readonly kind: AceStepErrorKind;
  readonly endpoint?: string;
  readonly status?: number;
  readonly serverMessage?: string;

  constructor(kind: AceStepErrorKind, message: string, details: AceStepErrorDetails = {}) {
    super(message, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = 'AceStepError';
    this.kind = kind;
    if (details.endpoint !== undefined) this.endpoint = details.endpoint;
    if (details.status !== undefined) this.status = details.status;
    if (details.serverMessage !== undefined) this.serverMessage = details.serverMessage;
  }

  toJSON(): { kind: AceStepErrorKind; message: string; endpoint?: string; status?: number; serverMessage?: string } {
    return { kind: this.kind, message: this.message, endpoint: this.endpoint, status: this.status, serverMessage: this.serverMessage };
  }
}

export function isAceStepError(e: unknown): e is AceStepError {
  return e instanceof AceStepError;
}

/** The kind an HTTP error status maps to. */
export function kindForStatus(status: number, serverMessage = ''): AceStepErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not-found';
  if (status === 429) return 'queue-full';
  if (status === 503 && /\b(LLM|LM)\b|language model/i.test(serverMessage)) return 'lm-unavailable';
  // Once a job has tried to load a missing LM, the servers answer 500 "LLM init failed: …" instead of the 503.
  if (status === 500 && /\bLLM init(iali[sz]ation)? failed\b/i.test(serverMessage)) return 'lm-unavailable';
  if (status >= 500) return 'server';
  return 'bad-request';
}
