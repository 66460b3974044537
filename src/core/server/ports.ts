// Which host ports reach the two ACE-Step servers of the `acestep` service: container port 7860 (Gradio UI
// with the embedded API) and 8001 (standalone API). The wrapper publishes them on 8500/8501, upstream's own
// compose file on 7860 (and 8001 when it is published at all); users change them in .env.
// Preferred source: `docker compose config` (JSON from v2, YAML from v1; compose did all the interpolation). Without docker,
// the compose file and .env are read here and `${VAR:-default}` / `${VAR}` / `$VAR` resolved the same way.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { composeConfigArgv, findComposeFile, type ComposeCommand, type ProcessRunner } from './compose';
import { classifyDockerError, type DockerProblem } from './docker-errors';
import { parseEnv } from './env-file';
import { chainLookup, interpolate, type Lookup } from './interpolate';
import { ACESTEP_SERVICE, CONTAINER_PORTS, type AcestepMode } from './types';

export interface AcestepPorts {
  /** Host port for container port 7860; undefined when not published. */
  gradio?: number;
  /** Host port for container port 8001; undefined when not published. */
  api?: number;
}

export interface PortMapping { target: number; published?: number; protocol: string }

function toInt(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : NaN;
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
}

function range(spec: string): [number, number] | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(spec.trim());
  if (!m) return undefined;
  const a = Number(m[1]), b = m[2] ? Number(m[2]) : a;
  return b >= a ? [a, b] : undefined;
}

/** Expands one ports entry (short string form or long object form) into container→host mappings. */
export function parsePortEntry(entry: unknown): PortMapping[] {
  if (typeof entry === 'number') return [{ target: entry, protocol: 'tcp' }];
  if (entry && typeof entry === 'object') {
    const o = entry as Record<string, unknown>;
    const target = toInt(o.target);
    if (!target) return [];
    const protocol = typeof o.protocol === 'string' ? o.protocol : 'tcp';
    const pub = typeof o.published === 'string' ? range(o.published) : toInt(o.published) ? [toInt(o.published)!, toInt(o.published)!] as [number, number] : undefined;
    return [{ target, published: pub?.[0], protocol }];
  }
  if (typeof entry !== 'string') return [];
  let spec = entry.trim();
  let protocol = 'tcp';
  const slash = spec.lastIndexOf('/');
  if (slash >= 0) { protocol = spec.slice(slash + 1); spec = spec.slice(0, slash); }
  const colon = spec.lastIndexOf(':');
  const containerRange = range(colon >= 0 ? spec.slice(colon + 1) : spec);
  if (!containerRange) return [];
  let hostRange: [number, number] | undefined;
  if (colon >= 0) {
    const host = spec.slice(0, colon);
    const hostPort = host.includes(':') ? host.slice(host.lastIndexOf(':') + 1) : host.startsWith('[') ? '' : host;
    if (hostPort && !/^\d+(?:-\d+)?$/.test(hostPort)) return []; // an IP with no host port: published at random
    hostRange = hostPort ? range(hostPort) : undefined;
  }
  const out: PortMapping[] = [];
  for (let t = containerRange[0]; t <= containerRange[1]; t++) {
    const published = hostRange ? Math.min(hostRange[0] + (t - containerRange[0]), hostRange[1]) : undefined;
    out.push({ target: t, published, protocol });
  }
  return out;
}

function portsFromList(list: unknown): AcestepPorts {
  const ports: AcestepPorts = {};
  if (!Array.isArray(list)) return ports;
  for (const entry of list) {
    for (const m of parsePortEntry(entry)) {
      if (m.protocol !== 'tcp' || m.published === undefined) continue;
      if (m.target === CONTAINER_PORTS.gradio && ports.gradio === undefined) ports.gradio = m.published;
      if (m.target === CONTAINER_PORTS.api && ports.api === undefined) ports.api = m.published;
    }
  }
  return ports;
}

/** Ports of the `acestep` service from `docker compose config --format json` output. */
export function portsFromComposeConfig(json: string | unknown, service = ACESTEP_SERVICE): AcestepPorts | undefined {
  const doc = (typeof json === 'string' ? JSON.parse(json) : json) as { services?: Record<string, { ports?: unknown }> } | null;
  const svc = doc?.services?.[service];
  return svc ? portsFromList(svc.ports) : undefined;
}

