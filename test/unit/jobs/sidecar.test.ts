// The sidecar written next to every take: built, written, read back; old ones still read; garbage does not.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ResultItem } from '../../../src/core/api/types';
import { SIDECAR_VERSION, buildSidecar, readSidecar, sidecarText, type JobRecord } from '../../../src/core/jobs';
import { fileSource } from '../../../src/vscode/player/views';
import { tempDir } from '../api/helpers';

const T0 = Date.UTC(2026, 10, 25, 14, 32, 0);

const rec: JobRecord = {
  id: 'local-1',
  serverUrl: 'http://127.0.0.1:8001',
  flavour: 'S',
  title: 'Tempest of the Night',
  songPath: '/songs/tempest.song',
  outputDir: '/songs/acestep-output/tempest',
  request: { params: { prompt: 'symphonic metal', lyrics: '[Verse]\nThrough frozen wastelands', batch_size: 2, thinking: true }, files: {} },
  state: 'downloading',
  taskId: 'task-42',
  createdAt: T0,
  submittedAt: T0 + 1_000,
  serverFinishedAt: T0 + 61_000,
  warnings: ['model is not taken by this server'],
};

const raw = {
  file: '/v1/audio?path=%2Ftmp%2Fa.mp3', prompt: 'symphonic metal, choir', lyrics: '[Verse]\nThrough frozen wastelands',
  seed_value: '1234,1235', dit_model: 'acestep-v15-turbo', lm_model: 'acestep-5Hz-lm-1.7B',
  metas: { bpm: 160, duration: 30, genres: null, keyscale: 'D minor', timesignature: '4', prompt: 'symphonic metal' },
};

const item: ResultItem = {
  file: raw.file, link: raw.file, serverPath: '/tmp/a.mp3', prompt: raw.prompt, lyrics: raw.lyrics,
  metas: { bpm: 160, duration: 30, genres: null, keyscale: 'D minor', timesignature: '4', prompt: 'symphonic metal' },
  seedValue: raw.seed_value, seeds: [1234, 1235], seed: 1235, ditModel: raw.dit_model, lmModel: raw.lm_model, raw,
};

const take = { index: 1, takeNumber: 2, file: 'tempest-of-the-night_2026-11-25_1432_take2.mp3', bytes: 50_000, contentType: 'audio/mpeg', downloadedAt: T0 + 62_000 };

/** A sidecar as the code before the version field wrote it (same fields, no `version`). */
const legacy = {
  generator: 'ACE-Step Studio',
  title: 'Tempest of the Night',
  song: '/songs/tempest.song',
  take: 1,
  index: 0,
  file: 'tempest-of-the-night_2026-11-25_1432_take1.mp3',
  bytes: 50000,
  content_type: 'audio/mpeg',
  task_id: 'task-42',
  server: { url: 'http://127.0.0.1:8001', flavour: 'W' },
  request: { params: { prompt: 'symphonic metal', bpm: 160 }, files: {} },
  result: {
    caption: 'symphonic metal, choir', lyrics: null, seed: null, seeds: [], dit_model: null, lm_model: null,
    metas: { bpm: 160 }, generation_info: null, item: { prompt: 'symphonic metal, choir', seed_value: '77' },
  },
  timings: { created: '2026-11-25T14:32:00.000Z', submitted: '2026-11-25T14:32:01.000Z', finished_on_server: null, downloaded: '2026-11-25T14:33:02.000Z' },
  warnings: [],
};

