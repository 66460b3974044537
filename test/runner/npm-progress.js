#!/usr/bin/env node
// Runs `npm ci` for setup-host.sh and says what it is doing while it runs, instead of minutes of silence: how many
// of the lock file's packages are downloaded (and the last one), which install script runs, and the time so far.
// npm's own output is kept and printed only when it fails.
//
//   node test/runner/npm-progress.js <label> <dir> [npm ci args...]
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** Whether a lock entry's `os` / `cpu` list (`["linux"]`, `["!win32"]`) admits this machine. */
function fits(list, value) {
  if (!Array.isArray(list) || !list.length) return true;
  if (list.includes(`!${value}`)) return false;
  return list.some(v => !v.startsWith('!')) ? list.includes(value) : true;
}

/**
 * The tarballs `npm ci` fetches for this lock file on this machine: one per name and version (a package at two
 * places in the tree is one download); links, the root and other platforms' packages excluded.
 */
function lockPackages(lock, platform = process.platform, arch = process.arch) {
  const tarballs = new Set();
  for (const [key, p] of Object.entries(lock.packages ?? {})) {
    if (!key.startsWith('node_modules/') || p.link || !fits(p.os, platform) || !fits(p.cpu, arch)) continue;
    tarballs.add(`${p.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${p.version}`);
  }
  return tarballs.size;
}

/** The package a registry tarball URL is for: `.../@scope/name/-/name-1.0.0.tgz` → `@scope/name`. */
function packageOfTarball(url) {
  const m = /\/((?:@[^/]+\/)?[^/]+)\/-\/[^/]+\.tgz(?:$|\?)/.exec(url);
  return m ? decodeURIComponent(m[1]) : undefined;
}

/** 75 s → "1 min 15 s". */
function elapsed(ms) {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** Folds npm's `--loglevel=http` / `info` lines into the state shown. */
function follow(state, line) {
  // One line per tarball (a package in two versions is two tarballs, as in the lock file).
  const fetch = /^npm (?:http|info) fetch GET (\d{3}) (\S+)/.exec(line);
  if (fetch) {
    const name = packageOfTarball(fetch[2]);
    // While an install script runs, what it fetches is its own (code-server's installs VS Code's dependencies).
    if (name) { (state.script ? state.nested : state.fetched).add(fetch[2]); state.last = name; }
    return;
  }
  // "npm info run <pkg>@<version> <event> <path> <command>" when a script starts, "... <event> { code: 0, … }" when it ends.
  const run = /^npm info run (\S+) (\w+) (.*)$/.exec(line);
  if (run) state.script = /^\{ code:/.test(run[3]) ? undefined : `${run[1]} ${run[2]}`;
}

function describe(state, total, startedAt) {
  const nested = state.nested.size ? ` (+${state.nested.size} by install scripts)` : '';
  const parts = [`${Math.min(state.fetched.size, total)}/${total} packages downloaded${nested}`];
  if (state.script) parts.push(`now: the ${state.script} script`);
  else if (state.last) parts.push(`last: ${state.last}`);
  return `${parts.join(', ')} (${elapsed(Date.now() - startedAt)})`;
}

function main() {
  const [label, dir, ...npmArgs] = process.argv.slice(2);
  const total = lockPackages(JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8')));
  const log = m => console.log(`[setup-host] ${label}: ${m}`);
  const startedAt = Date.now();
  const state = { fetched: new Set(), nested: new Set(), last: undefined, script: undefined };
  log(`npm ci of ${total} packages into ${path.basename(dir)}`);
  const npm = spawn('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=info', '--foreground-scripts', ...npmArgs], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const kept = [];
  let shown = '';
  let rest = '';
  const onData = d => {
    const lines = (rest + d).split('\n');
    rest = lines.pop();
    for (const line of lines) {
      kept.push(line);
      if (kept.length > 200) kept.shift();
      const before = state.script;
      follow(state, line);
      if (state.script && state.script !== before) log(describe(state, total, startedAt));
    }
  };
  npm.stdout.on('data', onData);
  npm.stderr.on('data', onData);
  // A line every 10 s while nothing else is said: the install is alive, and how far it is.
  const timer = setInterval(() => {
    const now = describe(state, total, startedAt);
    if (now !== shown) log(shown = now);
  }, 10_000);
  npm.on('exit', code => {
    clearInterval(timer);
    if (code === 0) { log(`done: ${total} packages in ${elapsed(Date.now() - startedAt)}`); return; }
    console.error(kept.join('\n'));
    log(`npm ci failed (exit ${code}) after ${elapsed(Date.now() - startedAt)}`);
    process.exit(code || 1);
  });
}

if (require.main === module) main();
module.exports = { lockPackages, packageOfTarball, elapsed, follow, describe };
