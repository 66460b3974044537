// A CliIO that records what a command prints, for the CLI tests.
import type { CliIO } from '../../../src/cli/io';

export function cliIO(cwd: string, env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { out: t => out.push(t), err: t => err.push(t), env, cwd };
  return { cli, out, err, all: () => [...out, ...err].join('\n') };
}
