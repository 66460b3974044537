// A take must be audio: its first bytes are checked against the format asked for before it is kept, so an
// empty 200, an error text or a web page saved as `take1.mp3` fails with the server's words instead of
// passing as a take. Only the signature is checked (the player and the user's tools judge the rest).
import { promises as fsp } from 'node:fs';
import { AceStepError } from './errors';
import { describeBody } from './parse';
import { serverText } from '../util/server-text';

const ascii = (b: Uint8Array, at: number, text: string) => Buffer.from(b.subarray(at, at + text.length)).toString('latin1') === text;
const id3 = (b: Uint8Array) => ascii(b, 0, 'ID3');
/** An MPEG audio frame header: 11 sync bits. */
const mpegSync = (b: Uint8Array) => b.length >= 2 && b[0] === 0xff && (b[1] & 0xe0) === 0xe0;
/** An ADTS (raw AAC) header: 12 sync bits, layer 0. */
const adts = (b: Uint8Array) => b.length >= 2 && b[0] === 0xff && (b[1] & 0xf6) === 0xf0;
/** An MP4 container (m4a): a `ftyp` box first. */
const ftyp = (b: Uint8Array) => ascii(b, 4, 'ftyp');
const riffWave = (b: Uint8Array) => (ascii(b, 0, 'RIFF') || ascii(b, 0, 'RF64')) && ascii(b, 8, 'WAVE');
const ogg = (b: Uint8Array) => ascii(b, 0, 'OggS');
const flac = (b: Uint8Array) => ascii(b, 0, 'fLaC');

const SIGNATURES: Record<string, (b: Uint8Array) => boolean> = {
  mp3: b => id3(b) || mpegSync(b),
  wav: riffWave,
  flac: b => flac(b) || id3(b),
  ogg,
  opus: ogg,
  aac: b => adts(b) || id3(b) || ftyp(b),
  m4a: ftyp,
};

/** The format a file name promises (`take1.wav` → wav; `wav32` is wav), if it is an audio format we know. */
export function formatOf(fileOrFormat: string): string | undefined {
  const ext = /(?:^|\.)([A-Za-z0-9]+)$/.exec(fileOrFormat)?.[1]?.toLowerCase();
  const f = ext === 'wav32' ? 'wav' : ext;
  return f && f in SIGNATURES ? f : undefined;
}

/** Whether bytes start like audio of the format (any audio format we know when none is given). */
export function looksLikeAudio(start: Uint8Array, format?: string): boolean {
  const f = format ? formatOf(format) : undefined;
  return f ? SIGNATURES[f](start) : Object.values(SIGNATURES).some(check => check(start));
}

/**
 * Checks a downloaded file's first bytes against the format; throws a bad-response error with the start of
 * what the server sent (made safe to show) when it is not audio. The caller removes the file.
 */
export async function checkAudioFile(file: string, format: string | undefined, endpoint: string, secrets: readonly (string | undefined)[]): Promise<void> {
  const fh = await fsp.open(file, 'r');
  let start: Buffer;
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    start = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  if (start.length && looksLikeAudio(start, format)) return;
  const f = formatOf(format ?? '');
  const what = f ? `${f} audio` : 'audio';
  const message = start.length
    ? `The server's answer to ${endpoint} is not ${what}: it starts with ${describeBody(serverText(start.toString('utf8'), secrets))}.`
    : `The server's answer to ${endpoint} is an empty file, not ${what}.`;
  throw new AceStepError('bad-response', message, { endpoint, status: 200 });
}
