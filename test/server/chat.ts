// Upstream's OpenAI-style route, POST /v1/chat/completions (its "OpenRouter" adapter), as the real servers do it.
// Two codes carry it (flavours.ts `chat`):
// - 'mounted' (S, U): acestep/openrouter_adapter.py on the standalone API. Open (no key check at all), 503 while the
//   models are not initialized, the body read by a pydantic model whose `model` is required (400 "Invalid request
//   format: …" for any validation error), messages parsed for <prompt>/<lyrics> tags (else lyrics-like text is the
//   lyrics and any other text the LM's sample query), base64 `input_audio` parts written to files (undecodable ones
//   dropped silently), the job put on the shared queue (429 when full), then either a blocking wait (504 after
//   ACESTEP_GENERATION_TIMEOUT, a failed job a 500 whose detail is the traceback) or an SSE stream (a first chunk,
//   "." every 2 s, the text, the audio, finish_reason "stop" or an "Error:" text with finish_reason "error", then
//   [DONE]). Only the batch's first file comes back, as a data URL whose type follows audio_config.format.
// - 'standalone' (the hosted-only server, flavour C here): openrouter/openrouter_api_server.py. A Bearer key
//   (OPENROUTER_API_KEY: 401 "Missing Authorization header" / "Invalid API key"), FastAPI's own 422 for a body of
//   the wrong shape, no queue, the LM skipped when it is not loaded, failures "Generation failed: …" (500), and the
//   data URL always says audio/mpeg. Its /health is unwrapped and its model list is at /api/v1/models.
import type http from 'node:http';
import { payloadBytes } from './audio-payload';
import type { Faults } from './faults';
import type { FlavourBehaviour } from './flavours';
import type { FakeOptions } from './options';
import { Params } from './params';
import { Auth } from './requests';
import { HttpError, metasOf, sendRaw } from './responses';
import { isSampleRequest, lmSample } from './sample';
import type { FakeJob, FakeUpload, Scheduler } from './scheduler';
import { now } from './scheduler';

const MIME: Record<string, string> = { mp3: 'audio/mpeg', wav: 'audio/wav', flac: 'audio/flac', ogg: 'audio/ogg', m4a: 'audio/mp4', aac: 'audio/aac' };
const SRC_TASKS = new Set(['cover', 'repaint', 'lego', 'extract', 'complete']);
const LYRIC_MARKS = ['[verse', '[chorus', '[bridge', '[intro', '[outro', '[hook', '[pre-chorus', '[refrain', '[inst'];

export interface ChatContext {
  opts: FakeOptions;
  behaviour: FlavourBehaviour;
  scheduler: Scheduler;
  faults: Faults;
  send(res: http.ServerResponse, endpoint: string, status: number, value: unknown): void;
}

const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms));
const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** _looks_like_lyrics: a section marker, or four or more non-empty lines averaging under 60 characters. */
function looksLikeLyrics(text: string): boolean {
  if (!text) return false;
  const lower = text.toLowerCase();
  if (LYRIC_MARKS.some(m => lower.includes(m))) return true;
  const lines = text.split('\n').map(l => l.trim()).filter(Boolean);
  return lines.length >= 4 && lines.reduce((s, l) => s + l.length, 0) / lines.length < 60;
}

/** Python's lenient base64.b64decode: characters outside the alphabet dropped, bad padding an error. */
function pyB64decode(data: string): Buffer | undefined {
  const s = (data.includes(',') ? data.slice(data.indexOf(',') + 1) : data).replace(/[^A-Za-z0-9+/=]/g, '');
  const body = s.replace(/=+$/, '');
  if (body.length % 4 === 1 || s.length % 4 !== 0) return undefined;
  return Buffer.from(body, 'base64');
}

interface Parsed { prompt: string; lyrics: string; audio: FakeUpload[]; sampleQuery: string | undefined; hasTags: boolean }

