// Deterministic audio-like payloads of any size, produced chunk by chunk so a 200 MB take
// never sits in memory. The bytes depend only on (path, size, extension).
//   wav: a real RIFF/WAVE header (44.1 kHz, 16-bit stereo) and a sine tone
//   mp3: an ID3v2 header followed by MPEG-1 Layer III frame headers with filler payload
//   flac/opus/ogg/aac: the right magic bytes, then filler

export interface PayloadSpec {
  path: string;
  size: number;
  ext: string;
}

const WAV_HEADER = 44;

function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function wavHeader(size: number): Buffer {
  const dataBytes = Math.max(0, size - WAV_HEADER);
  const h = Buffer.alloc(WAV_HEADER);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(Math.min(0xffffffff, 36 + dataBytes), 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(2, 22); // stereo
  h.writeUInt32LE(44100, 24);
  h.writeUInt32LE(44100 * 4, 28);
  h.writeUInt16LE(4, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(Math.min(0xffffffff, dataBytes), 40);
  return h;
}

/** A header, then one block repeated forever; the block length is what makes the filling cheap. */
interface Layout {
  header: Buffer;
  block: Buffer;
}

const layouts = new Map<string, Layout>();

function layoutFor(spec: PayloadSpec): Layout {
  const key = `${spec.ext}|${spec.size}|${spec.path}`;
  const cached = layouts.get(key);
  if (cached) return cached;
  const seed = hash32(spec.path);
  let header: Buffer;
  let block: Buffer;
  switch (spec.ext) {
    case 'wav': {
      header = wavHeader(spec.size);
      const period = 80 + (seed % 120); // samples per cycle
      const frames = period * 64;
      block = Buffer.alloc(frames * 4);
      for (let i = 0; i < frames; i++) {
        const s = Math.round(Math.sin((2 * Math.PI * i) / period) * 9000);
        block.writeInt16LE(s, i * 4);
        block.writeInt16LE(s, i * 4 + 2);
      }
      break;
    }
    case 'mp3': {
      header = Buffer.from([0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
      const frameLen = 417; // 128 kbit/s, 44.1 kHz, no padding
      const frame = Buffer.alloc(frameLen);
      frame[0] = 0xff; frame[1] = 0xfb; frame[2] = 0x90; frame[3] = 0x64;
      let x = seed || 1;
      for (let i = 4; i < frameLen; i++) {
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
        frame[i] = x & 0xff;
      }
      block = Buffer.concat(Array.from({ length: 157 }, () => frame));
      break;
    }
    default: {
      const magic: Record<string, string> = { flac: 'fLaC', ogg: 'OggS', opus: 'OggS', aac: '\xff\xf1' };
      header = Buffer.from(magic[spec.ext] ?? '', 'latin1');
      block = Buffer.alloc(65536);
      let x = seed || 7;
      for (let i = 0; i < block.length; i++) {
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
        block[i] = x & 0xff;
      }
    }
  }
  const layout = { header, block };
  if (layouts.size > 256) layouts.clear();
  layouts.set(key, layout);
  return layout;
}

/** Fills `out` with the payload bytes starting at `offset`. */
export function fillPayload(spec: PayloadSpec, offset: number, out: Buffer): void {
  const { header, block } = layoutFor(spec);
  let pos = 0;
  let at = offset;
  while (pos < out.length && at < header.length) out[pos++] = header[at++];
  while (pos < out.length) {
    const inBlock = (at - header.length) % block.length;
    const n = Math.min(block.length - inBlock, out.length - pos);
    block.copy(out, pos, inBlock, inBlock + n);
    pos += n;
    at += n;
  }
}

/** The whole payload (only for small sizes: tests compare downloads against it). */
export function payloadBytes(spec: PayloadSpec): Buffer {
  const out = Buffer.allocUnsafe(spec.size);
  fillPayload(spec, 0, out);
  return out;
}
