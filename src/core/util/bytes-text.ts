// Text that keeps its bytes. A user's file may hold bytes that are not UTF-8 (a Latin-1 comment, a binary
// password): decoding it the usual way turns those into U+FFFD and writing it back destroys them. Here every
// byte that is not part of a valid UTF-8 sequence becomes one lone surrogate U+DC80–U+DCFF (the "surrogate
// escape" idea), which no valid text contains, and encoding turns each back into its byte. So
// encodeBytesText(decodeBytesText(b)) equals b for every byte sequence b, and an edit of the decoded text changes
// only the bytes it touches.

const ESCAPE_BASE = 0xdc00;

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there does not start one. */
function validSequence(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0; // no overlongs
  if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0; // no surrogates
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0; // up to U+10FFFF
  return 0;
}

/** Decodes bytes as UTF-8, keeping every byte that is not valid UTF-8 as an escape character. */
export function decodeBytesText(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let out = '';
  let runStart = 0;
  let i = 0;
  while (i < buf.length) {
    const n = validSequence(buf, i);
    if (n > 0) { i += n; continue; }
    if (i > runStart) out += buf.toString('utf8', runStart, i);
    out += String.fromCharCode(ESCAPE_BASE + buf[i]!);
    i++;
    runStart = i;
  }
  if (runStart < buf.length) out += buf.toString('utf8', runStart, buf.length);
  return out;
}

/** The bytes of text made by decodeBytesText (escape characters become their bytes again; the rest is UTF-8). */
export function encodeBytesText(text: string): Buffer {
  const parts: Buffer[] = [];
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc80 || c > 0xdcff) continue;
    // A low surrogate right after a high one is a real character, not an escape.
    if (i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff) continue;
    if (i > runStart) parts.push(Buffer.from(text.slice(runStart, i), 'utf8'));
    parts.push(Buffer.of(c - ESCAPE_BASE));
    runStart = i + 1;
  }
  if (runStart < text.length) parts.push(Buffer.from(text.slice(runStart), 'utf8'));
  return Buffer.concat(parts);
}
