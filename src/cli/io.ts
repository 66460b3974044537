import { createInterface } from 'node:readline';

/** A terminal a person watches (stderr and stdin both one): a live view redrawn in place, and questions. */
export interface CliTerminal {
  /** Raw text to stderr (escape sequences of our own; never server text unchecked). */
  write(raw: string): void;
  columns(): number;
  /** Asks on stderr, reads one line from stdin. */
  ask(question: string): Promise<string>;
}

/** What a CLI command may touch of the outside world; tests pass their own. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Present when a person watches a terminal; absent when the output goes to a file or a pipe. */
  tty?: CliTerminal;
}

export function realIO(): CliIO {
  const io: CliIO = {
    out: t => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
    err: t => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
    env: process.env,
    cwd: process.cwd(),
  };
  if (process.stderr.isTTY && process.stdin.isTTY) {
    io.tty = {
      write: raw => process.stderr.write(raw),
      columns: () => process.stderr.columns || 100,
      ask: question => new Promise(resolve => {
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        rl.question(question, answer => { rl.close(); resolve(answer); });
        rl.on('close', () => resolve(''));
      }),
    };
  }
  return io;
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