/** _parse_messages: every user message, tags first, then the lyrics heuristic; input_audio parts in order. */
function parseMessages(messages: Record<string, unknown>[]): Parsed {
  const promptParts: string[] = [];
  let lyrics = '';
  let hasTags = false;
  const audio: FakeUpload[] = [];
  const text = (raw: string) => {
    const t = raw.trim();
    const pm = /<prompt>([\s\S]*?)<\/prompt>/i.exec(t);
    const lm = /<lyrics>([\s\S]*?)<\/lyrics>/i.exec(t);
    if (pm || lm) {
      hasTags = true;
      let rest = t;
      if (pm) { if (pm[1].trim()) promptParts.push(pm[1].trim()); rest = rest.replace(pm[0], '').trim(); }
      if (lm) { if (lm[1].trim()) lyrics = lm[1].trim(); rest = rest.replace(lm[0], '').trim(); }
      if (rest) promptParts.push(rest);
    } else if (looksLikeLyrics(t)) lyrics = t;
    else promptParts.push(t);
  };
  for (const m of messages) {
    if (m.role !== 'user') continue;
    if (typeof m.content === 'string') text(m.content);
    else if (Array.isArray(m.content)) {
      for (const part of m.content) {
        if (!isObj(part)) continue;
        if (part.type === 'text') text(String(part.text ?? ''));
        else if (part.type === 'input_audio' && isObj(part.input_audio)) {
          const data = String(part.input_audio.data ?? '');
          const fmt = String(part.input_audio.format ?? 'mp3');
          const bytes = data ? pyB64decode(data) : undefined;
          if (bytes) audio.push({ filename: `openrouter_audio_${audio.length}.${fmt}`, data: bytes });
        }
      }
    }
  }
  let prompt = promptParts.join(' ').trim();
  let sampleQuery: string | undefined;
  if (!hasTags && !lyrics && prompt) { sampleQuery = prompt; prompt = ''; }
  return { prompt, lyrics, audio, sampleQuery, hasTags };
}

/** ChatCompletionRequest's checks; the first problem in words (pydantic's style), or undefined. */
function invalid(body: Record<string, unknown>, modelRequired: boolean): string | undefined {
  if (modelRequired && typeof body.model !== 'string') return '1 validation error for ChatCompletionRequest\nmodel\n  Field required';
  if (!Array.isArray(body.messages)) return '1 validation error for ChatCompletionRequest\nmessages\n  Field required';
  for (const m of body.messages) {
    if (!isObj(m) || !['system', 'user', 'assistant'].includes(String(m.role))) return "1 validation error for ChatCompletionRequest\nmessages.0.role\n  Input should be 'system', 'user' or 'assistant'";
  }
  const t = body.temperature;
  if (t !== undefined && t !== null && (typeof t !== 'number' || t < 0 || t > 2)) return '1 validation error for ChatCompletionRequest\ntemperature\n  Input should be less than or equal to 2';
  if (body.audio_config !== undefined && body.audio_config !== null && !isObj(body.audio_config)) return '1 validation error for ChatCompletionRequest\naudio_config\n  Input should be a valid dictionary';
  return undefined;
}

/** The /release_task-style fields _to_generate_music_request builds, for the shared job queue. */
function jobFields(body: Record<string, unknown>, parsed: Parsed, lmUsable: boolean, reference: boolean): Record<string, unknown> {
  const ac = isObj(body.audio_config) ? body.audio_config : {};
  let lyrics = typeof body.lyrics === 'string' && body.lyrics ? body.lyrics : parsed.lyrics;
  if (ac.instrumental === true && !lyrics) lyrics = '[inst]';
  const sample = (body.sample_mode === true || !!parsed.sampleQuery) && lmUsable;
  let task = typeof body.task_type === 'string' ? body.task_type : 'text2music';
  if (task === 'text2music' && reference) task = 'music_continuation';
  const model = typeof body.model === 'string' && body.model.includes('/') ? body.model.slice(body.model.indexOf('/') + 1) : body.model;
  return {
    prompt: parsed.prompt || (!lmUsable ? parsed.sampleQuery ?? '' : ''), lyrics,
    sample_mode: sample, sample_query: sample ? parsed.sampleQuery ?? '' : '',
    bpm: ac.bpm, key_scale: ac.key_scale ?? '', time_signature: ac.time_signature ?? '', audio_duration: ac.duration,
    vocal_language: ac.vocal_language || 'en', thinking: lmUsable && body.thinking === true, use_format: lmUsable && body.use_format === true,
    seed: body.seed ?? -1, use_random_seed: body.seed === undefined || body.seed === null,
    batch_size: body.batch_size ?? 1, task_type: task, audio_format: ac.format || 'mp3', model,
    repainting_start: body.repainting_start ?? 0, repainting_end: body.repainting_end, audio_cover_strength: body.audio_cover_strength ?? 1,
  };
}

