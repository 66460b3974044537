// A hostile server against the CLI (issue 12, cases 8, 9 and 10): it echoes the API key back and puts terminal
// escapes in every text it sends. Nothing of it may reach the terminal, the --json output or the sidecars raw.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { run as generate } from '../../../src/cli/generate';
import { run as status } from '../../../src/cli/status';
import { cliIO as io } from './cli-io';
import { fake, listFiles, tempDir } from '../api/helpers';

const KEY = 'sk-hostile-secret-4711';
const SONG = [
  '---',
  'title: Echo Chamber',
  'caption: dark ambient',
  'duration: 30',
  'batch_size: 1',
  '---',
  '[Verse]',
  'first line\tand a tab',
  'second line',
  '',
].join('\n');


/** Every control character a terminal acts on (tab and line feed are text). */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

function sidecarsOf(dir: string): string[] {
  return listFiles(dir).filter(f => f.endsWith('.json')).map(f => readFileSync(path.join(dir, f), 'utf8'));
}

describe('a hostile server and the CLI', () => {
  test('case 8: a failed job whose error text echoes the key: the key is printed nowhere, not in --json', async t => {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, 'echo.song'), SONG);
    const server = await fake(t, { flavour: 'W', generationMs: 100, apiKey: KEY, failNext: true, hostile: ['echo-key'] });
    const r = io(dir, { ACESTEP_API_KEY: KEY });
    const code = await generate(['echo.song', '--server', server.url, '--json'], r.cli);
    assert.equal(code, 1, r.all());
    assert.ok(server.requests.some(q => q.headers.authorization === `Bearer ${KEY}`));
    assert.match(r.all(), /CUDA out of memory/);
    assert.ok(!r.all().includes(KEY), r.all());
    assert.match(r.all(), /\*\*\*/);
  });

  test('case 8: a non-JSON 200 answer that echoes the key: the key is printed nowhere', async t => {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, 'echo.song'), SONG);
    const server = await fake(t, { flavour: 'S', generationMs: 100, apiKey: KEY, garbage: { kind: 'echo', endpoints: ['/release_task'] } });
    const r = io(dir, { ACESTEP_API_KEY: KEY });
    const code = await generate(['echo.song', '--server', server.url, '--json'], r.cli);
    assert.equal(code, 1, r.all());
    assert.match(r.all(), /Unhandled request/);
    assert.ok(!r.all().includes(KEY), r.all());
    const s = io(dir, { ACESTEP_API_KEY: KEY });
    await server.setOptions({ garbage: { kind: 'echo', endpoints: ['/health'] } });
    assert.equal(await status(['--server', server.url, '--json'], s.cli), 1);
    assert.match(s.all(), /Unhandled request/);
    assert.ok(!s.all().includes(KEY), s.all());
  });

  test('cases 8 and 10: a successful job with the key and escapes in every text: clean output, clean sidecars, lyrics keep tabs and line feeds', async t => {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, 'echo.song'), SONG);
    const server = await fake(t, { flavour: 'S', generationMs: 900, progressSteps: 5, apiKey: KEY, hostile: ['echo-key', 'escapes'] });
    const r = io(dir, { ACESTEP_API_KEY: KEY });
    const code = await generate(['echo.song', '--server', server.url, '--json', '--out', 'takes'], r.cli);
    assert.equal(code, 0, r.all());
    assert.match(r.err.join('\n'), /generating/);
    for (const line of [...r.out, ...r.err]) {
      assert.doesNotMatch(line.replace(/\n/g, ''), CONTROL, JSON.stringify(line));
      assert.ok(!line.includes(KEY), line);
    }
    const sidecars = sidecarsOf(path.join(dir, 'takes'));
    assert.equal(sidecars.length, 1);
    for (const text of sidecars) {
      assert.ok(!text.includes(KEY), 'key in a sidecar');
      const side = JSON.parse(text);
      const strings: string[] = [];
      JSON.stringify(side, (_k, v) => { if (typeof v === 'string') strings.push(v); return v; });
      for (const s of strings) assert.doesNotMatch(s.replace(/[\t\n]/g, ''), CONTROL, JSON.stringify(s));
      assert.match(side.result.lyrics, /first line\tand a tab\nsecond line/);
      assert.match(side.result.item.lyrics, /\*\*\*/);
    }
  });

  test('case 10: escapes in the service name and the progress text of status reach the terminal stripped', async t => {
    const server = await fake(t, { flavour: 'U', hostile: ['escapes'] });
    const r = io(tempDir(t));
    assert.equal(await status(['--server', server.url], r.cli), 0, r.all());
    assert.match(r.all(), /ACE-Step API/);
    for (const line of [...r.out, ...r.err]) assert.doesNotMatch(line, CONTROL, JSON.stringify(line));
  });

  test('case 9: credentials in the server URL are printed and stored nowhere, and the CLI says where a key belongs', async t => {
    const dir = tempDir(t);
    writeFileSync(path.join(dir, 'echo.song'), SONG);
    const server = await fake(t, { flavour: 'S', generationMs: 200 });
    const url = server.url.replace('http://', 'http://alice:pa55word-x@');
    const r = io(dir);
    const code = await generate(['echo.song', '--server', url, '--json', '--out', 'takes'], r.cli);
    assert.equal(code, 0, r.all());
    assert.ok(!r.all().includes('pa55word-x'), r.all());
    assert.ok(!r.all().includes('alice'), r.all());
    assert.equal(JSON.parse(r.out.join('\n')).server, server.url);
    assert.equal(r.err.filter(l => /ACESTEP_API_KEY/.test(l)).length, 1, r.err.join('\n'));
    for (const text of sidecarsOf(path.join(dir, 'takes'))) {
      assert.ok(!text.includes('pa55word-x') && !text.includes('alice'), text);
    }
    // The credentials are not sent either: ACE-Step takes a key, not a user and password.
    assert.ok(server.requests.every(q => q.headers.authorization === undefined));
    const s = io(dir);
    assert.equal(await status(['--server', url, '--json'], s.cli), 0, s.all());
    assert.ok(!s.all().includes('pa55word-x'), s.all());
    const bad = io(dir);
    assert.equal(await status(['--server', 'http://alice:pa55word-x@[::1', '--json'], bad.cli), 2);
    assert.ok(!bad.all().includes('pa55word-x'), bad.all());
  });
});
