// Lyrics timing in the player (issue 13, item 8): the host's `lyricsTiming` lines show under the take, the line
// being sung lights up as the take plays, and clicking a line seeks there. Real Chromium, the real page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { writeWav } from '../../src/core/player/wav';
import { lastState, openPlayer, post, startHarness, until, waitForPosted, type Harness } from './harness';

let h: Harness;

before(async () => {
  h = await startHarness();
  await writeWav(path.join(h.audioDir, 'sung.wav'), { durationSec: 6, sampleRate: 22050, channels: 1, signal: 'sine', frequency: 220, amplitude: 0.4 });
});

after(async () => { await h?.close(); });

test('timed lyrics: the sung line is highlighted, and a click on a line seeks to it', async () => {
  const { page, context } = await openPlayer(h);
  try {
    const take = { id: 't1', label: 'Take', src: h.audioUrl('sung.wav'), format: 'wav', sizeBytes: 264_644, meta: { caption: 'folk', lyrics: 'one\ntwo\nthree' } };
    await post(page, { type: 'load', selectedJobId: 'j', selectedTake: 't1', jobs: [{ id: 'j', title: 'Sung', createdAt: Date.UTC(2025, 5, 1), server: '', takes: [take] }] });
    await waitForPosted(page, m => m.type === 'state' && m.state.drawn, 10_000, 'drawn');
    // A seek needs the audio's length: wait until the page knows it.
    await until(async () => {
      await post(page, { type: 'command', command: 'reportState' });
      return ((await lastState(page))?.duration ?? 0) > 0;
    }, 10_000, 'the take\'s length');
    await post(page, { type: 'lyricsTiming', takeId: 't1', lines: [
      { start: 0, end: 2, text: 'first line' }, { start: 2, end: 4, text: 'second line' }, { start: 4, end: 6, text: 'third line' },
    ] });
    await until(async () => (await page.locator('.karaoke li').count()) === 3, 5_000, 'three timed lines');
    assert.deepEqual(await page.locator('.karaoke li').allTextContents(), ['first line', 'second line', 'third line']);

    await page.locator('.karaoke li', { hasText: 'third line' }).locator('button').click();
    const seeked = await waitForPosted(page, m => m.type === 'state' && m.state.reason === 'seek' && m.state.currentTime >= 3.9, 5_000, 'a seek to the third line');
    const position = seeked.m.type === 'state' ? seeked.m.state.currentTime : NaN;
    assert.ok(position < 4.5, `position ${position}`);
    await until(async () => (await page.locator('.karaoke li.sung').textContent()) === 'third line', 5_000, 'the third line lit');
    assert.equal(await page.locator('.karaoke li[aria-current="true"]').count(), 1, 'exactly one line is the current one');

    await page.locator('.karaoke li', { hasText: 'first line' }).locator('button').click();
    await until(async () => (await page.locator('.karaoke li.sung').textContent()) === 'first line', 5_000, 'the first line lit after seeking back');
  } finally {
    await context.close();
  }
});
