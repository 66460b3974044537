// Reading and editing a Docker Compose `.env` file without disturbing it.
//
// The parser follows compose-go's dotenv reader (the one `docker compose` uses):
//   - statements may start with `export `; `KEY=value` and YAML-like `KEY: value` both work;
//     a key alone on its line inherits the value from the caller's environment;
//   - unquoted values run to the end of the line, an inline comment starts at " #", trailing blanks are dropped,
//     and `$VAR` / `${VAR:-x}` are interpolated (from earlier keys of the file);
//   - single-quoted values are literal (only \' is special); double-quoted values may span lines, understand
//     \n \r \t \\ \" \$ and friends, and are interpolated;
//   - when a key appears more than once, the LAST assignment wins (each statement overwrites the map entry).
// The editor changes only the value token of that winning assignment and keeps every other byte.

import { interpolate, InterpolationError, type Lookup } from './interpolate';
import { MODE_KEY, type AcestepMode } from './types';

export type QuoteStyle = '"' | "'" | '';

/** One assignment found in the file, with offsets into the text (0-based, end exclusive). */
export interface EnvEntry {
  key: string;
  /** The value compose sees (unquoted, unescaped, interpolated). */
  value: string;
  quote: QuoteStyle;
  exported: boolean;
  /** `KEY` alone on its line: compose takes the value from the environment, if any. */
  inherited: boolean;
  /** 0-based line of the key. */
  line: number;
  keyStart: number;
  keyEnd: number;
  /** The raw value token, quotes included. Empty (start = end) for `KEY=` and inherited keys. */
  valueStart: number;
  valueEnd: number;
}

export interface EnvProblem { line: number; message: string }

export interface ParsedEnv {
  entries: EnvEntry[];
  /** Final values, the last assignment of a key winning. */
  values: Record<string, string>;
  /** Lines compose would reject; the parser skips them and goes on. */
  problems: EnvProblem[];
}

/** Spaces inside a line, as compose-go counts them (never a line break). */
function isInlineSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\v' || c === '\f' || c === '\r' || c === '\u0085' || c === '\u00a0';
}

function isAnySpace(c: string | undefined): boolean {
  return c !== undefined && /\s/.test(c);
}

function isKeyChar(c: string): boolean {
  return /[\p{L}\p{N}_.\-[\]]/u.test(c);
}

