// Docker Compose as argv arrays (never shell strings), a process runner interface the callers inject,
// and a real runner on child_process.spawn.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { classifyDockerError, composeMissingProblem, DockerError } from './docker-errors';
import { stripControl } from '../util/server-text';
import { acestepServicesIn } from './services';
import { ACESTEP_SERVICE } from './types';

// ---- process runner ---------------------------------------------------------------------------

export interface RunOptions {
  cwd?: string;
  signal?: AbortSignal;
  /** Called for each complete output line (ANSI codes removed), as it arrives. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Extra environment variables on top of the runner's own environment. */
  env?: Record<string, string | undefined>;
}

export interface RunResult {
  /** Exit code; -1 when the program could not start or was killed by a signal. */
  code: number;
  stdout: string;
  stderr: string;
  /** errno code when the program could not be started (ENOENT: not installed / not on PATH). */
  spawnError?: string;
  /** True when the run was ended through `signal`. */
  aborted?: boolean;
}

export interface ProcessRunner {
  run(cmd: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
}

/** Keeps the tail of a long output (logs --follow can run for hours). */
const MAX_KEPT = 1 << 20;

function splitLines(onLine: ((line: string) => void) | undefined): { push(chunk: string): void; end(): void } {
  let pending = '';
  return {
    push(chunk) {
      if (!onLine) return;
      pending += chunk;
      const parts = pending.split(/\r\n|\n|\r/);
      pending = parts.pop() ?? '';
      for (const p of parts) onLine(stripControl(p));
    },
    end() {
      if (onLine && pending) onLine(stripControl(pending));
      pending = '';
    },
  };
}

/** The real runner: spawns without a shell; on abort it ends its own child (TERM, then KILL after `killGraceMs`). */
export class NodeProcessRunner implements ProcessRunner {
  constructor(private readonly baseEnv: Record<string, string | undefined> = process.env, private readonly killGraceMs = 5000) {}

  run(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return new Promise(resolve => {
      if (options.signal?.aborted) { resolve({ code: -1, stdout: '', stderr: '', aborted: true }); return; }
      let stdout = '', stderr = '';
      let aborted = false;
      let settled = false;
      const env = { ...this.baseEnv, ...options.env } as NodeJS.ProcessEnv;
      const child = spawn(cmd, [...args], { cwd: options.cwd, env, shell: false, windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] });
      const outLines = splitLines(options.onLine && (l => options.onLine!(l, 'stdout')));
      const errLines = splitLines(options.onLine && (l => options.onLine!(l, 'stderr')));
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (d: string) => { stdout = (stdout + d).slice(-MAX_KEPT); outLines.push(d); });
      child.stderr.on('data', (d: string) => { stderr = (stderr + d).slice(-MAX_KEPT); errLines.push(d); });
      let killTimer: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        aborted = true;
        child.kill('SIGTERM');
        killTimer = setTimeout(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); }, this.killGraceMs);
        killTimer.unref();
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const finish = (r: RunResult): void => {
        if (settled) return;
        settled = true;
        if (killTimer) clearTimeout(killTimer);
        options.signal?.removeEventListener('abort', onAbort);
        outLines.end();
        errLines.end();
        resolve(r);
      };
      child.on('error', (e: NodeJS.ErrnoException) => finish({ code: -1, stdout, stderr: stderr || e.message, spawnError: e.code ?? 'ESPAWN', aborted }));
      child.on('close', (code: number | null) => finish({ code: code ?? -1, stdout, stderr, aborted }));
    });
  }
}

// ---- compose command and argv builders --------------------------------------------------------

/** How to call compose on this machine: the plugin (`docker compose`) or the old standalone `docker-compose`. */
export interface ComposeCommand {
  kind: 'plugin' | 'standalone';
  program: string;
  /** Arguments before the compose subcommand: ['compose'] for the plugin, [] for docker-compose. */
  prefix: string[];
  version?: string;
}

export interface Invocation { cmd: string; args: string[] }

export function pluginCompose(dockerPath = 'docker'): ComposeCommand {
  return { kind: 'plugin', program: dockerPath, prefix: ['compose'] };
}

