// The player's edit bar and the song's sections on the waveform, in headless Chromium with the stand-in host:
// a dragged region → "Repaint Region…" posts an edit of the take with that region; the other edits post their
// kind; the sections are drawn at their times, a click selects a section's range, a dragged boundary is posted.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { computeWavPeaks } from '../../src/core/player/peaks';
import { parseFromWebview, type FromWebview, type SectionMark, type ToWebview } from '../../src/core/player/protocol';
import { writeWav } from '../../src/core/player/wav';
import { lastState, openPlayer, pageErrors, post, postedMessages, ROOT, startHarness, until, waitForPosted, type Harness } from './harness';

let h: Harness;
let peaks: number[] = [];
const SECONDS = 20;
const SECTIONS: SectionMark[] = [{ name: 'Intro', start: 0, end: 4 }, { name: 'Verse 1', start: 4, end: 12 }, { name: 'Chorus', start: 12, end: 20 }];

before(async () => {
  h = await startHarness();
  const file = path.join(h.audioDir, 'song.wav');
  await writeWav(file, { durationSec: SECONDS, sampleRate: 16000, channels: 1, signal: 'music', frequency: 220, amplitude: 0.8 });
  peaks = (await computeWavPeaks(file))!.peaks;
});
after(async () => { await h?.close(); });

function load(sections: SectionMark[] | null): ToWebview {
  return {
    type: 'load', selectedJobId: 'job', selectedTake: 'a',
    jobs: [{ id: 'job', title: 'Harbour Lights', createdAt: Date.UTC(2025, 5, 1), server: 'local', takes: [{
      id: 'a', label: 'Take', src: h.audioUrl('song.wav'), durationSec: SECONDS, format: 'wav', sizeBytes: 640_044, peaks,
      meta: { caption: 'warm folk', lyrics: '[Intro]\n\n[Verse 1]\nLights along the harbour\n\n[Chorus]\nHold the night' },
      ...(sections ? { sections } : {}),
    }] }],
  };
}

async function loaded(sections: SectionMark[] | null = SECTIONS): Promise<Page> {
  const { page } = await openPlayer(h, { width: 1000 });
  await post(page, load(sections));
  await waitForPosted(page, m => m.type === 'state' && m.state.takeId === 'a' && m.state.drawn, 15_000, 'the take drawn');
  await until(async () => (await lastState(page))?.duration, 10_000, 'the duration');
  return page;
}

async function finish(page: Page): Promise<void> {
  try {
    for (const p of await postedMessages(page)) assert.ok(parseFromWebview(p.m), `invalid message: ${JSON.stringify(p.m).slice(0, 300)}`);
    assert.deepEqual(pageErrors(page), []);
  } finally {
    await page.context().close();
  }
}

const posted = async (page: Page, type: FromWebview['type']) => (await postedMessages(page)).map(p => p.m).filter(m => m.type === type);

test('a dragged region and "Repaint Region…" post an edit of the take with that region; the other edits post their kind', async () => {
  const page = await loaded();
  try {
    assert.equal(await page.isDisabled('button[data-edit="repaint"]'), true, 'no region yet: Repaint is disabled');
    assert.match(await page.textContent('.edit-hint') ?? '', /Select a region/);
    const box = (await page.locator('li.take canvas.wave').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.25, box.y + 4);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + 4, { steps: 4 });
    await page.mouse.up();
    const region = await until(async () => (await lastState(page))?.region, 3000, 'a region');
    assert.ok(Math.abs(region.start - 5) < 0.2 && Math.abs(region.end - 10) < 0.2, JSON.stringify(region));
    await page.click('button[data-edit="repaint"]');
    const edit = await waitForPosted(page, m => m.type === 'edit', 3000, 'the edit message');
    assert.deepEqual(edit.m, { type: 'edit', takeId: 'a', edit: { kind: 'repaint', start: region.start, end: region.end } });
    for (const kind of ['extend', 'restyle', 'add', 'extract', 'complete']) {
      await page.click(`button[data-edit="${kind}"]`);
      await until(async () => (await posted(page, 'edit')).some(m => m.type === 'edit' && m.edit.kind === kind), 3000, `the ${kind} message`);
    }
    const kinds = (await posted(page, 'edit')).map(m => m.type === 'edit' && m.edit);
    assert.deepEqual(kinds.slice(1), ['extend', 'restyle', 'add', 'extract', 'complete'].map(kind => ({ kind })), 'only the repaint carries a region');
  } finally {
    await finish(page);
  }
});

