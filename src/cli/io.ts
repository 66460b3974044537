/** What a CLI command may touch of the outside world; tests pass their own. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
}

export function realIO(): CliIO {
  return {
    out: t => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
    err: t => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
    env: process.env,
    cwd: process.cwd(),
  };
}