function invoke(c: ComposeCommand, args: string[]): Invocation {
  return { cmd: c.program, args: [...c.prefix, ...args] };
}

/**
 * Compose v1 (the Python `docker-compose` 1.x) has no `--format json` on `config` or `ps`: it prints its usage
 * text and exits 0. A standalone `docker-compose` that says 2.x or later is compose v2 under the old name.
 */
export function isComposeV1(c: ComposeCommand): boolean {
  return c.kind === 'standalone' && !(Number(c.version?.split('.')[0]) >= 2);
}

export const composeVersionArgv = (c: ComposeCommand): Invocation => invoke(c, ['version']);
/** v2: JSON; v1: YAML (which the YAML parser reads as well). */
export const composeConfigArgv = (c: ComposeCommand): Invocation => invoke(c, isComposeV1(c) ? ['config'] : ['config', '--format', 'json']);
/**
 * `--all` so a stopped (exited) container is listed too. v2: one JSON entry per container (parseComposePs);
 * v1: the container IDs only, for `docker inspect` (dockerInspectArgv, parseDockerInspect).
 */
export const composePsArgv = (c: ComposeCommand): Invocation => invoke(c, ['ps', '--all', ...(isComposeV1(c) ? ['-q'] : ['--format', 'json'])]);
export const dockerInspectArgv = (dockerPath: string, ids: readonly string[]): Invocation => ({ cmd: dockerPath, args: ['inspect', ...ids] });
export const composeUpArgv = (c: ComposeCommand, opts: { forceRecreate?: boolean; service?: string } = {}): Invocation =>
  invoke(c, ['up', '-d', ...(opts.forceRecreate === false ? [] : ['--force-recreate']), opts.service ?? ACESTEP_SERVICE]);
/** Without a service, every service of the project stops (the single-service setup's way). */
export const composeStopArgv = (c: ComposeCommand, service?: string): Invocation => invoke(c, ['stop', ...(service ? [service] : [])]);
export const composeDownArgv = (c: ComposeCommand): Invocation => invoke(c, ['down']);
export const composeLogsArgv = (c: ComposeCommand, opts: { follow?: boolean; tail?: number; service?: string } = {}): Invocation =>
  invoke(c, ['logs', ...(opts.follow === false ? [] : ['--follow']), '--tail', String(opts.tail ?? 200), opts.service ?? ACESTEP_SERVICE]);

/**
 * Finds out how to call compose: `docker compose` when `docker compose version` works, else the standalone
 * `docker-compose`; throws a DockerError ('docker-missing' or 'compose-missing') when neither works.
 */
export async function resolveCompose(runner: ProcessRunner, dockerPath = 'docker', options: { signal?: AbortSignal } = {}): Promise<ComposeCommand> {
  const plugin = pluginCompose(dockerPath);
  const v = composeVersionArgv(plugin);
  const first = await runner.run(v.cmd, v.args, { signal: options.signal });
  if (first.code === 0) return { ...plugin, version: parseComposeVersion(first.stdout) };
  const standalone: ComposeCommand = { kind: 'standalone', program: 'docker-compose', prefix: [] };
  const second = await runner.run(standalone.program, ['version'], { signal: options.signal });
  if (second.code === 0) return { ...standalone, version: parseComposeVersion(second.stdout) };
  const problem = classifyDockerError(first, { program: dockerPath });
  throw new DockerError(problem.kind === 'unknown' ? composeMissingProblem(problem.detail) : problem);
}

export function parseComposeVersion(stdout: string): string | undefined {
  return /v?(\d+\.\d+\.\d+[\w.+-]*)/.exec(stdout)?.[1];
}

// ---- compose files ----------------------------------------------------------------------------

/** The names compose looks for, in its own order of preference. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'] as const;

export async function findComposeFile(dir: string): Promise<string | undefined> {
  for (const name of COMPOSE_FILE_NAMES) {
    const file = path.join(dir, name);
    try {
      if ((await fs.stat(file)).isFile()) return file;
    } catch { /* next */ }
  }
  return undefined;
}

