// What the real-engine tests share: the engine test/docker/engine.mjs prepared (its state file), a compose
// folder shaped like the wrapper's on the test image, and the clean-up of what a test created.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
/** Written by `node test/docker/engine.mjs up`; scripts/test.mjs --docker passes its path in ACESTEP_TEST_ENGINE. */
export const ENGINE_STATE = process.env.ACESTEP_TEST_ENGINE || path.join(ROOT, '.vscode-test/docker-engine.json');

export interface EngineInfo {
  /** The test image (test-only name, imported offline). */
  image: string;
  /** How compose is called here and its version, e.g. "docker-compose 1.29.2". */
  compose: string;
  composeArgv: string[];
}

/** The prepared engine, or the reason there is none (one line, for the skip). */
export function engineInfo(): EngineInfo | string {
  if (!existsSync(ENGINE_STATE)) return 'no Docker engine was prepared (node scripts/test.mjs --docker prepares one)';
  const state = JSON.parse(readFileSync(ENGINE_STATE, 'utf8')) as { image: string };
  const plugin = spawnSync('docker', ['compose', 'version', '--short'], { encoding: 'utf8' });
  if (plugin.status === 0) return { image: state.image, compose: `docker compose ${plugin.stdout.trim()}`, composeArgv: ['docker', 'compose'] };
  const v1 = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
  if (v1.status === 0) return { image: state.image, compose: `docker-compose ${v1.stdout.trim()}`, composeArgv: ['docker-compose'] };
  return 'no docker compose on this machine';
}

/** The wrapper's compose file on the test image: never pulled, ACESTEP_MODE from .env picks the server. */
export function wrapperCompose(image: string): string {
  return [
    'services:',
    '  acestep:',
    `    image: ${image}`,
    '    pull_policy: never',
    '    env_file: .env',
    '    ports:',
    '      - "${GRADIO_PORT:-8500}:7860"   # Gradio UI + embedded API',
    '      - "${API_PORT:-8501}:8001"      # standalone API',
    '    restart: unless-stopped',
    '',
  ].join('\n');
}

export function freePorts(n: number): Promise<number[]> {
  const servers = Array.from({ length: n }, () => net.createServer());
  return Promise.all(servers.map(s => new Promise<number>((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port));
  }))).then(async ports => {
    await Promise.all(servers.map(s => new Promise(r => s.close(r))));
    return ports;
  });
}

/** `compose down` of a test's own project (its containers and network), then its folder. */
export function composeDown(engine: EngineInfo, dir: string): void {
  const [cmd, ...prefix] = engine.composeArgv;
  spawnSync(cmd!, [...prefix, 'down', '--timeout', '1', '--remove-orphans'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  rmSync(dir, { recursive: true, force: true });
}

/** A new wrapper-shaped compose folder (its own compose project) with the given .env lines. */
export async function engineFolder(engine: EngineInfo, mode: 'api' | 'gradio', envLines: string[] = []): Promise<{ dir: string; gradioPort: number; apiPort: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'acestep-engine-'));
  const [gradioPort, apiPort] = await freePorts(2) as [number, number];
  writeFileSync(path.join(dir, 'docker-compose.yml'), wrapperCompose(engine.image));
  writeFileSync(path.join(dir, '.env'), [
    '# the real-engine tests', `ACESTEP_MODE=${mode}`, `GRADIO_PORT=${gradioPort}`, `API_PORT=${apiPort}`, ...envLines, '',
  ].join('\n'));
  return { dir, gradioPort, apiPort };
}
