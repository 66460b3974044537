// How long a source recording is, read from its header without decoding it: WAV (its header, as the player reads
// it), FLAC (STREAMINFO's sample count), MP3 (the Xing/Info or VBRI header's frame count, which every LAME/FFmpeg
// encoder writes; a bare CBR stream without one is not guessed at), Ogg Vorbis and Opus (the last page's granule
// position). Anything else, or a header that does not add up, gives undefined: the lint that needs the length
// is then skipped for that file. At most two 64 KiB reads per file.
// The editor asks on every keystroke, so AudioLengthCache answers from memory (keyed by path, size and mtime)
// and reads in the background, telling its owner when a length arrives.
import { open, type FileHandle } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { readWavInfo } from '../player/peaks';

const HEAD_BYTES = 64 * 1024;

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

/** The length of an audio file in seconds, or undefined when its format or header does not tell it cheaply. */
export async function readAudioLength(file: string): Promise<number | undefined> {
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const head = await readAt(fh, 0, HEAD_BYTES);
    const magic = head.toString('latin1', 0, 4);
    let sec: number | undefined;
    if (magic === 'RIFF') sec = (await readWavInfo(file))?.durationSec;
    else if (magic === 'OggS') sec = oggLength(head, await readAt(fh, Math.max(0, size - HEAD_BYTES), HEAD_BYTES));
    else {
      const start = id3Length(head);
      const body = start > 0 ? await readAt(fh, start, HEAD_BYTES) : head;
      sec = body.toString('latin1', 0, 4) === 'fLaC' ? flacLength(body) : mp3Length(body);
    }
    return sec !== undefined && Number.isFinite(sec) && sec > 0 ? sec : undefined;
  } finally {
    await fh.close();
  }
}

/** Bytes of an ID3v2 tag at the start (0 when there is none). */
function id3Length(b: Buffer): number {
  if (b.length < 10 || b.toString('latin1', 0, 3) !== 'ID3') return 0;
  const size = ((b[6] & 0x7f) << 21) | ((b[7] & 0x7f) << 14) | ((b[8] & 0x7f) << 7) | (b[9] & 0x7f);
  return 10 + size + (b[5] & 0x10 ? 10 : 0);
}

/** FLAC: STREAMINFO is the first metadata block; total samples 0 means unknown. */
function flacLength(b: Buffer): number | undefined {
  if (b.length < 8 + 18 || (b[4] & 0x7f) !== 0) return undefined;
  const s = 8; // after "fLaC" and the block header
  const rate = (b[s + 10] << 12) | (b[s + 11] << 4) | (b[s + 12] >> 4);
  const samples = (b[s + 13] & 0x0f) * 2 ** 32 + b.readUInt32BE(s + 14);
  return rate > 0 && samples > 0 ? samples / rate : undefined;
}

const MP3_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

/** MP3: the first frame's Xing/Info or VBRI header gives the frame count. */
function mp3Length(b: Buffer): number | undefined {
  for (let i = 0; i + 4 <= Math.min(b.length, 4096); i++) {
    if (b[i] !== 0xff || (b[i + 1] & 0xe0) !== 0xe0) continue;
    const version = (b[i + 1] >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    const layer = (b[i + 1] >> 1) & 3; // 1: Layer III
    const rateIndex = (b[i + 2] >> 2) & 3;
    if (version === 1 || layer !== 1 || rateIndex === 3 || (b[i + 2] >> 4) === 15) continue;
    const rate = MP3_RATES[version][rateIndex];
    const mono = (b[i + 3] >> 6) === 3;
    const samplesPerFrame = version === 3 ? 1152 : 576;
    const side = version === 3 ? (mono ? 17 : 32) : (mono ? 9 : 17);
    const x = i + 4 + side;
    const tag = b.toString('latin1', x, x + 4);
    if ((tag === 'Xing' || tag === 'Info') && x + 12 <= b.length && (b.readUInt32BE(x + 4) & 1)) {
      return (b.readUInt32BE(x + 8) * samplesPerFrame) / rate;
    }
    const v = i + 4 + 32;
    if (b.toString('latin1', v, v + 4) === 'VBRI' && v + 18 <= b.length) return (b.readUInt32BE(v + 14) * samplesPerFrame) / rate;
    return undefined; // the first frame has no header that counts the frames
  }
  return undefined;
}

/** Ogg Vorbis or Opus: the sample rate (and Opus's pre-skip) from the first packet, the granule from the last page. */
function oggLength(head: Buffer, tail: Buffer): number | undefined {
  if (head.length < 28) return undefined;
  const packet = 27 + head[26];
  let rate: number;
  let preSkip = 0;
  if (head.toString('latin1', packet + 1, packet + 7) === 'vorbis' && head[packet] === 1) rate = head.readUInt32LE(packet + 12);
  else if (head.toString('latin1', packet, packet + 8) === 'OpusHead') { rate = 48000; preSkip = head.readUInt16LE(packet + 10); } else return undefined;
  const last = tail.lastIndexOf('OggS', undefined, 'latin1');
  if (last < 0 || last + 14 > tail.length || rate <= 0) return undefined;
  const granule = Number(tail.readBigInt64LE(last + 6));
  return granule > preSkip ? (granule - preSkip) / rate : undefined;
}

/**
 * Lengths of source files for the linter, answered at once: a file read before (same size and mtime) gives its
 * length; any other starts a background read and gives undefined until `onRead` says the length is there.
 */
export class AudioLengthCache {
  private readonly known = new Map<string, { stamp: string; sec: number | undefined }>();
  private readonly reading = new Set<string>();
  constructor(private readonly onRead: (file: string) => void, private readonly read = readAudioLength) {}

  lengthOf(file: string): number | undefined {
    let stamp: string;
    try {
      const st = statSync(file);
      if (!st.isFile()) return undefined;
      stamp = `${st.size}:${st.mtimeMs}`;
    } catch {
      return undefined;
    }
    const hit = this.known.get(file);
    if (hit && hit.stamp === stamp) return hit.sec;
    const key = `${file}\n${stamp}`;
    if (!this.reading.has(key)) {
      this.reading.add(key);
      this.read(file).catch(() => undefined).then(sec => {
        this.reading.delete(key);
        this.known.set(file, { stamp, sec });
        if (sec !== undefined) this.onRead(file);
      });
    }
    return undefined;
  }
}
