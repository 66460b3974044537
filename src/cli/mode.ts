// acestep-song mode api|gradio [--compose-dir DIR] [--service NAME] [--no-wait] [--timeout SECONDS]
// Sets ACESTEP_MODE in the setup's .env (nothing else in the file changes), recreates the `acestep`
// container and waits until the server answers /health (the first start can take many minutes while the
// models download). Prints e.g. "API mode ready on :8501 (http://localhost:8501)".
// Exit: 0 ready (or started, with --no-wait), 1 failed, 2 usage error, 130 interrupted while waiting.
import { switchMode } from '../core/server/control';
import { isAcestepMode } from '../core/server/types';
import { usageLine, type CliIO } from './io';
import { cliContext, exitCodeOf, parseCommon, printProblem, printReady, withInterrupt } from './server';

const USAGE = `usage: acestep-song mode api|gradio [--compose-dir DIR] [--service NAME] [--no-wait] [--timeout SECONDS]

Sets ACESTEP_MODE in the setup's .env (nothing else in the file changes), recreates the "acestep" container and
waits until the server answers /health. api: the standalone REST API (port 8501); gradio: the Gradio UI with its
API (port 8500).

options:
  --compose-dir DIR    the folder with the compose file and .env (default: $ACESTEP_COMPOSE_DIR, else the current folder)
  --service NAME       the compose service, in a setup with one service per GPU (acestep-gpu0, acestep-gpu1…):
                       only its mode key (ACESTEP_MODE_GPU1…) changes and only its container is recreated
  --no-wait            do not wait for /health
  --timeout SECONDS    how long to wait for /health (default: 1800; the first start downloads the models)

examples:
  acestep-song mode api --compose-dir ~/ace-step
  acestep-song mode gradio --service acestep-gpu1`;

export async function run(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) { io.out(USAGE); return 0; }
  const o = parseCommon(args);
  if (typeof o === 'string') { io.err(`acestep-song mode: ${o}\n${usageLine(USAGE)}`); return 2; }
  const [mode, ...extra] = o.rest;
  if (!isAcestepMode(mode) || extra.length) { io.err(usageLine(USAGE)); return 2; }
  const r = await withInterrupt(signal => switchMode(cliContext(io, o.composeDir, signal, o.service), mode, { wait: o.wait, timeoutMs: o.timeoutMs }));
  if (!r.ok) { printProblem(io, 'mode', r.problem); return exitCodeOf(r.problem); }
  if (r.envChanged) io.err(`.env: ${r.modeKey ?? 'ACESTEP_MODE'}=${mode}`);
  printReady(io, r);
  return 0;
}
