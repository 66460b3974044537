// The player webview in headless Chromium, with a stand-in host (test/webview/harness.ts):
// drawing, playback, seeking, looping, A/B switching, keyboard, malformed input, theme changes,
// details/actions, and the light/dark screenshots in docs/images/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { computeWavPeaks } from '../../src/core/player/peaks';
import { parseFromWebview, type JobView, type TakeView, type ToWebview } from '../../src/core/player/protocol';
import { writeWav, type WavSpec } from '../../src/core/player/wav';
import {
  lastState, openPlayer, pageErrors, post, postedMessages, ROOT, startHarness, THEMES, until, waitForPosted,
  type Harness, type ThemeName,
} from './harness';

let h: Harness;
const peaks: Record<string, number[]> = {};
const TAKE_SECONDS = 4;

const specs: Record<string, WavSpec> = {
  'a.wav': { durationSec: TAKE_SECONDS, sampleRate: 44100, channels: 2, signal: 'music', frequency: 220, amplitude: 0.8 },
  'b.wav': { durationSec: TAKE_SECONDS, sampleRate: 44100, channels: 2, signal: 'music', frequency: 330, amplitude: 0.6, seed: 2 },
  'c.wav': { durationSec: 3, sampleRate: 22050, channels: 1, signal: 'sine', frequency: 440, amplitude: 0.5 },
  'shot-a.wav': { durationSec: 42, sampleRate: 16000, channels: 1, signal: 'music', frequency: 196, amplitude: 0.9 },
  'shot-b.wav': { durationSec: 40, sampleRate: 16000, channels: 1, signal: 'music', frequency: 262, amplitude: 0.7, seed: 7 },
};

before(async () => {
  h = await startHarness();
  for (const [name, spec] of Object.entries(specs)) {
    await writeWav(path.join(h.audioDir, name), spec);
    const r = await computeWavPeaks(path.join(h.audioDir, name));
    assert.ok(r);
    peaks[name] = r.peaks;
  }
});

after(async () => { await h?.close(); });

const META = {
  caption: 'dreamy synth pop, warm analog pads, female vocal, 92 bpm',
  lyrics: '[verse]\nLights along the harbour\nHumming in the rain\n[chorus]\nHold the night a little longer',
  userCaption: 'synth pop, female vocal',
  userLyrics: '[verse]\nLights along the harbor\nHumming in the rain\n[chorus]\nHold the night',
  bpm: 92, key: 'A minor', timeSignature: '4/4', duration: 4, seed: 1234, ditModel: 'acestep-v15-turbo', lmModel: 'acestep-5Hz-lm-1.7B',
  generationSeconds: 8.4, server: 'local GPU', serverKind: 'upstream standalone API (current)',
};

function take(id: string, file: string, label: string, withPeaks: boolean, extra: Partial<TakeView> = {}): TakeView {
  const t: TakeView = { id, label, src: h.audioUrl(file), durationSec: specs[file].durationSec, format: 'wav', sizeBytes: 705_644, meta: { ...META }, ...extra };
  if (withPeaks) t.peaks = peaks[file];
  return t;
}

/** Two jobs: the first with takes A (no peaks: the webview decodes it) and B (peaks from the host). */
function loadMessage(): ToWebview {
  const jobs: JobView[] = [
    { id: 'job-1', title: 'Neon Harbour', createdAt: Date.UTC(2025, 5, 1, 14, 30), server: 'local', takes: [take('a', 'a.wav', 'A', false), take('b', 'b.wav', 'B', true)] },
    { id: 'job-2', title: 'Neon Harbour', createdAt: Date.UTC(2025, 5, 2, 9, 5), server: 'remote', takes: [take('c', 'c.wav', 'A', true, { meta: { caption: 'plain', lyrics: '' } })] },
  ];
  return { type: 'load', jobs, selectedJobId: 'job-1', selectedTake: 'a' };
}

/** Opens the player, loads the takes, waits until take A (decoded in the page) is drawn. */
async function loaded(theme: ThemeName = 'dark', language?: string): Promise<Page> {
  const { page } = await openPlayer(h, { theme, language });
  await post(page, loadMessage());
  await waitForPosted(page, m => m.type === 'state' && m.state.takeId === 'a' && m.state.drawn, 15_000, 'take A drawn');
  await post(page, { type: 'command', command: 'setVolume', volume: 0 });
  await until(async () => (await lastState(page))?.volume === 0, 5000, 'volume 0');
  return page;
}

