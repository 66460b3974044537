// extractSong: turns a language model's answer into the text of a .song file. Models wrap the song in
// code fences of every kind, talk before and after it, forget a `---`, put the lyrics under a `lyrics:`
// key, use the server's field names (`prompt:`) or write markdown headings instead of section tags.
// Each repair is listed in `notes`. An answer without any song is a refusal, empty or "no song".
import { headingToTag, isTagLine, repairBody } from './repair-body';
import { KEY_LINE, keyOf, repairFrontmatter } from './repair-frontmatter';

export type ExtractFailureReason = 'refusal' | 'empty' | 'no-song';

export type ExtractResult =
  | { ok: true; text: string; notes: string[] }
  | { ok: false; reason: ExtractFailureReason; message: string };

export function extractSong(modelText: string): ExtractResult {
  let raw = String(modelText ?? '').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const notes: string[] = [];
  // Reasoning models think aloud first, drafts included; only the answer after the thinking counts.
  const withoutThinking = raw.replace(/<(think|thinking|reasoning)>[\s\S]*?<\/\1>/gi, '');
  if (withoutThinking !== raw) {
    raw = withoutThinking;
    notes.push("removed the model's reasoning");
  }
  if (raw.trim() === '') return { ok: false, reason: 'empty', message: 'the model answered with nothing' };
  const picked = pickCandidate(raw.split('\n'), notes);
  let lines = picked.bare ? dropPreface(picked.lines, notes) : picked.lines;
  const fm = repairFrontmatter(lines, notes);
  lines = fm.lines;
  let body = trimTrailingChatter(lines.slice(fm.bodyStart), notes);
  body = repairBody(body, notes);
  if (fm.lyrics !== undefined) body = placeLyrics(body, fm.lyrics, notes);
  const head = lines.slice(0, fm.bodyStart);
  const hasKeys = head.some(l => KEY_LINE.test(l));
  const hasTags = body.some(l => isTagLine(l));
  if (!hasKeys && !hasTags) return failure(raw);
  // One blank line between the frontmatter and the lyrics, like every hand-written .song.
  while (body.length && body[0].trim() === '') body.shift();
  return { ok: true, text: tidy(head.length && body.length ? [...head, '', ...body] : [...head, ...body]), notes };
}

function failure(raw: string): ExtractResult {
  const plain = raw.replace(/[’‘]/g, "'");
  const snippet = plain.trim().replace(/\s+/g, ' ').slice(0, 160);
  if (REFUSAL.test(plain)) return { ok: false, reason: 'refusal', message: `the model declined: "${snippet}"` };
  return { ok: false, reason: 'no-song', message: `the answer holds no song (no frontmatter and no section tags): "${snippet}"` };
}

const REFUSAL = new RegExp([
  String.raw`\bi\s*(?:can(?:not|'t)|am\s+(?:not\s+able|unable)|'m\s+(?:not\s+able|unable)|won't|will\s+not|must\s+decline)\b`,
  String.raw`\bi(?:'m| am) sorry\b`, String.raw`\bas an ai\b`,
  String.raw`\bagainst (?:my|the|our) (?:guidelines|polic(?:y|ies)|rules)\b`,
].join('|'), 'i');

// ---------------------------------------------------------------------------------------------
// Finding the song in the answer

interface Block {
  info: string;
  /** Line of the opening fence. */
  start: number;
  /** Line of the closing fence (or the last line when unclosed). */
  end: number;
  content: string[];
  closed: boolean;
}

const FENCE_OPEN = /^\s{0,3}(`{3,}|~{3,})\s*([^\s`~]*)[^`]*$/;

function findBlocks(lines: string[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = FENCE_OPEN.exec(lines[i]);
    if (!m) continue;
    const fence = m[1];
    const close = new RegExp(`^\\s{0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    let j = i + 1;
    while (j < lines.length && !close.test(lines[j])) j++;
    blocks.push({ info: m[2].toLowerCase(), start: i, end: Math.min(j, lines.length - 1), content: lines.slice(i + 1, j), closed: j < lines.length });
    i = j;
  }
  return blocks;
}

interface Signals { frontmatter: boolean; tags: number; score: number }

function signals(lines: readonly string[]): Signals {
  let keys = 0, styleKey = false, tags = 0;
  for (const l of lines) {
    const k = keyOf(l);
    if (k) {
      keys++;
      if (k.canonical === 'caption') styleKey = true;
    } else if (isTagLine(l) || headingToTag(l.trim())) {
      tags++;
    }
  }
  const frontmatter = keys >= 2 || styleKey;
  return { frontmatter, tags, score: (frontmatter ? 3 : 0) + Math.min(tags, 6) };
}

