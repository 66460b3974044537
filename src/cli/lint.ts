// acestep-song lint FILE... [--json] [--disable CODE[,CODE...]]
// Prints every diagnostic as `file:line:col severity code message` (1-based line and column, the
// form editors and CI problem matchers read), or JSON with 0-based ranges. Exit: 0 clean or only
// warnings, 1 at least one error, 2 usage error or unreadable file.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { analyzeSong, type Severity, type SongDiagnostic } from '../core/song';
import { usageLine, type CliIO } from './io';
import { errorMessage } from '../core/util/error-message';

const USAGE = `usage: acestep-song lint FILE... [--json] [--disable CODE[,CODE...]]

Checks .song files: every diagnostic as "file:line:col severity code message". Exit 1 when there is an error
(warnings alone exit 0), 2 when a file cannot be read.

options:
  --json                     print the diagnostics as JSON (0-based ranges)
  --disable CODE[,CODE...]   leave these diagnostic codes out (default: none)

example:
  acestep-song lint examples/*.song --disable syllables`;

interface FileReport {
  file: string;
  /** At most MAX_DIAGNOSTICS (then one `more-diagnostics` summary first). */
  diagnostics: Pick<SongDiagnostic, 'severity' | 'code' | 'message' | 'range'>[];
  /** Found but not listed, by severity (only when the cap was reached). */
  notListed?: Record<Severity, number>;
}

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = false;
  const disabled: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') json = true;
    else if (a === '--disable') disabled.push(...(args[++i] ?? '').split(',').filter(Boolean));
    else if (a.startsWith('--disable=')) disabled.push(...a.slice(10).split(',').filter(Boolean));
    else if (a === '--help' || a === '-h') { io.out(USAGE); return 0; }
    else if (a.startsWith('--')) { io.err(`acestep-song lint: unknown option ${a}\n${usageLine(USAGE)}`); return 2; }
    else files.push(a);
  }
  if (files.length === 0) { io.err(usageLine(USAGE)); return 2; }

  let exit = 0;
  let unreadable = false;
  const reports: FileReport[] = [];
  for (const file of files) {
    const abs = path.resolve(io.cwd, file);
    let text: string;
    try {
      text = await readFile(abs, 'utf8');
    } catch (e) {
      io.err(`acestep-song lint: cannot read ${file}: ${describe(e)}`);
      unreadable = true;
      continue;
    }
    const { diagnostics } = analyzeSong(text, { disabled, baseDir: path.dirname(abs), fileExists: p => existsSync(p) });
    if (diagnostics.some(d => d.severity === 'error')) exit = 1;
    const notListed = diagnostics.find(d => d.notListed)?.notListed;
    reports.push({
      file,
      diagnostics: diagnostics.map(d => ({ severity: d.severity, code: d.code, message: d.message, range: d.range })),
      ...(notListed ? { notListed } : {}),
    });
    if (!json) {
      for (const d of diagnostics) {
        io.out(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`);
      }
    }
  }
  if (json) io.out(JSON.stringify(reports, null, 2));
  else if (!unreadable) {
    // The summary diagnostic stands for the ones not listed: count those instead of it.
    const count = (s: Severity) => reports.reduce((n, r) =>
      n + r.diagnostics.filter(d => d.severity === s && d.code !== 'more-diagnostics').length + (r.notListed?.[s] ?? 0), 0);
    const errors = count('error');
    const warnings = count('warning');
    if (errors || warnings) io.err(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  }
  return unreadable ? 2 : exit;
}

function describe(e: unknown): string {
  const code = (e as { code?: string })?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return errorMessage(e);
}
