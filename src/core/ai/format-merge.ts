// "Format Song with the LM": the server's answer merged into the song so that only what the LM changed changes.
// Values the LM gave back unchanged (`4` for `time_signature: 4`, the same caption) are not rewritten; the lyrics
// are merged line by line, so `#` comments (never sent to the server), blank lines and the lines the LM kept stay
// exactly as the user wrote them.
import { diffLines } from '../player/diff';
import { parseSong, replaceBody, setFrontmatterValues, SPEC_BY_KEY, type ParamKey, type ParsedSong } from '../song';
import { checkValue } from '../song/values';

export type FormatValues = Partial<Record<ParamKey, string | number | boolean>>;

/** The values that differ from the song's own once both are read the way the song reads them. */
export function changedValues(parsed: ParsedSong, values: FormatValues): FormatValues {
  const out: FormatValues = {};
  for (const [key, raw] of Object.entries(values) as [ParamKey, string | number | boolean | undefined][]) {
    if (raw === undefined) continue;
    const spec = SPEC_BY_KEY.get(key);
    const value = spec ? checkValue(spec, raw).value : raw;
    if (value === undefined) continue; // nothing the song could use
    const current = parsed.params[key];
    const same = typeof value === 'string' && typeof current === 'string' ? value.trim() === current.trim() : value === current;
    if (same) continue;
    // A time signature is written as the song writes it: a bare number, not a quoted string.
    out[key] = key === 'time_signature' && typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : raw;
  }
  return out;
}

const isComment = (line: string) => line.trimStart().startsWith('#');

/**
 * The song's body with the LM's lyrics merged in: lines both have stay as written, lines only the song has go,
 * lines only the LM has come in at their place; comment lines stay where they were.
 */
export function mergeLyrics(body: string[], lyrics: string): string[] {
  // Comments, and the blank lines before the first sung line or tag, are never sent: they stay as they are.
  const first = body.findIndex(l => l.trim() !== '' && !isComment(l));
  const fixed = (i: number) => isComment(body[i]) || (body[i].trim() === '' && (first < 0 || i < first));
  const kept = body.map((raw, index) => ({ raw, index })).filter(l => !fixed(l.index));
  const proposed = lyrics.split(/\r?\n/).map(l => l.trimEnd());
  while (proposed.length && proposed[proposed.length - 1] === '') proposed.pop();
  const diff = diffLines(kept.map(l => l.raw.trim()).join('\n'), proposed.map(l => l.trim()).join('\n'));
  const out: string[] = [];
  let next = 0; // the next body line not yet emitted or dropped
  let k = 0; // the next of `kept`
  let p = 0; // the next of `proposed`
  const upTo = (index: number) => { while (next < index) { if (fixed(next)) out.push(body[next]); next++; } };
  for (const d of diff) {
    if (d.kind === 'added') { out.push(proposed[p++]); continue; }
    const line = kept[k++];
    upTo(line.index);
    if (d.kind === 'same') { out.push(line.raw); p++; }
    next = line.index + 1;
  }
  upTo(body.length);
  return out;
}

/** The song's text with the LM's values and lyrics applied; the text itself when nothing changed. */
export function applyFormatResult(text: string, values: FormatValues, lyrics: string | undefined): string {
  const parsed = parseSong(text);
  const changed = changedValues(parsed, values);
  let next = Object.keys(changed).length ? setFrontmatterValues(text, changed) : text;
  if (lyrics?.trim() && normaliseLyrics(lyrics) !== normaliseLyrics(parsed.lyrics)) {
    const after = parseSong(next);
    const lines = next.split(/\r?\n/);
    const merged = mergeLyrics(lines.slice(after.bodyStartLine), lyrics);
    next = replaceBody(next, merged.join('\n'));
  }
  return next;
}

/** Lyrics compared the way the server reads them: lines trimmed, runs of blank lines as one, no blank ends. */
function normaliseLyrics(s: string): string {
  return s.split(/\r?\n/).map(l => l.trim()).join('\n').replace(/\n{3,}/g, '\n\n').trim();
}