describe('sidecar', () => {
  test('built with every field the player and the tests read, and a version', () => {
    const s = buildSidecar(rec, item, take);
    assert.equal(s.version, SIDECAR_VERSION);
    assert.equal(s.generator, 'ACE-Step Studio');
    assert.equal(s.title, 'Tempest of the Night');
    assert.equal(s.song, '/songs/tempest.song');
    assert.equal(s.take, 2);
    assert.equal(s.index, 1);
    assert.equal(s.file, take.file);
    assert.equal(s.bytes, 50_000);
    assert.equal(s.content_type, 'audio/mpeg');
    assert.equal(s.task_id, 'task-42');
    assert.deepEqual(s.server, { url: 'http://127.0.0.1:8001', flavour: 'S', name: null, label: 'upstream standalone API (early 2026)' });
    // A job sent to a named server (several servers) keeps the profile's name; it reads back.
    const named = buildSidecar({ ...rec, serverName: 'gpu1' }, item, take);
    assert.equal(named.server.name, 'gpu1');
    assert.equal(readSidecar(JSON.parse(sidecarText(named)))?.server.name, 'gpu1');
    assert.deepEqual(s.request, rec.request);
    assert.deepEqual(s.result, {
      caption: 'symphonic metal, choir', lyrics: raw.lyrics, seed: 1235, seeds: [1234, 1235], dit_model: 'acestep-v15-turbo',
      lm_model: 'acestep-5Hz-lm-1.7B', metas: item.metas, generation_info: null, item: raw,
    });
    assert.deepEqual(s.timings, {
      created: '2026-11-25T14:32:00.000Z', submitted: '2026-11-25T14:32:01.000Z',
      finished_on_server: '2026-11-25T14:33:01.000Z', downloaded: '2026-11-25T14:33:02.000Z',
    });
    assert.deepEqual(s.warnings, ['model is not taken by this server']);
    const bare = buildSidecar({ ...rec, songPath: undefined, taskId: undefined, flavour: undefined, submittedAt: undefined, warnings: undefined }, item, { ...take, contentType: undefined });
    assert.equal(bare.song, null);
    assert.equal(bare.task_id, null);
    assert.equal(bare.content_type, null);
    assert.equal(bare.timings.submitted, null);
    assert.deepEqual(bare.server, { url: rec.serverUrl, flavour: null, name: null, label: null });
    assert.deepEqual(bare.warnings, []);
  });

  test("an edited take's sidecar names its parent and the operation; a malformed lineage is garbage", () => {
    const lineage = { parent: { file: '/songs/out/t_take1.mp3', sidecar: '/songs/out/t_take1.json' }, operation: { kind: 'repaint', start: 40, end: 52 } };
    const s = buildSidecar({ ...rec, lineage }, item, take);
    assert.deepEqual(readSidecar(JSON.parse(sidecarText(s)))?.lineage, lineage);
    assert.equal(buildSidecar(rec, item, take).lineage, null);
    assert.equal(readSidecar({ ...JSON.parse(sidecarText(s)), lineage: { parent: 'x', operation: {} } }), undefined);
  });

  test('build → JSON → read gives the same sidecar back', () => {
    const s = buildSidecar(rec, item, take);
    const text = sidecarText(s);
    assert.ok(text.endsWith('}\n'));
    assert.deepEqual(readSidecar(JSON.parse(text)), JSON.parse(JSON.stringify(s)));
  });

  test('an old sidecar without a version field still reads, as version 1', () => {
    const s = readSidecar(JSON.parse(JSON.stringify(legacy)));
    assert.ok(s, 'read');
    assert.equal(s.version, 1);
    assert.equal(s.title, 'Tempest of the Night');
    assert.deepEqual(s.server, { url: 'http://127.0.0.1:8001', flavour: 'W', name: null, label: null });
    assert.deepEqual(s.request.params, { prompt: 'symphonic metal', bpm: 160 });
    assert.deepEqual(s.result.item, { prompt: 'symphonic metal, choir', seed_value: '77' });
    assert.deepEqual(s.result.metas, { bpm: 160 });
    assert.equal(s.timings.finished_on_server, null);
    const sparse = readSidecar({ title: 'Just a title' });
    assert.ok(sparse, 'missing fields read as empty');
    assert.deepEqual(sparse.server, { url: '', flavour: null, name: null, label: null });
    assert.deepEqual(sparse.request, { params: {}, files: {} });
    assert.deepEqual(sparse.result.seeds, []);
  });

  test('garbage is rejected cleanly (undefined, nothing thrown)', () => {
    const bad: unknown[] = [
      undefined, null, 42, 'a sidecar', [], [legacy], {},
      { ...legacy, title: 7 },
      { ...legacy, version: 2 },
      { ...legacy, version: '1' },
      { ...legacy, server: 'http://127.0.0.1:8001' },
      { ...legacy, server: { url: 8001 } },
      { ...legacy, server: { url: 'http://x', flavour: 'Q' } },
      { ...legacy, request: { params: [] } },
      { ...legacy, result: { ...legacy.result, seeds: '1,2' } },
      { ...legacy, result: { ...legacy.result, item: 'x' } },
      { ...legacy, result: { ...legacy.result, metas: { bpm: 'fast' } } },
      { ...legacy, timings: { created: 1 } },
      { ...legacy, warnings: [1] },
      { ...legacy, bytes: Infinity },
    ];
    for (const b of bad) assert.equal(readSidecar(b), undefined, JSON.stringify(b));
  });

  test('the player reads an audio file\'s sidecar through readSidecar (old and new), and ignores garbage', async t => {
    const dir = tempDir(t);
    const audio = (name: string, sidecar: string | undefined) => {
      const f = path.join(dir, `${name}.mp3`);
      writeFileSync(f, Buffer.alloc(10));
      if (sidecar !== undefined) writeFileSync(path.join(dir, `${name}.json`), sidecar);
      return f;
    };
    // The sidecar's song is believed here: it is in the workspace and the takes' folder is its output folder.
    const check = () => ({ workspaceFolders: [path.resolve('/songs')], outputTemplate: dir });
    const old = await fileSource(audio('old', JSON.stringify(legacy)), check);
    assert.equal(old.title, 'Tempest of the Night');
    assert.equal(old.server, 'http://127.0.0.1:8001');
    assert.equal(old.songPath, '/songs/tempest.song');
    assert.equal(old.takes[0].meta.caption, 'symphonic metal, choir');
    assert.equal(old.takes[0].meta.bpm, 160);
    assert.equal(old.takes[0].meta.seed, 77);
    assert.equal(old.takes[0].meta.serverKind, 'standalone API (Docker wrapper)', 'the server kind in words, not the letter');
    assert.equal(old.takes[0].sidecar, path.join(dir, 'old.json'));

    const fresh = await fileSource(audio('new', sidecarText(buildSidecar(rec, item, take))), check);
    assert.equal(fresh.title, 'Tempest of the Night');
    assert.equal(fresh.takes[0].meta.seed, 1235, "this take's own seed (the batch's second), not the batch's first");
    assert.equal(fresh.takes[0].meta.ditModel, 'acestep-v15-turbo');
    assert.equal(fresh.takes[0].meta.serverKind, 'upstream standalone API (early 2026)');

    const junk = await fileSource(audio('junk', '{"title": 5, "server": "x"}'), check);
    assert.equal(junk.title, 'junk');
    assert.equal(junk.server, '');
    assert.equal(junk.songPath, undefined);
    assert.equal(junk.takes[0].sidecar, path.join(dir, 'junk.json'), 'the file can still be opened');

    const none = await fileSource(audio('none', undefined), check);
    assert.equal(none.title, 'none');
    assert.equal(none.takes[0].sidecar, undefined);
    // Nothing is known of a file without a sidecar: shown as unknown (no seed 0, no "instrumental"), and only
    // the actions that work are offered.
    assert.deepEqual(none.takes[0].meta, { caption: '', lyrics: '', unknown: true });
    assert.deepEqual(none.takes[0].actions, ['reveal', 'copyPath', 'deleteTake']);
    assert.equal(junk.takes[0].meta.unknown, true);
    // The take was made on the Docker wrapper's API (W), which cannot transcribe: no Time the Lyrics.
    assert.deepEqual(old.takes[0].actions, ['reveal', 'copyPath', 'openSidecar', 'useSettings', 'regenerate', 'deleteTake']);
  });

  test('a sidecar naming a song that did not make the take (outside the workspace, or another folder) is not believed', async t => {
    const dir = tempDir(t);
    const f = path.join(dir, 'stray.mp3');
    writeFileSync(f, Buffer.alloc(10));
    writeFileSync(path.join(dir, 'stray.json'), JSON.stringify(legacy));
    const outside = await fileSource(f, () => ({ workspaceFolders: [path.resolve('/elsewhere')], outputTemplate: dir }));
    assert.equal(outside.songPath, undefined);
    assert.equal(outside.takes[0].songPath, undefined);
    assert.equal(outside.takes[0].claimedSong, '/songs/tempest.song');
    const otherFolder = await fileSource(f, () => ({ workspaceFolders: [path.resolve('/songs')], outputTemplate: '' }));
    assert.equal(otherFolder.takes[0].songPath, undefined, 'the take is not in acestep-output/tempest beside the song');
  });
});
