// acestep-song estimate FILE [--json]
// How long the song's lyrics need: a per-section table and the total, or JSON
// {seconds, min, max, sections: [{name, seconds}]}. Exit: 0 ok, 2 usage error or unreadable file.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { estimateDuration, formatSeconds, parseSong } from '../core/song';
import { usageLine, type CliIO } from './io';
import { errorMessage } from '../core/util/error-message';

const USAGE = `usage: acestep-song estimate FILE [--json]

How long a .song file's lyrics need: a table per section and the total with its range.

options:
  --json   print {seconds, min, max, sections: [{name, seconds}]} instead of the table

example:
  acestep-song estimate examples/lofi-study.song`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const json = args.includes('--json');
  if (args.includes('--help') || args.includes('-h')) { io.out(USAGE); return 0; }
  const unknown = args.find(a => a.startsWith('--') && a !== '--json');
  if (unknown) { io.err(`acestep-song estimate: unknown option ${unknown}\n${usageLine(USAGE)}`); return 2; }
  const files = args.filter(a => !a.startsWith('--'));
  if (files.length !== 1) { io.err(usageLine(USAGE)); return 2; }
  const file = files[0];
  let text: string;
  try {
    text = await readFile(path.resolve(io.cwd, file), 'utf8');
  } catch (e) {
    const code = (e as { code?: string })?.code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : errorMessage(e);
    io.err(`acestep-song estimate: cannot read ${file}: ${why}`);
    return 2;
  }
  const parsed = parseSong(text);
  const est = estimateDuration(parsed);
  if (json) {
    io.out(JSON.stringify({
      seconds: est.seconds, min: est.min, max: est.max,
      sections: est.sections.map(s => ({ name: s.name, seconds: s.seconds })),
    }, null, 2));
    return 0;
  }
  const width = Math.min(40, Math.max(7, ...est.sections.map(s => s.name.length)));
  const rows = [`${'section'.padEnd(width)}  seconds  range`];
  for (const s of est.sections) {
    const name = s.name.length > width ? `${s.name.slice(0, width - 1)}…` : s.name.padEnd(width);
    rows.push(`${name}  ${String(s.seconds).padStart(7)}  ${s.min}–${s.max}`);
  }
  for (const r of rows) io.out(r);
  io.out(`≈ ${formatSeconds(est.seconds)} (${formatSeconds(est.min)}–${formatSeconds(est.max)})`);
  const d = parsed.params.duration;
  if (typeof d === 'number') io.out(`duration in the file: ${formatSeconds(d)}`);
  return 0;
}
