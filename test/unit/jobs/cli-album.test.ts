// "Done means", the CLI half: `acestep-song generate songs/*.song --servers gpu0,gpu1` with two test servers as two
// profiles of a workspace's .vscode/settings.json; one server is killed halfway. Its songs that never started are
// reported as stranded (not lost) with the command that renders them; every take on disk names its server in its
// sidecar; the exit code says not every song made it; the summary lists them all.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { run as generate } from '../../../src/cli/generate';
import type { AlbumDeps } from '../../../src/cli/album';
import { timedByDuration } from '../../server/fake-acestep';
import { fake, tempDir, until } from '../api/helpers';
import { cliIO } from './cli-io';

const FAST: AlbumDeps = {
  manager: {
    polling: { earlyMs: 40, earlyPhaseMs: 10_000, nearEndMs: 40, nearWindowMinMs: 200, midMinMs: 40, midMaxMs: 100, midMaxWithProgressMs: 100, maxPerSecond: 50, minGapMs: 20, failureBackoffMs: 40, failureBackoffMaxMs: 100 },
    deadline: { minMs: 3_000, multiple: 0.2, aliveWindowMs: 1_000 },
  },
  dispatcher: { probeIntervalMs: 50, deadAfterMs: 300, changeEveryMs: 10 },
};

function workspace(t: import('node:test').TestContext, urls: [string, string]): { dir: string; songs: string[] } {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, '.vscode'));
  // JSONC as VS Code writes it: comments and a trailing comma.
  writeFileSync(path.join(dir, '.vscode', 'settings.json'), `{
  // two GPUs
  "acestep.servers": [
    { "name": "gpu0", "url": "${urls[0]}" },
    { "name": "gpu1", "url": "${urls[1]}" }, /* the slower one */
  ],
}
`);
  mkdirSync(path.join(dir, 'songs'));
  const songs = readdirSync('examples').filter(f => f.endsWith('.song')).sort();
  for (const f of songs) copyFileSync(path.join('examples', f), path.join(dir, 'songs', f));
  return { dir, songs: songs.map(f => path.join('songs', f)) };
}

describe('acestep-song generate: an album over two servers', () => {
  test('one server killed halfway: its unstarted songs are stranded and listed, every take names its server, exit 1', async t => {
    const a = await fake(t, { flavour: 'S', generationMs: timedByDuration(4), audioBytes: 4096 });
    const b = await fake(t, { flavour: 'S', generationMs: timedByDuration(6), audioBytes: 4096 });
    const { dir, songs } = workspace(t, [a.url, b.url]);
    const io = cliIO(dir, {});
    const running = generate([...songs, '--servers', 'gpu0,gpu1'], io.cli, FAST);
    // Halfway: gpu1 has done a job and has one of ours waiting behind its running one.
    await until('gpu1 busy with one waiting', () => b.jobs.some(j => b.jobState(j.id) === 'succeeded') && b.jobs.some(j => b.jobState(j.id) === 'queued'), 15_000);
    await b.close();
    const code = await running;
    const err = io.err.join('\n');
    assert.equal(code, 1, err);
    // The summary lists every song; the stranded ones are reported, with the command that renders them on gpu0.
    const table = err.slice(err.indexOf('song  '));
    for (const f of songs) {
      const title = readFileSync(path.join(dir, f), 'utf8').match(/^title: (.*)$/m)![1]!;
      assert.ok(table.includes(title), `${title} in the summary:\n${err}`);
    }
    assert.match(err, /gpu1\s+stranded/);
    assert.match(err, /gpu1 stopped answering before the job started/);
    assert.match(err, /song\(s\) were not rendered \(stranded, not lost\)/);
    assert.match(err, /acestep-song generate songs\/\S+\.song.* --servers gpu0/);
    assert.match(err, /gpu0\s+succeeded/);
    // Every take on disk, with the server that made it in its sidecar.
    const takes = io.out.filter(l => l.trim());
    assert.ok(takes.length >= 2, io.out.join('\n'));
    const by = new Map<string, number>();
    for (const take of takes) {
      const side = JSON.parse(readFileSync(take.replace(/\.\w+$/, '.json'), 'utf8'));
      assert.ok(side.server.name === 'gpu0' || side.server.name === 'gpu1');
      assert.equal(side.server.url, side.server.name === 'gpu0' ? a.url : b.url);
      by.set(side.server.name, (by.get(side.server.name) ?? 0) + 1);
    }
    assert.ok(by.get('gpu0')! >= 1 && by.get('gpu1')! >= 1, JSON.stringify([...by]));
    // Plain lines (no TTY): each song's progress as it changes, and the server going down.
    assert.match(err, /acestep-song generate: gpu1 \(http:\/\/127\.0\.0\.1:\d+\) not answering/);
  });

  test('--move-stranded: the stranded songs go to the other server and finish there', async t => {
    const a = await fake(t, { flavour: 'S', generationMs: timedByDuration(3), audioBytes: 4096 });
    const b = await fake(t, { flavour: 'S', generationMs: timedByDuration(5), audioBytes: 4096 });
    const { dir, songs } = workspace(t, [a.url, b.url]);
    const io = cliIO(dir, {});
    const running = generate([...songs, '--all-servers', '--move-stranded', '--json'], io.cli, FAST);
    await until('gpu1 busy with one waiting', () => b.jobs.some(j => b.jobState(j.id) === 'queued'), 15_000);
    await b.close();
    await running;
    const rows = JSON.parse(io.out.join('\n')) as { server: string; state: string; sidecars: string[] }[];
    assert.equal(rows.length, songs.length);
    assert.match(io.err.join('\n'), /moving \d+ stranded song\(s\) to the other servers/);
    // Only the song running on gpu1 when it died may be missing; every other one made it.
    assert.ok(rows.filter(r => r.state !== 'succeeded').length <= 1, JSON.stringify(rows, null, 1));
    assert.ok(rows.filter(r => r.state === 'succeeded').every(r => r.sidecars.length >= 1));
    assert.equal(rows.filter(r => r.state === 'stranded').length, 0);
  });

  test('usage and lint errors: exit 2, nothing sent', async t => {
    const a = await fake(t, { flavour: 'S', generationMs: 50 });
    const { dir, songs } = workspace(t, [a.url, a.url.replace(/:(\d+)$/, ':1')]);
    const unknown = cliIO(dir, {});
    assert.equal(await generate([...songs, '--servers', 'gpu0,gpu9'], unknown.cli, FAST), 2);
    assert.match(unknown.err.join('\n'), /"gpu9" is neither a server profile nor an http\(s\) URL/);
    writeFileSync(path.join(dir, 'songs', 'broken.song'), '---\ntitle: Broken\nbpm: 999\n---\n[Verse]\nla\n');
    const lint = cliIO(dir, {});
    assert.equal(await generate(['songs/broken.song', songs[0]!, '--servers', 'gpu0'], lint.cli, FAST), 2);
    assert.match(lint.err.join('\n'), /broken\.song:3:\d+ error/);
    assert.match(lint.err.join('\n'), /nothing was sent/);
    assert.equal(a.jobs.length, 0);
  });
});
