// writeSong / improveSong: one songwriting turn with a language model. Ask → extract the song from the
// answer → validate it → when something is wrong, send the problems back once and take the corrected
// answer → return the song with whatever problems remain. The model is any function that streams text,
// so the same flow serves VS Code's language models, an HTTP chat API and the unit tests' fake.
import { parseSong } from '../song';
import { extractSong, type ExtractFailureReason } from './parse-output';
import { buildFixMessage, buildImproveMessages, buildWriteMessages, planSummary, type ChatMessage } from './prompts';
import { songGaps } from './validate';
import { errorMessage } from '../util/error-message';

/** A streaming chat model: the messages in, text chunks out. It should stop when `signal` aborts. */
export type ModelFn = (messages: ChatMessage[], signal?: AbortSignal) => AsyncIterable<string>;

export type WriteProgress =
  /** A step begins (attempt 1 is the first answer, 2 the corrected one). */
  | { kind: 'status'; attempt: number; message: string }
  /** A piece of the model's answer as it streams. */
  | { kind: 'chunk'; attempt: number; text: string }
  /** The song was found in the answer: a one-line summary of it. */
  | { kind: 'plan'; attempt: number; summary: string }
  /** The draft's problems (sent back to the model after attempt 1). */
  | { kind: 'problems'; attempt: number; errors: string[] };

interface FlowOptions {
  /** The songwriting guide (docs/ai-integration/music-creation-guide.md), read by the adapter. */
  guide: string;
  model: ModelFn;
  /** The problems of a song, one readable line each (see songValidator). */
  validate: (songText: string) => { errors: string[] };
  signal?: AbortSignal;
  onProgress?: (event: WriteProgress) => void;
  /** Character budget for the prompt (the guide shrinks to fit). */
  maxChars?: number;
  /** Applied to every extracted song before validation (see autofixSong). */
  autofix?: (songText: string) => { text: string; applied: string[] };
}

export interface WriteSongOptions extends FlowOptions {
  /** What the user asked for, in their words. */
  request: string;
}

export interface ImproveSongOptions extends FlowOptions {
  /** The current .song text. */
  song: string;
  lintMessages?: readonly string[];
  instruction?: string;
}

export type WriteFailureReason = ExtractFailureReason | 'cancelled' | 'model-error';

export interface WriteSongSuccess {
  ok: true;
  /** The .song text. */
  text: string;
  /** Model calls made: 1, or 2 when problems were sent back. */
  attempts: number;
  /** Problems still in `text` (empty when it validated clean). */
  remainingErrors: string[];
  /** What was repaired in the model's output and how the turn went, for the user. */
  notes: string[];
  /** planSummary of the song. */
  summary: string;
}

export interface WriteSongFailure {
  ok: false;
  reason: WriteFailureReason;
  /** A sentence for the user. */
  message: string;
  attempts: number;
  notes: string[];
  /** The model's last answer, when there was one. */
  raw?: string;
}

export type WriteSongResult = WriteSongSuccess | WriteSongFailure;

/** Writes a new song for `request`. Never throws; a cancelled signal gives `reason: 'cancelled'`. */
export function writeSong(options: WriteSongOptions): Promise<WriteSongResult> {
  return run(buildWriteMessages(options.request, { guide: options.guide, maxChars: options.maxChars }), options);
}

/** Reviews and revises an existing song (the /improve flow). Never throws. */
export function improveSong(options: ImproveSongOptions): Promise<WriteSongResult> {
  const messages = buildImproveMessages(options.song, {
    guide: options.guide, maxChars: options.maxChars, lintMessages: options.lintMessages, instruction: options.instruction,
  });
  return run(messages, options);
}

interface Draft { text: string; errors: string[]; notes: string[]; attempt: number }
type Answer = { ok: true; text: string } | { ok: false; reason: 'cancelled' | 'model-error'; message: string };

const NO_SONG_FEEDBACK = 'the answer did not contain the song: send the complete .song file (frontmatter between --- lines, then the lyrics with section tags)';

