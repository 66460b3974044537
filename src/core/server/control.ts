// Server control as the CLI and the extension use it: switch mode, start, stop, status.
// Each step is built from the pieces next to this file; the process runner and the health fetch are injected.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { writeFileAtomic } from '../util/fs-atomic';
import { decodeBytesText, encodeBytesText } from '../util/bytes-text';
import { errorMessage } from '../util/error-message';
import {
  composeLogsArgv, composePsArgv, composeStopArgv, composeUpArgv, dockerInspectArgv, findComposeFile, listServices,
  isComposeV1, parseComposePs, parseDockerInspect, resolveCompose, type ComposeCommand, type ProcessRunner,
} from './compose';
import { classifyDockerError, describeProgressLine, DockerError, problemFor, type DockerProblem, type DockerProblemKind } from './docker-errors';
import { readEnvValue, setEnvValue } from './env-file';
import { formatDuration, httpFetchHealth, parseHealth, waitForHealth, type FetchHealth, type HealthInfo } from './health-wait';
import { portForMode, resolvePorts, serverUrlForMode, type AcestepPorts, type ResolvedPorts } from './ports';
import { containerStateFromPs, probeServerState, type ContainerState, type ServerState } from './server-state';
import { acestepServicesIn, configuredModeOf, modeKeyOf } from './services';
import { ACESTEP_SERVICE, modeLabel, type AcestepMode } from './types';
import { stripControl } from '../util/server-text';

export interface ServerControlContext {
  runner: ProcessRunner;
  /** The docker program ("docker", or a path). */
  dockerPath: string;
  /** Folder holding the compose file and .env. */
  composeDir: string;
  /**
   * The compose service to drive (default: `acestep`, or the only ACE-Step service of the project). A project
   * with one service per GPU needs it named: `acestep-gpu1`.
   */
  service?: string;
  /** The shell environment compose sees (for reading ports without docker). */
  env?: Record<string, string | undefined>;
  /** Default: HTTP on the global fetch. */
  fetchHealth?: FetchHealth;
  /** Friendly progress text ("Pulling image…"), only when it changes. */
  onProgress?: (text: string) => void;
  /** Every raw line docker prints, for a log. */
  onOutput?: (line: string) => void;
  signal?: AbortSignal;
  /** Where problems are read (their next step names the editor's commands or the CLI's flags); default editor. */
  surface?: 'editor' | 'terminal';
}

export type ControlProblemKind = DockerProblemKind | 'server-exited' | 'health-timeout' | 'aborted' | 'port-not-published' | 'mode-not-from-env' | 'env-not-written';

export interface ControlProblem {
  kind: ControlProblemKind;
  message: string;
  nextStep: string;
  detail: string;
}

export type ControlResult =
  | { ok: true; mode: AcestepMode; port?: number; url?: string; health?: HealthInfo; waited: boolean; envChanged?: boolean; warning?: string; service?: string; modeKey?: string }
  | { ok: false; problem: ControlProblem };

export interface WaitOptions {
  /** Wait for /health (default true). */
  wait?: boolean;
  timeoutMs?: number;
}

interface Project {
  composeFile: string;
  compose: ComposeCommand;
  /** The service every step names. */
  service: string;
}

const fail = (problem: ControlProblem): ControlResult => ({ ok: false, problem });

function progressReporter(ctx: ServerControlContext): (text: string | undefined) => void {
  let last: string | undefined;
  return text => {
    if (text && text !== last) { last = text; ctx.onProgress?.(text); }
  };
}

