// The player on takes it knows little or nothing about: an audio file without a sidecar (unknown is shown
// as unknown, only the actions that work are offered) and audio the browser cannot decode (the row says
// why and Play is not offered). Screenshots go to $ACESTEP_SCREENSHOT_DIR when it is set.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ACTIONS, type TakeView } from '../../src/core/player/protocol';
import { writeWav } from '../../src/core/player/wav';
import { lastState, openPlayer, post, postedMessages, startHarness, until, waitForPosted, type Harness } from './harness';

let h: Harness;

before(async () => {
  h = await startHarness();
  await writeWav(path.join(h.audioDir, 'plain.wav'), { durationSec: 3, sampleRate: 22050, channels: 1, signal: 'sine', frequency: 330, amplitude: 0.5 });
  // Bytes that are no audio format at all, named like an MP3.
  writeFileSync(path.join(h.audioDir, 'broken.mp3'), Buffer.from('this is not audio at all, just text that happens to end in .mp3\n'.repeat(200)));
});

after(async () => { await h?.close(); });

async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.ACESTEP_SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: path.join(dir, name), fullPage: true, animations: 'disabled', caret: 'hide' });
}

const facts = (page: Page) => page.locator('.facts .fact').evaluateAll(els =>
  Object.fromEntries(els.map(e => [e.querySelector('dt')!.textContent, e.querySelector('dd')!.textContent])));
const actions = (page: Page) => page.locator('.actions button').evaluateAll(els => els.map(e => (e as HTMLElement).dataset.action));

function load(take: TakeView, title: string) {
  return { type: 'load', selectedJobId: 'j', selectedTake: take.id, jobs: [{ id: 'j', title, createdAt: Date.UTC(2025, 5, 1), server: '', takes: [take] }] };
}

test('an audio file without a sidecar: unknown is shown as unknown, and only the actions that work are offered', async () => {
  const { page, context } = await openPlayer(h);
  try {
    await post(page, load({
      id: 'file:plain', label: 'Take', src: h.audioUrl('plain.wav'), format: 'wav', sizeBytes: 132_344,
      meta: { caption: '', lyrics: '', unknown: true }, actions: ['reveal', 'copyPath', 'deleteTake'],
    }, 'plain'));
    await waitForPosted(page, m => m.type === 'state' && m.state.drawn, 10_000, 'drawn');
    const f = await facts(page);
    assert.equal(f.Seed, undefined, 'no made-up seed');
    assert.ok(f.File, 'what is known is shown');
    assert.match((await page.textContent('.meta-body'))!, /No sidecar beside this file, so how it was made is unknown/);
    assert.equal(await page.locator('.lyrics').count(), 0, 'no "Instrumental (no lyrics)" for lyrics nobody knows');
    assert.deepEqual(await actions(page), ['reveal', 'copyPath', 'deleteTake']);
    assert.equal(await page.isDisabled('button.play'), false, 'a decodable file plays');
    await shot(page, 'player-no-sidecar.png');
  } finally {
    await context.close();
  }
});

test('a take with a sidecar names the server kind in words', async () => {
  const { page, context } = await openPlayer(h);
  try {
    await post(page, load({
      id: 'file:plain', label: 'Take', src: h.audioUrl('plain.wav'), format: 'wav', sizeBytes: 132_344,
      meta: { caption: 'warm folk', lyrics: '[Verse]\nla', seed: 7, serverKind: 'standalone API (Docker wrapper)' },
    }, 'plain'));
    await waitForPosted(page, m => m.type === 'state' && m.state.drawn, 10_000, 'drawn');
    const f = await facts(page);
    assert.equal(f['Server kind'], 'standalone API (Docker wrapper)');
    assert.equal(f.Flavour, undefined);
    assert.equal(f.Seed, '7');
    assert.equal((await actions(page)).length, ACTIONS.length, 'no list from the host: every action');
  } finally {
    await context.close();
  }
});

test('audio the browser cannot decode: the row says why, and Play is not offered', async () => {
  const { page, context } = await openPlayer(h);
  try {
    await post(page, load({
      id: 'file:broken', label: 'Take', src: h.audioUrl('broken.mp3'), format: 'mp3', sizeBytes: 13_000,
      meta: { caption: 'x', lyrics: '' },
    }, 'broken'));
    const status = await until(async () => {
      const t = await page.textContent('li.take .take-status');
      return t && /Cannot play/.test(t) ? t : '';
    }, 10_000, 'the reason in the take row');
    assert.match(status, /cannot decode it/);
    assert.doesNotMatch(status, /Could not draw the waveform/);
    await until(() => page.isDisabled('button.play'), 5000, 'Play disabled');
    // Space (the Play key) does nothing either.
    await page.focus('body');
    await page.keyboard.press('Space');
    await post(page, { type: 'command', command: 'play' });
    await post(page, { type: 'command', command: 'reportState' });
    await new Promise(r => setTimeout(r, 300));
    assert.equal((await lastState(page))?.playing, false);
    const errors = (await postedMessages(page)).filter(p => p.m.type === 'error');
    assert.ok(errors.length >= 1, 'the host log gets the technical reason');
    await shot(page, 'player-undecodable.png');
  } finally {
    await context.close();
  }
});