/** Every message the page posted is valid per the protocol, and the page threw nothing. */
async function finish(page: Page): Promise<void> {
  try {
    const all = await postedMessages(page);
    for (const p of all) assert.ok(parseFromWebview(p.m), `the page posted an invalid message: ${JSON.stringify(p.m).slice(0, 300)}`);
    assert.deepEqual(pageErrors(page), []);
  } finally {
    await page.context().close();
  }
}

const audioTime = (page: Page, selector = 'li.take.active audio') =>
  page.evaluate(sel => (document.querySelector(sel) as HTMLAudioElement).currentTime, selector);
const isPlaying = (page: Page, selector = 'li.take.active audio') =>
  page.evaluate(sel => { const a = document.querySelector(sel) as HTMLAudioElement; return !a.paused && !a.ended; }, selector);
const takeAudio = (id: 'a' | 'b') => `li.take:nth-child(${id === 'a' ? 1 : 2}) audio`;

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

interface CanvasStats { width: number; height: number; differ: number; accentLeft: number; accentRight: number; corner: number[] }

/** Pixel statistics of a canvas, read in the page with getImageData. */
function canvasStats(page: Page, selector: string, background: string, accent: string): Promise<CanvasStats> {
  return page.evaluate(([sel, bg, ac]) => {
    const c = document.querySelector(sel) as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const near = (i: number, col: number[], tol: number) => Math.abs(d[i] - col[0]) + Math.abs(d[i + 1] - col[1]) + Math.abs(d[i + 2] - col[2]) <= tol;
    let differ = 0, accentLeft = 0, accentRight = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (!near(i, bg, 30)) differ++;
      if (near(i, ac, 40)) { if ((i / 4) % c.width < c.width / 2) accentLeft++; else accentRight++; }
    }
    const mid = ((c.height - 1) * c.width + 5) * 4;
    return { width: c.width, height: c.height, differ, accentLeft, accentRight, corner: [d[mid], d[mid + 1], d[mid + 2]] };
  }, [selector, rgb(background), rgb(accent)] as const);
}

const dark = THEMES.dark;

test('draws both waveforms: computes the peaks of the WAV take without them, sends them to the host', async () => {
  const page = await loaded();
  try {
    const sent = await waitForPosted(page, m => m.type === 'peaks' && m.takeId === 'a', 10_000, 'peaks of take A');
    assert.equal(sent.m.type, 'peaks');
    const got = (sent.m as { peaks: number[] }).peaks;
    assert.equal(got.length, peaks['a.wav'].length);
    // The webview streams WAV takes through the same bucket rules as the host: identical peaks.
    assert.deepEqual(got, peaks['a.wav']);
    assert.ok(!(await postedMessages(page)).some(p => p.m.type === 'peaks' && p.m.takeId === 'b'), 'take B came with peaks: not decoded again');

    for (const sel of ['li.take:nth-child(1) canvas', 'li.take:nth-child(2) canvas']) {
      const s = await until(async () => { const x = await canvasStats(page, sel, dark['editor-background'], dark['button-background']); return x.differ > 0.05 * x.width * x.height && x; }, 5000, `${sel} drawn`);
      assert.ok(s.width >= 800 && s.height >= 60, `canvas backing store ${s.width}×${s.height}`);
      assert.deepEqual(s.corner, rgb(dark['editor-background']), 'background in the theme colour');
    }
    assert.equal((await lastState(page))?.drawn, true);
  } finally {
    await finish(page);
  }
});

test('takes in other formats are decoded by the browser (decodeAudioData) in slices', async () => {
  const { page } = await openPlayer(h);
  try {
    // WAV bytes labelled FLAC: the webview does not stream them but lets the browser decode them.
    const t = take('f', 'a.wav', 'A', false, { format: 'flac' });
    await post(page, { type: 'load', jobs: [{ id: 'j', title: 'Other format', createdAt: 0, server: '', takes: [t] }], selectedJobId: null, selectedTake: null });
    const sent = await waitForPosted(page, m => m.type === 'peaks' && m.takeId === 'f', 15_000, 'peaks of the FLAC-labelled take');
    const got = (sent.m as { peaks: number[] }).peaks;
    assert.equal(got.length, peaks['a.wav'].length);
    const worst = got.reduce((w, v, i) => Math.max(w, Math.abs(v - peaks['a.wav'][i])), 0);
    assert.ok(worst < 0.01, `decoded peaks differ from host peaks by ${worst}`);
    await waitForPosted(page, m => m.type === 'state' && m.state.takeId === 'f' && m.state.drawn, 5000, 'drawn');
    assert.equal(await page.textContent('li.take .take-status'), '');
  } finally {
    await finish(page);
  }
});

