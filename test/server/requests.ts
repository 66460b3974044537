// What the server makes of a request before any endpoint logic: the body as FastAPI reads it, and the
// API key check (ACESTEP_API_KEY, or G's `--api-key`).
import type http from 'node:http';
import { boundaryOf, parseMultipart } from './multipart';
import type { FakeOptions } from './options';
import { HttpError, PlainTextError } from './responses';
import type { FakeUpload } from './scheduler';

export const readBody = (req: http.IncomingMessage) => new Promise<Buffer>((resolve, reject) => {
  const chunks: Buffer[] = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => resolve(Buffer.concat(chunks)));
  req.on('error', reject);
});

export interface ParsedBody {
  fields: Record<string, unknown>;
  uploads: Record<string, FakeUpload>;
  /** Which branch of the server read the body: JSON, or one of the form branches (multipart, url-encoded). */
  encoding: 'json' | 'form';
}

/** What FastAPI handlers do with `await request.json()` / `await request.form()`. */
export function parseFields(contentType: string, raw: Buffer): ParsedBody {
  const ct = contentType.toLowerCase();
  if (ct.startsWith('multipart/form-data')) {
    const boundary = boundaryOf(contentType);
    if (!boundary) throw new PlainTextError();
    const fields: Record<string, unknown> = {};
    const uploads: Record<string, FakeUpload> = {};
    for (const part of parseMultipart(raw, boundary)) {
      if (part.filename !== undefined) uploads[part.name] = { filename: part.filename, contentType: part.contentType, data: part.data };
      else fields[part.name] = part.data.toString('utf8');
    }
    return { fields, uploads, encoding: 'form' };
  }
  if (ct.includes('json') || (!ct && /^\s*[[{]/.test(raw.toString('utf8')))) {
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      if (!ct) throw new HttpError(400, "Invalid JSON body (hint: set 'Content-Type: application/json')");
      throw new PlainTextError();
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'JSON payload must be an object');
    return { fields: body as Record<string, unknown>, uploads: {}, encoding: 'json' };
  }
  if (ct.startsWith('application/x-www-form-urlencoded') || (!ct && raw.includes('='))) {
    return { fields: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))), uploads: {}, encoding: 'form' };
  }
  throw new HttpError(415, `Unsupported Content-Type: ${ct || '(missing)'}; use application/json, application/x-www-form-urlencoded, or multipart/form-data`);
}

/** The API key check, as the servers do it. */
export class Auth {
  constructor(private readonly opts: FakeOptions) {}

  private keyRequired(): boolean {
    return this.opts.apiKey !== null && this.opts.apiKey !== undefined;
  }

  private tokenOk(token: string): boolean {
    return this.opts.apiKey !== '' && token === this.opts.apiKey;
  }

  /** Like verify_token_from_request (POST endpoints): body `ai_token` first, then the Authorization header. */
  verifyBody(body: Record<string, unknown>, authorization: string | undefined): void {
    if (!this.keyRequired()) return;
    const aiToken = body.ai_token;
    if (aiToken) {
      if (this.tokenOk(String(aiToken))) return;
      throw new HttpError(401, 'Invalid ai_token');
    }
    if (authorization) {
      const token = authorization.startsWith('Bearer ') ? authorization.slice(7) : authorization;
      if (this.tokenOk(token)) return;
      throw new HttpError(401, 'Invalid API key');
    }
    throw new HttpError(401, 'Missing ai_token or Authorization header');
  }

  /** Like verify_api_key (GET endpoints). */
  verifyHeader(authorization: string | undefined): void {
    if (!this.keyRequired()) return;
    if (!authorization) throw new HttpError(401, 'Missing Authorization header');
    const token = authorization.startsWith('Bearer ') ? authorization.slice(7) : authorization;
    if (!this.tokenOk(token)) throw new HttpError(401, 'Invalid API key');
  }
}
