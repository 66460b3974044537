// The player's rules without a page (media/player/model.ts): loop modes, the loop region, A/B switching,
// job selection, play/end positions, rate and volume, and the state message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobView, TakeView } from '../../../src/core/player/protocol';
import { MIN_REGION, PlayerModel, clampToTake, regionFromDrag, takeDuration, type Media } from '../../../media/player/model';

function take(id: string, durationSec?: number): TakeView {
  return { id, label: id.toUpperCase(), src: `https://x/${id}.wav`, format: 'wav', sizeBytes: 1, meta: { caption: '', lyrics: '' }, ...(durationSec !== undefined ? { durationSec } : {}) };
}
const job = (id: string, ...takes: TakeView[]): JobView => ({ id, title: id, createdAt: 0, server: '', takes });
const at = (position: number, duration = 10, playing = false): Media => ({ position, duration, playing });

/** A model showing job j1 (takes a, b) with take a current at 0. */
function loaded(): PlayerModel {
  const m = new PlayerModel();
  const id = m.load([job('j1', take('a', 10), take('b', 12)), job('j2', take('c', 8))], null);
  const sel = m.selectJob(id!, null, at(0))!;
  m.activate(sel.takeIndex, sel.position, 10);
  return m;
}

test('the loop button cycles: off → the take (or the region, when there is one) → off', () => {
  const m = loaded();
  assert.equal(m.nextLoop(), 'take');
  m.setLoop(m.nextLoop(), 0);
  assert.equal(m.loop, 'take');
  assert.equal(m.mediaLoops, true, 'the <audio> element loops the whole take itself');
  assert.equal(m.nextLoop(), 'off');
  m.setLoop('off', 0);
  m.setRegion({ start: 2, end: 4 }, at(3));
  m.setLoop('off', 3);
  assert.equal(m.region !== null, true, 'turning looping off keeps the region');
  assert.equal(m.nextLoop(), 'region');
  m.setLoop(m.nextLoop(), 3);
  assert.equal(m.loop, 'region');
  assert.equal(m.mediaLoops, false, 'a region loops by jumping back, not through the element');
});

test('region looping without a region loops the take', () => {
  const m = loaded();
  assert.equal(m.setLoop('region', 0), 'take');
  assert.equal(m.loop, 'take');
});

test('a new region turns region looping on and moves the playhead into it only from outside', () => {
  const m = loaded();
  assert.equal(m.setRegion({ start: 2, end: 4 }, at(0)), 2, 'before the region: move to its start');
  assert.equal(m.loop, 'region');
  assert.deepEqual(m.region, { start: 2, end: 4 });
  assert.equal(m.setRegion({ start: 2, end: 4 }, at(3)), null, 'inside: stay');
  assert.equal(m.setRegion({ start: 2, end: 4 }, at(4)), 2, 'at its end counts as outside');
  assert.equal(m.setRegion({ start: 2, end: 4 }, at(7)), 2, 'after it: move to its start');
});

test('a region is clamped to the take, and one shorter than MIN_REGION clears it', () => {
  const m = loaded();
  m.setRegion({ start: 8, end: 30 }, at(9, 10));
  assert.deepEqual(m.region, { start: 8, end: 10 });
  m.setRegion({ start: 20, end: 30 }, at(9, 10));
  assert.equal(m.region, null, 'entirely past the end: nothing left');
  assert.equal(m.loop, 'off', 'and region looping is off');
  m.setRegion({ start: 1, end: 1 + MIN_REGION / 2 }, at(0));
  assert.equal(m.region, null);
  // While the duration is unknown nothing is clamped.
  m.setRegion({ start: 8, end: 30 }, at(9, 0));
  assert.deepEqual(m.region, { start: 8, end: 30 });
});

test('clearing the region turns region looping off, but leaves take looping alone', () => {
  const m = loaded();
  m.setRegion({ start: 2, end: 4 }, at(3));
  assert.equal(m.setRegion(null, at(3)), null);
  assert.equal(m.region, null);
  assert.equal(m.loop, 'off');
  m.setLoop('take', 3);
  m.setRegion(null, at(3));
  assert.equal(m.loop, 'take');
});

