// Chat messages for the songwriting assistant: /write (a new song from a request), /improve (a review
// of an existing .song) and the follow-up that feeds lint errors back. The songwriting guide
// (docs/ai-integration/music-creation-guide.md) is passed in as text by the adapter; this file only
// shapes it and keeps the whole prompt inside a character budget. Also planSummary, the one-line
// description of a song that is streamed to the user while it is being checked.
import { formatSeconds } from '../song/estimate';
import { LANGUAGE_NAMES, TIME_SIGNATURE_NAMES } from '../song/schema';

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

export interface PromptOptions {
  /** The songwriting guide (markdown). */
  guide: string;
  /**
   * Budget for all messages together, in characters. Only the guide shrinks to fit (by whole sections,
   * least important first); the instructions, the request and the song are always sent whole.
   */
  maxChars?: number;
}

export interface ImproveOptions extends PromptOptions {
  /** Linter findings to fix, one per entry (for example `line 12: stacked-modifiers: …`). */
  lintMessages?: readonly string[];
  /** What the user asked for on top of the review ("make the chorus punchier"). */
  instruction?: string;
}

/** The fence language every answer must use. */
export const SONG_FENCE = 'song';

/** Most lint messages quoted back to the model in one message. */
const MAX_MESSAGES = 25;
/** Below this many characters a shortened guide is not worth sending. */
const MIN_GUIDE = 400;
const GUIDE_CUT = '\n\n(The guide was shortened to fit; follow the rules above for anything missing.)';

const FORMAT_RULES = `You write songs for ACE-Step 1.5, a model that performs a whole song (voice and band) from two
inputs: a caption that describes the sound, and lyrics with bracketed section tags. You deliver the song
as a .song file: YAML frontmatter between --- lines, then the lyrics.

\`\`\`song
---
title: Short Title
caption: genre, mood, instruments, vocal character, production
duration: 180
bpm: 96
key: A minor
time_signature: 4
language: en
thinking: true
batch_size: 1
---
[Intro - atmospheric]

[Verse 1]
A sung line of six to ten syllables
(backing vocals in parentheses)

[Chorus - anthemic]
UPPERCASE LINES ARE BELTED OR SHOUTED
\`\`\`

Rules of the format:
- Frontmatter keys: title, caption, duration (10-600 s), bpm (30-300), key ("C major", "F# minor"),
  time_signature (2, 3, 4 or 6), language (en, nl, de, fr, es, ja, zh, ...), instrumental (true for no
  vocals), thinking, batch_size. The lyrics are the body, never a frontmatter key. The caption never
  mentions tempo, key or time signature: those have their own keys.
- One modifier per section tag: [Chorus - anthemic], never [Chorus - anthemic, powerful]. Vocal and
  energy cues go on a line of their own inside a section: [whispered], [building energy].
- Write every section out in full: no "repeat chorus", no "x2". Instrumental parts (intro, solo,
  interlude, outro) are a tag with no lines under it.
- Lines start with # only for the writer's own comments (they are not sung).
- The caption and the lyrics must agree: a guitar solo tag needs a lead guitar in the caption; the voice
  the caption describes is the voice the tags ask for.
- Sing in the language the user asks for; otherwise in the language of the request.
- Original words only: never quote or rework existing lyrics, never name a real artist or band in the
  file and never imitate a real singer's voice. Turn a reference into a description of the sound.
- Duration from the structure: about 3-5 s per sung line (more when slow), 5-10 s for an intro or
  outro, 5-15 s for a solo or interlude; round to 5 s.`;

/** The system message: the format rules plus the (possibly shortened) guide. */
function systemMessage(guide: string, guideBudget: number | undefined): ChatMessage {
  const g = guideBudget === undefined ? guide.trim() : guideBudget >= MIN_GUIDE ? truncateGuide(guide, guideBudget) : '';
  const parts = [FORMAT_RULES];
  if (g) parts.push(`Songwriting guide (follow it):\n\n${g}`);
  return { role: 'system', content: parts.join('\n\n') };
}

/** Builds the system message last, giving the guide whatever the budget leaves. */
function withGuide(options: PromptOptions, rest: ChatMessage[]): ChatMessage[] {
  let budget: number | undefined;
  if (options.maxChars !== undefined) {
    const fixed = FORMAT_RULES.length + 40 + rest.reduce((n, m) => n + m.content.length, 0);
    budget = Math.max(0, Math.floor(options.maxChars) - fixed);
  }
  return [systemMessage(options.guide, budget), ...rest];
}