test('play advances the position; state reports are throttled while playing', async () => {
  const page = await loaded();
  try {
    assert.equal(await audioTime(page), 0);
    const before = (await postedMessages(page)).length;
    await page.click('button.play');
    await waitForPosted(page, m => m.type === 'state' && m.state.playing && m.state.reason === 'play', 5000, 'a play state', before);
    await until(async () => (await audioTime(page)) > 1.2, 8000, 'currentTime past 1.2 s');
    assert.equal(await page.getAttribute('button.play', 'aria-label'), 'Pause');
    const ticks = (await postedMessages(page)).slice(before).filter(p => p.m.type === 'state' && p.m.state.reason === 'tick');
    assert.ok(ticks.length >= 2, `tick reports while playing: ${ticks.length}`);
    for (let i = 1; i < ticks.length; i++) assert.ok(ticks[i].t - ticks[i - 1].t >= 240, 'at most 4 reports a second');
    const st = ticks[ticks.length - 1].m;
    assert.ok(st.type === 'state' && st.state.currentTime > 0 && st.state.playing && st.state.takeId === 'a');
  } finally {
    await finish(page);
  }
});

test('seek by clicking the waveform and with the keyboard', async () => {
  const page = await loaded();
  try {
    const box = (await page.locator('li.take.active canvas').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.6);
    await until(async () => Math.abs((await audioTime(page)) - TAKE_SECONDS / 2) < 0.1, 3000, 'position at the middle');
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'CANVAS', 'the clicked waveform takes focus');
    assert.equal(await page.getAttribute('li.take.active canvas', 'aria-valuenow'), '2');

    // The played half is drawn in the accent colour, the rest is not.
    const s = await until(async () => { const x = await canvasStats(page, 'li.take.active canvas', dark['editor-background'], dark['button-background']); return x.accentLeft > 500 && x; }, 3000, 'played part');
    assert.ok(s.accentRight < s.accentLeft / 20, `accent right of the playhead: ${s.accentRight} vs ${s.accentLeft}`);

    await page.keyboard.press('ArrowLeft'); // −5 s, clamped at 0
    await until(async () => (await audioTime(page)) === 0, 2000, 'ArrowLeft to 0');
    await page.keyboard.press('Shift+ArrowRight'); // +1 s
    await until(async () => Math.abs((await audioTime(page)) - 1) < 0.01, 2000, 'Shift+ArrowRight to 1 s');
    await page.keyboard.press('ArrowRight'); // +5 s, clamped at the end
    await until(async () => Math.abs((await audioTime(page)) - TAKE_SECONDS) < 0.05, 2000, 'ArrowRight to the end');
    await page.keyboard.press('Home');
    await until(async () => (await audioTime(page)) === 0, 2000, 'Home');
    await page.keyboard.press('End');
    await until(async () => Math.abs((await audioTime(page)) - TAKE_SECONDS) < 0.05, 2000, 'End');
    const st = await lastState(page);
    assert.equal(st?.reason, 'seek');
    // Dragging scrubs.
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.6);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.75, box.y + box.height * 0.6, { steps: 5 });
    await page.mouse.up();
    await until(async () => Math.abs((await audioTime(page)) - 0.75 * TAKE_SECONDS) < 0.1, 2000, 'drag to 75%');
  } finally {
    await finish(page);
  }
});

