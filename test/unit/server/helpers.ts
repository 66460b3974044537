// Shared pieces of the server-control tests: an in-memory runner, and a sandbox with the fake docker on PATH.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ProcessRunner, RunOptions, RunResult } from '../../../src/core/server/compose';

/** Repository root, from out/test/unit/server (compiled) or test/unit/server (source). */
export const ROOT = path.resolve(__dirname, '../../../..');
export const FAKE_DOCKER_DIR = path.join(ROOT, 'test/fixtures/fake-docker');
export const FAKE_DOCKER = path.join(FAKE_DOCKER_DIR, 'docker');
export const FAKE_SERVER_CLI = path.join(ROOT, 'out/test/server/fake-acestep-cli.js');
export const hasFakeServer = existsSync(FAKE_SERVER_CLI);

export interface Call { cmd: string; args: string[]; options?: RunOptions }

/** A runner that answers from a function and records each call. */
export function scriptedRunner(answer: (cmd: string, args: string[]) => Partial<RunResult>): ProcessRunner & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    async run(cmd, args, options) {
      calls.push({ cmd, args: [...args], options });
      const r = answer(cmd, [...args]);
      for (const line of `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').filter(Boolean)) options?.onLine?.(line, 'stderr');
      return { code: 0, stdout: '', stderr: '', ...r };
    },
  };
}

export const WRAPPER_COMPOSE = `services:
  acestep:
    build: .
    container_name: acestep
    env_file:
      - .env
    ports:
      - "\${GRADIO_PORT:-8500}:7860"   # Gradio UI
      - "\${API_PORT:-8501}:8001"      # REST API
    restart: unless-stopped
`;

/**
 * A folder holding only a link to this node, for a PATH that finds node and nothing else: node's own folder
 * (/usr/bin) may hold a real docker or docker-compose, which the compose lookup would find.
 */
export function nodeOnlyBin(parent: string): string {
  const bin = path.join(parent, '.node-only-bin');
  mkdirSync(bin, { recursive: true });
  if (!existsSync(path.join(bin, 'node'))) symlinkSync(process.execPath, path.join(bin, 'node'));
  return bin;
}

export interface Sandbox {
  dir: string;
  /** PATH with node only: no docker, no docker-compose, whatever the machine has. */
  nodeOnlyPath: string;
  env: Record<string, string | undefined>;
  state(): Record<string, unknown>;
  setState(patch: Record<string, unknown>): void;
  calls(): Array<{ argv: string[]; cwd: string }>;
  cleanup(): void;
}

/** A temporary compose folder, state and log for the fake docker, and an environment with it on PATH. */
export function sandbox(files: Record<string, string>, state: Record<string, unknown> = {}): Sandbox {
  const dir = mkdtempSync(path.join(tmpdir(), 'acestep-srv-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const statePath = path.join(dir, '.fake-docker-state.json');
  const logPath = path.join(dir, '.fake-docker-log.jsonl');
  writeFileSync(statePath, JSON.stringify(state));
  const nodeOnlyPath = nodeOnlyBin(dir);
  // The fake docker's folder and node, nothing else: the compose lookup's fallback (docker-compose) finds nothing.
  const env: Record<string, string | undefined> = {
    PATH: [FAKE_DOCKER_DIR, nodeOnlyPath].join(path.delimiter),
    FAKE_DOCKER_STATE: statePath,
    FAKE_DOCKER_LOG: logPath,
    FAKE_ACESTEP_SERVER_CLI: hasFakeServer ? FAKE_SERVER_CLI : undefined,
    HOME: dir,
  };
  const readState = (): Record<string, unknown> => JSON.parse(readFileSync(statePath, 'utf8')) as Record<string, unknown>;
  return {
    dir,
    nodeOnlyPath,
    env,
    state: readState,
    setState(patch) { writeFileSync(statePath, JSON.stringify({ ...readState(), ...patch })); },
    calls() {
      if (!existsSync(logPath)) return [];
      return readFileSync(logPath, 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l) as { argv: string[]; cwd: string });
    },
    cleanup() {
      const st = readState() as { container?: { pid?: number }; containers?: Record<string, { pid?: number }> };
      for (const c of [st.container, ...Object.values(st.containers ?? {})]) {
        if (c?.pid) { try { process.kill(c.pid, 'SIGTERM'); } catch { /* already gone */ } }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Free TCP port on 127.0.0.1 (closed again before returning). */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
