// `acestep-song status` over several servers: profiles from the workspace's settings file, each server asked at
// once with its own key, one that does not answer reported without holding up the others.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { run as status } from '../../../src/cli/status';
import { findSettingsFile, loadProfiles } from '../../../src/cli/profiles';
import { profilesFromSettings } from '../../../src/core/servers/config';
import { cliIO as io } from '../jobs/cli-io';
import { fake, tempDir } from '../api/helpers';

/** A workspace whose .vscode/settings.json (JSONC) lists `servers`; answers its folder and a folder inside it. */
function workspace(t: Parameters<typeof tempDir>[0], servers: unknown[], serverUrl?: string): { dir: string; inner: string } {
  const dir = tempDir(t);
  mkdirSync(path.join(dir, '.vscode'));
  mkdirSync(path.join(dir, 'songs', 'album'), { recursive: true });
  const body = JSON.stringify({ ...(serverUrl ? { 'acestep.serverUrl': serverUrl } : {}), 'acestep.servers': servers }, null, 2);
  // What VS Code writes: comments and a trailing comma.
  writeFileSync(path.join(dir, '.vscode', 'settings.json'), `// the studio\n${body.replace(/\n}$/, ',\n  /* end */\n}')}\n`);
  return { dir, inner: path.join(dir, 'songs', 'album') };
}

describe('server profiles in the CLI', () => {
  test('the settings file is JSONC: comments, trailing commas, strings with slashes and commas kept', () => {
    const text = '{\n  // c\n  "acestep.serverUrl": "http://h:1/x//y,}", /* b */\n  "acestep.servers": [{"name": "a", "url": "http://a:2",},],\n}';
    const r = profilesFromSettings(text, 'http://localhost:8501', '/w');
    assert.deepEqual(r.problems, []);
    assert.equal(r.input.defaultUrl, 'http://h:1/x//y,}');
    assert.deepEqual(r.input.servers, [{ name: 'a', url: 'http://a:2' }]);
    assert.match(profilesFromSettings('{ "a": ', 'http://x', '/w').problems[0]!, /not valid JSON/);
    assert.match(profilesFromSettings('[]', 'http://x', '/w').problems[0]!, /object/);
  });

  test('the nearest .vscode/settings.json up from the folder; --config; the default URL order', async t => {
    const { dir, inner } = workspace(t, [{ name: 'gpu1', url: 'http://127.0.0.1:8511', composeDirectory: 'docker' }, { name: 'bad one', url: 'http://x' }], 'http://127.0.0.1:8601');
    assert.equal(findSettingsFile(inner), path.join(dir, '.vscode', 'settings.json'));
    const r = await loadProfiles(io(inner).cli);
    assert.deepEqual(r.profiles.map(p => [p.name, p.url]), [['default', 'http://127.0.0.1:8601'], ['gpu1', 'http://127.0.0.1:8511']]);
    assert.equal(r.profiles[1]!.compose?.folder, `${dir}/docker`, 'a relative compose folder starts at the workspace folder');
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0]!, /settings\.json: acestep\.servers\[1\]/);
    // $ACESTEP_URL beats the file's acestep.serverUrl.
    const env = await loadProfiles(io(inner, { ACESTEP_URL: 'http://127.0.0.1:9' }).cli);
    assert.equal(env.profiles[0]!.url, 'http://127.0.0.1:9');
    // --config names another file; a missing one is a problem, not a crash.
    const other = path.join(dir, 'studio.json');
    writeFileSync(other, '{"acestep.servers": [{"name": "far", "url": "https://far.example"}]}');
    assert.deepEqual((await loadProfiles(io('/').cli, other)).profiles.map(p => p.name), ['default', 'far']);
    const missing = await loadProfiles(io(dir).cli, 'nope.json');
    assert.equal(missing.profiles.length, 0);
    assert.match(missing.fatal!, /nope\.json/);
  });

  test('--servers: both servers in one table, the one that is down says why and the exit is 1; each key goes to its own server', async t => {
    const gpu0 = await fake(t, { flavour: 'U', models: ['acestep-v15-turbo'], apiKey: 'key-zero' });
    const gpu1 = await fake(t, { flavour: 'W', apiKey: 'key-one' });
    const gone = await fake(t, { flavour: 'S', down: true });
    const { inner } = workspace(t, [{ name: 'gpu0', url: gpu0.url }, { name: 'gpu1', url: gpu1.url }, { name: 'gone', url: gone.url }]);
    const env = { ACESTEP_API_KEY_GPU0: 'key-zero', ACESTEP_API_KEY_GPU1: 'key-one', ACESTEP_API_KEY: 'key-default' };
    const r = io(inner, env);
    const started = Date.now();
    assert.equal(await status(['--servers', 'gpu0,gpu1,gone'], r.cli), 1, r.err.join('\n'));
    assert.ok(Date.now() - started < 4000, 'a server that is down does not hold up the report');
    const lines = r.out;
    assert.match(lines[0]!, /^SERVER\s+STATE\s+KIND\s+MODELS\s+LM\s+QUEUE\s+URL$/);
    assert.match(lines.find(l => l.startsWith('gpu0'))!, /gpu0\s+up\s+upstream standalone API \(current\)\s+acestep-v15-turbo\s+loads with the first job\s+0 waiting, 0 running, average job 5 s/);
    assert.match(lines.find(l => l.startsWith('gpu1'))!, /gpu1\s+up\s+standalone API \(Docker wrapper\)/);
    assert.match(lines.find(l => l.startsWith('gone'))!, /gone\s+down\s+-/);
    assert.ok(lines.some(l => /^gone: Cannot reach the ACE-Step server/.test(l)), lines.join('\n'));
    const auth = (s: typeof gpu0) => new Set(s.requests.map(q => String(q.headers.authorization ?? '')).filter(Boolean));
    assert.deepEqual([...auth(gpu0)], ['Bearer key-zero']);
    assert.deepEqual([...auth(gpu1)], ['Bearer key-one']);
    assert.ok(!r.out.concat(r.err).join('\n').includes('key-'), 'no key is printed');
  });

  test('--all-servers --json: an array of every enabled profile; a disabled one is left out; all up exits 0', async t => {
    const a = await fake(t, { flavour: 'S' });
    const b = await fake(t, { flavour: 'G' });
    const { inner } = workspace(t, [{ name: 'default', url: a.url }, { name: 'gradio', url: b.url }, { name: 'off', url: 'http://127.0.0.1:9', enabled: false }]);
    const r = io(inner);
    assert.equal(await status(['--all-servers', '--json'], r.cli), 0, r.err.join('\n'));
    const list = JSON.parse(r.out.join('\n')) as Record<string, unknown>[];
    assert.deepEqual(list.map(s => [s.name, s.reachable, s.flavour]), [['default', true, 'S'], ['gradio', true, 'G']]);
    assert.equal((list[0]!.stats as { queueSize: number }).queueSize, 0);
    assert.equal(list[1]!.stats, null, 'G has no /v1/stats');
    assert.equal(list[0]!.lm_state, 'unreported');
  });

  test('usage errors: two ways of naming servers, a name that is no profile', async t => {
    const { inner } = workspace(t, []);
    const r = io(inner);
    assert.equal(await status(['--server', 'http://127.0.0.1:9', '--all-servers'], r.cli), 2);
    assert.equal(await status(['--servers', 'nobody'], r.cli), 2);
    assert.match(r.err.join('\n'), /"nobody" is neither a server profile nor an http\(s\) URL/);
  });
});
