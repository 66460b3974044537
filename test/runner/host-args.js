// The pure parts of run-host.js: code-server's command line, the settings a new profile starts with, and the
// extensions.json entry that installs the repository as a linked extension. Unit-tested (test/unit/runner.test.ts).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/**
 * code-server's arguments for a test run (`mode: 'test'`) or a person's workbench (`'serve'`, npm start). Only
 * test runs get the workbench's smoke-test driver: VS Code's web build reads the URL payload (extension
 * development and tests paths) only with it, and it also hides every notification toast. A person's workbench
 * loads the extension from its extensions folder instead (see linkExtension).
 */
function codeServerArgs({ mode, entry, port, configFile, userDir, extensionsDir, locale }) {
  if (mode !== 'test' && mode !== 'serve') throw new Error(`unknown mode ${mode}`);
  const testDriver = mode === 'test';
  return [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--config', configFile, '--user-data-dir', userDir, '--extensions-dir', extensionsDir,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--ignore-last-opened',
    ...(testDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(locale ? ['--locale', locale] : [])];
}

/** The user settings a new profile starts with; afterwards the file is the user's. */
function initialSettings({ serve, screenshots, theme }) {
  return {
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    // The chat UI only works with AI features on; the test run keeps them off (no Copilot sign-in prompts), the
    // screenshot run turns them on to photograph @acestep in the real chat view.
    'chat.disableAIFeatures': !serve && !screenshots,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'security.workspace.trust.enabled': false,
    'workbench.colorTheme': theme || 'Default Dark Modern',
    // The examples live inside the repository: no "open the repository in the parent folder?" prompt.
    'git.openRepositoryInParentFolders': 'never',
  };
}

/** The folder name VS Code gives an installed extension: `publisher.name-version` (lower case). */
function extensionFolderName(manifest) {
  return `${manifest.publisher}.${manifest.name}-${manifest.version}`.toLowerCase();
}

/**
 * Installs `source` (an extension's folder, the repository) into `extensionsDir` as a link, the way VS Code lists
 * an installed extension: a folder `publisher.name-version` and an entry in `extensions.json`. The link keeps
 * "edit, rebuild, reload the window" working (the extension host loads dist/ from the repository on each reload);
 * older links of the same extension and their entries go, every other entry stays. Returns the link's path.
 */
function linkExtension(extensionsDir, source) {
  const manifest = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`.toLowerCase();
  const folder = extensionFolderName(manifest);
  fs.mkdirSync(extensionsDir, { recursive: true });
  for (const f of fs.readdirSync(extensionsDir)) {
    const p = path.join(extensionsDir, f);
    // Only our own links: never anything a person installed, never a real folder.
    if (f.toLowerCase().startsWith(`${id}-`) && f !== folder && fs.lstatSync(p).isSymbolicLink()) fs.unlinkSync(p);
  }
  const link = path.join(extensionsDir, folder);
  let current;
  try { current = fs.readlinkSync(link); } catch { current = undefined; }
  if (current !== source) {
    fs.rmSync(link, { force: true });
    fs.symlinkSync(source, link, 'dir');
  }
  const file = path.join(extensionsDir, 'extensions.json');
  let entries = [];
  try { entries = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { entries = []; }
  if (!Array.isArray(entries)) entries = [];
  const others = entries.filter(e => String(e?.identifier?.id ?? '').toLowerCase() !== id);
  const entry = {
    identifier: { id },
    version: manifest.version,
    location: { $mid: 1, path: link, scheme: 'file' },
    relativeLocation: folder,
  };
  fs.writeFileSync(file + '.tmp', JSON.stringify([...others, entry]));
  fs.renameSync(file + '.tmp', file);
  return link;
}

/**
 * In the browser workbench VS Code keeps two settings files: "User" (user-data/User/settings.json) and "Remote"
 * (user-data/Machine/settings.json). The Settings editor lists the settings that belong to the machine
 * (acestep.serverUrl, the docker path, …) only under its Remote tab and writes them to the second file. For a
 * person on this machine they are one: Machine becomes a link to User, so every setting lives in
 * User/settings.json, whichever tab it was typed in. A Machine folder of an older profile is merged first (User's
 * values win).
 */
function shareMachineSettings(userDataDir) {
  const user = path.join(userDataDir, 'User');
  const machine = path.join(userDataDir, 'Machine');
  fs.mkdirSync(user, { recursive: true });
  let stat;
  try { stat = fs.lstatSync(machine); } catch { stat = undefined; }
  if (stat?.isSymbolicLink()) return;
  if (stat) {
    const read = f => { try { return JSON.parse(fs.readFileSync(f, 'utf8')); } catch { return {}; } };
    const machineSettings = read(path.join(machine, 'settings.json'));
    if (Object.keys(machineSettings).length) {
      fs.writeFileSync(path.join(user, 'settings.json'), JSON.stringify({ ...machineSettings, ...read(path.join(user, 'settings.json')) }, null, 2));
    }
    fs.rmSync(machine, { recursive: true, force: true });
  }
  fs.symlinkSync('User', machine, 'dir');
}

module.exports = { codeServerArgs, initialSettings, extensionFolderName, linkExtension, shareMachineSettings };
