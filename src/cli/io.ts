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

/** The first line of a command's help (its usage line) and where the rest is: what a usage error prints. */
export function usageLine(help: string): string {
  const first = help.split('\n')[0]!;
  const command = /acestep-song (\w+)/.exec(first)?.[1];
  return command ? `${first}\n(acestep-song ${command} --help: the options, their defaults and an example)` : first;
}

/** The slowest download pace allowed, from $ACESTEP_DOWNLOAD_MIN_BYTES_PER_SECOND (bytes/s after a grace period; 0: no limit). */
export function downloadPaceOption(io: CliIO): { downloadMinBytesPerSecond?: number } {
  const raw = io.env.ACESTEP_DOWNLOAD_MIN_BYTES_PER_SECOND;
  const pace = Number(raw);
  return raw && Number.isFinite(pace) && pace >= 0 ? { downloadMinBytesPerSecond: pace } : {};
}
