// One call of an OpenAI-style POST /v1/chat/completions (upstream's "OpenRouter" adapter, a hosted ACE-Step): the
// request goes out, the song is generated inside it, and the answer carries the audio itself as a base64 data URL.
// Both answer forms are read: one JSON body (stream: false), or server-sent events (stream: true: a first chunk,
// "." every 2 s while it generates, the text, the audio, finish_reason "stop" or an "Error:" text with
// finish_reason "error", then "data: [DONE]"). Everything is bounded: the answer's size (a take's size limit), the
// wait (the blocking timeout; a stream that says nothing for the idle time). Failures become AceStepErrors through
// classify.ts, and the server's words are made safe (clean). No vscode import.
import { StringDecoder } from 'node:string_decoder';
import { request, type Dispatcher } from 'undici';
import { looksLikeAudio } from './audio-check';
import { clean, httpError, networkError } from './classify';
import { AceStepError } from './errors';
import { describeBody } from './parse';
import { CallSignal, readLimited, type CallOptions, type Transport } from './transport';
import { CHAT_PATH, chatUrlOf } from './chat-url';

export { CHAT_PATH, chatUrlOf, isChatUrl } from './chat-url';

const ENDPOINT = CHAT_PATH;

/** The largest take an answer may carry, by default (decoded bytes; the base64 text is a third larger). */
export const DEFAULT_MAX_CHAT_AUDIO_BYTES = 256 * 1024 * 1024;

export interface ChatCallOptions extends CallOptions {
  /** Largest decoded take accepted (bytes). */
  maxAudioBytes?: number;
  /** A stream's sign of life (a heartbeat chunk or any data). */
  onAlive?: () => void;
}

export interface ChatAnswer {
  /** The server's text about the take (metadata and lyrics), made safe. */
  content: string;
  audio: { bytes: Buffer; mime: string }[];
}

/** The audio of a data URL; bad-response when it is not one, is not base64, or is larger than the limit. */
export function decodeDataUrl(url: unknown, maxBytes: number): { bytes: Buffer; mime: string } {
  if (typeof url !== 'string') throw new AceStepError('bad-response', 'The audio in the answer has no data URL.', { endpoint: ENDPOINT });
  const m = /^data:([^;,]*)((?:;[^;,]*)*),/i.exec(url.slice(0, 256));
  if (!m || !/;base64/i.test(m[2])) throw new AceStepError('bad-response', `The audio in the answer is not a base64 data URL: it starts with ${describeBody(url.slice(0, 40))}.`, { endpoint: ENDPOINT });
  const b64 = url.slice(m[0].length).replace(/\s+/g, '');
  if (b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) {
    throw new AceStepError('bad-response', 'The audio in the answer is not valid base64.', { endpoint: ENDPOINT });
  }
  if ((b64.length / 4) * 3 > maxBytes + 2) throw tooLarge(maxBytes);
  const bytes = Buffer.from(b64, 'base64');
  if (!bytes.length) throw new AceStepError('bad-response', 'The audio in the answer is empty.', { endpoint: ENDPOINT });
  return { bytes, mime: m[1] || 'application/octet-stream' };
}

const tooLarge = (maxBytes: number) => new AceStepError('bad-response',
  `The answer of ${ENDPOINT} is larger than a take may be (${Math.round(maxBytes / 1e6)} MB); not kept.`, { endpoint: ENDPOINT });

/** The audio list of a message or a delta: `[{type: "audio_url", audio_url: {url}}]`, or null. */
function audioOf(v: unknown, maxBytes: number): { bytes: Buffer; mime: string }[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw new AceStepError('bad-response', 'The answer\'s "audio" is not a list.', { endpoint: ENDPOINT });
  return v.map(a => decodeDataUrl((a as { audio_url?: { url?: unknown } })?.audio_url?.url, maxBytes));
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function firstChoice(body: unknown, what: string): Record<string, unknown> {
  const choice = isObj(body) && Array.isArray(body.choices) ? body.choices[0] : undefined;
  if (!isObj(choice)) throw new AceStepError('bad-response', `The ${what} of ${ENDPOINT} has no "choices".`, { endpoint: ENDPOINT });
  return choice;
}

/** Sends one chat completions request and reads its answer (see the top of this file). */
export async function chatComplete(t: Transport, body: Record<string, unknown>, opts: ChatCallOptions = {}): Promise<ChatAnswer> {
  const url = new URL(chatUrlOf(t.baseUrl));
  const stream = body.stream === true;
  const maxAudio = opts.maxAudioBytes ?? DEFAULT_MAX_CHAT_AUDIO_BYTES;
  // The base64 text is 4/3 of the audio, and the rest of the answer is small.
  const maxAnswer = Math.ceil((maxAudio * 4) / 3) + 1024 * 1024;
  const idle = t.timeouts.downloadIdleMs;
  const sig = new CallSignal(opts.signal, opts.timeoutMs ?? t.timeouts.blockingReleaseMs);
  let idleTimer: NodeJS.Timeout | undefined;
  let idleFired = false;
  const alive = () => {
    if (!stream) return;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => { idleFired = true; sig.controller.abort(new Error('idle')); }, idle);
  };
  try {
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        method: 'POST',
        headers: t.headersFor(url, { 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json' }),
        body: JSON.stringify(body),
        dispatcher: t.dispatcher,
        signal: sig.signal,
        // A blocking answer comes when the song is done; a stream is watched by the idle timer instead.
        headersTimeout: stream ? idle : 0,
        bodyTimeout: stream ? idle : 0,
      });
    } catch (e) {
      throw networkError(t, e, ENDPOINT, sig, opts.timeoutMs ?? t.timeouts.blockingReleaseMs);
    }
    alive();
    if (res.statusCode < 200 || res.statusCode >= 300) {
      const text = await readLimited(res.body, 1024 * 1024).catch(() => '');
      throw httpError(t, ENDPOINT, { status: res.statusCode, text });
    }
    const ct = String(res.headers['content-type'] ?? '');
    try {
      return /text\/event-stream/i.test(ct)
        ? await readStream(t, res.body, maxAnswer, maxAudio, () => { alive(); opts.onAlive?.(); })
        : await readJson(t, res.body, maxAnswer, maxAudio);
    } catch (e) {
      if (e instanceof AceStepError) throw e;
      if (idleFired) throw new AceStepError('timeout', `The chat completions endpoint at ${t.baseUrl} said nothing for ${Math.round(idle / 1000)} s while generating.`, { endpoint: ENDPOINT, cause: e });
      throw networkError(t, e, ENDPOINT, sig, opts.timeoutMs ?? t.timeouts.blockingReleaseMs, `The answer of ${ENDPOINT}`);
    }
  } finally {
    if (idleTimer) clearTimeout(idleTimer);
    sig.dispose();
  }
}

