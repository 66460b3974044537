// The host runner's pure parts (test/runner/host-args.js, npm-progress.js): what npm start's workbench is
// started with, how the repository is installed into its profile, and how the first install reports progress.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const load = createRequire(path.resolve('package.json'));
const hostArgs = load('./test/runner/host-args.js') as {
  codeServerArgs(o: Record<string, unknown>): string[];
  initialSettings(o: Record<string, unknown>): Record<string, unknown>;
  linkExtension(dir: string, source: string): string;
  shareMachineSettings(userDataDir: string): void;
};
const progress = load('./test/runner/npm-progress.js') as {
  lockPackages(lock: unknown, platform?: string, arch?: string): number;
  packageOfTarball(url: string): string | undefined;
  elapsed(ms: number): string;
  follow(state: object, line: string): void;
  describe(state: object, total: number, startedAt: number): string;
};

const base = { entry: 'entry.js', port: 1234, configFile: 'c.yaml', userDir: 'u', extensionsDir: 'e' };

test('npm start\'s workbench does not get the smoke-test driver, which hides every notification (issue 15)', () => {
  const serve = hostArgs.codeServerArgs({ ...base, mode: 'serve' });
  assert.ok(!serve.some(a => /smoke-test/.test(a)), serve.join(' '));
  assert.deepEqual(serve.slice(serve.indexOf('--bind-addr'), serve.indexOf('--bind-addr') + 2), ['--bind-addr', '127.0.0.1:1234']);
  // Test runs need it: the workbench reads the extension development and tests paths only with it.
  const tests = hostArgs.codeServerArgs({ ...base, mode: 'test', locale: 'nl' });
  assert.deepEqual(tests.slice(tests.indexOf('--vscode-option'), tests.indexOf('--vscode-option') + 2), ['--vscode-option', 'enable-smoke-test-driver']);
  assert.deepEqual(tests.slice(-2), ['--locale', 'nl']);
  assert.throws(() => hostArgs.codeServerArgs({ ...base }), /unknown mode/);
});

test('a new profile\'s settings: AI features on for a person, off for the test run', () => {
  assert.equal(hostArgs.initialSettings({ serve: true })['chat.disableAIFeatures'], false);
  assert.equal(hostArgs.initialSettings({ serve: false })['chat.disableAIFeatures'], true);
  assert.equal(hostArgs.initialSettings({ serve: false, screenshots: true })['chat.disableAIFeatures'], false);
});

test('linkExtension installs the repository as a linked extension and keeps what else is installed', t => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acestep-link-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const source = path.join(dir, 'repo');
  fs.mkdirSync(source);
  const manifest = (version: string) => fs.writeFileSync(path.join(source, 'package.json'), JSON.stringify({ publisher: 'Pub', name: 'ext', version }));
  const ext = path.join(dir, 'extensions');
  fs.mkdirSync(path.join(ext, 'someone.else-1.0.0'), { recursive: true });
  fs.writeFileSync(path.join(ext, 'extensions.json'), JSON.stringify([{ identifier: { id: 'someone.else' }, version: '1.0.0', relativeLocation: 'someone.else-1.0.0' }]));
  manifest('0.1.0');
  const link = hostArgs.linkExtension(ext, source);
  assert.equal(path.basename(link), 'pub.ext-0.1.0');
  assert.equal(fs.readlinkSync(link), source);
  const read = () => JSON.parse(fs.readFileSync(path.join(ext, 'extensions.json'), 'utf8')) as { identifier: { id: string }; version: string; relativeLocation: string; location?: { path: string } }[];
  assert.deepEqual(read().map(e => e.identifier.id), ['someone.else', 'pub.ext']);
  assert.equal(read()[1]!.location?.path, link);
  // Again: nothing doubles. A new version replaces the old link and entry; the other extension stays.
  hostArgs.linkExtension(ext, source);
  assert.equal(read().length, 2);
  manifest('0.2.0');
  hostArgs.linkExtension(ext, source);
  assert.deepEqual(fs.readdirSync(ext).sort(), ['extensions.json', 'pub.ext-0.2.0', 'someone.else-1.0.0']);
  assert.deepEqual(read().map(e => `${e.identifier.id}@${e.version}`), ['someone.else@1.0.0', 'pub.ext@0.2.0']);
  assert.ok(fs.existsSync(path.join(source, 'package.json')), 'the repository itself is untouched');
});

