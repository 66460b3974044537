// npm start's workbench as a person meets it (issue 15): test/runner/run-host.js --serve with a profile of its own,
// opened in headless Chromium. Notifications show as toasts (the smoke-test driver that hides them is for test runs
// only), the extension is loaded without it, and a restart keeps the port, the walkthrough progress (the browser
// keeps the workbench's state per address) and the settings the user changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startFakeAceStep } from '../server/fake-acestep';
import { CHROMIUM_ARGS, ROOT, findChromium } from './harness';

const STEP = 'acestep-studio.acestep-studio#acestep.gettingStarted#song';

interface Served { url: string; port: number; stop(): Promise<void> }

/** Starts serve mode on `profile` and resolves with the URL it prints. */
async function serve(profile: string, workspace: string): Promise<Served> {
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'test/runner/run-host.js'), '--serve'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ACESTEP_PROFILE_DIR: profile, ACESTEP_TEST_WORKSPACE: workspace, ACESTEP_OPEN_FILE: 'lofi-study.song' },
  });
  const exited = new Promise<void>(resolve => child.on('exit', () => resolve()));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve mode printed no URL:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?\S+/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[0]); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', c => { clearTimeout(timer); reject(new Error(`serve mode ended (${c}):\n${out}`)); });
  });
  return {
    url, port: Number(new URL(url).port),
    stop: async () => { child.kill('SIGTERM'); await exited; },
  };
}

async function command(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Opens our walkthrough as a person would (Welcome: Open Walkthrough…) and says whether the song step is ticked. */
async function songStepTicked(page: Page): Promise<boolean> {
  await command(page, 'Welcome: Open Walkthrough...');
  const input = page.locator('.quick-input-widget input');
  await input.fill('ACE-Step');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'ACE-Step Studio' }).first().waitFor();
  await page.keyboard.press('Enter');
  const step = page.locator(`[data-done-step-id="${STEP}"]`);
  await step.waitFor({ state: 'attached', timeout: 20_000 });
  return (await step.getAttribute('aria-checked')) === 'true';
}

async function open(context: BrowserContext, url: string): Promise<Page> {
  const page = context.pages()[0] ?? await context.newPage();
  await page.goto(url);
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
  // The extension is active once our song file is open in its language.
  await page.locator('.statusbar-item', { hasText: 'ACE-Step Song' }).first().waitFor({ timeout: 60_000 });
  return page;
}

test('npm start shows notifications, loads the extension, keeps port, walkthrough progress and settings across a restart, and honours the User settings file', { timeout: 240_000 }, async t => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'acestep-serve-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const profile = path.join(tmp, 'profile');
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(ROOT, 'examples'), workspace, { recursive: true, filter: s => !/acestep-output/.test(s) });
  const context = await chromium.launchPersistentContext(path.join(tmp, 'browser'), {
    executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 },
  });
  t.after(() => context.close());

  const first = await serve(profile, workspace);
  try {
    const page = await open(context, first.url);
    // A command of ours that shows an information message: its toast is on screen, not only behind the bell.
    await command(page, 'ACE-Step: Show Jobs');
    await page.locator('.notification-toast', { hasText: 'No ACE-Step generations yet' }).first().waitFor({ state: 'visible', timeout: 20_000 });

    // Walkthrough progress: a person clicks "Open an Example Song" on the song step.
    assert.equal(await songStepTicked(page), false, 'a new profile starts with nothing ticked');
    await page.evaluate(sel => (document.querySelector(sel) as HTMLElement | null)?.click(), `[data-step-id="${STEP}"] .monaco-button`);
    await page.locator(`[data-done-step-id="${STEP}"][aria-checked="true"]`).waitFor({ state: 'attached', timeout: 15_000 });
    await page.keyboard.press('Escape');
  } finally {
    await first.stop();
  }

  // The user types the server's address into their User settings file: it stays theirs, and it counts.
  const fake = await startFakeAceStep({ flavour: 'W' });
  t.after(() => fake.close());
  const settingsFile = path.join(profile, 'user-data/User/settings.json');
  const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(settingsFile, JSON.stringify({ ...settings, 'acestep.serverUrl': fake.url }, null, 2));

  const second = await serve(profile, workspace);
  try {
    assert.equal(second.port, first.port, 'the same address as last time (the browser keeps the state per address)');
    const page = await open(context, second.url);
    assert.equal(await songStepTicked(page), true, 'the walkthrough progress survived the restart');
    assert.equal((JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>)['acestep.serverUrl'], fake.url);
    // What the Settings editor's "Remote" tab writes goes to the same file.
    assert.ok(fs.lstatSync(path.join(profile, 'user-data/Machine')).isSymbolicLink());
    await page.keyboard.press('Escape');
    await command(page, 'ACE-Step: Check Server');
    await page.locator('.notification-toast', { hasText: `Generation uses ${fake.url}. It is the acestep.serverUrl you set.` }).first()
      .waitFor({ state: 'visible', timeout: 30_000 });
  } finally {
    await second.stop();
  }
});
