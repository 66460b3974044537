// The `.song` language core: parse, lint, estimate, build the server request, editor data.
// Pure TypeScript without `vscode`; the extension's adapters and the CLI both use it.
import { estimateDuration } from './estimate';
import { lintSong, type LintOptions } from './lint';
import { parseSong } from './parse';
import type { DurationEstimate, ParsedSong, SongDiagnostic } from './types';

export * from './types';
export { parseSong } from './parse';
export { lintSong, type LintOptions } from './lint';
export { estimateDuration, formatSeconds, lineSeconds, tempoFactor, MIN_DURATION, MAX_DURATION } from './estimate';
export { toReleaseRequest, type ReleaseRequest, type ReleaseRequestOptions } from './request';
export { completionsAt, hoverAt, keyMarkdown, MODEL_NAMES, type CompletionItem, type CompletionKind, type HoverInfo } from './editor';
export { documentSymbols, foldingRanges, type FoldingRange, type SongSymbol, type SymbolKind } from './editor';
export { LINT_CODES, LINT_CODE_SET, type LintCodeInfo } from './lint-support';
export {
  KEY_SPECS, SPEC_BY_KEY, ALIASES, CANONICAL_KEYS, LANGUAGES, LANGUAGE_NAMES, KEY_NAMES, COMMON_KEY_NAMES, TIME_SIGNATURES,
  AUDIO_FORMATS, NEWER_AUDIO_FORMATS, TURBO_TASKS, BASE_ONLY_TASKS, resolveKey, type KeySpec,
} from './schema';
export { SECTION_NAMES, PERFORMANCE_TAGS, MODIFIERS, lookupSection, lookupPerformanceTag } from './tags';
export { normaliseKeyName, normaliseTimeSignature } from './values';
export { countSyllables, splitLines } from './text';
export { setFrontmatterValues, replaceBody } from './rewrite';

export interface SongAnalysis {
  parsed: ParsedSong;
  diagnostics: SongDiagnostic[];
  estimate: DurationEstimate;
}

/** Parses, estimates and lints in one go (the estimate is computed once and shared). */
export function analyzeSong(text: string, options: LintOptions = {}): SongAnalysis {
  const parsed = parseSong(text);
  const estimate = estimateDuration(parsed);
  const diagnostics = lintSong(parsed, { ...options, estimate });
  return { parsed, diagnostics, estimate };
}
