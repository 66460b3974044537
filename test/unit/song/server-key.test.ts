// `server:` in a song: a profile to render on, read as a parameter, never sent, checked against the profiles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintSong, parseSong } from '../../../src/core/song';
import { toReleaseRequest } from '../../../src/core/song/request';

const SONG = ['---', 'title: Pinned', 'caption: lo-fi', 'server: gpu1', '---', '[Verse]', 'la la', ''].join('\n');

test('server: is read, never sent, and warned about only when the profiles are known and it names none', () => {
  const parsed = parseSong(SONG);
  assert.equal(parsed.params.server, 'gpu1');
  assert.equal('server' in toReleaseRequest(parsed, { baseDir: '/' }).params, false);
  const codes = (profiles?: string[]) => lintSong(parsed, profiles ? { serverProfiles: profiles } : {}).map(d => d.code);
  assert.ok(!codes().includes('unknown-key') && !codes().includes('unknown-server'));
  assert.ok(!codes(['default', 'GPU1']).includes('unknown-server'));
  const d = lintSong(parsed, { serverProfiles: ['default', 'gpu0'] }).find(x => x.code === 'unknown-server');
  assert.equal(d?.severity, 'warning');
  assert.match(d!.message, /No server profile is named "gpu1" \(there are: default, gpu0\)/);
});