test('shareMachineSettings: the machine\'s settings ("Remote" in the browser workbench) live in the User settings file', t => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acestep-profile-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'User'));
  fs.mkdirSync(path.join(dir, 'Machine'));
  fs.writeFileSync(path.join(dir, 'User', 'settings.json'), JSON.stringify({ 'acestep.defaultBatchSize': 2, 'acestep.serverUrl': 'http://user:1' }));
  fs.writeFileSync(path.join(dir, 'Machine', 'settings.json'), JSON.stringify({ 'acestep.serverUrl': 'http://machine:1', 'acestep.dockerPath': '/opt/docker' }));
  hostArgs.shareMachineSettings(dir);
  assert.ok(fs.lstatSync(path.join(dir, 'Machine')).isSymbolicLink());
  // An older profile's Machine settings are kept; where both have a value, the User file's wins.
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'User', 'settings.json'), 'utf8')),
    { 'acestep.serverUrl': 'http://user:1', 'acestep.dockerPath': '/opt/docker', 'acestep.defaultBatchSize': 2 });
  // What VS Code writes as a Remote setting lands in the User file; a second start changes nothing.
  fs.writeFileSync(path.join(dir, 'Machine', 'settings.json'), JSON.stringify({ 'acestep.serverUrl': 'http://typed:1' }));
  hostArgs.shareMachineSettings(dir);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'User', 'settings.json'), 'utf8')), { 'acestep.serverUrl': 'http://typed:1' });
});

test('the first install\'s progress: packages of this platform, tarball names, install scripts, elapsed time', () => {
  const lock = {
    packages: {
      '': { name: 'root' },
      'node_modules/a': { version: '1.0.0' },
      'node_modules/a/node_modules/b': { version: '2.0.0' },
      'node_modules/c/node_modules/b': { version: '2.0.0' },
      'node_modules/b': { version: '1.0.0' },
      'node_modules/@s/win': { version: '1.0.0', os: ['win32'], optional: true },
      'node_modules/@s/linux-x64': { version: '1.0.0', os: ['linux'], cpu: ['x64'], optional: true },
      'node_modules/not-mac': { version: '1.0.0', os: ['!darwin'] },
      'node_modules/linked': { link: true },
    },
  };
  // b@2.0.0 at two places is one download; b@1.0.0 another.
  assert.equal(progress.lockPackages(lock, 'linux', 'x64'), 5);
  assert.equal(progress.lockPackages(lock, 'darwin', 'arm64'), 3);
  assert.equal(progress.packageOfTarball('https://registry.npmjs.org/@vscode/spdlog/-/spdlog-0.15.8.tgz'), '@vscode/spdlog');
  assert.equal(progress.packageOfTarball('https://registry.npmjs.org/ws/-/ws-8.0.0.tgz'), 'ws');
  assert.equal(progress.elapsed(75_000), '1 min 15 s');
  assert.equal(progress.elapsed(9_400), '9 s');
  const state = { fetched: new Set(), nested: new Set(), last: undefined, script: undefined };
  progress.follow(state, 'npm http fetch GET 200 https://registry.npmjs.org/ws/-/ws-8.0.0.tgz 120ms (cache miss)');
  progress.follow(state, 'npm http fetch GET 200 https://registry.npmjs.org/code-server/-/code-server-4.139.1.tgz 900ms');
  const started = Date.now() - 65_000;
  assert.match(progress.describe(state, 166, started), /^2\/166 packages downloaded, last: code-server \(1 min 0[45] s\)$/);
  progress.follow(state, 'npm info run code-server@4.139.1 postinstall node_modules/code-server sh ./postinstall.sh');
  progress.follow(state, 'npm http fetch GET 200 https://registry.npmjs.org/node-pty/-/node-pty-1.0.0.tgz 300ms');
  assert.match(progress.describe(state, 166, started), /^2\/166 packages downloaded \(\+1 by install scripts\), now: the code-server@4\.139\.1 postinstall script \(/);
  progress.follow(state, 'npm info run code-server@4.139.1 postinstall { code: 0, signal: null }');
  assert.match(progress.describe(state, 166, started), /, last: node-pty \(/);
});
