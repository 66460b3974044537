// A small line diff (longest common subsequence) for showing how the LM rewrote a caption or lyrics.
// Pure TypeScript: used by the player webview and unit-tested in Node.

export type DiffKind = 'same' | 'added' | 'removed';

export interface DiffLine {
  kind: DiffKind;
  text: string;
}

/** Above this many cells in the LCS table the middle part is shown as "all removed, then all added". */
const MAX_CELLS = 4_000_000;

export function splitDiffLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r\n|\r|\n/);
  // A trailing newline does not make an extra empty line.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Lines of `before` and `after` in order, each marked `same`, `removed` (only in before) or `added`
 * (only in after). Within a changed stretch, removals come before additions.
 */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = splitDiffLines(before);
  const b = splitDiffLines(after);
  // Common prefix and suffix are cheap and keep the table small.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length, endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }

  const out: DiffLine[] = a.slice(0, start).map(text => ({ kind: 'same', text }));
  const midA = a.slice(start, endA), midB = b.slice(start, endB);
  const n = midA.length, m = midB.length;
  if (n * m > MAX_CELLS) {
    for (const text of midA) out.push({ kind: 'removed', text });
    for (const text of midB) out.push({ kind: 'added', text });
  } else {
    // lcs[i * (m + 1) + j] = LCS length of midA[i..] and midB[j..].
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * w + j] = midA[i] === midB[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
      }
    }
    let i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        out.push({ kind: 'same', text: midA[i] }); i++; j++;
      } else if (i < n && (j >= m || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
        out.push({ kind: 'removed', text: midA[i] }); i++;
      } else {
        out.push({ kind: 'added', text: midB[j] }); j++;
      }
    }
  }
  for (let k = endA; k < a.length; k++) out.push({ kind: 'same', text: a[k] });
  return out;
}

/** True when the two texts differ in more than line endings and trailing whitespace. */
export function textsDiffer(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const norm = (s: string) => splitDiffLines(s).map(l => l.trimEnd()).join('\n').trim();
  return norm(a) !== norm(b);
}
