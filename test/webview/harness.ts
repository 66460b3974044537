// Stands in for the VS Code webview host of the player: serves the page from `playerHtml` on
// 127.0.0.1 (port 0) with the real bundle, the stylesheet and generated audio (with byte ranges, which
// <audio> needs to seek), and drives it with headless Chromium through playwright-core. A stub
// `acquireVsCodeApi` records every message the page posts. Used by the webview tests and the bench.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { createNonce, playerHtml } from '../../src/core/player/html';
import type { FromWebview, PlayerState } from '../../src/core/player/protocol';

/** The repository root (this file runs from out/test/webview/). */
export const ROOT = path.resolve(__dirname, '../../..');
const BUNDLE = path.join(ROOT, 'dist/media/player.js');
const STYLE = path.join(ROOT, 'media/player/player.css');

/** Chromium: $CHROMIUM, else the first `chromium` (Debian's package) or `chromium-browser` on PATH. */
export function findChromium(): string {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = path.join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch { /* keep looking */ }
    }
  }
  throw new Error('Chromium not found: install the host tools (test/runner/setup-host.sh) or set CHROMIUM');
}

export type ThemeName = 'dark' | 'light' | 'high-contrast';

/** A plausible subset of the variables VS Code sets on a webview (Dark Modern / Light Modern / HC). */
export const THEMES: Record<ThemeName, Record<string, string>> = {
  dark: {
    'foreground': '#cccccc', 'editor-background': '#1f1f1f', 'editor-foreground': '#cccccc',
    'descriptionForeground': '#9d9d9d', 'button-background': '#0078d4', 'button-foreground': '#ffffff',
    'button-hoverBackground': '#026ec1', 'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc',
    'button-secondaryHoverBackground': '#3c3c3c', 'button-border': '#ffffff12', 'focusBorder': '#0078d4',
    'widget-border': '#313131', 'editorWidget-background': '#202020', 'dropdown-background': '#313131',
    'dropdown-border': '#3c3c3c', 'dropdown-foreground': '#cccccc', 'editor-selectionBackground': '#264f78',
    'editorCursor-foreground': '#aeafad', 'textLink-foreground': '#4daafc', 'badge-background': '#616161',
    'badge-foreground': '#f8f8f8', 'textCodeBlock-background': '#2b2b2b', 'toolbar-hoverBackground': '#5a5d5e50',
    'list-inactiveSelectionBackground': '#37373d', 'inputOption-activeBackground': '#2489db82',
    'inputOption-activeBorder': '#2488db', 'inputOption-activeForeground': '#ffffff',
    'diffEditor-insertedLineBackground': '#9bb95533', 'diffEditor-removedLineBackground': '#ff000033',
    'errorForeground': '#f85149',
  },
  light: {
    'foreground': '#3b3b3b', 'editor-background': '#ffffff', 'editor-foreground': '#3b3b3b',
    'descriptionForeground': '#3b3b3b', 'button-background': '#005fb8', 'button-foreground': '#ffffff',
    'button-hoverBackground': '#0258a8', 'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b',
    'button-secondaryHoverBackground': '#cccccc', 'button-border': '#0000001a', 'focusBorder': '#005fb8',
    'widget-border': '#e5e5e5', 'editorWidget-background': '#f8f8f8', 'dropdown-background': '#ffffff',
    'dropdown-border': '#cecece', 'dropdown-foreground': '#3b3b3b', 'editor-selectionBackground': '#add6ff',
    'editorCursor-foreground': '#000000', 'textLink-foreground': '#005fb8', 'badge-background': '#cccccc',
    'badge-foreground': '#3b3b3b', 'textCodeBlock-background': '#f2f2f2', 'toolbar-hoverBackground': '#b8b8b850',
    'list-inactiveSelectionBackground': '#e4e6f1', 'inputOption-activeBackground': '#bed6ed',
    'inputOption-activeBorder': '#005fb8', 'inputOption-activeForeground': '#000000',
    'diffEditor-insertedLineBackground': '#9bb95533', 'diffEditor-removedLineBackground': '#ff000033',
    'errorForeground': '#f85149',
  },
  'high-contrast': {
    'foreground': '#ffffff', 'editor-background': '#000000', 'editor-foreground': '#ffffff',
    'descriptionForeground': '#ffffff', 'button-background': '#000000', 'button-foreground': '#ffffff',
    'button-border': '#6fc3df', 'focusBorder': '#f38518', 'contrastBorder': '#6fc3df', 'contrastActiveBorder': '#f38518',
    'editor-selectionBackground': '#ffffff', 'editorCursor-foreground': '#ffffff', 'textLink-foreground': '#21a6ff',
    'badge-background': '#000000', 'badge-foreground': '#ffffff', 'dropdown-background': '#000000',
    'dropdown-border': '#6fc3df', 'dropdown-foreground': '#ffffff',
  },
};