/** Backslash escapes compose-go expands inside double quotes (after the quote scan kept them). */
function expandEscapes(s: string): string {
  return s.replace(/\\(?:[abcfnrtv$"\\]|0\d{0,3})/g, m => {
    switch (m[1]) {
      case 'a': return '\x07';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case 'v': return '\v';
      case '$': return '$$'; // stays a literal dollar after interpolation
      case '"': return '"';
      case '\\': return '\\';
      case '0': {
        const digits = m.slice(2);
        return digits.length === 3 && /^[0-7]{3}$/.test(digits) ? String.fromCharCode(parseInt(digits, 8)) : m;
      }
      default: return m; // \c is not a real escape
    }
  });
}

/**
 * Line numbers for offsets asked in increasing order, in time linear in the text overall (counting from the start
 * for every statement made a file of 40,000 assignments take most of a minute).
 */
function lineCounter(text: string): (offset: number) => number {
  let at = 0;
  let line = 0;
  return offset => {
    if (offset < at) { at = 0; line = 0; }
    for (let i = text.indexOf('\n', at); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    at = offset;
    return line;
  };
}

/**
 * Parses `.env` text. `lookup` supplies variables from outside the file (compose passes the shell environment):
 * it is consulted first when interpolating, and gives inherited keys their value.
 */
export function parseEnvDetailed(text: string, lookup?: Lookup): ParsedEnv {
  const entries: EnvEntry[] = [];
  const problems: EnvProblem[] = [];
  const values: Record<string, string> = {};
  const resolve: Lookup = name => lookup?.(name) ?? (Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined);
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const lineAt = lineCounter(text);

  const skipLine = (from: number, message: string): void => {
    problems.push({ line: lineAt(from), message });
    const nl = text.indexOf('\n', from);
    i = nl < 0 ? n : nl + 1;
  };

  while (i < n) {
    while (i < n && isAnySpace(text[i])) i++;
    if (i >= n) break;
    if (text[i] === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    const statementStart = i;
    let exported = false;
    const ex = /^export[ \t\v\f\r\u0085\u00a0\n]+/.exec(text.slice(i, i + 64));
    if (ex) {
      let j = i + 'export'.length;
      while (j < n && isInlineSpace(text[j])) j++;
      if (text[j] === '\n') { i = j + 1; continue; } // a bare "export" line defines nothing
      exported = true;
      i = j;
    }
    const keyStart = i;
    let j = i;
    let bad: string | undefined;
    while (j < n) {
      const c = text[j]!;
      if (c === '=' || c === ':' || c === '\n') break;
      if (!isInlineSpace(c) && !isKeyChar(c)) { bad = c; break; }
      j++;
    }
    if (bad !== undefined) { skipLine(statementStart, `unexpected character "${bad}" in variable name`); continue; }
    if (j >= n) { skipLine(statementStart, 'a variable name without "=" at the end of the file is ignored'); continue; }
    let keyEnd = j;
    while (keyEnd > keyStart && isAnySpace(text[keyEnd - 1])) keyEnd--;
    const key = text.slice(keyStart, keyEnd);
    if (key === '' || /\s/.test(key)) { skipLine(statementStart, key ? 'key cannot contain a space' : 'missing variable name'); continue; }
    const line = lineAt(keyStart);

    if (text[j] === '\n') {
      const inheritedValue = lookup?.(key);
      entries.push({ key, value: inheritedValue ?? '', quote: '', exported, inherited: true, line, keyStart, keyEnd, valueStart: keyEnd, valueEnd: keyEnd });
      if (inheritedValue !== undefined) values[key] = inheritedValue;
      i = j + 1;
      continue;
    }

    let v = j + 1;
    // compose skips any inline blank here; stopping before the CR of a CRLF keeps an empty value's span on its line
    while (v < n && isInlineSpace(text[v]) && !(text[v] === '\r' && text[v + 1] === '\n')) v++;
    const q = text[v];
    if (q === '"' || q === "'") {
      let chars = '';
      let escaped = false;
      let close = -1;
      for (let k = v + 1; k < n; k++) {
        const c = text[k]!;
        if (c !== q) {
          if (!escaped && c === '\\') { escaped = true; continue; }
          if (escaped) { escaped = false; chars += '\\'; }
          chars += c;
          continue;
        }
        if (escaped) { escaped = false; chars += c; continue; }
        close = k;
        break;
      }
      if (close < 0) { skipLine(statementStart, `unterminated quoted value for ${key}`); continue; }
      let value = chars;
      if (q === '"') {
        try { value = interpolate(expandEscapes(chars), resolve); } catch (e) {
          problems.push({ line, message: e instanceof InterpolationError ? e.message : String(e) });
        }
      }
      entries.push({ key, value, quote: q, exported, inherited: false, line, keyStart, keyEnd, valueStart: v, valueEnd: close + 1 });
      values[key] = value;
      i = close + 1;
      continue;
    }

    const nl = text.indexOf('\n', v);
    const lineEnd = nl < 0 ? n : nl;
    let raw = text.slice(v, lineEnd);
    const hash = raw.indexOf(' #');
    if (hash >= 0) raw = raw.slice(0, hash);
    raw = raw.replace(/\s+$/u, '');
    let value = raw;
    try { value = interpolate(raw, resolve); } catch (e) {
      problems.push({ line, message: e instanceof InterpolationError ? e.message : String(e) });
    }
    entries.push({ key, value, quote: '', exported, inherited: false, line, keyStart, keyEnd, valueStart: v, valueEnd: v + raw.length });
    values[key] = value;
    i = lineEnd;
  }
  return { entries, values, problems };
}

/** The values compose reads from this `.env` text (last assignment of a key wins). */
export function parseEnv(text: string, lookup?: Lookup): Record<string, string> {
  return parseEnvDetailed(text, lookup).values;
}

export function readEnvValue(text: string, key: string): string | undefined {
  const values = parseEnvDetailed(text).values;
  return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : undefined;
}

/** The mode the entrypoint will start: `api` only when ACESTEP_MODE is exactly "api", else Gradio (its default). */
export function readEnvMode(text: string): AcestepMode {
  return readEnvValue(text, MODE_KEY) === 'api' ? 'api' : 'gradio';
}

/** The file's dominant line ending (CRLF only when most breaks are CRLF). */
export function dominantEol(text: string): '\n' | '\r\n' {
  let crlf = 0, lf = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (text[i - 1] === '\r') crlf++; else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

function encodeDouble(value: string): string {
  return '"' + value.replace(/[\\"$\n\r]/g, c => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\' + c)) + '"';
}

function encodeSingle(value: string): string | undefined {
  if (/[\n\r]/.test(value) || /\\$/.test(value) || value.includes("\\'")) return undefined;
  return "'" + value.replace(/'/g, "\\'") + "'";
}

function encodeUnquoted(value: string, restOfLine: string): string | undefined {
  if (value === '') return /^[ \t\v\f\r]*(\n|$)/.test(restOfLine) ? '' : undefined;
  if (/[\n\r]/.test(value) || value.includes(' #') || /^[\s"']/u.test(value) || /\s$/u.test(value)) return undefined;
  if (value.startsWith('#')) return undefined; // legal for compose, but reads like a comment to people
  return value.replace(/\$/g, '$$$$');
}

/** The value token for `value`, in the given quote style when that style can carry it, else double quotes. */
function encodeValue(value: string, style: QuoteStyle, restOfLine: string): string {
  if (style === "'") return encodeSingle(value) ?? encodeDouble(value);
  if (style === '"') return encodeDouble(value);
  return encodeUnquoted(value, restOfLine) ?? encodeDouble(value);
}

/**
 * Sets `key` to `value`, changing only the value of the assignment compose uses (the last one) and keeping
 * every other byte: comments, order, blank lines, quoting style, `export`, inline comments, line endings and a
 * missing final newline. When the key is absent, `KEY=value` is added at the end with the file's line ending.
 */
export function setEnvValue(text: string, key: string, value: string): string {
  if (!/^[\p{L}\p{N}_.\-[\]]+$/u.test(key)) throw new Error(`not a valid .env key: ${JSON.stringify(key)}`);
  const entries = parseEnvDetailed(text).entries.filter(e => e.key === key);
  const target = entries[entries.length - 1];
  let result: string;
  if (target) {
    const nl = text.indexOf('\n', target.valueEnd);
    const restOfLine = text.slice(target.valueEnd, nl < 0 ? text.length : nl + 1);
    const token = encodeValue(value, target.quote, restOfLine);
    result = target.inherited
      ? text.slice(0, target.keyEnd) + '=' + token + text.slice(target.keyEnd)
      : text.slice(0, target.valueStart) + token + text.slice(target.valueEnd);
  } else {
    const eol = dominantEol(text);
    const line = `${key}=${encodeValue(value, '', '')}`;
    if (text === '' || text === '\ufeff') result = text + line + eol;
    else if (text.endsWith('\n')) result = text + line + eol;
    else result = text + eol + line; // the file had no final newline: keep it that way
  }
  const check = parseEnvDetailed(result).values[key];
  if (check !== value) {
    throw new Error(`could not write ${key} safely (the file would read back ${JSON.stringify(check)})`);
  }
  return result;
}

export function setEnvMode(text: string, mode: AcestepMode): string {
  return setEnvValue(text, MODE_KEY, mode);
}