/** Messages for /write: a new song from the user's request. */
export function buildWriteMessages(request: string, options: PromptOptions): ChatMessage[] {
  const user = `Request: ${request.trim() || '(no details: surprise me with an original song)'}

Work in this order, without showing your notes:
1. Plan: genre and mood, the story or image the lyrics follow, the structure, tempo, key, language, length.
2. Caption: one line of comma-separated descriptors, specific about instruments and voice.
3. Lyrics: every section complete, singable lines, vivid concrete images, a chorus worth repeating.
4. Parameters: duration from the structure, bpm, key and time signature that suit the genre.

Answer with the finished song in a single \`\`\`${SONG_FENCE} fenced block and nothing else: no text before or after it.`;
  return withGuide(options, [{ role: 'user', content: user }]);
}

/** Messages for /improve: a review of an existing song, answered with the whole revised song. */
export function buildImproveMessages(songText: string, options: ImproveOptions): ChatMessage[] {
  const lint = (options.lintMessages ?? []).filter(m => m.trim() !== '');
  const parts = [`Here is my song:\n\n\`\`\`${SONG_FENCE}\n${songText.trim()}\n\`\`\``];
  if (lint.length) parts.push(`The linter reports:\n${bulletList(lint)}`);
  if (options.instruction?.trim()) parts.push(`What I want changed: ${options.instruction.trim()}`);
  parts.push(`Review it against the rules and the guide: is the caption specific (genre, mood, instruments, voice,
production) and free of tempo, key and artist names; does every section tag carry at most one modifier; do the
lines sing well (about 6-10 syllables, strong images, no filler); does the duration fit the structure; do the
caption and the lyrics agree? ${lint.length ? 'Fix every linter finding. ' : ''}Keep what already works, the
language, the story and the writer's # comments. Answer with the complete revised song in a single
\`\`\`${SONG_FENCE} fenced block and nothing else.`);
  return withGuide(options, [{ role: 'user', content: parts.join('\n\n') }]);
}

/** The follow-up after a draft failed validation: the problems, and the request to send it again whole. */
export function buildFixMessage(errors: readonly string[]): ChatMessage {
  return {
    role: 'user',
    content: `The song has these problems:\n${bulletList(errors)}\n\nFix all of them and send the complete corrected song again, `
      + `in a single \`\`\`${SONG_FENCE} fenced block and nothing else.`,
  };
}

/**
 * For chat APIs without a system role (VS Code's language model API has only user and assistant):
 * the system text becomes the start of the first user message.
 */
export function flattenSystem(messages: readonly ChatMessage[]): ChatMessage[] {
  const system = messages.filter(m => m.role === 'system').map(m => m.content).join('\n\n');
  const rest = messages.filter(m => m.role !== 'system').map(m => ({ ...m }));
  if (!system) return rest;
  const first = rest.findIndex(m => m.role === 'user');
  if (first < 0) return [{ role: 'user', content: system }, ...rest];
  rest[first] = { role: 'user', content: `${system}\n\n---\n\n${rest[first].content}` };
  return rest;
}