const BODY_CLASS: Record<ThemeName, string> = { dark: 'vscode-dark', light: 'vscode-light', 'high-contrast': 'vscode-high-contrast' };
const FONT_VARS = {
  'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', 'font-size': '13px', 'font-weight': 'normal',
  'editor-font-family': '"Droid Sans Mono", "monospace", monospace', 'editor-font-size': '13px',
};

/** The launch flags every Chromium started here uses (headless, no network side channels, no sandbox). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--autoplay-policy=no-user-gesture-required',
  // One raster thread and full (not partial) tile raster: screenshots come out the same pixel for pixel.
  '--num-raster-threads=1', '--disable-partial-raster'];

export interface Harness {
  origin: string;
  browser: Browser;
  /** Temp folder served under /audio/. */
  audioDir: string;
  /** URL of a file in audioDir. */
  audioUrl(name: string): string;
  close(): Promise<void>;
}

/** Builds dist/media/player.js when it is missing (the test script builds it before tests). */
export function ensureBundle(): void {
  if (existsSync(BUNDLE)) return;
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(BUNDLE)) throw new Error('building the webview bundle failed (node esbuild.mjs)');
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.wav': 'audio/wav', '.map': 'application/json' };

function serveFile(file: string, range: string | undefined, res: import('node:http').ServerResponse): void {
  let size: number;
  try { size = statSync(file).size; } catch { res.writeHead(404).end(); return; }
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
  if (m && (m[1] || m[2])) {
    let start = m[1] ? Number(m[1]) : size - Number(m[2]);
    let end = m[1] && m[2] ? Number(m[2]) : size - 1;
    start = Math.max(0, start);
    end = Math.min(size - 1, end);
    if (start > end || start >= size) {
      res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
      return;
    }
    res.writeHead(206, { 'Content-Type': type, 'Content-Length': end - start + 1, 'Content-Range': `bytes ${start}-${end}/${size}`, 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-store' });
    createReadStream(file, { start, end }).pipe(res);
    return;
  }
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': size, 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-store' });
  createReadStream(file).pipe(res);
}