test('a dragged region: shown while dragging, too short a drag is no region', () => {
  const m = loaded();
  m.previewRegion(1, 3);
  assert.deepEqual(m.region, { start: 1, end: 3 });
  assert.equal(m.loop, 'off', 'dragging does not loop yet');
  assert.deepEqual(regionFromDrag(1, 3), { start: 1, end: 3 });
  assert.equal(regionFromDrag(1, 1 + MIN_REGION / 2), null);
  assert.deepEqual(regionFromDrag(1, 1 + MIN_REGION), { start: 1, end: 1 + MIN_REGION });
});

test('region looping jumps back once playback crosses the region end', () => {
  const m = loaded();
  m.setRegion({ start: 2, end: 4 }, at(2));
  assert.equal(m.loopJump(3, true), null);
  assert.equal(m.loopJump(3.9, true), null);
  assert.equal(m.loopJump(4.02, true), 2, 'crossed the end: back to the start');
  assert.equal(m.loopJump(2.05, true), null);
  assert.equal(m.loopJump(4.5, false), null, 'not while paused');
});

test('region looping does not pull back a playhead that was already past the region', () => {
  const m = loaded();
  m.setRegion({ start: 2, end: 4 }, at(3));
  m.seekTarget(6, 10);
  assert.equal(m.loopJump(6.1, true), null);
  m.setLoop('take', 6.1);
  m.seekTarget(3, 10);
  assert.equal(m.loopJump(4.2, true), null, 'only while looping the region');
});

test('a looped region that runs to the end of the take restarts when the take ends', () => {
  const m = loaded();
  m.setRegion({ start: 6, end: 9.95 }, at(7));
  assert.equal(m.restartAfterEnd(10), 6);
  m.setRegion({ start: 6, end: 9 }, at(7));
  assert.equal(m.restartAfterEnd(10), null, 'a region ending earlier jumps back before the end instead');
  m.setRegion({ start: 6, end: 10 }, at(7));
  m.setLoop('off', 7);
  assert.equal(m.restartAfterEnd(10), null, 'not looping: the take just ends');
});

test('play at the end starts over: at the region when looping one, else at 0', () => {
  const m = loaded();
  assert.equal(m.playFrom({ position: 3, duration: 10, ended: false }), null, 'mid-take: play on');
  assert.equal(m.playFrom({ position: 10, duration: 10, ended: false }), 0);
  assert.equal(m.playFrom({ position: 3, duration: 10, ended: true }), 0);
  assert.equal(m.playFrom({ position: 30, duration: 0, ended: false }), null, 'unknown duration: play on');
  m.setRegion({ start: 2, end: 4 }, at(3));
  assert.equal(m.playFrom({ position: 10, duration: 10, ended: true }), 2);
});

test('seeks and activation clamp to the take (only below 0 while its length is unknown)', () => {
  const m = loaded();
  assert.equal(m.seekTarget(-3, 10), 0);
  assert.equal(m.seekTarget(13, 10), 10);
  assert.equal(m.seekTarget(13, 0), 13);
  assert.equal(clampToTake(-1, 0), 0);
  assert.equal(m.activate(1, 15, 12), 12);
  assert.equal(m.active, 1);
});

test('A/B switching carries the position and play state to another take of the job', () => {
  const m = loaded();
  assert.deepEqual(m.switchTake(1, at(3.5, 10, true)), { position: 3.5, playing: true });
  assert.equal(m.switchTake(0, at(3.5)), null, 'already the current take');
  assert.equal(m.switchTake(2, at(3.5)), null, 'no third take');
  assert.equal(m.switchTake(-1, at(3.5)), null);
  assert.equal(m.indexOfTake('b'), 1);
  assert.equal(m.indexOfTake('c'), -1, 'a take of another job');
});

