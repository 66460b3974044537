// Shared pieces of the client and job tests: temp folders and a fake server that is always stopped.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import { startFakeAceStep, type FakeOptions, type FakeServer } from '../../server/fake-acestep';

export function tempDir(t: TestContext | { after(fn: () => void): void }, prefix = 'acestep-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts a fake server on 127.0.0.1:0 and stops it when the test ends. */
export async function fake(t: { after(fn: () => Promise<void> | void): void }, options: Partial<FakeOptions> = {}): Promise<FakeServer> {
  const server = await startFakeAceStep(options);
  t.after(() => server.close());
  return server;
}

/** Every file below a folder, relative paths, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    let entries: import('node:fs').Dirent[] = [];
    try { entries = readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      if (e.isDirectory()) walk(path.join(d, e.name), path.join(rel, e.name));
      else out.push(path.join(rel, e.name));
    }
  };
  walk(dir, '');
  return out.sort();
}

export const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms));

export async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await sleep(20);
  }
}
