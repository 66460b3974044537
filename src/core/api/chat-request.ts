// The one mapping from a job's /release_task request (what a .song becomes, song/request.ts) to the body of an
// OpenAI-style POST /v1/chat/completions (upstream's "OpenRouter" adapter, how a hosted ACE-Step is reached).
// Facts from upstream's acestep/openrouter_adapter.py and acestep/openrouter_models.py:
// - The caption goes in a <prompt> tag: untagged text is guessed at (text that looks like lyrics becomes the lyrics,
//   other text the LM's sample query), and a caption taken for lyrics is lost once `lyrics` is set. The lyrics go
//   in the top-level `lyrics` field, byte for byte (a tag would end at the first "</lyrics>").
// - `model` is required by the adapter's request model (400 without it): always sent.
// - Only the first take of a batch comes back, so each request asks for one take (the caller sends one per take).
// - Audio goes in as base64 `input_audio` parts; for cover and repaint the first is the source, the second the
//   reference. Musical fields go in `audio_config`. Fields the adapter has no place for are not sent (a warning).
// Pure: the caller reads the files.
import { AceStepError } from './errors';
import type { ReleaseRequest } from './types';

/** A model the adapter accepts when the job names none (an unknown id means the server's own default model). */
export const DEFAULT_CHAT_MODEL = 'acestep/acestep-v15-turbo';

/** What the adapter takes, field by field: the /release_task name → where it goes in the chat body. */
const TOP: Readonly<Record<string, string>> = {
  thinking: 'thinking', use_format: 'use_format', use_cot_caption: 'use_cot_caption', use_cot_language: 'use_cot_language',
  guidance_scale: 'guidance_scale', lm_temperature: 'temperature', lm_top_p: 'top_p', lm_top_k: 'top_k',
  task_type: 'task_type', repainting_start: 'repainting_start', repainting_end: 'repainting_end', audio_cover_strength: 'audio_cover_strength',
};
const AUDIO_CONFIG: Readonly<Record<string, string>> = {
  audio_duration: 'duration', bpm: 'bpm', key_scale: 'key_scale', time_signature: 'time_signature',
  vocal_language: 'vocal_language', audio_format: 'format',
};
/** Read here by hand (or decided by the request itself). */
const HANDLED = new Set(['prompt', 'caption', 'lyrics', 'model', 'seed', 'use_random_seed', 'batch_size', 'sample_mode', 'sample_query', 'ai_token']);

export interface ChatAudio {
  /** src_audio or reference_audio. */
  field: string;
  /** The file's bytes, base64. */
  base64: string;
  /** Its format (file extension: mp3, wav, flac…). */
  format: string;
}

export interface ChatRequestOptions {
  /** The model id when the job names none (from the endpoint's model list, else DEFAULT_CHAT_MODEL). */
  defaultModel?: string;
  /** The audio of the job, read by the caller. */
  audio?: ChatAudio[];
  stream: boolean;
  /** Which take this request makes (0 first): a fixed seed becomes seed + take, as a batch's seeds run. */
  take?: number;
}

export interface ChatRequest {
  body: Record<string, unknown>;
  /** What was not sent, and why (said once per job). */
  warnings: string[];
}

const present = (v: unknown) => v !== undefined && v !== null && v !== '' && v !== 'auto';

/** The chat completions body for one take of the job. */
export function chatRequest(req: ReleaseRequest, o: ChatRequestOptions): ChatRequest {
  const p = req.params ?? {};
  const body: Record<string, unknown> = {};
  const audioConfig: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [k, v] of Object.entries(p)) {
    if (!present(v) || HANDLED.has(k)) continue;
    if (TOP[k]) body[TOP[k]] = v;
    else if (AUDIO_CONFIG[k]) audioConfig[AUDIO_CONFIG[k]] = v;
    else dropped.push(k);
  }
  const model = typeof p.model === 'string' && p.model ? p.model : undefined;
  body.model = model ? (model.includes('/') ? model : `acestep/${model}`) : o.defaultModel || DEFAULT_CHAT_MODEL;

  const caption = String(p.prompt ?? p.caption ?? '');
  const lyrics = typeof p.lyrics === 'string' ? p.lyrics : '';
  const query = typeof p.sample_query === 'string' ? p.sample_query.trim() : '';
  let text: string;
  if (query) {
    // A description: the LM writes the song from the sentence (the message text is then the sample query).
    body.sample_mode = true;
    text = query;
  } else {
    if (/<\/prompt>/i.test(caption)) {
      throw new AceStepError('unsupported', 'The caption contains "</prompt>", which a chat completions endpoint reads as the end of the caption; remove it and try again.');
    }
    text = `<prompt>${caption}</prompt>`;
    if (lyrics.trim()) body.lyrics = lyrics;
    if (!lyrics.trim() || /^\[(inst|instrumental)\]$/i.test(lyrics.trim())) audioConfig.instrumental = true;
    if (p.sample_mode === true) body.sample_mode = true;
  }
  const random = p.use_random_seed;
  const seed = typeof p.seed === 'number' ? p.seed : typeof p.seed === 'string' && /^\d+$/.test(p.seed) ? Number(p.seed) : undefined;
  if ((random === false || random === 'false') && seed !== undefined && seed >= 0) body.seed = seed + (o.take ?? 0);
  body.batch_size = 1;
  if (Object.keys(audioConfig).length) body.audio_config = audioConfig;

  const parts: Record<string, unknown>[] = [{ type: 'text', text }];
  const audio = [...(o.audio ?? [])].sort((a, b) => (a.field === 'src_audio' ? 0 : 1) - (b.field === 'src_audio' ? 0 : 1));
  for (const a of audio) parts.push({ type: 'input_audio', input_audio: { data: a.base64, format: a.format } });
  body.messages = [{ role: 'user', content: audio.length ? parts : text }];
  body.stream = o.stream;
  const warnings = dropped.length ? [`The chat completions endpoint does not take ${dropped.join(', ')}; not sent.`] : [];
  return { body, warnings };
}

/** What a chat answer's text says about the take (the adapter's "## Metadata" and "## Lyrics" sections). */
export function readChatContent(content: string): { caption?: string; lyrics?: string; bpm?: number; duration?: number; keyscale?: string; timesignature?: string } {
  const field = (label: string) => new RegExp(`^\\*\\*${label}:\\*\\*\\s*(.+)$`, 'mi').exec(content)?.[1]?.trim();
  const out: ReturnType<typeof readChatContent> = {};
  const caption = field('Caption');
  if (caption) out.caption = caption;
  const bpm = Number(field('BPM'));
  if (Number.isFinite(bpm) && bpm > 0) out.bpm = bpm;
  const duration = Number(field('Duration')?.replace(/s$/, ''));
  if (Number.isFinite(duration) && duration > 0) out.duration = duration;
  const key = field('Key');
  if (key) out.keyscale = key;
  const ts = field('Time Signature');
  if (ts) out.timesignature = ts;
  const lyr = /(?:^|\n)## Lyrics\n([\s\S]*)$/.exec(content)?.[1];
  if (lyr?.trim()) out.lyrics = lyr.trimEnd();
  return out;
}
