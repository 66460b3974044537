// A multipart/form-data body written here, byte for byte: FormData's encoding turns every LF in a text field
// into CRLF (the HTML form rules), which changes lyrics, captions and prompts on their way to the server.
// Here a text field is sent as its UTF-8 bytes, unchanged, and a file is streamed from disk (never held whole).
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

export interface MultipartBody {
  /** The body, streamed: the text parts from memory, the files from disk. */
  stream: Readable;
  /** `multipart/form-data; boundary=…` */
  contentType: string;
  /** The exact byte length (sent as Content-Length). */
  length: number;
}

/** A header value in quotes: the characters that would end it are percent-escaped, as browsers do. */
function quoted(s: string): string {
  return `"${s.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;
}

/**
 * The body for `fields` (text, sent unchanged) and `files` ([field, local path]). Reads each file's size first, so
 * a missing file fails here, before anything is sent.
 */
export async function multipartBody(fields: Record<string, string>, files: readonly [string, string][]): Promise<MultipartBody> {
  const boundary = `----acestep-studio-${randomBytes(12).toString('hex')}`;
  const pieces: (Buffer | { file: string; size: number })[] = [];
  for (const [name, value] of Object.entries(fields)) {
    pieces.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}\r\n\r\n`, 'utf8'));
    pieces.push(Buffer.from(value, 'utf8'), Buffer.from('\r\n'));
  }
  for (const [name, file] of files) {
    const size = (await fs.stat(file)).size;
    pieces.push(Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}; filename=${quoted(path.basename(file))}\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n', 'utf8'));
    pieces.push({ file, size }, Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  const length = pieces.reduce((n, p) => n + (Buffer.isBuffer(p) ? p.length : p.size), 0);
  async function* chunks(): AsyncGenerator<Buffer> {
    for (const p of pieces) {
      if (Buffer.isBuffer(p)) yield p;
      else for await (const c of createReadStream(p.file)) yield c as Buffer;
    }
  }
  return { stream: Readable.from(chunks()), contentType: `multipart/form-data; boundary=${boundary}`, length };
}