/** _format_lm_content: the metadata and lyrics the job ended with, or the fixed sentence when there are none. */
function lmContent(opts: FakeOptions, job: FakeJob): string {
  const p = new Params(job.params);
  const metas = metasOf(opts, job) as Record<string, unknown>;
  const sample = isSampleRequest(p) && opts.lmLoaded ? lmSample(p) : undefined;
  const lines: string[] = [];
  const caption = metas.prompt || (sample ? sample.caption : p.str('prompt'));
  if (caption) lines.push(`**Caption:** ${caption}`);
  const add = (label: string, v: unknown, unit = '') => { if (v && v !== 'N/A') lines.push(`**${label}:** ${v}${unit}`); };
  add('BPM', metas.bpm); add('Duration', metas.duration, 's'); add('Key', metas.keyscale); add('Time Signature', metas.timesignature);
  const parts = lines.length ? ['## Metadata\n' + lines.join('\n')] : [];
  const lyrics = sample ? sample.lyrics : p.str('lyrics');
  if (lyrics.trim() && !['[inst]', '[instrumental]'].includes(lyrics.trim().toLowerCase())) parts.push(`## Lyrics\n${lyrics}`);
  return parts.length ? parts.join('\n\n') : 'Music generated successfully.';
}

/** The first take as the data URL the server sends (or the faults a test asked for). */
function audioList(ctx: ChatContext, job: FakeJob, mime: string): unknown {
  const { opts, scheduler } = ctx;
  const file = job.files[0];
  const spec = file ? scheduler.files.get(file) : undefined;
  if (!spec || opts.chatAudio === 'missing') return null;
  let b64: string;
  if (opts.chatAudio === 'invalid-base64') b64 = '%%% not base64 %%%';
  else b64 = (opts.notAudio ? Buffer.from(opts.notAudio.body, 'utf8') : payloadBytes(spec)).toString('base64');
  return [{ type: 'audio_url', audio_url: { url: `data:${mime};base64,${b64}` } }];
}

