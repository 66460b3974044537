import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { dispatchInputOf, longestFirst, outputDirFor, planJob, replanJob, songTitle } from '../../../src/core/jobs/plan';
import { parseSong } from '../../../src/core/song';

const SONG = '---\ntitle: Tempest of the Night\ncaption: symphonic metal\nbpm: 160\nsrc_audio: ../stems/intro.wav\n---\n[Verse 1]\nThrough frozen wastelands\n';
const UNTITLED = '---\ncaption: lo-fi beat\n---\n[Verse]\nla la\n';
const songs = path.resolve('/music', 'songs');
const songPath = path.join(songs, 'tempest.song');
const url = 'http://localhost:8501';

describe('planJob', () => {
  test('a song file: its title, <song dir>/acestep-output/<song name>/, files from the song\'s folder', () => {
    const plan = planJob({ song: parseSong(SONG), songPath, serverUrl: url });
    assert.equal(plan.title, 'Tempest of the Night');
    assert.equal(plan.outputDir, path.join(songs, 'acestep-output', 'tempest'));
    assert.equal(plan.songPath, songPath);
    assert.equal(plan.serverUrl, url);
    assert.equal(plan.request.params.bpm, 160);
    assert.equal(plan.request.params.batch_size, 1);
    assert.equal(plan.request.params.audio_format, 'mp3');
    assert.equal(plan.request.files.src_audio, path.resolve(songs, '../stems/intro.wav'));
  });

  test('the settings give the batch size, the format and the folder; the song\'s own values win', () => {
    const plan = planJob({ song: parseSong(UNTITLED), songPath, serverUrl: url, settings: { batchSize: 3, audioFormat: 'wav', outputDirectory: 'takes/${songName}' } });
    assert.equal(plan.request.params.batch_size, 3);
    assert.equal(plan.request.params.audio_format, 'wav');
    assert.equal(plan.outputDir, path.join(songs, 'takes', 'tempest'));
    const own = planJob({ song: parseSong(SONG.replace('bpm: 160', 'bpm: 160\nbatch_size: 2')), songPath, serverUrl: url, settings: { batchSize: 3 } });
    assert.equal(own.request.params.batch_size, 2);
  });

  test('typed overrides go over the song', () => {
    const plan = planJob({ song: parseSong(SONG), songPath, serverUrl: url, overrides: { thinking: false, batch_size: 2, audio_format: 'flac' } });
    assert.equal(plan.request.params.thinking, false);
    assert.equal(plan.request.params.batch_size, 2);
    assert.equal(plan.request.params.audio_format, 'flac');
  });

  test('without a title the file name is the title; an unsaved song is "untitled song"', () => {
    assert.equal(planJob({ song: parseSong(UNTITLED), songPath, serverUrl: url }).title, 'tempest');
    assert.equal(songTitle(parseSong(UNTITLED)), undefined);
    const unsaved = planJob({ song: parseSong(UNTITLED), serverUrl: url, workspaceFolder: path.resolve('/ws') });
    assert.equal(unsaved.title, 'untitled song');
    assert.equal(unsaved.songPath, undefined);
    assert.equal(unsaved.outputDir, path.join(path.resolve('/ws'), 'acestep-output', 'untitled-song'));
  });

  test('an unsaved song without a workspace folder goes to ./acestep-output/<slug> of cwd', () => {
    const plan = planJob({ song: parseSong(SONG), serverUrl: url, cwd: path.resolve('/tmp/here') });
    assert.equal(plan.outputDir, path.resolve('/tmp/here', 'acestep-output', 'tempest-of-the-night'));
  });

  test('an explicit folder (the CLI\'s --out) wins over the setting, relative to cwd', () => {
    const plan = planJob({ song: parseSong(SONG), songPath, serverUrl: url, cwd: path.resolve('/cwd'), outputDir: 'takes', settings: { outputDirectory: '/elsewhere' } });
    assert.equal(plan.outputDir, path.resolve('/cwd', 'takes'));
  });

  test('replanJob: the same job with overrides on top, nothing shared with the old request', () => {
    const first = planJob({ song: parseSong(SONG), songPath, serverUrl: url });
    const again = replanJob(first, { thinking: false });
    assert.equal(again.request.params.thinking, false);
    assert.equal(first.request.params.thinking, undefined);
    assert.deepEqual({ ...again, request: undefined }, { ...first, request: undefined });
    assert.notEqual(again.request.files, first.request.files);
  });
});

describe('outputDirFor: the acestep.outputDirectory template', () => {
  const ws = path.resolve('/ws');
  test('empty: acestep-output/<song name> beside the song', () => {
    assert.equal(outputDirFor('', { songPath, title: 'x', workspaceFolder: ws }), path.join(songs, 'acestep-output', 'tempest'));
  });
  test('${songDir}, ${songName} and ${workspaceFolder} are filled in', () => {
    assert.equal(outputDirFor('${workspaceFolder}/renders/${songName}', { songPath, title: 'x', workspaceFolder: ws }), path.join(ws, 'renders', 'tempest'));
    assert.equal(outputDirFor('${songDir}/out', { songPath, title: 'x' }), path.join(songs, 'out'));
  });
  test('relative: from the song\'s folder; absolute: as written', () => {
    assert.equal(outputDirFor('out', { songPath, title: 'x' }), path.join(songs, 'out'));
    assert.equal(outputDirFor(path.resolve('/abs/takes'), { songPath, title: 'x' }), path.resolve('/abs/takes'));
  });
  test('a song that is not a file: the workspace folder, and the title as its name', () => {
    assert.equal(outputDirFor('${songName}', { title: 'My Song!', workspaceFolder: ws }), path.join(ws, 'my-song-'));
  });
});

describe('plan: a song for the dispatcher', () => {
  test('no server yet, its size from duration or the lyrics estimate, the server it names', () => {
    const song = (front: string) => parseSong(`---\ntitle: T\n${front}---\n[Verse]\nla la la la la la\nla la la la la la\n`);
    const a = dispatchInputOf(planJob({ song: song('duration: 95\nserver: gpu1\n'), songPath: '/w/a.song', serverUrl: 'http://x' }), song('duration: 95\nserver: gpu1\n'));
    assert.equal('serverUrl' in a, false);
    assert.equal(a.audioSeconds, 95);
    assert.equal(a.pin, 'gpu1');
    const b = dispatchInputOf(planJob({ song: song(''), songPath: '/w/b.song', serverUrl: 'http://x' }), song(''));
    assert.ok(b.audioSeconds >= 10 && b.audioSeconds <= 600, String(b.audioSeconds));
    assert.equal('pin' in b, false);
    assert.deepEqual(longestFirst([{ s: 30 }, { s: 200 }, { s: 90 }], x => x.s).map(x => x.s), [200, 90, 30]);
  });
});