test('selecting a job: the same job keeps its take, position and play state; another starts fresh', () => {
  const m = loaded();
  m.activate(1, 0, 12);
  m.setRegion({ start: 2, end: 4 }, at(3));
  const same = m.selectJob('j1', null, at(5, 12, true))!;
  assert.deepEqual({ ...same, job: same.job.id }, { job: 'j1', takeIndex: 1, position: 5, playing: true, sameJob: true });
  assert.equal(m.loop, 'region', 'the same job keeps its region');
  m.activate(1, 5, 12);

  const other = m.selectJob('j2', null, at(5, 12, true))!;
  assert.deepEqual({ ...other, job: other.job.id }, { job: 'j2', takeIndex: 0, position: 0, playing: false, sameJob: false });
  assert.equal(m.region, null, 'another job drops the region');
  assert.equal(m.loop, 'off', '…and region looping');
  assert.equal(m.selectJob('nope', null, at(0)), null);
});

test('selecting a job: the asked-for take wins, an unknown one falls back to the first', () => {
  const m = loaded();
  assert.equal(m.selectJob('j1', 'b', at(0))!.takeIndex, 1);
  m.activate(1, 0, 12);
  assert.equal(m.selectJob('j1', 'zzz', at(0))!.takeIndex, 1, 'unknown: the take shown before (same job)');
  m.activate(1, 0, 12);
  m.setLoop('take', 0);
  assert.equal(m.selectJob('j2', 'zzz', at(0))!.takeIndex, 0, 'unknown in another job: the first');
  assert.equal(m.loop, 'take', 'take looping survives a job change');
});

test('load picks the asked-for job, else the one shown, else the first; none without jobs', () => {
  const m = loaded();
  const jobs = [job('j0', take('z')), job('j1', take('a')), job('j2', take('c'))];
  assert.equal(m.load(jobs, 'j2'), 'j2');
  assert.equal(m.load(jobs, 'gone'), 'j1', 'the job shown');
  assert.equal(m.load([job('j3', take('d'))], null), 'j3', 'the first');
  assert.equal(m.load([], 'j1'), null);
  assert.equal(m.job, null);
  assert.equal(m.active, -1);
  assert.equal(m.take, undefined);
});

test('rate: 0.5–2 only; the picker shows 1 for a rate it does not offer', () => {
  const m = new PlayerModel({ rate: 1.1 });
  assert.equal(m.pickerRate, 1);
  assert.equal(m.setRate(3), false);
  assert.equal(m.setRate(Number.NaN), false);
  assert.equal(m.rate, 1.1);
  assert.equal(m.setRate(1.5), true);
  assert.equal(m.pickerRate, 1.5);
});

test('volume is clamped to 0..1; saved settings come back in', () => {
  const m = new PlayerModel({ volume: 0.3, muted: true });
  assert.deepEqual(m.settings, { volume: 0.3, muted: true, rate: 1 });
  m.setVolume(7);
  assert.equal(m.volume, 1);
  m.setVolume(-1);
  assert.equal(m.volume, 0);
  m.setMuted(false);
  assert.deepEqual(new PlayerModel().settings, { volume: 1, muted: false, rate: 1 });
});

test('a take lasts what the media says once known, else what the host said', () => {
  const t = take('a', 4);
  assert.equal(takeDuration(t, 4.25), 4.25);
  assert.equal(takeDuration(t, Number.NaN), 4);
  assert.equal(takeDuration({ ...take('b'), meta: { caption: '', lyrics: '', duration: 30 } }, 0), 30);
  assert.equal(takeDuration(take('c'), Number.POSITIVE_INFINITY), 0);
});

test('the state message rounds times to milliseconds', () => {
  const m = loaded();
  m.setRegion({ start: 1.23456, end: 2.34567 }, at(1.5));
  assert.deepEqual(m.state('seek', { takeId: 'a', position: 1.50049, duration: 10.0004, playing: true, drawn: true }), {
    jobId: 'j1', takeId: 'a', currentTime: 1.5, duration: 10, playing: true, drawn: true, loop: 'region',
    region: { start: 1.235, end: 2.346 }, rate: 1, volume: 1, muted: false, reason: 'seek',
  });
});
