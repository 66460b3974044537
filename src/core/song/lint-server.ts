// Lints about what the servers really do with a song's settings (found by reading their code and running it):
// `lm_top_p` of 1 or more is replaced by 0.9; `constrained_decoding`, `use_tiled_decode` and
// `lm_repetition_penalty` are parsed and never reach generation on current servers; the caption is cut at 256
// tokens and the lyrics at 2,048 tokens, without a word. Token counts are estimated (the LM's tokenizer is not here).
import { findEntry, type Collector, type LintOptions } from './lint-support';
import { fullLineRange } from './text';
import type { ParsedSong } from './types';
import { msg } from '../l10n';

export const CAPTION_TOKEN_LIMIT = 256;
export const LYRICS_TOKEN_LIMIT = 2048;

/**
 * About how many tokens a text is for the model's tokenizer: a word of Latin script is one to two tokens
 * (~1.3 on average, or one per 4 characters, whichever is more), punctuation one each, and a CJK or other
 * non-Latin character about one token each.
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const word of text.match(/[A-Za-z\u00C0-\u024F0-9'’]+/g) ?? []) tokens += Math.max(1.3, word.length / 4);
  tokens += (text.match(/[^\sA-Za-z\u00C0-\u024F0-9'’]/g) ?? []).length;
  return Math.round(tokens);
}

const NO_EFFECT = ['constrained_decoding', 'use_tiled_decode', 'lm_repetition_penalty'] as const;

/** `server:` names a profile the caller does not know (only when the caller passes the profile names). */
export function lintServerName(parsed: ParsedSong, options: LintOptions, out: Collector): void {
  const name = parsed.params.server?.trim();
  const entry = findEntry(parsed, 'server');
  const known = options.serverProfiles;
  if (!name || !entry || !known || known.some(k => k.toLowerCase() === name.toLowerCase())) return;
  out.add({
    severity: 'warning', code: 'unknown-server', range: entry.valueRange,
    message: msg('No server profile is named "{0}" (there are: {1}); no server would take the song', name, known.join(', ')),
  });
}

export function lintServerLimits(parsed: ParsedSong, out: Collector): void {
  const p = parsed.params as Record<string, unknown>;
  const topP = p.lm_top_p;
  const topPEntry = findEntry(parsed, 'lm_top_p');
  if (typeof topP === 'number' && topP >= 1 && topPEntry) {
    out.add({
      severity: 'warning', code: 'top-p-replaced', range: topPEntry.valueRange,
      message: msg('lm_top_p {0} is replaced by 0.9 on the server (values of 1 or more count as "not set"); use a value below 1, or leave it out for 0.9', topP),
    });
  }
  for (const key of NO_EFFECT) {
    const entry = findEntry(parsed, key);
    if (entry && entry.value !== undefined) {
      out.add({ severity: 'information', code: 'no-effect', range: entry.keyRange, message: msg('{0} has no effect on current ACE-Step servers: they read it and never pass it to generation', key) });
    }
  }
  const caption = typeof p.caption === 'string' ? p.caption : '';
  const captionEntry = findEntry(parsed, 'caption');
  const captionTokens = estimateTokens(caption);
  if (captionEntry && captionTokens > CAPTION_TOKEN_LIMIT) {
    out.add({
      severity: 'warning', code: 'text-cut', range: captionEntry.keyRange,
      message: msg('The caption is about {0} tokens; the server keeps the first {1} and drops the rest without a word. Shorten it.', captionTokens, CAPTION_TOKEN_LIMIT),
    });
  }
  const lyricsTokens = estimateTokens(parsed.lyrics);
  if (lyricsTokens > LYRICS_TOKEN_LIMIT && parsed.bodyStartLine < parsed.lines.length) {
    out.add({
      severity: 'warning', code: 'text-cut', range: fullLineRange(parsed.lines, parsed.bodyStartLine),
      message: msg('The lyrics are about {0} tokens; the server keeps the first {1} and drops the rest without a word: the end of the song would not be sung.', lyricsTokens, LYRICS_TOKEN_LIMIT),
    });
  }
}
