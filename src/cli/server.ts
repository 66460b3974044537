// acestep-song server start|stop|status [--compose-dir DIR] [--service NAME] [--no-wait] [--timeout SECONDS] [--json]
// Drives the `acestep` service of a Docker Compose setup. The docker program comes from $ACESTEP_DOCKER
// (default "docker"); the setup folder from --compose-dir, else $ACESTEP_COMPOSE_DIR, else the current folder.
// Exit: 0 done (status: the server is up), 1 failed, 2 usage error, 3 status: the server is not up.
import * as path from 'node:path';
import { findComposeFile, NodeProcessRunner } from '../core/server/compose';
import {
  serverStatus, setupServices, startServer, stopServer, type ControlProblem, type ControlResult, type ServerControlContext,
} from '../core/server/control';
import { modeLabel } from '../core/server/types';
import { usageLine, type CliIO } from './io';

const USAGE = `usage: acestep-song server start|stop|status [--compose-dir DIR] [--service NAME] [--no-wait] [--timeout SECONDS] [--json]

Drives the "acestep" service of an ACE-Step Docker Compose setup.
  start    start the container in the mode .env selects and wait until /health answers
  stop     stop the container
  status   the mode .env asks for, the container, and which server answers (exit 3 when none is up);
           in a setup with one service per GPU, every service unless --service names one

options:
  --compose-dir DIR    the folder with the compose file and .env (default: $ACESTEP_COMPOSE_DIR, else the current folder)
  --service NAME       the compose service, in a setup with one service per GPU (acestep-gpu0, acestep-gpu1…)
  --no-wait            start: do not wait for /health
  --timeout SECONDS    start: how long to wait for /health (default: 1800; the first start downloads the models)
  --json               status: print the state as JSON
The docker program comes from $ACESTEP_DOCKER (default: docker).

examples:
  acestep-song server start --compose-dir ~/ace-step
  acestep-song server status --json
  acestep-song server stop --service acestep-gpu1`;

export interface CommonOptions {
  composeDir?: string;
  service?: string;
  wait: boolean;
  timeoutMs?: number;
  json: boolean;
  rest: string[];
}

/** Parses the options `mode` and `server` share; returns an error text for a bad option. */
export function parseCommon(args: string[]): CommonOptions | string {
  const o: CommonOptions = { wait: true, json: false, rest: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string | undefined => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i]);
    if (a === '--compose-dir' || a.startsWith('--compose-dir=')) {
      const v = value();
      if (!v) return '--compose-dir needs a folder';
      o.composeDir = v;
    } else if (a === '--service' || a.startsWith('--service=')) {
      const v = value();
      if (!v || v.startsWith('-')) return '--service needs a compose service name';
      o.service = v;
    } else if (a === '--timeout' || a.startsWith('--timeout=')) {
      const v = Number(value());
      if (!Number.isFinite(v) || v <= 0) return '--timeout needs a number of seconds';
      o.timeoutMs = v * 1000;
    } else if (a === '--no-wait') o.wait = false;
    else if (a === '--json') o.json = true;
    else if (a.startsWith('-')) return `unknown option ${a}`;
    else o.rest.push(a);
  }
  return o;
}

/** The control context of a CLI run: real processes, progress on stderr, Ctrl+C ends the wait. */
export function cliContext(io: CliIO, composeDir: string | undefined, signal?: AbortSignal, service?: string): ServerControlContext {
  return {
    service,
    runner: new NodeProcessRunner(io.env),
    dockerPath: io.env.ACESTEP_DOCKER || 'docker',
    composeDir: path.resolve(io.cwd, composeDir ?? io.env.ACESTEP_COMPOSE_DIR ?? '.'),
    env: io.env,
    onProgress: text => io.err(text),
    signal,
    surface: 'terminal',
  };
}