function bulletList(items: readonly string[]): string {
  const shown = items.slice(0, MAX_MESSAGES).map(m => `- ${m.trim().replace(/\s*\n\s*/g, ' ')}`);
  if (items.length > MAX_MESSAGES) shown.push(`- … and ${items.length - MAX_MESSAGES} more of the same kind`);
  return shown.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Guide truncation

/** How much a guide section matters when space is short: 0 first. */
function sectionRank(heading: string): number {
  if (/caption|lyric|tag|structure|section|vocal/i.test(heading)) return 0;
  if (/duration|length|tempo|bpm|key|time|language|instrumental|artist|reference/i.test(heading)) return 1;
  return 2;
}

/**
 * Shortens a markdown guide to at most `maxChars` characters by keeping whole `## ` sections, the most
 * useful first (caption and lyrics, then parameters, then the rest), in their original order. A section
 * that does not fit whole may be cut at a paragraph break. Returns '' when nothing sensible fits.
 */
export function truncateGuide(guide: string, maxChars: number): string {
  const text = guide.replace(/\r\n?/g, '\n').trim();
  if (text.length <= maxChars) return text;
  const budget = maxChars - GUIDE_CUT.length;
  if (budget <= 0) return '';
  const chunks = text.split(/\n(?=## )/);
  const items = chunks.map((body, index) => ({
    index, body, rank: index === 0 && !body.startsWith('## ') ? 3 : sectionRank(body.split('\n', 1)[0]),
  }));
  const keep = new Map<number, string>();
  let used = 0;
  const cost = (s: string) => s.length + 1;
  for (const item of [...items].sort((a, b) => a.rank - b.rank || a.index - b.index)) {
    if (used + cost(item.body) <= budget) {
      keep.set(item.index, item.body);
      used += cost(item.body);
      continue;
    }
    const room = budget - used - 1;
    if (room < 200 || item.rank > 1) continue;
    const part = cutAtBoundary(item.body, room);
    if (part.length >= 200) {
      keep.set(item.index, part);
      used += part.length + 1;
    }
  }
  if (keep.size === 0) return '';
  const out = [...keep.entries()].sort((a, b) => a[0] - b[0]).map(e => e[1]).join('\n').trim() + GUIDE_CUT;
  return out.length <= maxChars ? out : out.slice(0, maxChars);
}

/** The longest start of a section within `room` characters that ends at a subsection or paragraph break,
 *  without a dangling heading at its end. */
function cutAtBoundary(body: string, room: number): string {
  const sub = body.lastIndexOf('\n### ', room);
  const para = body.lastIndexOf('\n\n', room);
  const at = sub >= 200 ? sub : para;
  if (at < 0) return '';
  const lines = body.slice(0, at).trimEnd().split('\n');
  while (lines.length && (lines[lines.length - 1].startsWith('#') || lines[lines.length - 1].trim() === '')) lines.pop();
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Plan summary

/** The parts of a parsed song that planSummary reads; a ParsedSong fits. */
export interface PlanSongLike {
  params: {
    title?: string;
    caption?: string;
    bpm?: number | 'auto';
    key?: string;
    time_signature?: string;
    language?: string;
    duration?: number | 'auto';
    instrumental?: boolean;
  };
  sections?: readonly { name: string; tag?: unknown }[];
  instrumental?: boolean;
}

const MAX_SECTIONS_SHOWN = 10;

/**
 * A one-line human summary: title, genre, structure, tempo/key/metre, language, length. For example
 * `"Tempest of the Night": symphonic black metal · Intro → Verse 1 → Chorus · 160 BPM, D minor, 4/4 · English · 3:30`.
 */
export function planSummary(song: PlanSongLike): string {
  const p = song.params ?? {};
  const parts: string[] = [];
  const genre = (p.caption ?? '').split(/[,;.\n]/)[0].trim().slice(0, 60);
  const title = p.title?.trim();
  parts.push(title ? `"${title}"${genre ? `: ${genre}` : ''}` : genre || 'untitled song');

  const names = (song.sections ?? []).filter(s => s.tag !== undefined && s.name.trim() !== '')
    .map(s => s.name.split(/\s+[-–—]\s+|\s*:\s+/)[0].trim());
  if (names.length) {
    const shown = names.slice(0, MAX_SECTIONS_SHOWN);
    const more = names.length - shown.length;
    parts.push(shown.join(' → ') + (more > 0 ? ` → … (+${more})` : ''));
  }

  const music: string[] = [];
  music.push(typeof p.bpm === 'number' ? `${p.bpm} BPM` : 'tempo auto');
  if (p.key && p.key !== 'auto') music.push(p.key);
  if (p.time_signature && p.time_signature !== 'auto') music.push(TIME_SIGNATURE_NAMES[p.time_signature] ?? p.time_signature);
  parts.push(music.join(', '));

  const instrumental = song.instrumental ?? p.instrumental === true;
  if (instrumental) parts.push('instrumental');
  else if (p.language) parts.push(LANGUAGE_NAMES[p.language] && p.language !== 'unknown' ? LANGUAGE_NAMES[p.language] : p.language);

  parts.push(typeof p.duration === 'number' ? formatSeconds(p.duration) : 'length auto');
  return parts.join(' · ');
}