async function readBytes(file: string): Promise<Buffer | undefined> {
  try { return await fs.readFile(file); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function readText(file: string): Promise<string | undefined> {
  const bytes = await readBytes(file);
  return bytes && decodeBytesText(bytes);
}

/** Checks the compose project on disk, then finds how to call compose. */
async function openProject(ctx: ServerControlContext): Promise<Project | ControlProblem> {
  const composeFile = await findComposeFile(ctx.composeDir);
  if (!composeFile) return problemFor('no-compose-file', '', { composeDir: ctx.composeDir, surface: ctx.surface });
  const text = (await readText(composeFile)) ?? '';
  try { parseYaml(text); } catch (e) {
    return problemFor('invalid-compose-file', `${path.basename(composeFile)}: ${errorMessage(e)}`);
  }
  const service = serviceIn(text, ctx);
  if (typeof service !== 'string') return service;
  try {
    return { composeFile, service, compose: await resolveCompose(ctx.runner, ctx.dockerPath, { signal: ctx.signal }) };
  } catch (e) {
    if (e instanceof DockerError) return e.problem;
    throw e;
  }
}

/**
 * The service a step drives: the one asked for, else `acestep`, else the project's only ACE-Step service. A
 * project with several (one per GPU) and none asked for is a problem that names them.
 */
function serviceIn(composeText: string, ctx: Pick<ServerControlContext, 'service' | 'surface'>): string | ControlProblem {
  const all = listServices(composeText);
  const ours = acestepServicesIn(composeText);
  if (ctx.service) {
    if (all.includes(ctx.service)) return ctx.service;
    return {
      kind: 'no-acestep-service',
      message: `The compose file has no service named "${ctx.service}".`,
      nextStep: ours.length ? `Its ACE-Step services: ${ours.join(', ')}.` : 'Point at the folder of an ACE-Step setup.',
      detail: '',
    };
  }
  if (all.includes(ACESTEP_SERVICE)) return ACESTEP_SERVICE;
  if (ours.length === 1) return ours[0]!;
  if (ours.length > 1) {
    return {
      kind: 'no-acestep-service',
      message: `This setup has one ACE-Step service per GPU (${ours.join(', ')}); which one?`,
      nextStep: ctx.surface === 'terminal' ? `Pass --service NAME, e.g. --service ${ours[0]!}.` : 'Pick the service when the command asks.',
      detail: '',
    };
  }
  return problemFor('no-acestep-service', '', { surface: ctx.surface });
}

const isProblem = (x: Project | ControlProblem): x is ControlProblem => 'kind' in x;

async function composeText(composeDir: string): Promise<string> {
  const file = await findComposeFile(composeDir);
  return (file && (await readText(file))) ?? '';
}

/** The ACE-Step services of the setup in `composeDir` (`acestep`, or `acestep-gpu0`, `acestep-gpu1`…). */
export async function setupServices(composeDir: string): Promise<string[]> {
  return acestepServicesIn(await composeText(composeDir));
}

/** The mode the service's next start runs (the .env key its compose entry names; ACESTEP_MODE for `acestep`). */
export async function readConfiguredMode(composeDir: string, service?: string): Promise<AcestepMode> {
  const compose = await composeText(composeDir);
  const env = (await readText(path.join(composeDir, '.env'))) ?? '';
  const s = serviceIn(compose, { service });
  return configuredModeOf(compose, env, typeof s === 'string' ? s : service ?? ACESTEP_SERVICE);
}

/** Sets the service's mode key (ACESTEP_MODE, ACESTEP_MODE_GPU1…) in `<dir>/.env` (created when missing); true when the file changed. */
export async function writeConfiguredMode(composeDir: string, mode: AcestepMode, service?: string): Promise<boolean> {
  const file = path.join(composeDir, '.env');
  const key = modeKeyOf(await composeText(composeDir), service ?? ACESTEP_SERVICE);
  // Bytes, not decoded text: whatever is not UTF-8 in the file (a Latin-1 comment, a binary password) stays as it is.
  const before = await readBytes(file);
  const text = before ? decodeBytesText(before) : '';
  const after = setEnvValue(text, key, mode);
  if (before && after === text) return false;
  await writeFileAtomic(file, encodeBytesText(after));
  return true;
}

async function containerState(ctx: ServerControlContext, compose: ComposeCommand, service: string): Promise<ContainerState> {
  const inv = composePsArgv(compose);
  const r = await ctx.runner.run(inv.cmd, inv.args, { cwd: ctx.composeDir });
  if (r.code !== 0) return 'unknown';
  try {
    if (!isComposeV1(compose)) return containerStateFromPs(parseComposePs(r.stdout), service);
    const ids = r.stdout.split(/\s+/).filter(id => /^[0-9a-f]{12,64}$/.test(id));
    if (ids.length === 0) return 'absent';
    const inspect = dockerInspectArgv(ctx.dockerPath, ids);
    const i = await ctx.runner.run(inspect.cmd, inspect.args, { cwd: ctx.composeDir });
    return i.code === 0 ? containerStateFromPs(parseDockerInspect(i.stdout), service) : 'unknown';
  } catch { return 'unknown'; }
}

/** The container's last log lines, without compose's "acestep-1  | " prefix. */
export async function containerLogLines(ctx: ServerControlContext, compose: ComposeCommand, tail: number, service = ctx.service): Promise<string[]> {
  const inv = composeLogsArgv(compose, { follow: false, tail, service });
  const r = await ctx.runner.run(inv.cmd, inv.args, { cwd: ctx.composeDir });
  // The server's own output: colours and other escapes are removed before anything shows it. Compose v1 colours
  // its prefixes even into a pipe and begins with "Attaching to …".
  return `${r.stdout}`.split(/\r?\n/).map(l => stripControl(l)).filter(l => !/^Attaching to /.test(l))
    .map(l => l.replace(/^[\w.-]+\s+\|\s?/, '')).filter(l => l.trim() !== '');
}

async function composeUp(ctx: ServerControlContext, project: Project, forceRecreate: boolean): Promise<ControlProblem | undefined> {
  const report = progressReporter(ctx);
  report(forceRecreate ? 'Recreating the container…' : 'Starting container…');
  const inv = composeUpArgv(project.compose, { forceRecreate, service: project.service });
  const r = await ctx.runner.run(inv.cmd, inv.args, {
    cwd: ctx.composeDir,
    signal: ctx.signal,
    onLine: line => { ctx.onOutput?.(line); report(describeProgressLine(line)); },
  });
  if (r.aborted) return { kind: 'aborted', message: 'Stopped before the container was up.', nextStep: 'Start the server again when you are ready.', detail: '' };
  if (r.code !== 0) return classifyDockerError(r, { composeDir: ctx.composeDir, program: project.compose.program });
  return undefined;
}

/**
 * The mode the container would really get, when compose can tell: a compose file whose `environment:` sets
 * ACESTEP_MODE, or that does not pass .env at all, makes the .env value useless.
 */
function modeProblem(resolved: ResolvedPorts, mode: AcestepMode, shell: Record<string, string | undefined> = {}, key = 'ACESTEP_MODE'): ControlProblem | undefined {
  if (!resolved.environment) return undefined;
  const effective = resolved.environment.ACESTEP_MODE;
  if (effective === mode || (effective === undefined && mode === 'gradio')) return undefined;
  if (shell[key] !== undefined && shell[key] === effective) {
    return {
      kind: 'mode-not-from-env',
      message: `${key}=${effective} is set in the environment docker compose runs in, and it wins over .env.`,
      nextStep: `Unset ${key} in your shell (or in the environment VS Code was started from), then switch again.`,
      detail: '',
    };
  }
  return {
    kind: 'mode-not-from-env',
    message: effective === undefined
      ? 'The compose file does not pass .env to the container (no "env_file: .env"), so ACESTEP_MODE never reaches it.'
      : `The compose file sets ACESTEP_MODE=${effective} for the container itself, so the value in .env is not used.`,
    nextStep: effective === undefined
      ? 'Add "env_file: .env" to the acestep service, then switch again.'
      : 'Remove ACESTEP_MODE from the environment section of the acestep service (keep "env_file: .env"), then switch again.',
    detail: '',
  };
}

async function afterUp(ctx: ServerControlContext, project: Project, mode: AcestepMode, options: WaitOptions, envChanged?: boolean, known?: ResolvedPorts): Promise<ControlResult> {
  const { ports } = known ?? await resolvePorts({ dir: ctx.composeDir, runner: ctx.runner, compose: project.compose, env: ctx.env, signal: ctx.signal, service: project.service });
  const port = portForMode(mode, ports);
  const url = serverUrlForMode(mode, ports);
  if (!url) {
    return fail({
      kind: 'port-not-published',
      message: `The container started, but the compose file publishes no host port for the ${modeLabel(mode)} server (container port ${mode === 'api' ? 8001 : 7860}).`,
      nextStep: `Add a ports entry like "${mode === 'api' ? '${API_PORT:-8501}:8001' : '${GRADIO_PORT:-8500}:7860'}" to the acestep service.`,
      detail: '',
    });
  }
  if (options.wait === false) return { ok: true, mode, port, url, waited: false, envChanged, service: project.service };
  const report = progressReporter(ctx);
  const result = await waitForHealth({
    url,
    fetchHealth: ctx.fetchHealth ?? httpFetchHealth(),
    isContainerRunning: async () => {
      const s = await containerState(ctx, project.compose, project.service);
      return s === 'running' ? true : s === 'unknown' ? undefined : false;
    },
    containerLogs: tail => containerLogLines(ctx, project.compose, tail, project.service),
    signal: ctx.signal,
    timeoutMs: options.timeoutMs,
    onStatus: s => report(s.text),
  });
  if (!result.ok) {
    const detail = result.logLines.slice(-20).join('\n');
    if (result.reason === 'aborted') return fail({ kind: 'aborted', message: 'Stopped waiting for the server (it keeps starting in the background).', nextStep: 'Check again later with the server status.', detail });
    if (result.reason === 'exited') {
      return fail({ kind: 'server-exited', message: result.message, nextStep: `Read the container log (docker compose logs ${project.service}) for the cause: a GPU out of memory, a wrong model name in .env, a failed download…`, detail });
    }
    return fail({
      kind: 'health-timeout',
      message: result.message,
      nextStep: `The first start downloads 10–20 GB of models; if the log shows progress, wait longer (the wait was ${formatDuration(options.timeoutMs ?? 30 * 60_000)}).`,
      detail,
    });
  }
  const warning = result.health.serverMode && result.health.serverMode !== mode
    ? `Port ${port} answers as the ${modeLabel(result.health.serverMode)} server, not the ${modeLabel(mode)} server: is another server using that port?`
    : await emptyKeyWarning(ctx.composeDir, mode);
  return { ok: true, mode, port, url, health: result.health, waited: true, envChanged, warning, service: project.service };
}

/** The API server takes a set-but-empty ACESTEP_API_KEY as a key nobody has: it refuses every protected request. */
async function emptyKeyWarning(composeDir: string, mode: AcestepMode): Promise<string | undefined> {
  if (mode !== 'api' || readEnvValue((await readText(path.join(composeDir, '.env'))) ?? '', 'ACESTEP_API_KEY') !== '') return undefined;
  return 'ACESTEP_API_KEY= is empty in .env: the API server then refuses every request, whatever key is sent. Set a key there or remove the line, then restart the server.';
}

/** Sets ACESTEP_MODE in .env, recreates the container and (by default) waits until /health answers. */
export async function switchMode(ctx: ServerControlContext, mode: AcestepMode, options: WaitOptions = {}): Promise<ControlResult> {
  const project = await openProject(ctx);
  if (isProblem(project)) return fail(project);
  const key = modeKeyOf((await readText(project.composeFile)) ?? '', project.service);
  let envChanged: boolean;
  try {
    envChanged = await writeConfiguredMode(ctx.composeDir, mode, project.service);
  } catch (e) {
    return fail({
      kind: 'env-not-written',
      message: `Could not set ${key}=${mode} in .env: ${errorMessage(e)}`,
      nextStep: `Nothing was changed. Set ${key}=${mode} in ${path.join(ctx.composeDir, '.env')} yourself, then restart the server.`,
      detail: '',
    });
  }
  const resolved = await resolvePorts({ dir: ctx.composeDir, runner: ctx.runner, compose: project.compose, env: ctx.env, signal: ctx.signal, service: project.service });
  const wrongMode = modeProblem(resolved, mode, ctx.env, key);
  if (wrongMode) return fail(wrongMode);
  const problem = await composeUp(ctx, project, true);
  if (problem) return fail(problem);
  const r = await afterUp(ctx, project, mode, options, envChanged, resolved);
  return r.ok ? { ...r, modeKey: key } : r;
}

/** Starts the container in the mode .env selects (no recreate when it already runs) and waits for /health. */
export async function startServer(ctx: ServerControlContext, options: WaitOptions = {}): Promise<ControlResult> {
  const project = await openProject(ctx);
  if (isProblem(project)) return fail(project);
  const mode = await readConfiguredMode(ctx.composeDir, project.service);
  const problem = await composeUp(ctx, project, false);
  if (problem) return fail(problem);
  return afterUp(ctx, project, mode, options);
}

/** Stops the container (kept, so the next start is quick). */
export async function stopServer(ctx: ServerControlContext): Promise<{ ok: true } | { ok: false; problem: ControlProblem }> {
  const project = await openProject(ctx);
  if (isProblem(project)) return { ok: false, problem: project };
  const report = progressReporter(ctx);
  report('Stopping container…');
  const inv = composeStopArgv(project.compose, ctx.service && project.service);
  const r = await ctx.runner.run(inv.cmd, inv.args, { cwd: ctx.composeDir, signal: ctx.signal, onLine: l => ctx.onOutput?.(l) });
  if (r.code !== 0) return { ok: false, problem: classifyDockerError(r, { composeDir: ctx.composeDir, program: project.compose.program }) };
  return { ok: true };
}

export interface StatusResult {
  state: ServerState;
  ports: AcestepPorts;
  /** Why docker could not be asked (the state then rests on /health alone). */
  problem?: DockerProblem;
}

/** Current state: .env mode, container state, /health. Works without docker too (from the files and /health). */
export async function serverStatus(ctx: ServerControlContext, probeTimeoutMs = 3000): Promise<StatusResult> {
  const found = serviceIn(await composeText(ctx.composeDir), ctx);
  const service = typeof found === 'string' ? found : ctx.service ?? ACESTEP_SERVICE;
  const configuredMode = await readConfiguredMode(ctx.composeDir, service);
  let compose: ComposeCommand | undefined;
  let problem: DockerProblem | undefined;
  try {
    compose = await resolveCompose(ctx.runner, ctx.dockerPath, { signal: ctx.signal });
  } catch (e) {
    if (!(e instanceof DockerError)) throw e;
    problem = e.problem;
  }
  const resolved = await resolvePorts({ dir: ctx.composeDir, runner: ctx.runner, compose, env: ctx.env, signal: ctx.signal, service });
  problem ??= resolved.problem;
  const fetchHealth = ctx.fetchHealth ?? httpFetchHealth(probeTimeoutMs);
  const state = await probeServerState({
    configuredMode,
    ports: resolved.ports,
    containerState: () => (compose ? containerState(ctx, compose, service) : Promise.resolve<ContainerState>('unknown')),
    probe: async base => parseHealth(await fetchHealth(`${base}/health`, AbortSignal.timeout(probeTimeoutMs))),
  });
  return { state, ports: resolved.ports, problem };
}