/** Service names of a compose file; empty when the YAML cannot be read. */
export function listServices(yamlText: string): string[] {
  try {
    const doc = parseYaml(yamlText) as { services?: unknown } | null;
    const services = doc && typeof doc === 'object' ? doc.services : undefined;
    return services && typeof services === 'object' && !Array.isArray(services) ? Object.keys(services) : [];
  } catch {
    return [];
  }
}

/** An `acestep` service, or one per GPU (`acestep-gpu0`…: services.ts). */
export function hasAcestepService(yamlText: string): boolean {
  return acestepServicesIn(yamlText).length > 0;
}

// ---- compose ps -------------------------------------------------------------------------------

export interface PsPublisher { url?: string; targetPort: number; publishedPort: number; protocol?: string }

export interface PsEntry {
  name: string;
  service: string;
  /** running, exited, created, restarting, paused, dead, removing */
  state: string;
  /** '', starting, healthy, unhealthy */
  health: string;
  status: string;
  exitCode?: number;
  publishers: PsPublisher[];
}

function toPsEntry(o: Record<string, unknown>): PsEntry {
  const pubs = Array.isArray(o.Publishers) ? (o.Publishers as Array<Record<string, unknown>>) : [];
  return {
    name: String(o.Name ?? ''),
    service: String(o.Service ?? ''),
    state: String(o.State ?? '').toLowerCase(),
    health: String(o.Health ?? '').toLowerCase(),
    status: String(o.Status ?? ''),
    exitCode: typeof o.ExitCode === 'number' ? o.ExitCode : undefined,
    publishers: pubs.map(p => ({
      url: typeof p.URL === 'string' ? p.URL : undefined,
      targetPort: Number(p.TargetPort ?? 0),
      publishedPort: Number(p.PublishedPort ?? 0),
      protocol: typeof p.Protocol === 'string' ? p.Protocol : undefined,
    })),
  };
}

/** Parses `compose ps --format json`: a JSON array (older v2) or one JSON object per line (v2.21+). */
export function parseComposePs(stdout: string): PsEntry[] {
  const text = stdout.trim();
  if (!text) return [];
  if (text.startsWith('[')) {
    const arr = JSON.parse(text) as unknown;
    return Array.isArray(arr) ? arr.filter(x => x && typeof x === 'object').map(x => toPsEntry(x as Record<string, unknown>)) : [];
  }
  const out: PsEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    const l = line.trim();
    if (!l.startsWith('{')) continue;
    try { out.push(toPsEntry(JSON.parse(l) as Record<string, unknown>)); } catch { /* not JSON: skip */ }
  }
  return out;
}

/** `docker inspect` JSON of compose containers as ps entries (compose v1 has no JSON `ps`). */
export function parseDockerInspect(stdout: string): PsEntry[] {
  const arr = JSON.parse(stdout.trim() || '[]') as unknown;
  if (!Array.isArray(arr)) return [];
  return arr.filter(x => x && typeof x === 'object').map(x => {
    const o = x as { Name?: unknown; State?: Record<string, unknown>; Config?: { Labels?: Record<string, unknown> }; NetworkSettings?: { Ports?: unknown } };
    const st = o.State ?? {};
    const health = st.Health && typeof st.Health === 'object' ? String((st.Health as Record<string, unknown>).Status ?? '') : '';
    const publishers: PsPublisher[] = [];
    const ports = o.NetworkSettings?.Ports;
    if (ports && typeof ports === 'object') {
      for (const [key, bindings] of Object.entries(ports as Record<string, unknown>)) {
        const [target, protocol] = key.split('/');
        for (const b of Array.isArray(bindings) ? bindings as Array<Record<string, unknown>> : []) {
          publishers.push({ url: typeof b.HostIp === 'string' ? b.HostIp : undefined, targetPort: Number(target), publishedPort: Number(b.HostPort ?? 0), protocol });
        }
      }
    }
    return {
      name: String(o.Name ?? '').replace(/^\//, ''),
      service: String(o.Config?.Labels?.['com.docker.compose.service'] ?? ''),
      state: String(st.Status ?? '').toLowerCase(),
      health: health.toLowerCase(),
      status: String(st.Status ?? ''),
      exitCode: typeof st.ExitCode === 'number' ? st.ExitCode : undefined,
      publishers,
    };
  });
}
