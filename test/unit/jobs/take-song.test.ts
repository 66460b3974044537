import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { takeSong } from '../../../src/core/jobs/take-song';

const ws = path.resolve('/ws');
const song = path.join(ws, 'songs', 'night.song');
const take = (dir: string) => path.join(dir, 'night_take1.mp3');
const base = { workspaceFolders: [ws], outputTemplate: '', workspaceFolder: ws };

test('a sidecar is believed when its song is in the workspace and the take is in that song\'s output folder', () => {
  const r = takeSong({ ...base, takeFile: take(path.join(ws, 'songs', 'acestep-output', 'night')), claimed: song });
  assert.deepEqual(r, { trusted: true, songPath: song });
  // The output folder follows the setting as it is now.
  const custom = takeSong({ ...base, outputTemplate: '${workspaceFolder}/renders/${songName}', takeFile: take(path.join(ws, 'renders', 'night')), claimed: song });
  assert.equal(custom.trusted, true);
});

test('a sidecar naming a song outside the workspace, another song, or a relative path is not believed', () => {
  const outside = path.resolve('/home/someone/other.song');
  assert.deepEqual(takeSong({ ...base, takeFile: take(path.join(ws, 'songs', 'acestep-output', 'night')), claimed: outside }),
    { trusted: false, reason: 'outside-workspace', claimed: outside });
  // Inside the workspace, but this take was not made by it (it sits in another song's output folder).
  const other = path.join(ws, 'songs', 'day.song');
  assert.equal(takeSong({ ...base, takeFile: take(path.join(ws, 'songs', 'acestep-output', 'night')), claimed: other }).trusted, false);
  assert.equal((takeSong({ ...base, takeFile: take(path.join(ws, 'downloads')), claimed: song }) as { reason: string }).reason, 'other-folder');
  // A path that climbs out of the workspace, a file that is not a song, a relative path, nothing at all.
  assert.equal(takeSong({ ...base, takeFile: take(ws), claimed: path.join(ws, '..', 'x.song') }).trusted, false);
  assert.equal(takeSong({ ...base, takeFile: take(path.join(ws, 'acestep-output', '.bashrc')), claimed: path.join(ws, '.bashrc') }).trusted, false);
  assert.equal((takeSong({ ...base, takeFile: take(ws), claimed: 'songs/night.song' }) as { reason: string }).reason, 'not-absolute');
  assert.equal((takeSong({ ...base, takeFile: take(ws), claimed: undefined }) as { reason: string }).reason, 'none');
  // No workspace: nothing is believed.
  assert.equal(takeSong({ ...base, workspaceFolders: [], takeFile: take(path.join(ws, 'songs', 'acestep-output', 'night')), claimed: song }).trusted, false);
});
