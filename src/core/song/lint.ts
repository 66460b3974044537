// lintSong: diagnostics for a parsed song. The frontmatter lints live here, the body and caption
// lints in lint-body.ts. Never throws; all ranges come from the parser and lie inside the document.
import { estimateDuration, formatSeconds } from './estimate';
import { lintBody, lintCaption } from './lint-body';
import { lintServerLimits, lintServerName } from './lint-server';
import { ALIASES, CANONICAL_KEYS, KEY_SYNONYMS, MISPLACED_KEYS } from './schema';
import { lintTask } from './lint-task';
import { Collector, findEntry, type LintOptions } from './lint-support';
import { didYouMean, fullLineRange, lineRange } from './text';
import type { FrontmatterEntry, ParsedSong, SongDiagnostic, SongFix, TextEdit } from './types';
import { msg, orList, text } from '../l10n';

export type { LintOptions } from './lint-support';

export function lintSong(parsed: ParsedSong, options: LintOptions = {}): SongDiagnostic[] {
  const out = new Collector(options.disabled, options.maxDiagnostics);
  try {
    lintFrontmatter(parsed, out);
    lintTask(parsed, options, out);
    lintCaption(parsed, out);
    lintBody(parsed, options, out);
    lintDuration(parsed, options, out);
    lintServerLimits(parsed, out);
    lintServerName(parsed, options, out);
  } catch {
    // A lint bug must not hide the other diagnostics.
  }
  const list = out.list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const summary = out.summary();
  return summary ? [summary, ...list] : list;
}

function lintFrontmatter(parsed: ParsedSong, out: Collector): void {
  const fm = parsed.frontmatter;
  if (!fm) return;
  const openRange = fullLineRange(parsed.lines, 0);
  if (fm.closeLine === null) {
    out.add({
      severity: 'error', code: 'frontmatter-unclosed', range: openRange,
      message: msg('the frontmatter has no closing --- line'),
      fixes: [{ title: msg('Insert the closing ---'), isPreferred: true, edits: [closingEdit(parsed)] }],
    });
  }
  for (const e of fm.errors) out.add({ severity: 'error', code: 'yaml-syntax', range: e.range, message: e.message });
  if (!fm.isMapping) {
    out.add({ severity: 'error', code: 'frontmatter-not-mapping', range: openRange, message: msg('the frontmatter must be key: value lines') });
  }
  const firstByKey = new Map<string, FrontmatterEntry>();
  for (const e of fm.entries) {
    if (!e.canonical) { unknownKey(parsed, e, out); continue; }
    const canonical = e.canonical;
    if (e.isAlias) {
      out.add({
        severity: 'hint', code: 'key-alias', range: e.keyRange,
        message: msg('{0} is the server\'s alias of {1}', e.key, canonical),
        fixes: [renameFix(parsed, e, canonical, true)],
      });
    }
    const first = firstByKey.get(canonical);
    if (first && e.duplicate) {
      const what = e.key === canonical ? canonical : `${e.key} (${canonical})`;
      out.add({
        severity: 'warning', code: 'duplicate-key', range: e.keyRange,
        message: msg('{0} is already set on line {1}; the last one wins', what, first.keyRange.start.line + 1),
      });
    } else {
      firstByKey.set(canonical, e);
    }
    if (e.issue && !(canonical === 'caption' && e.issue.code === 'empty-value')) { // caption-missing says it better
      const fix = e.issue.replacement !== undefined
        ? [{ title: e.issue.replacementTitle ?? msg('Change to {0}', e.issue.replacement), isPreferred: true,
          edits: [{ range: e.valueRange, newText: e.issue.replacement }] }]
        : undefined;
      out.add({ severity: e.issue.severity, code: e.issue.code, range: e.valueRange.start.line === e.valueRange.end.line && e.rawText ? e.valueRange : e.keyRange,
        message: e.issue.message, ...(fix ? { fixes: fix } : {}) });
    }
  }
}

/**
 * Renames `e` to `target`; when `target` is set elsewhere already, a rename would only make a duplicate, so
 * the fix puts this value into that entry instead and removes this line (or only removes the line when
 * that entry is the one in effect).
 */
