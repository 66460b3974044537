// Handing a local audio file to the ACE-Step server in the user's Docker setup: copy it into a folder that is
// bind-mounted into the container and name it by its path inside the container. That is how a source take reaches a
// server that reads `src_audio_path` in JSON but answers HTTP 500 to every upload (S). The folder comes from
// `docker compose config` (compose did the interpolation and made the paths absolute); "Create Docker Setup" mounts
// ./inputs at /app/inputs for this. No vscode import.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { composeConfigArgv, resolveCompose, type ProcessRunner } from './compose';
import { portForMode, portsFromComposeConfig } from './ports';
import { isAcestepServiceName } from './services';
import { ACESTEP_SERVICE } from './types';

/** Where the container sees the setup's inputs folder ("Create Docker Setup" mounts ./inputs there). */
export const INPUTS_IN_CONTAINER = '/app/inputs';

export interface BindMount {
  /** The folder on this machine (absolute). */
  host: string;
  /** The same folder inside the container (POSIX). */
  container: string;
  readOnly: boolean;
}

/** The bind mounts of one service in a compose document (the `compose config` output, or a compose file). */
export function bindMountsOf(doc: unknown, composeDir: string, service = ACESTEP_SERVICE): BindMount[] {
  const svc = (doc as { services?: Record<string, { volumes?: unknown }> } | undefined)?.services?.[service];
  const list = Array.isArray(svc?.volumes) ? svc!.volumes : [];
  const out: BindMount[] = [];
  for (const v of list) {
    if (typeof v === 'string') {
      // Short form: SOURCE:TARGET[:MODE]; a named volume has no path-like source. (Windows drive letters: C:\x:/y.)
      const m = /^((?:[A-Za-z]:)?[^:]+):([^:]+)(?::([\w,]+))?$/.exec(v.trim());
      if (!m || !/^(\.|\/|~|[A-Za-z]:)/.test(m[1])) continue;
      out.push({ host: path.resolve(composeDir, m[1]), container: m[2], readOnly: /\bro\b/.test(m[3] ?? '') });
    } else if (v && typeof v === 'object') {
      const o = v as { type?: unknown; source?: unknown; target?: unknown; read_only?: unknown };
      if (o.type !== 'bind' || typeof o.source !== 'string' || typeof o.target !== 'string') continue;
      out.push({ host: path.resolve(composeDir, o.source), container: o.target, readOnly: o.read_only === true });
    }
  }
  return out;
}

/** The mount audio is handed over through: the setup's `inputs` folder (a writable folder mounted at …/inputs). */
export function inputsMount(mounts: readonly BindMount[]): BindMount | undefined {
  return mounts.find(m => !m.readOnly && path.posix.basename(m.container.replace(/\/+$/, '')) === 'inputs');
}

/** The container path of a host path inside a mount, or undefined when it is outside. */
export function containerPathOf(mount: BindMount, hostPath: string): string | undefined {
  const rel = path.relative(mount.host, hostPath);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return path.posix.join(mount.container, ...rel.split(path.sep));
}

/**
 * Copies `file` into the mount (named by its content's hash, so the same take is copied once) and answers its path
 * inside the container.
 */
export async function placeInMount(mount: BindMount, file: string): Promise<string> {
  const bytes = await fs.readFile(file);
  const name = `${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}-${path.basename(file).replace(/[^\w.-]+/g, '_')}`;
  const dest = path.join(mount.host, name);
  await fs.mkdir(mount.host, { recursive: true });
  const exists = await fs.stat(dest).then(s => s.size === bytes.length, () => false);
  if (!exists) await fs.writeFile(dest, bytes);
  return containerPathOf(mount, dest)!;
}

export interface DockerHandOffOptions {
  runner: ProcessRunner;
  dockerPath: string;
  composeDir: string;
  signal?: AbortSignal;
}

/**
 * The hand-off for `serverUrl`, when it is the API mode of the Docker setup in `composeDir` (a local address on the
 * API port) and the setup mounts an inputs folder; else undefined. Reads `docker compose config`.
 */
export async function dockerHandOff(serverUrl: string, o: DockerHandOffOptions): Promise<((field: string, file: string) => Promise<string>) | undefined> {
  let url: URL;
  try { url = new URL(serverUrl); } catch { return undefined; }
  if (!['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) return undefined;
  let doc: unknown;
  try {
    const compose = await resolveCompose(o.runner, o.dockerPath, { signal: o.signal });
    const inv = composeConfigArgv(compose);
    const r = await o.runner.run(inv.cmd, inv.args, { cwd: o.composeDir, signal: o.signal });
    if (r.code !== 0) return undefined;
    doc = parseYaml(r.stdout) as unknown;
  } catch {
    return undefined;
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  // `acestep`, or in a setup with one service per GPU the service that publishes this API port.
  const services = doc && typeof doc === 'object' ? Object.keys((doc as { services?: object }).services ?? {}) : [];
  const service = services.filter(isAcestepServiceName).find(s => {
    const ports = portsFromComposeConfig(doc, s);
    return ports !== undefined && portForMode('api', ports) === port;
  });
  if (!service) return undefined;
  const mount = inputsMount(bindMountsOf(doc, o.composeDir, service));
  return mount ? (_field, file) => placeInMount(mount, file) : undefined;
}
