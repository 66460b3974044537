// The command line of a subcommand: `--flag`, `--name VALUE` or `--name=VALUE`, and positional words.
// One parser for the commands that take a server, a folder and the like.

export interface ParsedArgs {
  /** The words that are not options, in order. */
  words: string[];
  /** `--json` and other switches that were given. */
  flags: Set<string>;
  /** Options with a value, by name without the dashes. */
  values: Record<string, string>;
}

/**
 * `flags`: the switches; `values`: the options that take a value, each with what the value is ("a URL").
 * Returns an error text for an unknown option or a missing value.
 */
export function parseArgs(args: string[], flags: readonly string[], values: Record<string, string>): ParsedArgs | string {
  const out: ParsedArgs = { words: [], flags: new Set(), values: {} };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const name = a.startsWith('--') ? a.slice(2).split('=')[0]! : '';
    if (name && flags.includes(name) && !a.includes('=')) out.flags.add(name);
    else if (name && name in values) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      if (!v) return `--${name} needs ${values[name]}`;
      out.values[name] = v;
    } else if (a.startsWith('-')) return `unknown option ${a}`;
    else out.words.push(a);
  }
  return out;
}
