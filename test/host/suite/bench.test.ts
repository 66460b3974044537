// Figures for `npm run bench` measured in the real VS Code host; skipped in ordinary test runs.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import { activateExtension } from './helpers';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x * 1000) / 1000;
const emit = (o: object) => console.log(JSON.stringify(o));

/** Evaluates a bundle again from scratch `n` times (VS Code already loaded it once); the module VS Code uses stays in place. */
function loadTimes(file: string, n: number): number[] {
  const key = require.resolve(file);
  const kept = require.cache[key];
  const times: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      delete require.cache[key];
      const t0 = performance.now();
      require(file);
      times.push(performance.now() - t0);
    }
  } finally {
    if (kept) require.cache[key] = kept; else delete require.cache[key];
  }
  return times;
}

(process.env.ACESTEP_BENCH ? suite : suite.skip)('bench', () => {
  test('activation', async () => {
    const ext = await activateExtension();
    const api = ext.exports as Partial<ExtensionApi>;
    const dist = path.join(ext.extensionPath, 'dist');
    const loads = loadTimes(path.join(dist, 'extension.js'), 7);
    const activateMs = api.activation?.activateMs ?? NaN;
    emit({
      bench: 'host.activation', vscode: vscode.version,
      activation_ms: round(median(loads) + activateMs), activate_ms: round(activateMs),
      bundle_load_median_ms: round(median(loads)), bundle_load_first_ms: round(loads[0]),
      bundles_loaded_by_activate: api.activation?.bundlesLoaded ?? [],
    });
    // What each part costs when it loads on first use (after activation, off its path).
    const lazy: Record<string, number> = {};
    for (const name of ['song', 'generation', 'server', 'chat', 'player']) {
      const file = path.join(dist, `${name}.js`);
      if (existsSync(file)) lazy[`${name}_ms`] = round(median(loadTimes(file, 5)));
    }
    emit({ bench: 'host.lazy-bundle-load', ...lazy });
  });
});