export async function chatCompletions(ctx: ChatContext, req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): Promise<void> {
  const { opts, behaviour, scheduler } = ctx;
  const standalone = behaviour.chat === 'standalone';
  if (standalone) new Auth(opts).verifyHeader(req.headers.authorization);
  else if (behaviour.modelLoad === 'first-job' && opts.modelLoadMs > 0 && !scheduler.modelsReady()) {
    throw new HttpError(503, 'Model not initialized. init_error=None');
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    if (standalone) throw new HttpError(422, [{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {} }]);
    throw new HttpError(400, `Invalid request format: ${(e as Error).message}`);
  }
  if (!isObj(body)) throw standalone ? new HttpError(422, [{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: body }]) : new HttpError(400, 'Invalid request format: argument after ** must be a mapping');
  const problem = invalid(body, !standalone);
  if (problem) throw standalone ? new HttpError(422, [{ type: 'value_error', loc: ['body'], msg: problem.split('\n').pop()!.trim(), input: body }]) : new HttpError(400, `Invalid request format: ${problem}`);
  const parsed = parseMessages(body.messages as Record<string, unknown>[]);
  if (typeof body.lyrics === 'string' && body.lyrics || body.sample_mode === true) {
    const rawText = parsed.prompt || parsed.sampleQuery || '';
    if (typeof body.lyrics === 'string' && body.lyrics) { parsed.prompt = rawText; parsed.lyrics = body.lyrics; parsed.sampleQuery = undefined; }
    else { parsed.prompt = ''; parsed.lyrics = ''; parsed.sampleQuery = rawText; }
  }
  if (!parsed.prompt && !parsed.lyrics && !parsed.sampleQuery && body.sample_mode !== true && !parsed.audio.length) {
    throw new HttpError(400, standalone ? 'No input provided in messages' : 'No valid prompt, lyrics, sample query, or input audio found in request');
  }
  const task = typeof body.task_type === 'string' ? body.task_type : 'text2music';
  const uploads: Record<string, FakeUpload> = {};
  if (parsed.audio.length) {
    if (SRC_TASKS.has(task)) { uploads.src_audio = parsed.audio[0]; if (parsed.audio[1]) uploads.reference_audio = parsed.audio[1]; }
    else uploads.reference_audio = parsed.audio[0];
  }
  if (!standalone && (opts.queueFull || scheduler.waitingCount() >= opts.queueMaxsize)) throw new HttpError(429, 'Server busy: queue is full');
  // The standalone server skips the LM when it is not loaded; the mounted one queues the job, which then fails.
  const lmUsable = !standalone || opts.lmLoaded;
  const job = scheduler.createJob(jobFields(body, parsed, lmUsable, !!uploads.reference_audio), uploads);
  const fmt = String((isObj(body.audio_config) && body.audio_config.format) || 'mp3').toLowerCase();
  const mime = standalone ? 'audio/mpeg' : MIME[fmt] ?? 'audio/mpeg';
  const model = typeof body.model === 'string' ? body.model : 'acemusic/acestep-v1.5-turbo';
  const errorText = standalone ? job.failReason.trimEnd().split('\n').pop()!.replace(/^\w+Error: /, '') : job.failReason;
  if (body.stream === true) return stream(ctx, res, job, model, mime, errorText, standalone);

  // The standalone server waits as long as generation takes; the mounted one gives up after its timeout (504).
  const waitMs = standalone ? Infinity : opts.chatTimeoutMs;
  if (job.endAt - now() > waitMs) {
    await sleep(waitMs);
    throw new HttpError(504, 'Generation timeout');
  }
  await scheduler.waitUntil(job.endAt);
  if (job.fail) throw new HttpError(500, standalone ? `Generation failed: ${errorText}` : errorText || 'Generation failed');
  ctx.send(res, '/v1/chat/completions', 200, {
    id: `chatcmpl-${job.id.replace(/-/g, '').slice(0, 24)}`, object: 'chat.completion', created: Math.floor(now() / 1000), model,
    choices: [{ index: 0, message: { role: 'assistant', content: ctx.faults.hostileText(lmContent(opts, job)), audio: audioList(ctx, job, mime) }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  });
}

/** The SSE answer: heartbeats while the job runs, then the text and the audio, or the error. */
async function stream(ctx: ChatContext, res: http.ServerResponse, job: FakeJob, model: string, mime: string, errorText: string, standalone: boolean): Promise<void> {
  const { opts, scheduler } = ctx;
  const id = `chatcmpl-${job.id.replace(/-/g, '').slice(0, 24)}`;
  const created = Math.floor(now() / 1000);
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  res.writeHead(200, { server: 'uvicorn', 'content-type': 'text/event-stream; charset=utf-8' });
  res.write(chunk({ role: 'assistant', content: standalone ? '' : 'Generating music' }));
  let closed = false;
  res.on('close', () => { closed = true; });
  if (opts.chatStreamCutAfterMs !== null) {
    await sleep(opts.chatStreamCutAfterMs);
    res.socket?.destroy();
    return;
  }
  while (!closed && now() < job.endAt) {
    await Promise.race([scheduler.waitUntil(job.endAt), sleep(opts.chatHeartbeatMs)]);
    if (now() < job.endAt && !closed) res.write(chunk({ content: '.' }));
  }
  if (closed) return;
  if (job.fail) {
    res.write(chunk({ content: `\n\nError: ${errorText || 'Generation failed'}` }));
    res.write(chunk({}, 'error'));
    res.end('data: [DONE]\n\n');
    return;
  }
  res.write(chunk({ content: `\n\n${ctx.faults.hostileText(lmContent(opts, job))}` }));
  const audio = audioList(ctx, job, mime);
  if (audio) res.write(chunk({ audio }));
  res.write(chunk({}, 'stop'));
  res.end('data: [DONE]\n\n');
}

/** The standalone server's own /health (not wrapped) and model list (at /api/v1/models, behind its key). */
export function standaloneRoute(ctx: ChatContext, req: http.IncomingMessage, res: http.ServerResponse, route: string): boolean {
  if (route === 'GET /health') {
    sendRaw(res, 200, JSON.stringify({ status: 'ok', service: 'ACE-Step OpenRouter API', version: '1.0' }), 'application/json');
    return true;
  }
  if (route === 'GET /api/v1/models') {
    new Auth(ctx.opts).verifyHeader(req.headers.authorization);
    ctx.send(res, '/api/v1/models', 200, {
      data: [{ id: 'acemusic/acestep-v1.5-turbo', name: 'ACE-Step', created: 1706688000, description: 'text-to-music', input_modalities: ['text', 'audio'], output_modalities: ['audio', 'text'], context_length: 4096, pricing: { prompt: '0', completion: '0', request: '0' }, supported_sampling_parameters: ['temperature', 'top_p'] }],
    });
    return true;
  }
  return false;
}
