#!/usr/bin/env node
// The real Docker engine for the `docker` test tier (scripts/test.mjs --docker).
//   node test/docker/engine.mjs up     installs what is missing, starts dockerd when no engine answers, builds the
//                                      test image offline; writes .vscode-test/docker-engine.json for the tests
//   node test/docker/engine.mjs down   removes the test image and stops the dockerd that `up` started (by PID)
// Debian packages, installed with apt only when missing: docker.io (dockerd 20.10), docker-compose (compose v1),
// busybox-static (the shell of the image), iptables (dockerd's port publishing). Nothing is pulled: the image is
// a folder (static busybox, this machine's node and the libraries it loads, the test ACE-Step server bundled,
// the stand-ins for ACE-Step's `acestep` and `acestep-api`) given to `docker import`.
// Where the engine cannot run (not Linux, no root for apt or dockerd, dockerd fails), `up` prints one line
// "[docker] skipped: <why>", writes no state file and exits 0: the tier's tests then do not run.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = path.join(root, '.vscode-test/docker');
const STATE_FILE = path.join(root, '.vscode-test/docker-engine.json');
const IMAGE_REPO = 'acestep-studio-test-server';
const log = text => console.log(`[docker] ${text}`);

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000, ...opts });
  return { code: r.error ? -1 : r.status ?? -1, out: `${r.stdout ?? ''}`, err: `${r.stderr ?? ''}${r.error ? r.error.message : ''}` };
}
const has = cmd => sh('sh', ['-c', `command -v ${cmd}`]).code === 0;
const isRoot = () => process.getuid?.() === 0;
const engineAnswers = () => sh('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 15_000 }).code === 0;

function skip(why) {
  log(`skipped: ${why}`);
  try { rmSync(STATE_FILE, { force: true }); } catch { /* not ours to remove: the tier then finds none of its own */ }
  process.exit(0);
}

function installPackages() {
  const missing = [];
  if (!has('dockerd') || !has('docker')) missing.push('docker.io');
  if (!has('docker-compose')) missing.push('docker-compose');
  if (sh('dpkg', ['-s', 'busybox-static']).code !== 0) missing.push('busybox-static');
  if (!has('iptables')) missing.push('iptables');
  if (missing.length === 0) return;
  if (!has('apt-get')) skip(`missing ${missing.join(', ')} and no apt-get to install them`);
  const sudo = isRoot() ? [] : sh('sudo', ['-n', 'true']).code === 0 ? ['sudo', '-n'] : undefined;
  if (!sudo) skip(`missing ${missing.join(', ')}; installing them needs root`);
  log(`installing Debian packages: ${missing.join(' ')}`);
  const run = (...args) => sh(sudo[0] ?? args[0], sudo.length ? [...sudo.slice(1), ...args] : args.slice(1),
    { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 600_000 });
  const update = run('apt-get', 'update', '-qq');
  if (update.code !== 0) skip(`apt-get update failed: ${update.err.trim().split('\n').pop()}`);
  const install = run('apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing);
  if (install.code !== 0) skip(`apt-get install failed: ${install.err.trim().split('\n').pop()}`);
}

/** Starts dockerd, detached, its output in a log file; returns its PID once `docker info` answers. */
async function startDockerd() {
  if (!isRoot()) skip('no Docker engine answers, and starting dockerd needs root');
  mkdirSync(work, { recursive: true });
  const logFile = path.join(work, 'dockerd.log');
  const fd = openSync(logFile, 'w');
  const child = spawn('dockerd', [], { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  let exited = false;
  child.on('exit', () => { exited = true; });
  for (let i = 0; i < 120 && !exited; i++) {
    if (engineAnswers()) return child.pid;
    await new Promise(r => setTimeout(r, 250));
  }
  if (!exited) { try { process.kill(child.pid, 'SIGTERM'); } catch { /* gone */ } }
  const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-1)[0] ?? '';
  skip(`dockerd did not start (${tail.replace(/^time="[^"]*"\s*/, '').slice(0, 200)})`);
}

/** The files of the image, in a temporary folder. */
async function assembleRootfs(dir) {
  const esbuild = await import('esbuild');
  mkdirSync(path.join(dir, 'opt/acestep-test'), { recursive: true });
  await esbuild.build({
    entryPoints: [path.join(root, 'test/docker/container-server.ts')],
    outfile: path.join(dir, 'opt/acestep-test/server.js'),
    bundle: true, platform: 'node', target: 'node18', format: 'cjs', logLevel: 'error',
    // fake-acestep-cli.ts runs its own main() when it is the main module; in the bundle it is not.
    define: { 'require.main': 'undefined' },
  });
  for (const d of ['bin', 'usr/local/bin', 'tmp', 'app', 'proc', 'sys', 'dev', 'etc']) mkdirSync(path.join(dir, d), { recursive: true });
  copyFileSync('/bin/busybox', path.join(dir, 'bin/busybox'));
  for (const applet of sh('/bin/busybox', ['--list']).out.split('\n').filter(a => /^[\w.[-]+$/.test(a) && a !== 'busybox')) {
    symlinkSync('busybox', path.join(dir, 'bin', applet));
  }
  const node = process.execPath;
  copyFileSync(node, path.join(dir, 'usr/local/bin/node'));
  // The libraries node loads, at the paths ldd names (the loader included).
  for (const m of sh('ldd', [node]).out.matchAll(/(\/\S+)\s+\(0x/g)) {
    const lib = m[1];
    mkdirSync(path.join(dir, path.dirname(lib)), { recursive: true });
    copyFileSync(lib, path.join(dir, lib));
  }
  for (const f of ['entrypoint.sh', 'acestep', 'acestep-api']) {
    const to = f === 'entrypoint.sh' ? path.join(dir, 'entrypoint.sh') : path.join(dir, 'usr/local/bin', f);
    copyFileSync(path.join(root, 'test/docker/image', f), to);
    spawnSync('chmod', ['755', to]);
  }
  writeFileSync(path.join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  writeFileSync(path.join(dir, 'etc/hosts'), '127.0.0.1 localhost\n');
}

/** Builds the image unless one with the same content is there; returns its name and whether it was built now. */
async function buildImage() {
  const dir = mkdtempSync(path.join(tmpdir(), 'acestep-image-'));
  try {
    await assembleRootfs(dir);
    const listing = sh('sh', ['-c', 'find . -type f -o -type l | LC_ALL=C sort | xargs -d "\\n" sha256sum 2>/dev/null'], { cwd: dir, maxBuffer: 1 << 26 });
    const tag = createHash('sha256').update(listing.out).digest('hex').slice(0, 12);
    const image = `${IMAGE_REPO}:${tag}`;
    if (sh('docker', ['image', 'inspect', image]).code === 0) return { image, built: false };
    const r = spawnSync('sh', ['-c', `tar -C "$1" -c . | docker import -c 'ENTRYPOINT ["/bin/sh", "/entrypoint.sh"]' -c 'ENV PATH=/usr/local/bin:/bin' - "$2"`, 'sh', dir, image],
      { encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) throw new Error(`docker import failed: ${r.stderr}`);
    return { image, built: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function up() {
  const t0 = Date.now();
  if (process.platform !== 'linux') skip(`the real-engine tests run on Linux only (this is ${process.platform})`);
  installPackages();
  let startedPid;
  if (!engineAnswers()) {
    if (!has('dockerd')) skip('no Docker engine answers and dockerd is not installed');
    startedPid = await startDockerd();
  }
  const compose = sh('docker-compose', ['version', '--short']).out.trim();
  let image;
  try {
    image = await buildImage();
  } catch (e) {
    if (startedPid) stopDockerd(startedPid);
    skip(`the test image could not be built (${e.message.trim().split('\n').pop()})`);
  }
  const state = { image: image.image, builtImage: image.built, startedPid, composeV1: compose || undefined };
  mkdirSync(path.dirname(STATE_FILE), { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
  log(`engine ${startedPid ? `started (dockerd PID ${startedPid})` : 'already running'}, image ${image.image}${image.built ? ' built' : ' reused'}, docker-compose ${compose || 'missing'}; ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

function stopDockerd(pid) {
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  for (let i = 0; i < 150; i++) {
    try { process.kill(pid, 0); } catch { return; }
    spawnSync('sleep', ['0.1']);
  }
  try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
}

function down() {
  if (!existsSync(STATE_FILE)) return;
  const state = JSON.parse(readFileSync(STATE_FILE, 'utf8'));
  // The image has a test-only name: nobody else's. Removed only when this run built it.
  if (state.builtImage) sh('docker', ['image', 'rm', '--force', state.image]);
  if (state.startedPid) stopDockerd(state.startedPid);
  rmSync(STATE_FILE, { force: true });
  log(`cleaned up${state.builtImage ? `: image ${state.image} removed` : ''}${state.startedPid ? `, dockerd ${state.startedPid} stopped` : ''}`);
}

const action = process.argv[2];
if (action === 'up') await up();
else if (action === 'down') down();
else { console.error('usage: node test/docker/engine.mjs up|down'); process.exit(2); }