/** Runs `body` with an AbortSignal that Ctrl+C fires (the container keeps going; only the wait stops). */
export async function withInterrupt<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const onSigint = (): void => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    return await body(ac.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

export function printProblem(io: CliIO, command: string, p: ControlProblem): void {
  io.err(`acestep-song ${command}: ${p.message}\n${p.nextStep}`);
  if (p.detail) io.err(p.detail.split('\n').map(l => `  ${l}`).join('\n'));
}

export function exitCodeOf(p: ControlProblem): number {
  return p.kind === 'aborted' ? 130 : 1;
}

/** "API mode ready on :8501 (http://localhost:8501)" and friends. */
export function printReady(io: CliIO, r: Extract<ControlResult, { ok: true }>): void {
  const where = r.port !== undefined ? ` on :${r.port}` : '';
  const url = r.url ? ` (${r.url})` : '';
  io.out(r.waited ? `${modeLabel(r.mode)} mode ready${where}${url}` : `${modeLabel(r.mode)} mode starting${where}${url}; not waiting for /health`);
  if (r.warning) io.err(r.warning);
}

export async function run(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) { io.out(USAGE); return 0; }
  const o = parseCommon(args);
  if (typeof o === 'string') { io.err(`acestep-song server: ${o}\n${usageLine(USAGE)}`); return 2; }
  const [action, ...extra] = o.rest;
  if (!action || extra.length || !['start', 'stop', 'status'].includes(action)) { io.err(usageLine(USAGE)); return 2; }

  if (action === 'status') {
    const ctx = cliContext(io, o.composeDir, undefined, o.service);
    // Without a compose file there is no setup to report on: no mode, no ports; say how to point at one.
    if (!(await findComposeFile(ctx.composeDir))) {
      const why = `no Docker setup here: ${ctx.composeDir} has no compose file.`;
      const next = 'Run this in the folder of your ACE-Step Docker setup or pass --compose-dir DIR (or set ACESTEP_COMPOSE_DIR); to ask a server directly: acestep-song status --server URL.';
      if (o.json) io.out(JSON.stringify({ composeDir: ctx.composeDir, composeFile: null, state: 'no-setup', message: why, nextStep: next }, null, 2));
      io.err(`acestep-song server status: ${why}\n${next}`);
      return 3;
    }
    const services = o.service ? [] : await setupServices(ctx.composeDir);
    if (services.length > 1) return statusOfEach(io, ctx, services, o.json);
    const { state, problem } = await serverStatus(ctx);
    if (o.json) {
      io.out(JSON.stringify({ ...state, health: state.health ? { service: state.health.service, version: state.health.version } : undefined, dockerProblem: problem }, null, 2));
    } else {
      io.out(`state: ${state.state}`);
      io.out(`configured mode: ${state.configuredMode}`);
      io.out(`running mode: ${state.runningMode ?? '-'}`);
      io.out(`container: ${state.container}`);
      io.out(`url: ${state.url ?? '-'}`);
      if (state.health?.service) io.out(`service: ${state.health.service}${state.health.version ? ` ${state.health.version}` : ''}`);
      if (state.note) io.err(state.note);
      if (problem && state.state !== 'up') io.err(`docker: ${problem.message}`);
    }
    return state.state === 'up' ? 0 : 3;
  }

  if (action === 'stop') {
    const r = await stopServer(cliContext(io, o.composeDir, undefined, o.service));
    if (!r.ok) { printProblem(io, 'server stop', r.problem); return 1; }
    io.out('Server stopped.');
    return 0;
  }

  const r = await withInterrupt(signal => startServer(cliContext(io, o.composeDir, signal, o.service), { wait: o.wait, timeoutMs: o.timeoutMs }));
  if (!r.ok) { printProblem(io, 'server start', r.problem); return exitCodeOf(r.problem); }
  printReady(io, r);
  return 0;
}

/** `server status` of a setup with one service per GPU: a line (or a JSON entry) per service; 0 when all are up. */
async function statusOfEach(io: CliIO, ctx: ServerControlContext, services: string[], json: boolean): Promise<number> {
  const all = await Promise.all(services.map(async service => ({ service, ...(await serverStatus({ ...ctx, service })) })));
  if (json) {
    io.out(JSON.stringify(all.map(({ service, state, problem }) => ({
      service, ...state, health: state.health ? { service: state.health.service, version: state.health.version } : undefined, dockerProblem: problem,
    })), null, 2));
  } else {
    for (const { service, state } of all) {
      io.out(`${service}: ${state.state}, ${state.runningMode ?? state.configuredMode} mode${state.runningMode && state.runningMode !== state.configuredMode ? ` (.env: ${state.configuredMode})` : ''}, container ${state.container}, ${state.url ?? '-'}`);
      if (state.note) io.err(`${service}: ${state.note}`);
    }
    const problem = all.find(a => a.problem && a.state.state !== 'up')?.problem;
    if (problem) io.err(`docker: ${problem.message}`);
  }
  return all.every(a => a.state.state === 'up') ? 0 : 3;
}
