// What the lint modules share: the options, the table of codes, the diagnostic collector and
// the edits that add a line to the frontmatter.
import { lineRange } from './text';
import { msg } from '../l10n';
import type { DurationEstimate, FrontmatterEntry, ParsedSong, Severity, SongDiagnostic, TextEdit } from './types';
import lintCodes from './lint-codes.json';

export interface LintOptions {
  /** Codes to skip. */
  disabled?: Iterable<string>;
  /** Comfortable syllables per sung line (default 6–10); only lines far outside are reported. */
  syllableRange?: { min: number; max: number };
  /** Existence check for `src_audio` / `reference_audio`; without it (or baseDir) files are not checked. */
  fileExists?: (absPath: string) => boolean;
  /**
   * The length in seconds of a source recording (absolute path), when known: for the repaint range lints. It is
   * called on every lint, so it must answer from memory (AudioLengthCache); undefined skips those lints.
   */
  audioLength?: (absPath: string) => number | undefined;
  /** Folder of the .song file, for resolving relative paths. */
  baseDir?: string;
  /** A ready estimate, to avoid computing it twice. */
  estimate?: DurationEstimate;
  /** The server profile names there are (the settings'): a song's `server:` naming none of them is reported. */
  serverProfiles?: readonly string[];
  /** At most this many diagnostics are listed (default MAX_DIAGNOSTICS); `more-diagnostics` counts the rest. */
  maxDiagnostics?: number;
}

/** Diagnostics listed per song; a huge song of short lines would otherwise make millions of them. */
export const MAX_DIAGNOSTICS = 1000;

export interface LintCodeInfo {
  code: string;
  severity: Severity;
  description: string;
  fix?: string;
}

/** Every lint code, its severity, what it means and the fix it offers: data, kept in lint-codes.json (the table in
 * docs/song-format.md lists the same; a test keeps them in step). */
export const LINT_CODES: readonly LintCodeInfo[] = lintCodes as LintCodeInfo[];

export const LINT_CODE_SET: ReadonlySet<string> = new Set(LINT_CODES.map(c => c.code));

/** Collects diagnostics, dropping disabled codes. */
const RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

/** Collects diagnostics: the first `max` are kept, the rest only counted (by severity), so memory stays bounded. */
export class Collector {
  readonly list: SongDiagnostic[] = [];
  /** How many more were found beyond the cap, by severity. */
  readonly more: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  private readonly off: Set<string>;
  constructor(disabled: Iterable<string> | undefined, private readonly max = MAX_DIAGNOSTICS) {
    this.off = new Set(disabled ?? []);
  }
  enabled(code: string): boolean {
    return !this.off.has(code);
  }
  add(d: SongDiagnostic): void {
    if (this.off.has(d.code)) return;
    if (this.list.length < this.max) this.list.push(d);
    else this.more[d.severity]++;
  }
  /** As add, for lints that run once per line: past the cap the diagnostic is only counted, never made. */
  addLazy(severity: Severity, code: string, make: () => Omit<SongDiagnostic, 'severity' | 'code'>): void {
    if (this.off.has(code)) return;
    if (this.list.length < this.max) this.list.push({ severity, code, ...make() });
    else this.more[severity]++;
  }
  /** The summary of what was not kept, or undefined when everything was. */
  summary(): SongDiagnostic | undefined {
    const m = this.more;
    const total = m.error + m.warning + m.information + m.hint;
    if (!total) return undefined;
    const severity = (Object.keys(m) as Severity[]).filter(s => m[s] > 0).sort((a, b) => RANK[b] - RANK[a])[0];
    return {
      severity, code: 'more-diagnostics', range: lineRange(0, 0, 0), notListed: { ...m },
      message: msg('{0} more diagnostics are not listed (only the first {1} are): {2} errors, {3} warnings, {4} others',
        total, this.max, m.error, m.warning, m.information + m.hint),
    };
  }
}

/** An edit that adds `key: value` as the last frontmatter line (creating the frontmatter if needed). */
export function insertFrontmatterLine(parsed: ParsedSong, text: string): TextEdit {
  const fm = parsed.frontmatter;
  if (!fm) {
    const at = parsed.hasBom ? 1 : 0;
    return { range: lineRange(0, at, at), newText: `---\n${text}\n---\n` };
  }
  if (fm.closeLine !== null) return { range: lineRange(fm.closeLine, 0, 0), newText: `${text}\n` };
  const last = Math.max(0, fm.contentEndLine);
  const end = parsed.lines[last].length;
  return { range: lineRange(last, end, end), newText: `\n${text}` };
}

export function findEntry(parsed: ParsedSong, key: string): FrontmatterEntry | undefined {
  const entries = parsed.frontmatter?.entries ?? [];
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i].canonical === key) return entries[i];
  return undefined;
}

