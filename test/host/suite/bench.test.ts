// Figures for `npm run bench` measured in the real VS Code host; skipped in ordinary test runs.
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { activateExtension } from './helpers';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x * 1000) / 1000;
const emit = (o: object) => console.log(JSON.stringify(o));

(process.env.ACESTEP_BENCH ? suite : suite.skip)('bench', () => {
  test('activation', async () => {
    const ext = await activateExtension();
    const api = ext.exports as { activation?: { activateMs: number } };
    const bundle = path.join(ext.extensionPath, 'dist', 'extension.js');
    // Loading the bundle: evaluate it again from scratch a few times (VS Code already loaded it once).
    const loads: number[] = [];
    for (let i = 0; i < 7; i++) {
      delete require.cache[require.resolve(bundle)];
      const t0 = performance.now();
      require(bundle);
      loads.push(performance.now() - t0);
    }
    emit({ bench: 'host.activation', vscode: vscode.version, activate_ms: round(api.activation?.activateMs ?? NaN), bundle_load_median_ms: round(median(loads)), bundle_load_first_ms: round(loads[0]) });
  });
});
