// npm start: build the extension, then open a real VS Code with it loaded and examples/ as the workspace.
// Desktop VS Code (`code` on PATH) when there is one; otherwise VS Code's server build on 127.0.0.1,
// installed on first use by test/runner/setup-host.sh (the same one the host tests use; the first run takes a few
// minutes and says what it is doing). The served workbench keeps its profile in .vscode-test/profile:
//   npm start -- --fresh   start with a new, empty profile
//   npm start -- --web     the browser workbench even when desktop VS Code is installed
import { spawnSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run(process.execPath, ['esbuild.mjs']);
const forceWeb = process.argv.includes('--web');
const hasCode = !forceWeb && spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasCode) {
  const examples = path.join(root, 'examples');
  run('code', ['--new-window', `--extensionDevelopmentPath=${root}`, examples, path.join(examples, 'tempest-of-the-night.song')]);
  console.log('Opened desktop VS Code with ACE-Step Studio loaded (examples/ as the workspace).');
} else {
  const t0 = Date.now();
  run('bash', ['test/runner/setup-host.sh']);
  const took = Math.round((Date.now() - t0) / 1000);
  if (took > 5) console.log(`[start] the test host is installed (${took} s); later starts skip this step.`);
  const child = spawn(process.execPath, ['test/runner/run-host.js', '--serve', ...(process.argv.includes('--fresh') ? ['--fresh'] : [])], { stdio: 'inherit', env: { ACESTEP_OPEN_FILE: 'tempest-of-the-night.song', ...process.env } });
  const forward = sig => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', code => process.exit(code ?? 0));
}