function renameFix(parsed: ParsedSong, e: FrontmatterEntry, target: string, isPreferred: boolean): SongFix {
  const other = parsed.frontmatter?.entries.filter(x => x !== e && (x.canonical === target || x.key === target)).pop();
  if (!other) return { title: msg('Rename to {0}', target), isPreferred, edits: [{ range: e.keyRange, newText: target }] };
  const remove = removeEntryEdit(parsed, e);
  const mine = e.rawText.trim();
  // An alias that an entry further down overrides is not in effect: removing it keeps the song as it sounds.
  const overridden = e.canonical !== null && other.keyRange.start.line > e.keyRange.start.line;
  if (mine === '' || mine === other.rawText.trim() || overridden) {
    return { title: msg('Remove {0} ({1} is already set)', e.key, other.key), isPreferred, edits: [remove] };
  }
  const edits: TextEdit[] = [{ range: other.valueRange, newText: other.rawText === '' ? ` ${mine}` : mine }, remove];
  return other.rawText.trim() === ''
    ? { title: msg('Move the value to {0}', other.key), isPreferred, edits }
    : { title: msg('Replace {0}: {1} with {2}', other.key, shorten(other.rawText.trim()), shorten(mine)), isPreferred, edits };
}

const shorten = (s: string) => (s.length > 40 ? `${s.slice(0, 39)}…` : s).replace(/\s*\n\s*/g, ' ');

/** Deletes an entry's lines: its key line through the last line of its value. */
function removeEntryEdit(parsed: ParsedSong, e: FrontmatterEntry): TextEdit {
  const v = e.valueRange;
  const last = v.end.line > e.keyRange.start.line && v.end.character === 0 ? v.end.line - 1 : Math.max(v.end.line, e.keyRange.start.line);
  const first = e.keyRange.start.line;
  if (last + 1 < parsed.lines.length) return { range: { start: { line: first, character: 0 }, end: { line: last + 1, character: 0 } }, newText: '' };
  const from = first > 0 ? { line: first - 1, character: parsed.lines[first - 1].length } : { line: first, character: 0 };
  return { range: { start: from, end: { line: last, character: parsed.lines[last].length } }, newText: '' };
}

function closingEdit(parsed: ParsedSong): TextEdit {
  const fm = parsed.frontmatter!;
  const last = Math.max(0, fm.contentEndLine);
  const end = parsed.lines[last].length;
  return { range: lineRange(last, end, end), newText: '\n---' };
}

function unknownKey(parsed: ParsedSong, e: FrontmatterEntry, out: Collector): void {
  const misplaced = Object.prototype.hasOwnProperty.call(MISPLACED_KEYS, e.key) ? MISPLACED_KEYS[e.key] : undefined;
  if (misplaced) {
    out.add({ severity: 'warning', code: 'unknown-key', range: e.keyRange, message: msg('{0} is not a .song key: {1}', e.key, text(misplaced)) });
    return;
  }
  const candidates = [...CANONICAL_KEYS, ...ALIASES.keys()];
  const synonym = Object.prototype.hasOwnProperty.call(KEY_SYNONYMS, e.key.toLowerCase()) ? KEY_SYNONYMS[e.key.toLowerCase()] : undefined;
  const close = didYouMean(e.key, candidates).map(s => ALIASES.get(s) ?? s);
  const suggestions = [...new Set(synonym ? [synonym, ...close] : close)];
  
  out.add({
    severity: 'warning', code: 'unknown-key', range: e.keyRange, message: suggestions.length ? msg('unknown key {0}; did you mean {1}?', e.key, orList(suggestions)) : msg('unknown key {0}', e.key),
    ...(suggestions.length ? {
      fixes: suggestions.map((s, i) => renameFix(parsed, e, s, i === 0)),
    } : {}),
  });
}

function lintDuration(parsed: ParsedSong, options: LintOptions, out: Collector): void {
  const d = parsed.params.duration;
  if (typeof d !== 'number') return;
  if (!out.enabled('duration-too-short') && !out.enabled('duration-too-long')) return;
  const entry = findEntry(parsed, 'duration');
  if (!entry || parsed.sungLineCount === 0) return;
  const est = options.estimate ?? estimateDuration(parsed);
  if (d < est.min) {
    out.add({
      severity: 'warning', code: 'duration-too-short', range: entry.valueRange,
      message: msg('duration {0} s is shorter than the lyrics need: about {1} ({2}–{3})', d, formatSeconds(est.seconds), formatSeconds(est.min), formatSeconds(est.max)),
      fixes: [{ title: msg('Set duration to {0}', est.seconds), isPreferred: true, edits: [{ range: entry.valueRange, newText: String(est.seconds) }] }],
    });
  } else if (!parsed.instrumental && d > est.max * 2 && d - est.max > 60) {
    out.add({
      severity: 'information', code: 'duration-too-long', range: entry.valueRange,
      message: msg('duration {0} s is far longer than the lyrics need (about {1}); the model may repeat itself', d, formatSeconds(est.seconds)),
    });
  }
}
