// The lyrics of a model's answer made into .song lyrics: markdown headings become section tags. Used by
// extractSong (parse-output.ts) and the frontmatter repair (a `lyrics:` key's text).
import { lookupPerformanceTag, lookupSection } from '../song/tags';

export function isTagLine(line: string): boolean {
  const t = line.trim();
  if (!/^\[[^\]]+\]$/.test(t)) return false;
  const inner = t.slice(1, -1).trim();
  const head = inner.split(/\s+[-–—]\s+|\s*:\s+/)[0].replace(/\s*\d{1,3}$/, '');
  return !!lookupSection(head) || !!lookupPerformanceTag(inner) || /^[A-Z][\w -]{1,30}$/.test(inner);
}

/**
 * `## Chorus`, `**Verse 1:**`, `Verse 2 (whispered):`, `(Chorus)`, `### [Bridge]` → `[Chorus]`, … Only lines
 * with some heading dress (#, bold, a trailing colon, parentheses) and a known section name qualify, so a
 * lyric line is never turned into a tag; only the first modifier is kept.
 */
export function headingToTag(line: string): string | null {
  let s = line.trim();
  let dressed = false;
  const md = /^#{1,6}\s+(.*?)\s*#*$/.exec(s);
  if (md) { s = md[1]; dressed = true; }
  for (let round = 0; round < 2; round++) {
    const bold = /^(\*\*|__|\*|_)(.+?)\1$/.exec(s);
    if (bold) { s = bold[2].trim(); dressed = true; }
    if (s.endsWith(':')) { s = s.slice(0, -1).trim(); dressed = true; }
  }
  if (/^\[.*\]$/.test(s)) {
    if (!dressed) return null;
    s = s.slice(1, -1).trim();
  } else if (/^\(.*\)$/.test(s)) {
    s = s.slice(1, -1).trim();
    dressed = true;
  }
  if (!dressed) return null;
  const m = /^([A-Za-z][A-Za-z -]*?)(?:\s+(\d{1,2}))?(?:\s*\(([^()]{1,40})\)|\s+[-–—:]\s+(.{1,40}))?(?:\s*[x×]\s*\d)?$/.exec(s);
  if (!m) return null;
  const section = lookupSection(m[1].trim());
  if (!section) return null;
  const modifier = (m[3] ?? m[4] ?? '').split(',')[0].trim();
  return `[${section.name}${m[2] ? ` ${m[2]}` : ''}${modifier ? ` - ${modifier}` : ''}]`;
}

export function repairBody(body: string[], notes: string[]): string[] {
  let unwrapped = 0, converted = 0, plain = 0;
  const out = body.map(l => {
    const t = l.trim();
    if (t === '' || t.startsWith('[') && t.endsWith(']')) return l;
    const bold = /^(\*\*|__|\*|_)\s*(\[[^\]]+\])\s*\1$/.exec(t);
    if (bold) { unwrapped++; return bold[2]; }
    const tag = headingToTag(t);
    if (tag) { converted++; return tag; }
    // A whole lyric line in bold or italics: the asterisks would reach the model as text.
    const emphasis = /^(\*\*|__|\*)(?=\S)(.+?)(?<=\S)\1$/.exec(t);
    if (emphasis && !/[*_]{2}/.test(emphasis[2])) { plain++; return emphasis[2]; }
    return l;
  });
  if (unwrapped) notes.push(`removed markdown emphasis around ${unwrapped} tag${unwrapped === 1 ? '' : 's'}`);
  if (converted) notes.push(`turned ${converted} heading${converted === 1 ? '' : 's'} into section tags`);
  if (plain) notes.push(`removed markdown emphasis from ${plain} lyric line${plain === 1 ? '' : 's'}`);
  return out;
}

/** Trailing spaces off, runs of blank lines down to one, no blank lines at either end, one final newline. */