test('the sections are drawn at their times, a click selects a section, a dragged boundary is posted', async () => {
  const page = await loaded();
  try {
    const wave = (await page.locator('li.take canvas.wave').boundingBox())!;
    const boxes = await page.locator('li.take .section').evaluateAll(els => els.map(e => { const r = e.getBoundingClientRect(); return { x: r.x, w: r.width, text: e.textContent }; }));
    assert.deepEqual(boxes.map(b => b.text), ['Intro', 'Verse 1', 'Chorus']);
    SECTIONS.forEach((s, i) => {
      assert.ok(Math.abs(boxes[i].x - (wave.x + (s.start / SECONDS) * wave.width)) < 3, `${s.name} starts at ${s.start} s: ${boxes[i].x}`);
      assert.ok(Math.abs(boxes[i].w - ((s.end - s.start) / SECONDS) * wave.width) < 3, `${s.name} is ${s.end - s.start} s wide`);
    });

    // A click on "Verse 1" selects 4–12 s (and moves there).
    await page.click('li.take .section:nth-of-type(2)');
    const region = await until(async () => (await lastState(page))?.region, 3000, 'the section region');
    assert.deepEqual(region, { start: 4, end: 12 });
    assert.equal(await page.isDisabled('button[data-edit="repaint"]'), false);

    mkdirSync(path.join(ROOT, 'out', 'screenshots'), { recursive: true });
    writeFileSync(path.join(ROOT, 'out', 'screenshots', 'player-sections.png'), await page.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide' }));

    // Drag the boundary between Verse 1 and Chorus from 12 s to 15 s.
    const handle = (await page.locator('li.take .section-handle').nth(1).boundingBox())!;
    const y = handle.y + handle.height / 2;
    await page.mouse.move(handle.x + handle.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(wave.x + wave.width * 0.75, y, { steps: 5 });
    await page.mouse.up();
    const moved = await waitForPosted(page, m => m.type === 'sections', 3000, 'the moved sections');
    assert.ok(moved.m.type === 'sections');
    const [intro, verse, chorus] = moved.m.sections;
    assert.deepEqual(intro, SECTIONS[0]);
    assert.ok(Math.abs(verse.end - 15) < 0.1 && verse.end === chorus.start && chorus.end === 20, JSON.stringify(moved.m.sections));
    const verseBox = (await page.locator('li.take .section').nth(1).boundingBox())!;
    assert.ok(Math.abs(verseBox.width - (verse.end - 4) / SECONDS * wave.width) < 3, 'redrawn at the new boundary');

    // The keyboard moves a boundary too (0.5 s a press), and never past its neighbour.
    await page.focus('li.take .section-handle >> nth=0');
    await page.keyboard.press('ArrowRight');
    const keyed = await until(async () => { const all = await posted(page, 'sections'); return all.length === 2 && all[1]; }, 3000, 'a keyed move');
    assert.ok(keyed.type === 'sections' && keyed.sections[0].end === 4.5 && keyed.sections[1].start === 4.5);
    assert.equal((await lastState(page))?.currentTime !== undefined, true);
  } finally {
    await finish(page);
  }
});

test('a take without sections shows no section lane', async () => {
  const page = await loaded(null);
  try {
    assert.equal(await page.isHidden('li.take .sections'), true);
  } finally {
    await finish(page);
  }
});