export async function startHarness(): Promise<Harness> {
  ensureBundle();
  const audioDir = mkdtempSync(path.join(tmpdir(), 'acestep-player-'));
  const home = mkdtempSync(path.join(tmpdir(), 'acestep-player-home-'));
  let origin = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/') {
      // ?lang=nl: the page as the host renders it for a Dutch VS Code (the bundle embedded as JSON).
      const lang = url.searchParams.get('lang');
      const bundle = lang && /^[a-z]{2}$/.test(lang) ? JSON.parse(readFileSync(path.join(ROOT, 'l10n', `bundle.l10n.${lang}.json`), 'utf8')) as Record<string, string> : undefined;
      const html = playerHtml({
        cspSource: origin, nonce: createNonce(), scriptUri: `${origin}/media/player.js`, styleUri: `${origin}/media/player/player.css`, title: 'ACE-Step Player',
        ...(bundle ? { language: lang!, bundle, loadingText: bundle['Loading takes…'] } : {}),
      });
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(html);
    } else if (url.pathname === '/media/player.js') {
      serveFile(BUNDLE, undefined, res);
    } else if (url.pathname === '/media/player.js.map') {
      serveFile(BUNDLE + '.map', undefined, res);
    } else if (/^\/media\/player\/[a-z-]+\.css$/.test(url.pathname)) { // player.css and the sheets it imports
      serveFile(path.join(path.dirname(STYLE), path.basename(url.pathname)), undefined, res);
    } else if (url.pathname.startsWith('/audio/')) {
      const name = path.basename(decodeURIComponent(url.pathname.slice('/audio/'.length)));
      serveFile(path.join(audioDir, name), req.headers.range, res);
    } else if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end(); // the browser asks for it; a webview never does
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no server address');
  origin = `http://127.0.0.1:${addr.port}`;
  const browser = await chromium.launch({
    executablePath: findChromium(),
    headless: true,
    env: { ...process.env, HOME: home },
    args: CHROMIUM_ARGS,
  });
  return {
    origin, browser, audioDir,
    audioUrl: name => `${origin}/audio/${encodeURIComponent(name)}`,
    async close() {
      await browser.close().catch(() => undefined);
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
      rmSync(audioDir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** What the stub records: every posted message with the page clock, plus the saved webview state. */
export interface Posted {
  t: number;
  m: FromWebview;
}

declare global {
  interface Window {
    __playerTest: { posted: Posted[]; state: unknown; longTasks: { start: number; duration: number }[]; apiCalls: number };
  }
}

/** The init script: theme variables and body class like VS Code's, and the recording API stub. */
function initScript(arg: { vars: Record<string, string>; bodyClass: string }): void {
  const rec = { posted: [] as unknown[], state: undefined as unknown, longTasks: [] as { start: number; duration: number }[], apiCalls: 0 };
  (window as unknown as { __playerTest: typeof rec }).__playerTest = rec;
  (window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => {
    rec.apiCalls++;
    if (rec.apiCalls > 1) throw new Error('acquireVsCodeApi called twice');
    return {
      postMessage(m: unknown) { rec.posted.push({ t: performance.now(), m: JSON.parse(JSON.stringify(m)) }); },
      getState() { return rec.state; },
      setState(s: unknown) { rec.state = s; },
    };
  };
  try {
    new PerformanceObserver(list => { for (const e of list.getEntries()) rec.longTasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: 'longtask', buffered: true });
  } catch { /* not supported */ }
  const apply = () => {
    for (const [k, v] of Object.entries(arg.vars)) document.documentElement.style.setProperty(`--vscode-${k}`, v);
    document.body.classList.add(arg.bodyClass);
  };
  if (document.body) apply(); else document.addEventListener('DOMContentLoaded', apply, { once: true });
}

export interface OpenOptions {
  theme?: ThemeName;
  /** A display language with a bundle in l10n/ (the page embeds it as the host does). */
  language?: string;
  width?: number;
  height?: number;
}

export async function openPlayer(h: Harness, o: OpenOptions = {}): Promise<{ page: Page; context: BrowserContext }> {
  const theme = o.theme ?? 'dark';
  const context = await h.browser.newContext({
    viewport: { width: o.width ?? 960, height: o.height ?? 900 }, deviceScaleFactor: 1,
    locale: 'en-US', timezoneId: 'UTC', colorScheme: theme === 'light' ? 'light' : 'dark', reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  await page.addInitScript(initScript, { vars: { ...FONT_VARS, ...THEMES[theme] }, bodyClass: BODY_CLASS[theme] });
  const errors: string[] = [];
  page.on('pageerror', e => errors.push(e.message));
  // CSP violations and failed loads show up as console errors.
  page.on('console', m => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('response', r => { if (r.status() >= 400) errors.push(`HTTP ${r.status()} for ${r.url()}`); });
  uncaught.set(page, errors);
  await page.goto(`${h.origin}/${o.language ? `?lang=${o.language}` : ''}`);
  await waitForPosted(page, m => m.type === 'ready', 10_000, 'the ready message');
  return { page, context };
}

const uncaught = new WeakMap<Page, string[]>();

/** Uncaught errors and console errors (CSP violations, failed loads) of the page so far. */
export function pageErrors(page: Page): string[] {
  return uncaught.get(page) ?? [];
}

/** Posts a message to the page the way the host does (arrives as a window "message" event). */
export async function post(page: Page, message: unknown): Promise<number> {
  return page.evaluate(m => { const t = performance.now(); window.postMessage(m, '*'); return t; }, message);
}

export async function postedMessages(page: Page): Promise<Posted[]> {
  return page.evaluate(() => window.__playerTest.posted as Posted[]);
}

/** Waits until the page has posted a message matching `pred` (checked from Node every 20 ms). */
export async function waitForPosted(page: Page, pred: (m: FromWebview, t: number) => boolean, timeoutMs: number, what: string, after = 0): Promise<Posted> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await postedMessages(page);
    const hit = all.slice(after).find(p => pred(p.m, p.t));
    if (hit) return hit;
    if (Date.now() > deadline) {
      const tail = all.slice(-5).map(p => JSON.stringify(p.m).slice(0, 300)).join('\n  ');
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last messages:\n  ${tail}`);
    }
    await new Promise(r => setTimeout(r, 20));
  }
}

/** The latest state the page reported. */
export async function lastState(page: Page): Promise<PlayerState | undefined> {
  const all = await postedMessages(page);
  for (let i = all.length - 1; i >= 0; i--) {
    const m = all[i].m;
    if (m.type === 'state') return m.state;
  }
  return undefined;
}

export type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/** Polls `fn` in Node until it returns a truthy value. */
export async function until<T>(fn: () => Promise<T>, timeoutMs: number, what: string): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await fn();
    if (last) return last as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise(r => setTimeout(r, 20));
  }
}
