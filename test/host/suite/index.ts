// Loaded by the VS Code extension host as the extensionTestsPath: runs every *.test.js beside it with mocha.
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';
import { globSync } from 'glob';

export function run(): Promise<void> {
  // The extension host forwards console.log arguments without applying printf formats: format them here.
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...a: unknown[]) => void; useColors: boolean };
  base.consoleLog = (...a) => console.log(util.format(...a));
  base.useColors = false;
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000, reporter: 'spec', grep: process.env.ACESTEP_TEST_GREP || undefined });
  for (const file of globSync('**/*.test.js', { cwd: __dirname }).sort()) mocha.addFile(path.resolve(__dirname, file));
  return new Promise((resolve, reject) => {
    const runner = mocha.run(failures => {
      const s = runner.stats;
      console.log(`host: ${s?.passes ?? 0} passed, ${s?.failures ?? failures} failed${s?.pending ? `, ${s.pending} skipped` : ''}`);
      if (failures > 0) reject(new Error(`${failures} host tests failed`)); else resolve();
    });
  });
}
