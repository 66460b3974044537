// What the lint modules share: the options, the table of codes, the diagnostic collector and
// the edits that add a line to the frontmatter.
import { lineRange } from './text';
import { msg } from '../l10n';
import type { DurationEstimate, FrontmatterEntry, ParsedSong, Severity, SongDiagnostic, TextEdit } from './types';

export interface LintOptions {
  /** Codes to skip. */
  disabled?: Iterable<string>;
  /** Comfortable syllables per sung line (default 6–10); only lines far outside are reported. */
  syllableRange?: { min: number; max: number };
  /** Existence check for `src_audio` / `reference_audio`; without it (or baseDir) files are not checked. */
  fileExists?: (absPath: string) => boolean;
  /** Folder of the .song file, for resolving relative paths. */
  baseDir?: string;
  /** A ready estimate, to avoid computing it twice. */
  estimate?: DurationEstimate;
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

export const LINT_CODES: readonly LintCodeInfo[] = [
  { code: 'frontmatter-unclosed', severity: 'error', description: 'The frontmatter opens with `---` but never closes.', fix: 'insert the closing `---`' },
  { code: 'yaml-syntax', severity: 'error', description: 'The frontmatter is not valid YAML.' },
  { code: 'frontmatter-not-mapping', severity: 'error', description: 'The frontmatter is YAML but not a list of `key: value` lines.' },
  { code: 'unknown-key', severity: 'warning', description: 'A key the server does not know (or one that belongs elsewhere, like `lyrics`).', fix: 'rename to the closest known key (when that key is set already: move the value there)' },
  { code: 'key-alias', severity: 'hint', description: 'A server alias such as `prompt` or `key_scale`; works, but the canonical name reads better.', fix: 'rename to the canonical key (when it is set already: keep the value in effect)' },
  { code: 'duplicate-key', severity: 'warning', description: 'The same setting appears twice (maybe once under an alias); the last one wins.' },
  { code: 'empty-value', severity: 'warning', description: 'A key without a value; it is ignored.' },
  { code: 'invalid-value', severity: 'error', description: 'A value of the wrong type or outside the allowed set.', fix: 'when the intended value is obvious' },
  { code: 'out-of-range', severity: 'error', description: 'A number outside the server\'s limits (bpm 30–300, duration 10–600, batch_size 1–8, …).', fix: 'clamp to the limit' },
  { code: 'key-spelling', severity: 'warning', description: 'A musical key in another spelling (`Dm`, `D Minor`, `F#m`), or in German or Dutch notation (`H`, `h-moll`, `Fis`, `Es-Dur`).', fix: 'rewrite as `D minor`' },
  { code: 'value-spelling', severity: 'warning', description: 'A recognisable value in a non-canonical spelling (`yes`, `English`, `3:30`).', fix: 'rewrite canonically' },
  { code: 'newer-server-format', severity: 'warning', description: '`opus`, `aac` and `wav32` need a recent server; older ones write flac.' },
  { code: 'base-model-only', severity: 'information', description: 'A task or setting only base models support (`extract`, `lego`, `complete`, more than 20 steps).' },
  { code: 'task-needs-source', severity: 'error', description: 'repaint, cover, extract, lego and complete need `src_audio`.' },
  { code: 'file-not-found', severity: 'error', description: '`src_audio` or `reference_audio` does not exist (paths are relative to the .song file).' },
  { code: 'unused-param', severity: 'information', description: 'A setting the chosen task ignores (e.g. `repainting_start` without `task_type: repaint`).' },
  { code: 'repaint-range', severity: 'error', description: '`repainting_end` is not after `repainting_start`.' },
  { code: 'caption-missing', severity: 'warning', description: 'No caption: the caption is the most important input.' },
  { code: 'caption-metadata', severity: 'warning', description: 'Tempo, key or time signature written into the caption instead of their own keys.', fix: 'remove from the caption and set the key' },
  { code: 'duration-too-short', severity: 'warning', description: '`duration` is shorter than the lyrics need.', fix: 'set the recommended duration' },
  { code: 'duration-too-long', severity: 'information', description: '`duration` is far longer than the lyrics need; the model may repeat itself.' },
  { code: 'no-lyrics', severity: 'warning', description: 'Section tags but no sung line, and `instrumental` is not set.', fix: 'add `instrumental: true`' },
  { code: 'instrumental-with-lyrics', severity: 'warning', description: '`instrumental: true` but the body has lyrics, which will not be sung.' },
  { code: 'unknown-section', severity: 'warning', description: 'A bracket tag that is neither a known section nor a known performance tag (information when nothing is close).', fix: 'the closest known name' },
  { code: 'empty-tag', severity: 'warning', description: 'An empty `[]`.' },
  { code: 'unclosed-tag', severity: 'warning', description: 'A tag line without its closing `]`.', fix: 'add the `]`' },
  { code: 'stacked-modifiers', severity: 'information', description: 'More than one modifier in a tag (`[Chorus - anthemic, powerful]`); warning from three on.', fix: 'keep the first, move the rest to the caption' },
  { code: 'syllables', severity: 'information', description: 'A sung line far outside the syllable range (default 6–10: fewer than 3 or more than 15).' },
  { code: 'top-p-replaced', severity: 'warning', description: '`lm_top_p` of 1 or more: the server replaces it with 0.9.' },
  { code: 'no-effect', severity: 'information', description: '`constrained_decoding`, `use_tiled_decode` or `lm_repetition_penalty`: current servers read them and never pass them to generation.' },
  { code: 'text-cut', severity: 'warning', description: 'The caption past about 256 tokens, or the lyrics past about 2,048 tokens: the server cuts the rest without a word (the count is an estimate).' },
  { code: 'more-diagnostics', severity: 'information', description: 'Only the first 1,000 diagnostics are listed; this one counts the rest (and is an error or warning when one of them is). Cannot be disabled.' },
];

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