function pickCandidate(lines: string[], notes: string[]): { lines: string[]; bare: boolean } {
  const scored = findBlocks(lines).map(b => ({ b, s: signals(b.content) }));
  // The richest block wins (a later one on a tie: models put the final version last); a ```song block
  // beats any other.
  const songs = scored.filter(x => x.b.info === 'song' && x.s.score > 0);
  let best: (typeof scored)[number] | undefined;
  for (const x of songs.length ? songs : scored) if (x.s.score > 0 && (!best || x.s.score >= best.s.score)) best = x;
  if (!best) return { lines, bare: true };

  let chosen = best.b.content;
  const used: [number, number][] = [[best.b.start, best.b.end]];
  if (best.s.frontmatter && best.s.tags === 0) {
    // Frontmatter in one block, lyrics in the next block or right after it.
    const after = best.b.end;
    const next = scored.find(x => x.b.start > after && x.s.tags > 0 && !x.s.frontmatter);
    const nextFence = scored.find(x => x.b.start > after)?.b.start ?? lines.length;
    const tail = lines.slice(after + 1, nextFence);
    if (signals(tail).tags > 0) {
      chosen = [...chosen, '', ...tail];
      used.push([after + 1, nextFence - 1]);
      notes.push('joined the frontmatter block with the lyrics written after it');
    } else if (next) {
      chosen = [...chosen, '', ...next.b.content];
      used.push([next.b.start, next.b.end]);
      notes.push('joined the frontmatter and the lyrics from two code blocks');
    }
  } else if (best.s.tags > 0 && !best.s.frontmatter) {
    const before = best.b.start;
    const prev = scored.filter(x => x.b.end < before && x.s.frontmatter && x.s.tags === 0).pop();
    if (prev) {
      chosen = [...prev.b.content, '', ...chosen];
      used.push([prev.b.start, prev.b.end]);
      notes.push('joined the frontmatter and the lyrics from two code blocks');
    }
  }
  if (!best.b.closed) notes.push('the song block was never closed; took everything after its opening fence');
  const outside = lines.some((l, i) => l.trim() !== '' && !used.some(([a, b]) => i >= a && i <= b));
  if (outside) notes.push('removed the text around the song block');
  return { lines: chosen, bare: false };
}

/** Bare answers: drops the talk before the first line that belongs to a song. */
function dropPreface(lines: string[], notes: string[]): string[] {
  const start = lines.findIndex((l, i) => {
    const t = l.trim();
    if (t === '---') {
      const next = lines.slice(i + 1).find(x => x.trim() !== '');
      return next !== undefined && !!keyOf(next);
    }
    return !!keyOf(l) || isTagLine(l) || !!headingToTag(t);
  });
  if (start <= 0) return lines;
  const dropped = lines.slice(0, start).filter(l => l.trim() !== '');
  if (dropped.length) notes.push(`removed the text before the song ("${clip(dropped[0])}")`);
  return lines.slice(start);
}

const CHATTER = new RegExp([
  String.raw`^(?:\*\*|__)?\s*(?:notes?|explanation|production notes?|tips?|why these choices|about (?:this|the) song)\b[^:]{0,30}:`,
  String.raw`^(?:let me know|i hope|hope you|feel free|would you like|do you want|want me to|enjoy|happy to|i can (?:also|adjust|change|make|tweak)|i've|i have (?:written|created|made|kept)|this (?:song|track|version|arrangement)|here'?s|here is|sure|certainly|of course)\b`,
].join('|'), 'i');

const SENTENCE_END = /[.!?:)\u{1F300}-\u{1FAFF}\u{2600}-\u{27BF}]$/u;

/** Cuts a closing paragraph of talk ("I hope you enjoy…", "Notes:", a `---` rule) after the last tag. */
function trimTrailingChatter(body: string[], notes: string[]): string[] {
  for (let i = 0; i < body.length; i++) {
    const t = body[i].trim().replace(/[’‘]/g, "'");
    const paragraphStart = i === 0 || body[i - 1].trim() === '';
    if (!paragraphStart || t === '') continue;
    const rule = /^(?:-{3,}|\*{3,}|_{3,})$/.test(t);
    const talk = CHATTER.test(t) && (/^(?:\*\*|__)?\s*\w[\w ]*:/.test(t) || /[`*]/.test(t)
      || /^(?:enjoy|have fun|cheers)\b/i.test(t) || (t.split(/\s+/).length >= 4 && SENTENCE_END.test(t)));
    if (!rule && !talk) continue;
    if (body.slice(i + 1).some(l => isTagLine(l))) continue;
    notes.push(`removed the text after the song ("${clip(rule ? body.slice(i + 1).find(l => l.trim() !== '') ?? t : t)}")`);
    return body.slice(0, i);
  }
  return body;
}

function clip(s: string): string {
  const t = s.trim().replace(/\s+/g, ' ');
  return t.length > 60 ? `${t.slice(0, 57)}…` : t;
}

function placeLyrics(body: string[], lyrics: string, notes: string[]): string[] {
  if (!lyrics.trim()) return body;
  if (body.some(l => l.trim() !== '')) {
    notes.push('dropped the lyrics: key because the body already holds the lyrics');
    return body;
  }
  return repairBody(lyrics.replace(/\r\n?/g, '\n').split('\n'), notes);
}

function tidy(lines: string[]): string {
  const out: string[] = [];
  for (const l of lines) {
    const t = l.replace(/\s+$/, '');
    if (t === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(t);
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}