/** The service's environment from `compose config` JSON (a map; the list form is accepted too). */
export function environmentFromComposeConfig(json: string | unknown, service = ACESTEP_SERVICE): Record<string, string> | undefined {
  const doc = (typeof json === 'string' ? JSON.parse(json) : json) as { services?: Record<string, { environment?: unknown }> } | null;
  const env = doc?.services?.[service]?.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map(e => String(e)).map(e => (e.includes('=') ? [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] : [e, ''])));
  }
  if (env && typeof env === 'object') {
    return Object.fromEntries(Object.entries(env as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, String(v)]));
  }
  return doc?.services?.[service] ? {} : undefined;
}

/**
 * Ports of the `acestep` service from compose YAML text(s), interpolating with `vars` (the shell environment
 * first, then .env, as compose does). Later texts (override files) add to earlier ones.
 */
export function portsFromComposeFile(yamlTexts: string | string[], vars: Lookup, service = ACESTEP_SERVICE): AcestepPorts | undefined {
  let found = false;
  const merged: AcestepPorts = {};
  for (const text of Array.isArray(yamlTexts) ? yamlTexts : [yamlTexts]) {
    const doc = parseYaml(text) as { services?: Record<string, { ports?: unknown }> } | null;
    const svc = doc?.services?.[service];
    if (!svc) continue;
    found = true;
    const list = Array.isArray(svc.ports)
      ? svc.ports.map(p => (typeof p === 'string' ? interpolate(p, vars)
        : p && typeof p === 'object' ? Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === 'string' ? interpolate(v, vars) : v])) : p))
      : [];
    const ports = portsFromList(list);
    merged.gradio ??= ports.gradio;
    merged.api ??= ports.api;
  }
  return found ? merged : undefined;
}

const OVERRIDE_NAMES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];

async function readIfExists(file: string): Promise<string | undefined> {
  try { return await fs.readFile(file, 'utf8'); } catch { return undefined; }
}

export interface ResolvedPorts {
  ports: AcestepPorts;
  source: 'compose-config' | 'files' | 'none';
  /** The container environment of the service as compose resolved it (env_file included); only from compose-config. */
  environment?: Record<string, string>;
  /** Why `compose config` could not be used, when it was tried. */
  problem?: DockerProblem;
}

/**
 * Finds the host ports of the `acestep` service in `dir`: through `compose config` when `compose` is given
 * and works, else by reading the compose file and .env here (`env` is the shell environment compose would see).
 */
export async function resolvePorts(options: {
  dir: string;
  runner?: ProcessRunner;
  compose?: ComposeCommand;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** The service whose ports are wanted (default `acestep`). */
  service?: string;
}): Promise<ResolvedPorts> {
  const service = options.service ?? ACESTEP_SERVICE;
  let problem: DockerProblem | undefined;
  if (options.runner && options.compose) {
    const inv = composeConfigArgv(options.compose);
    const r = await options.runner.run(inv.cmd, inv.args, { cwd: options.dir, signal: options.signal });
    if (r.code === 0) {
      try {
        // v2 prints JSON, v1 YAML: the YAML parser reads both.
        const doc = parseYaml(r.stdout) as unknown;
        const ports = portsFromComposeConfig(doc, service);
        if (ports) return { ports, source: 'compose-config', environment: environmentFromComposeConfig(doc, service) };
      } catch { /* not the config (an old compose's usage text): read the files instead */ }
    } else {
      problem = classifyDockerError(r, { composeDir: options.dir, program: options.compose.program });
    }
  }
  const file = await findComposeFile(options.dir);
  if (!file) return { ports: {}, source: 'none', problem };
  const texts = [await fs.readFile(file, 'utf8')];
  for (const name of OVERRIDE_NAMES) {
    const t = await readIfExists(path.join(options.dir, name));
    if (t !== undefined) { texts.push(t); break; }
  }
  const shell = options.env ?? {};
  const dotenv = parseEnv((await readIfExists(path.join(options.dir, '.env'))) ?? '', chainLookup(shell));
  try {
    const ports = portsFromComposeFile(texts, chainLookup(shell, dotenv), service);
    return { ports: ports ?? {}, source: ports ? 'files' : 'none', problem };
  } catch {
    return { ports: {}, source: 'none', problem };
  }
}

export function portForMode(mode: AcestepMode, ports: AcestepPorts): number | undefined {
  return mode === 'api' ? ports.api : ports.gradio;
}

/** `http://localhost:<port>` of the mode's server, or undefined when its container port is not published. */
export function serverUrlForMode(mode: AcestepMode, ports: AcestepPorts): string | undefined {
  const port = portForMode(mode, ports);
  return port === undefined ? undefined : `http://localhost:${port}`;
}