async function readAll(body: Dispatcher.ResponseData['body'], max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of body) {
    n += (c as Buffer).length;
    if (n > max) { body.destroy(); return '\u0000too-large'; }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(t: Transport, stream: Dispatcher.ResponseData['body'], maxAnswer: number, maxAudio: number): Promise<ChatAnswer> {
  const text = await readAll(stream, maxAnswer);
  if (text === '\u0000too-large') throw tooLarge(maxAudio);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AceStepError('bad-response', `The answer of ${ENDPOINT} is not JSON: ${describeBody(clean(t, text.slice(0, 2000)))}.`, { endpoint: ENDPOINT, status: 200 });
  }
  const message = firstChoice(body, 'answer').message;
  if (!isObj(message)) throw new AceStepError('bad-response', `The answer of ${ENDPOINT} has no message.`, { endpoint: ENDPOINT });
  return { content: clean(t, typeof message.content === 'string' ? message.content : ''), audio: audioOf(message.audio, maxAudio) };
}

/** Server-sent events: `data: {chunk}` separated by blank lines, up to `data: [DONE]`. */
async function readStream(t: Transport, stream: Dispatcher.ResponseData['body'], maxAnswer: number, maxAudio: number, alive: () => void): Promise<ChatAnswer> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let scanned = 0;
  let total = 0;
  let content = '';
  const audio: { bytes: Buffer; mime: string }[] = [];
  let finish: string | null = null;
  let done = false;
  const event = (block: string) => {
    for (const line of block.split(/\r?\n/)) {
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trim();
      if (data === '[DONE]') { done = true; return; }
      let chunk: unknown;
      try {
        chunk = JSON.parse(data);
      } catch {
        throw new AceStepError('bad-response', `The stream of ${ENDPOINT} sent a chunk that is not JSON: ${describeBody(clean(t, data.slice(0, 200)))}.`, { endpoint: ENDPOINT, status: 200 });
      }
      const choice = firstChoice(chunk, 'stream chunk');
      const delta = isObj(choice.delta) ? choice.delta : {};
      if (typeof delta.content === 'string') content += delta.content;
      audio.push(...audioOf(delta.audio, maxAudio));
      if (typeof choice.finish_reason === 'string') finish = choice.finish_reason;
    }
  };
  for await (const c of stream) {
    total += (c as Buffer).length;
    if (total > maxAnswer) { stream.destroy(); throw tooLarge(maxAudio); }
    alive();
    pending += decoder.write(c as Buffer);
    for (;;) {
      const at = pending.slice(Math.max(0, scanned - 3)).search(/\r?\n\r?\n/);
      if (at < 0) { scanned = pending.length; break; }
      const end = Math.max(0, scanned - 3) + at;
      const sep = /^\r?\n\r?\n/.exec(pending.slice(end))![0].length;
      event(pending.slice(0, end));
      pending = pending.slice(end + sep);
      scanned = 0;
      if (done) break;
    }
    if (done) { stream.destroy(); break; }
  }
  if (!done && pending.trim()) event(pending);
  const text = clean(t, content);
  if (finish === 'error') {
    const words = text.replace(/^[\s.]*(Generating music)?[\s.]*/, '').replace(/^Error:\s*/, '').trim();
    // A traceback (the mounted adapter sends the job's whole one): its last line says what went wrong.
    const last = words.split('\n').map(l => l.trim()).filter(Boolean).pop() ?? '';
    throw new AceStepError('server', `The server failed (${ENDPOINT})${last ? `: ${last}` : '.'}`, { endpoint: ENDPOINT, status: 200, ...(words ? { serverMessage: words } : {}) });
  }
  if (!done && finish === null) {
    throw new AceStepError('unreachable', `The stream of ${ENDPOINT} broke off before the song was done (${total} bytes received).`, { endpoint: ENDPOINT });
  }
  return { content: text, audio };
}

/**
 * The audio format of a take that came inside an answer: the one asked for when the bytes start like it, else the
 * one they start like (the hosted-only server labels every take audio/mpeg, whatever its format), else undefined.
 */
export function sniffFormat(bytes: Uint8Array, asked?: string): string | undefined {
  const start = bytes.subarray(0, 512);
  if (asked && looksLikeAudio(start, asked)) return asked === 'wav32' ? 'wav' : asked;
  return ['wav', 'ogg', 'm4a', 'mp3', 'flac', 'aac'].find(f => looksLikeAudio(start, f));
}
