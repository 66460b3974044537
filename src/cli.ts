#!/usr/bin/env node
// acestep-song: the command-line front of the same core the extension uses.
// Each subcommand lives in src/cli/<name>.ts and exports `run(args, io)` returning an exit code.
import type { CliIO } from './cli/io';
import { realIO } from './cli/io';
import { errorMessage } from './core/util/error-message';

type Command = { summary: string; load: () => Promise<{ run(args: string[], io: CliIO): Promise<number> }> };

const commands: Record<string, Command> = {
  // Subcommands register here, one line each.
  lint: { summary: 'check .song files (exit 1 on errors)', load: () => import('./cli/lint') },
  estimate: { summary: 'how long a .song file\'s lyrics need', load: () => import('./cli/estimate') },
  mode: { summary: 'switch the Docker server to api or gradio mode and wait until ready', load: () => import('./cli/mode') },
  server: { summary: 'start, stop or show the status of the ACE-Step Docker server', load: () => import('./cli/server') },
  generate: { summary: 'generate a .song file on an ACE-Step server and download the takes', load: () => import('./cli/generate') },
  edit: { summary: 'edit a take: repaint, extend, restyle, add or extract a part, complete it', load: () => import('./cli/edit') },
  write: { summary: 'let the server\'s LM write a song from one sentence: the .song and the takes', load: () => import('./cli/write') },
  download: { summary: 'fetch the takes of a finished job by its task id (after a failed download)', load: () => import('./cli/download') },
  lora: { summary: 'list, load, unload or scale the server\'s style adapters (LoRA)', load: () => import('./cli/lora') },
  status: { summary: 'show what the ACE-Step server is: flavour, models, LM, queue, avg job time', load: () => import('./cli/status') },
};

function usage(io: CliIO): void {
  io.err('usage: acestep-song <command> [options]\n\ncommands:');
  for (const [name, c] of Object.entries(commands)) io.err(`  ${name.padEnd(10)} ${c.summary}`);
  io.err('\nacestep-song COMMAND --help: its options, their defaults and an example');
}

export async function main(argv: string[], io: CliIO = realIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') { usage(io); return name ? 0 : 2; }
  const command = commands[name];
  if (!command) { io.err(`acestep-song: unknown command "${name}"`); usage(io); return 2; }
  try {
    return await (await command.load()).run(rest, io);
  } catch (e) {
    io.err(`acestep-song ${name}: ${errorMessage(e)}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(code => { process.exitCode = code; });
}
