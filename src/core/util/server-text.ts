// Text that came from a server is data: before it is printed, logged or stored it loses what could act on a
// terminal (escape sequences, control characters) and what must never be shown (the API key, credentials in a
// URL). One place does this, at the edge where server text enters; callers pass what they know to be secret.

// CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), other two-byte ESC sequences, and C1 controls (U+0080–U+009F,
// which include the one-character CSI and OSC).
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -~]?|[\u0080-\u009f]/g;
// C0 controls and DEL, except tab and line feed (a carriage return could overwrite a line on a terminal).
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/g;
// Bidirectional overrides and isolates can reorder what a person reads.
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

/** The text with terminal escape sequences and control characters removed (tabs and line feeds stay). */
export function stripControl(text: string): string {
  return text.replace(ESCAPES, '').replace(CONTROLS, '').replace(BIDI, '');
}

/** The text with every occurrence of each secret (of 4 characters or more) replaced by "***". */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    out = out.split(s).join('***');
    const encoded = encodeURIComponent(s);
    if (encoded !== s) out = out.split(encoded).join('***');
  }
  return out;
}

/** A server URL without user and password (they belong in the key setting, not in output or files). */
export function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, url.endsWith('/') ? '/' : '');
  } catch {
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1');
  }
}

/** Whether a server URL carries a user or password. */
export function hasCredentials(url: string): boolean {
  try {
    const u = new URL(url);
    return !!(u.username || u.password);
  } catch {
    return /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*@/i.test(url);
  }
}

/** Server text made safe to show: escapes and controls removed, then secrets redacted (so an escape cannot hide one). */
export function serverText(text: string, secrets: readonly (string | undefined)[] = []): string {
  return redactSecrets(stripControl(text), secrets);
}

/**
 * A value parsed from a server's JSON answer with every string in it (keys too) made safe by serverText; the
 * shape is kept. Lyrics and captions keep their tabs and line feeds.
 */
export function serverValue<T>(value: T, secrets: readonly (string | undefined)[] = []): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return serverText(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const out: Record<string, unknown> = {};
      // Defined, not assigned: a "__proto__" key stays a plain own property, as JSON.parse made it.
      for (const [k, x] of Object.entries(v)) {
        Object.defineProperty(out, serverText(k, secrets), { value: walk(x), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
