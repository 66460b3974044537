// Lyrics timing: /v1/transcribe (current upstream servers only, capabilities: transcribe) turns a take that is
// ON the server into word timestamps and LRC. The server sends the audio to a transcription service with its own
// key (OPENAI_API_KEY in the server's environment); without it the route answers 400. No vscode import.
import { capabilitiesOf, serverKindLabel } from './capabilities';
import { softError } from './classify';
import { AceStepError, isAceStepError } from './errors';
import { isObj } from './parse';
import type { LoraCallOptions } from './lora';
import type { Transport } from './transport';
import type { Flavour } from './types';
import { msg } from '../l10n';

export interface TimedWord {
  word: string;
  /** Seconds from the start of the take. */
  start: number;
  end: number;
}

export interface Transcription {
  words: TimedWord[];
  /** `[mm:ss.xx]line` per sung line, as the server breaks them. */
  lrcText: string;
  lyricsText: string;
}

/** Like every call that depends on the server generation: the flavour as detectFlavour() found it. */
export type TranscribeOptions = LoraCallOptions;

/** The transcription runs a remote service inside the request: the server itself waits up to 300 s for it. */
export const TRANSCRIBE_TIMEOUT_MS = 330_000;

/** Why this server cannot time lyrics, or undefined when it can. */
export function transcribeRefusal(flavour: Flavour): string | undefined {
  if (capabilitiesOf(flavour).transcribe) return undefined;
  return msg('The {0} cannot time lyrics: transcription (/v1/transcribe) needs a current upstream ACE-Step server (its standalone API, acestep-api).', serverKindLabel(flavour));
}

/** Whether an error says the server has no transcription key of its own. */
export function isMissingTranscriptionKey(e: unknown): boolean {
  return isAceStepError(e) && e.status === 400 && /OPENAI_API_KEY/.test(e.serverMessage ?? e.message);
}

/** Whether an error says the audio file is not on the server (any more). */
export function isAudioNotOnServer(e: unknown): boolean {
  return isAceStepError(e) && e.status === 404 && /audio file not found/i.test(e.serverMessage ?? '');
}

/** Transcribes the audio at `audioPath` on the server's machine. */
export async function transcribe(t: Transport, req: { audioPath: string; language?: string }, opts: TranscribeOptions): Promise<Transcription> {
  const endpoint = '/v1/transcribe';
  const why = transcribeRefusal(opts.flavour);
  if (why) throw new AceStepError('not-found', why, { endpoint });
  const body: Record<string, unknown> = { audio_path: req.audioPath };
  if (req.language && req.language !== 'unknown') body.language = req.language;
  const env = await t.enveloped('POST', endpoint, opts, TRANSCRIBE_TIMEOUT_MS, { json: body }, false);
  if (env.code !== 200) throw softError(t, endpoint, env);
  const d = isObj(env.data) ? env.data : {};
  const words: TimedWord[] = [];
  if (Array.isArray(d.words)) {
    for (const w of d.words) {
      if (isObj(w) && typeof w.word === 'string' && typeof w.start === 'number' && typeof w.end === 'number'
        && Number.isFinite(w.start) && Number.isFinite(w.end)) words.push({ word: w.word, start: w.start, end: w.end });
    }
  }
  return { words, lrcText: typeof d.lrc_text === 'string' ? d.lrc_text : '', lyricsText: typeof d.lyrics_text === 'string' ? d.lyrics_text : '' };
}