async function run(initial: ChatMessage[], o: FlowOptions): Promise<WriteSongResult> {
  const progress = (e: WriteProgress) => {
    try { o.onProgress?.(e); } catch { /* a failing listener must not end the turn */ }
  };
  const notes: string[] = [];
  let messages = initial;
  let best: Draft | undefined;
  let lastRaw: string | undefined;
  let attempts = 0;

  const ask = async (attempt: number): Promise<Answer> => {
    const cancelled: Answer = { ok: false, reason: 'cancelled', message: 'cancelled' };
    if (o.signal?.aborted) return cancelled;
    let text = '';
    try {
      for await (const chunk of o.model(messages, o.signal)) {
        if (o.signal?.aborted) return cancelled;
        if (typeof chunk !== 'string' || chunk === '') continue;
        text += chunk;
        progress({ kind: 'chunk', attempt, text: chunk });
      }
    } catch (e) {
      if (o.signal?.aborted || (e as { name?: string })?.name === 'AbortError') return cancelled;
      return { ok: false, reason: 'model-error', message: `the language model failed: ${errorMessage(e)}` };
    }
    return o.signal?.aborted ? cancelled : { ok: true, text };
  };

  for (let attempt = 1; attempt <= 2; attempt++) {
    if (attempt === 2) {
      const feedback = best ? best.errors : [NO_SONG_FEEDBACK];
      messages = [...messages, { role: 'assistant', content: lastRaw ?? '' }, buildFixMessage(feedback)];
      notes.push(best
        ? `the first draft had ${best.errors.length} problem${best.errors.length === 1 ? '' : 's'}; asked the model to fix ${best.errors.length === 1 ? 'it' : 'them'}`
        : 'the first answer held no song; asked again');
    }
    progress({ kind: 'status', attempt, message: attempt === 1 ? 'writing the song' : 'fixing the problems' });
    attempts = attempt;
    const answer = await ask(attempt);
    if (!answer.ok) {
      if (answer.reason === 'cancelled' || !best) return failure(answer.reason, answer.message, attempts, notes, lastRaw);
      notes.push(`the fix round failed (${answer.message}); kept the first draft`);
      break;
    }
    lastRaw = answer.text;
    const extracted = extractSong(answer.text);
    if (!extracted.ok) {
      if (best) { notes.push(`the corrected answer was unusable (${extracted.message}); kept the first draft`); break; }
      if (extracted.reason === 'no-song' && attempt === 1) continue;
      return failure(extracted.reason, extracted.message, attempts, notes, answer.text);
    }
    const draftNotes = [...extracted.notes];
    let text = extracted.text;
    if (o.autofix) {
      try {
        const fixed = o.autofix(text);
        text = fixed.text;
        if (fixed.applied.length) draftNotes.push(`applied quick fixes: ${fixed.applied.join('; ')}`);
      } catch { /* keep the unfixed text */ }
    }
    const errors = problems(text, o.validate, draftNotes);
    progress({ kind: 'plan', attempt, summary: planSummary(parseSong(text)) });
    const draft: Draft = { text, errors, notes: draftNotes, attempt };
    if (!best || errors.length <= best.errors.length) best = draft;
    else notes.push(`the corrected draft had more problems (${errors.length}) than the first (${best.errors.length}); kept the first`);
    if (errors.length === 0) break;
    progress({ kind: 'problems', attempt, errors });
  }

  if (!best) return failure('no-song', 'the model answered twice without a song', attempts, notes, lastRaw);
  return {
    ok: true, text: best.text, attempts, remainingErrors: best.errors, notes: [...best.notes, ...notes],
    summary: planSummary(parseSong(best.text)),
  };
}

function problems(text: string, validate: FlowOptions['validate'], notes: string[]): string[] {
  let found: string[] = [];
  try {
    found = validate(text).errors ?? [];
  } catch (e) {
    notes.push(`the song could not be validated: ${errorMessage(e)}`);
  }
  const unique = [...new Set([...songGaps(text), ...found].map(s => s.trim()).filter(Boolean))];
  const lineOf = (s: string) => Number(/^line (\d+)/.exec(s)?.[1] ?? Number.MAX_SAFE_INTEGER);
  return unique.sort((a, b) => lineOf(a) - lineOf(b));
}

function failure(reason: WriteFailureReason, detail: string, attempts: number, notes: string[], raw?: string): WriteSongFailure {
  const message = reason === 'cancelled' ? 'Cancelled.'
    : reason === 'refusal' ? `The model declined to write this song (${detail}). Try rephrasing the request, for example by describing the sound instead of naming an artist.`
      : reason === 'empty' ? 'The model sent an empty answer. Try again or pick another model.'
        : reason === 'no-song' ? `The model did not send a song. ${capitalise(detail)}.`
          : `${capitalise(detail)}.`;
  return { ok: false, reason, message, attempts, notes, ...(raw !== undefined ? { raw } : {}) };
}

function capitalise(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
