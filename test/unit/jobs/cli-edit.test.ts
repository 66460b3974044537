import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { run as edit, operationOf, parseRange } from '../../../src/cli/edit';
import { run as generate } from '../../../src/cli/generate';
import { cliIO as io } from './cli-io';
import { fake, tempDir } from '../api/helpers';

const SONG = ['---', 'title: Tempest', 'caption: symphonic metal, choir', 'duration: 60', 'bpm: 160', 'audio_format: wav', '---', '[Verse]', 'Through frozen wastelands we march on', ''].join('\n');

/** A take made by `generate` (with its sidecar), on this server. */
async function takeOn(dir: string, url: string): Promise<string> {
  writeFileSync(path.join(dir, 'tempest.song'), SONG);
  const r = io(dir);
  assert.equal(await generate(['tempest.song', '--server', url, '--json'], r.cli), 0, r.err.join('\n'));
  return JSON.parse(r.out.join('\n')).files[0];
}

describe('acestep-song edit', () => {
  for (const flavour of ['W', 'U'] as const) {
    test(`${flavour}: repaint a range with new lyrics; the take is uploaded, its settings carry over, the sidecar names the parent`, async t => {
      const dir = tempDir(t);
      const server = await fake(t, { flavour, generationMs: 200 });
      const take = await takeOn(dir, server.url);
      writeFileSync(path.join(dir, 'new.txt'), '[Verse]\r\nnew words here\r\n');
      const r = io(dir);
      const code = await edit([path.relative(dir, take), '--repaint', '40-52', '--lyrics', 'new.txt', '--server', server.url, '--json'], r.cli);
      assert.equal(code, 0, r.err.join('\n'));
      const res = JSON.parse(r.out.join('\n'));
      assert.equal(res.files.length, 1);
      const sent = server.jobs[1]!;
      assert.equal(sent.params.task_type, 'repaint');
      assert.equal(Number(sent.params.repainting_start), 40);
      assert.equal(Number(sent.params.repainting_end), 52);
      // The lyrics file's CRLF is read as LF; multipart's own CRLF is item 3's (byte-exact text) and tested there.
      assert.equal(String(sent.params.lyrics).replace(/\r\n/g, '\n'), '[Verse]\nnew words here');
      assert.equal(Number(sent.params.bpm), 160, 'the take\'s settings carry over');
      assert.ok(Object.keys(sent.uploads).length === 1, 'the take is uploaded as the source');
      assert.deepEqual(Object.values(sent.uploads)[0]!.data, readFileSync(take));
      const side = JSON.parse(readFileSync(res.sidecars[0], 'utf8'));
      assert.equal(side.lineage.parent.file, take);
      assert.equal(side.lineage.operation.kind, 'repaint');
      assert.equal(path.dirname(res.files[0]), path.dirname(take), 'the new take goes beside its source (the song\'s output folder)');
      assert.match(side.title, /Tempest \(repaint 40–52 s\)/);
    });

    test(`${flavour}: extract a stem sends the instruction ACE-Step's UI fills; extend after the end uses the take's length`, async t => {
      const dir = tempDir(t);
      const server = await fake(t, { flavour, generationMs: 100 });
      const take = await takeOn(dir, server.url);
      const r = io(dir);
      assert.equal(await edit([take, '--extract', 'Vocals', '--server', server.url], r.cli), 0, r.err.join('\n'));
      assert.equal(server.jobs[1]!.params.task_type, 'extract');
      assert.equal(server.jobs[1]!.params.instruction, 'Extract the VOCALS track from the audio:');
      const e = io(dir);
      assert.equal(await edit([take, '--extend', '30', '--server', server.url], e.cli), 0, e.err.join('\n'));
      const ext = server.jobs[2]!.params;
      assert.equal(ext.task_type, 'repaint');
      assert.ok(Number(ext.repainting_start) > 0);
      assert.ok(Math.abs(Number(ext.repainting_end) - Number(ext.repainting_start) - 30) < 1e-6);
    });
  }

  test('usage errors exit 2 before anything is sent', async t => {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, 'a.wav'), 'x');
    for (const args of [[], ['a.wav'], ['a.wav', '--repaint', '52-40'], ['a.wav', '--extract', 'vocal', '--add', 'bass'],
      ['missing.wav', '--extract', 'vocals'], ['a.wav', '--extract', 'voxals'], ['a.wav', '--strength', '0.3', '--add', 'bass']]) {
      const r = io(dir);
      assert.equal(await edit(args, r.cli), 2, args.join(' '));
    }
    const r = io(dir);
    await edit(['a.wav', '--extract', 'voxals'], r.cli);
    assert.match(r.err.join('\n'), /did you mean vocals/);
    const h = io(dir);
    assert.equal(await edit(['--help'], h.cli), 0);
    assert.match(h.out.join('\n'), /example:/);
  });

  test('operations from the options', () => {
    assert.deepEqual(parseRange('1:05-1:20'), { start: 65, end: 80 });
    assert.equal(parseRange('50-40'), null);
    assert.deepEqual(operationOf({ 'extend-before': '10' }), { kind: 'extend', before: 10, after: 0 });
    assert.deepEqual(operationOf({ restyle: 'lofi', strength: '0.3' }), { kind: 'restyle', caption: 'lofi', strength: 0.3 });
    assert.deepEqual(operationOf({ complete: 'drums, backing vocals' }), { kind: 'complete', tracks: ['drums', 'backing_vocals'] });
    assert.match(String(operationOf({ complete: 'drums,bas' })), /did you mean bass/);
  });
});