test('a dragged region loops: the position jumps back to the region start at its end', async () => {
  const page = await loaded();
  try {
    const box = (await page.locator('li.take.active canvas').boundingBox())!;
    const y = box.y + box.height * 0.6;
    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + box.width * 0.25, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, y, { steps: 4 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const st = await until(async () => { const s = await lastState(page); return s?.loop === 'region' && s.region && s; }, 2000, 'a loop region');
    assert.ok(Math.abs(st.region!.start - 1) < 0.05 && Math.abs(st.region!.end - 1.8) < 0.05, JSON.stringify(st.region));
    assert.ok(Math.abs((await audioTime(page)) - st.region!.start) < 0.05, 'moved to the region start');
    assert.equal(await page.getAttribute('button.loop', 'aria-pressed'), 'true');

    // Sample the position in the page on every frame and look for the jump back.
    await page.evaluate(() => {
      const a = document.querySelector('li.take.active audio') as HTMLAudioElement;
      const seen: number[] = [];
      (window as unknown as { __seen: number[] }).__seen = seen;
      const tick = () => { seen.push(a.currentTime); requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    });
    await page.keyboard.press('Space');
    await until(() => isPlaying(page), 3000, 'playing');
    const jumped = await until(() => page.evaluate(() => {
      const s = (window as unknown as { __seen: number[] }).__seen;
      for (let i = 1; i < s.length; i++) if (s[i] < s[i - 1] - 0.4) return { from: s[i - 1], to: s[i] };
      return null;
    }), 6000, 'a jump back to the region start');
    assert.ok(jumped.from >= 1.75 && jumped.from < 2.3, `jumped from ${jumped.from}`);
    assert.ok(Math.abs(jumped.to - 1) < 0.1, `jumped to ${jumped.to}`);
    assert.ok(await isPlaying(page), 'still playing after the jump');
    const max = await page.evaluate(() => Math.max(...(window as unknown as { __seen: number[] }).__seen));
    assert.ok(max < 2.3, `never played far past the region end: ${max}`);

    // Esc clears the region; a drag along the top strip selects one without Shift.
    await page.keyboard.press('Escape');
    await until(async () => { const s = await lastState(page); return s?.loop === 'off' && s.region === null; }, 2000, 'loop off');
    await page.mouse.move(box.x + box.width * 0.5, box.y + 4);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.75, box.y + 4, { steps: 4 });
    await page.mouse.up();
    const strip = await until(async () => { const s = await lastState(page); return s?.loop === 'region' && s.region && s.region; }, 2000, 'a strip region');
    assert.ok(Math.abs(strip.start - 2) < 0.05 && Math.abs(strip.end - 3) < 0.05, JSON.stringify(strip));
    await page.click('button.clear-region');
    await until(async () => (await lastState(page))?.loop === 'off', 2000, 'loop off');
    // L loops the whole take.
    await page.keyboard.press('l');
    await until(async () => (await lastState(page))?.loop === 'take', 2000, 'loop take');
    assert.equal(await page.evaluate(() => (document.querySelector('li.take.active audio') as HTMLAudioElement).loop), true);
  } finally {
    await finish(page);
  }
});

test('A/B switching keeps the position and the play state', async () => {
  const page = await loaded();
  try {
    await post(page, { type: 'command', command: 'seek', seconds: 1.5 });
    await until(async () => Math.abs((await audioTime(page, takeAudio('a'))) - 1.5) < 0.01, 2000, 'seek to 1.5');
    await page.locator('body').focus();
    await page.keyboard.press('2');
    await until(async () => (await lastState(page))?.takeId === 'b', 2000, 'take B');
    assert.ok(Math.abs((await audioTime(page, takeAudio('b'))) - 1.5) < 0.01, 'B starts where A was');
    assert.equal(await isPlaying(page, takeAudio('b')), false, 'paused stays paused');
    assert.equal(await page.getAttribute('li.take:nth-child(2) button.take-select', 'aria-pressed'), 'true');
    assert.ok((await page.textContent('.meta-title'))?.includes('— B'));

    await page.keyboard.press('Space');
    await until(() => isPlaying(page, takeAudio('b')), 3000, 'B playing');
    await until(async () => (await audioTime(page, takeAudio('b'))) > 1.8, 5000, 'B advancing');
    const n = (await postedMessages(page)).length;
    await page.click('li.take:nth-child(1) button.take-select');
    const sw = await waitForPosted(page, m => m.type === 'state' && m.state.reason === 'switch', 2000, 'switch back to A', n);
    assert.ok(sw.m.type === 'state' && sw.m.state.takeId === 'a');
    assert.equal(sw.m.state.playing, true, 'playing stays playing');
    assert.ok(await isPlaying(page, takeAudio('a')));
    assert.equal(await isPlaying(page, takeAudio('b')), false, 'only one take plays');
    const tA = await audioTime(page, takeAudio('a')), tB = await audioTime(page, takeAudio('b'));
    assert.ok(tA >= tB - 0.05 && tA < tB + 1, `A continues from B's position (A ${tA}, B ${tB})`);
  } finally {
    await finish(page);
  }
});

test('Space toggles play and pause (and buttons keep their own Space)', async () => {
  const page = await loaded();
  try {
    await page.locator('li.take.active canvas').focus();
    await page.keyboard.press('Space');
    await until(() => isPlaying(page), 3000, 'playing after Space');
    await waitForPosted(page, m => m.type === 'state' && m.state.playing && m.state.reason === 'play', 2000, 'play state');
    await page.keyboard.press('Space');
    await until(async () => !(await isPlaying(page)), 3000, 'paused after Space');
    await waitForPosted(page, m => m.type === 'state' && !m.state.playing && m.state.reason === 'pause', 2000, 'pause state');
    // On a focused button Space clicks that button only (one toggle, not two).
    await page.locator('button.play').focus();
    await page.keyboard.press('Space');
    await until(() => isPlaying(page), 3000, 'playing after Space on the play button');
    await new Promise(r => setTimeout(r, 150));
    assert.ok(await isPlaying(page));
  } finally {
    await finish(page);
  }
});

test('malformed messages are ignored, reported once, and the page keeps working', async () => {
  const page = await loaded();
  try {
    const bad = [{ type: 'load', jobs: 'x' }, {}, 'load', null, 42, [], { type: 'peaks', takeId: 5 },
      { type: 'command', command: 'seek', seconds: 'soon' }, { type: 'load', jobs: [{ id: 'x' }] }, { type: 'peaks', takeId: 'a', peaks: [0, 9] }];
    for (const m of bad) await post(page, m);
    const errors = await until(async () => { const e = (await postedMessages(page)).filter(p => p.m.type === 'error'); return e.length > 0 && e; }, 3000, 'an error report');
    await new Promise(r => setTimeout(r, 200));
    assert.equal((await postedMessages(page)).filter(p => p.m.type === 'error').length, 1, 'reported once');
    assert.match((errors[0].m as { message: string }).message, /malformed/);
    assert.equal(await page.textContent('h1.song-title'), 'Neon Harbour', 'the loaded job is still shown');
    assert.equal(await page.locator('li.take').count(), 2);
    // Still responsive.
    await page.locator('body').focus();
    await page.keyboard.press('Space');
    await until(() => isPlaying(page), 3000, 'plays after malformed input');
    await post(page, { type: 'command', command: 'pause' });
    await until(async () => !(await isPlaying(page)), 3000, 'pauses by command');
  } finally {
    await finish(page);
  }
});

test('the state message reaches the host on request and on changes', async () => {
  const page = await loaded();
  try {
    const n = (await postedMessages(page)).length;
    await post(page, { type: 'command', command: 'reportState' });
    const p = await waitForPosted(page, m => m.type === 'state' && m.state.reason === 'request', 2000, 'requested state', n);
    assert.ok(p.m.type === 'state');
    assert.deepEqual({ ...p.m.state, currentTime: 0 }, {
      jobId: 'job-1', takeId: 'a', currentTime: 0, duration: TAKE_SECONDS, playing: false, drawn: true, loop: 'off', region: null,
      rate: 1, volume: 0, muted: false, reason: 'request',
    });
    await page.selectOption('select.rate', '1.5');
    await waitForPosted(page, m => m.type === 'state' && m.state.rate === 1.5 && m.state.reason === 'settings', 2000, 'rate 1.5');
    assert.equal(await page.evaluate(() => (document.querySelector('li.take.active audio') as HTMLAudioElement).playbackRate), 1.5);
    await page.keyboard.press('m');
    await waitForPosted(page, m => m.type === 'state' && m.state.muted, 2000, 'muted');
    // Settings persist in the webview state.
    assert.deepEqual(await page.evaluate(() => window.__playerTest.state), { volume: 0, muted: true, rate: 1.5 });
  } finally {
    await finish(page);
  }
});

test('a theme change redraws the waveform in the new colours', async () => {
  const page = await loaded('dark');
  try {
    const sel = 'li.take.active canvas';
    assert.deepEqual((await canvasStats(page, sel, dark['editor-background'], dark['button-background'])).corner, rgb(dark['editor-background']));
    await page.evaluate(vars => {
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(`--vscode-${k}`, v);
      document.body.classList.replace('vscode-dark', 'vscode-light');
    }, THEMES.light);
    await until(async () => {
      const s = await canvasStats(page, sel, THEMES.light['editor-background'], THEMES.light['button-background']);
      return s.corner.join() === rgb(THEMES.light['editor-background']).join() && s.differ > 0.1 * s.width * s.height;
    }, 3000, 'light background and waveform');
    // High contrast draws an outline in the contrast border colour.
    await page.evaluate(vars => {
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(`--vscode-${k}`, v);
      document.body.classList.replace('vscode-light', 'vscode-high-contrast');
    }, THEMES['high-contrast']);
    await until(async () => (await canvasStats(page, sel, '#000000', THEMES['high-contrast'].contrastBorder)).corner.join() === rgb(THEMES['high-contrast'].contrastBorder).join(),
      3000, 'high-contrast border');
  } finally {
    await finish(page);
  }
});

test('details show the LM rewrite as a line diff; actions post the current take', async () => {
  const page = await loaded();
  try {
    assert.ok((await page.textContent('.caption h3'))?.includes('rewritten by the LM'));
    const lyrics = await page.locator('.lyrics .diff-line').evaluateAll(els => els.map(e => `${e.classList.contains('diff-added') ? '+' : e.classList.contains('diff-removed') ? '-' : ' '}${e.querySelector('.diff-text')!.textContent}`));
    assert.deepEqual(lyrics, [' [verse]', '-Lights along the harbor', '+Lights along the harbour', ' Humming in the rain', ' [chorus]', '-Hold the night', '+Hold the night a little longer']);
    const facts = await page.locator('.facts .fact').evaluateAll(els => Object.fromEntries(els.map(e => [e.querySelector('dt')!.textContent, e.querySelector('dd')!.textContent])));
    assert.equal(facts.BPM, '92');
    assert.equal(facts.Key, 'A minor');
    assert.equal(facts.Seed, '1234');
    assert.equal(facts['LM model'], 'acestep-5Hz-lm-1.7B');
    assert.equal(facts['Generation time'], '8.4 s');
    assert.equal(facts['Server kind'], 'upstream standalone API (current)');
    assert.equal(facts.Created, 'Jun 1, 2025, 02:30 PM');

    await page.keyboard.press('2');
    const n = (await postedMessages(page)).length;
    for (const action of ['reveal', 'copyPath', 'openSidecar', 'useSettings', 'regenerate', 'deleteTake']) {
      await page.click(`button[data-action="${action}"]`);
      await waitForPosted(page, m => m.type === 'action' && m.action === action && m.takeId === 'b', 2000, `action ${action}`, n);
    }

    // The job selector lists both jobs and switches.
    assert.equal(await page.locator('select.job-select option').count(), 2);
    await page.selectOption('select.job-select', 'job-2');
    await until(async () => (await lastState(page))?.jobId === 'job-2', 2000, 'job 2');
    assert.equal(await page.locator('li.take').count(), 1);
    assert.equal((await lastState(page))?.takeId, 'c');
    assert.equal(await page.textContent('.lyrics .muted'), 'Instrumental (no lyrics).');
  } finally {
    await finish(page);
  }
});

test('controls are labelled buttons and inputs; the waveform is a focusable slider', async () => {
  const page = await loaded();
  try {
    const unlabeled = await page.evaluate(() => Array.from(document.querySelectorAll('button, input, select'))
      .filter(e => !(e.getAttribute('aria-label') || e.textContent?.trim() || e.closest('label')))
      .map(e => e.outerHTML.slice(0, 80)));
    assert.deepEqual(unlabeled, []);
    const canvas = page.locator('li.take.active canvas');
    assert.equal(await canvas.getAttribute('role'), 'slider');
    assert.equal(await canvas.getAttribute('tabindex'), '0');
    assert.equal(await canvas.getAttribute('aria-valuemax'), String(TAKE_SECONDS));
    await post(page, { type: 'command', command: 'seek', seconds: 2.5 });
    await until(async () => (await canvas.getAttribute('aria-valuetext')) === '2 seconds of 4 seconds', 2000, 'aria-valuetext');
    assert.ok((await page.textContent('p.help'))?.includes('Space play/pause'));
    // Tab reaches the controls, and the focus ring is visible.
    await page.locator('button.play').focus();
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.notEqual(outline, 'none');
  } finally {
    await finish(page);
  }
});

test('in Dutch: every control, the details and the spoken position come from the bundle the host embeds', async () => {
  const page = await loaded('dark', 'nl');
  try {
    assert.equal(await page.getAttribute('html', 'lang'), 'nl');
    assert.equal(await page.getAttribute('button.play', 'aria-label'), 'Afspelen');
    assert.equal((await page.textContent('button[data-action="useSettings"]'))?.trim(), 'Deze instellingen gebruiken');
    assert.equal(await page.getAttribute('button[data-action="deleteTake"]', 'aria-label'), 'Take A verwijderen');
    assert.match(await page.textContent('p.help') ?? '', /^Toetsen: Spatie afspelen\/pauzeren/);
    assert.match(await page.textContent('.meta') ?? '', /Toonsoort/);
    assert.match(await page.textContent('.meta') ?? '', /herschreven door het LM/);
    await post(page, { type: 'command', command: 'seek', seconds: 2.5 });
    await until(async () => (await page.locator('li.take.active canvas').getAttribute('aria-valuetext')) === '2 seconden van 4 seconden', 2000, 'the Dutch aria-valuetext');
    // No English is left in what a sighted or a screen-reader user meets (words that Dutch writes the same,
    // like Volume, Caption and Take, aside).
    const english = await page.evaluate(() => Array.from(document.querySelectorAll('[aria-label], button, .label-text, h3'))
      .map(e => `${e.getAttribute('aria-label') ?? ''} ${e.textContent ?? ''}`)
      .filter(t => /\b(Play|Pause|Loop|Mute|Speed|Reveal|Delete|Lyrics|details|Position|seconds)\b/.test(t)));
    assert.deepEqual(english, []);
  } finally {
    await finish(page);
  }
});

test('screenshots of the player in the dark and the light theme', async () => {
  const dir = path.join(ROOT, 'docs/images');
  const update = process.env.ACESTEP_UPDATE_SCREENSHOTS === '1';
  for (const theme of ['dark', 'light'] as const) {
    const file = path.join(dir, `player-${theme}.png`);
    const { page, context } = await openPlayer(h, { theme, width: 900, height: 700 });
    try {
      const takes = [
        take('s1', 'shot-a.wav', 'Take 1', true, { sizeBytes: 1_344_044 }),
        take('s2', 'shot-b.wav', 'Take 2', true, { sizeBytes: 1_280_044, meta: { ...META, seed: 98_765 } }),
      ];
      takes[0].meta.duration = 42;
      await post(page, {
        type: 'load', selectedJobId: 'shot', selectedTake: 's1', jobs: [
          { id: 'shot', title: 'Neon Harbour', createdAt: Date.UTC(2025, 5, 1, 14, 30), server: 'local', takes },
          { id: 'older', title: 'Neon Harbour', createdAt: Date.UTC(2025, 4, 30, 20, 10), server: 'local', takes: [] },
        ],
      });
      await waitForPosted(page, m => m.type === 'state' && m.state.takeId === 's1' && m.state.drawn, 10_000, 'drawn');
      await post(page, { type: 'command', command: 'setLoop', loop: 'region', start: 21, end: 28.5 });
      await post(page, { type: 'command', command: 'seek', seconds: 24 });
      await until(async () => Math.abs((await audioTime(page)) - 24) < 0.01, 3000, 'positioned');
      // Repaint everything from scratch (a resize re-rasterises all layers), so partial repaints made
      // while the page was loading cannot leave timing-dependent anti-aliasing behind.
      await page.setViewportSize({ width: 901, height: 700 });
      await page.setViewportSize({ width: 900, height: 700 });
      await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
      const png = await page.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide' });
      assert.ok(png.length > 10_000);
      if (update || !existsSync(file)) {
        mkdirSync(dir, { recursive: true });
        const tmp = `${file}.tmp`;
        writeFileSync(tmp, png);
        renameSync(tmp, file);
      }
    } finally {
      await finish(page);
      await context.close().catch(() => undefined);
    }
  }
});
