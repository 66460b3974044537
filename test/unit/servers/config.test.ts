// The CLI's server profiles: a VS Code settings file (JSONC) read into profiles, and found up from the working folder.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseJsonc, profilesFromSettings } from '../../../src/core/servers/config';
import { readProfiles } from '../../../src/core/servers/profiles';
import { findSettingsFile, loadProfiles } from '../../../src/cli/profiles';
import { tempDir } from '../api/helpers';
import { cliIO } from '../jobs/cli-io';

describe('settings files (JSONC)', () => {
  test('comments and trailing commas go; comment marks and commas inside strings stay', () => {
    const r = parseJsonc('{\n // a comment\n "a": "http://x//y, }", /* block */ "b": [1, 2,],\n}\n');
    assert.deepEqual(r, { value: { a: 'http://x//y, }', b: [1, 2] } });
    assert.deepEqual(parseJsonc('{ "q": "say \\"hi\\" // no" }'), { value: { q: 'say "hi" // no' } });
    assert.deepEqual(parseJsonc(''), { value: {} });
    assert.ok('error' in parseJsonc('{ "a": 1 /* open'));
    assert.ok('error' in parseJsonc('{ "a": }'));
  });

  test('acestep.servers and acestep.serverUrl become profiles; a broken file is a problem, never a throw', () => {
    const text = '{ "acestep.serverUrl": "http://box:8001", "acestep.servers": [{ "name": "gpu1", "url": "http://box:8002", "composeDirectory": "docker" }], }';
    const { input, problems } = profilesFromSettings(text, 'http://localhost:8501', '/work/ws');
    assert.deepEqual(problems, []);
    const p = readProfiles(input).profiles;
    assert.deepEqual(p.map(x => [x.name, x.url]), [['default', 'http://box:8001'], ['gpu1', 'http://box:8002']]);
    assert.equal(p[1]!.compose?.folder, '/work/ws/docker');
    const broken = profilesFromSettings('{ "acestep.servers": [', 'http://localhost:8501');
    assert.match(broken.problems[0]!, /not valid JSON/);
    assert.equal(broken.input.defaultUrl, 'http://localhost:8501');
    assert.match(profilesFromSettings('[1]', 'http://d').problems[0]!, /not a JSON object/);
  });

  test('the nearest .vscode/settings.json up from the working folder; $ACESTEP_URL sets the default profile; --config wins', async t => {
    const dir = tempDir(t);
    mkdirSync(path.join(dir, '.vscode'));
    mkdirSync(path.join(dir, 'songs', 'deep'), { recursive: true });
    writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{ "acestep.servers": [{ "name": "gpu1", "url": "http://a:1" }] }');
    const deep = path.join(dir, 'songs', 'deep');
    assert.equal(findSettingsFile(deep), path.join(dir, '.vscode', 'settings.json'));
    const r = await loadProfiles(cliIO(deep, { ACESTEP_URL: 'http://env:9' }).cli);
    assert.deepEqual(r.profiles.map(p => [p.name, p.url]), [['default', 'http://env:9'], ['gpu1', 'http://a:1']]);
    writeFileSync(path.join(dir, 'other.json'), '{ "acestep.servers": [{ "name": "gpu2", "url": "http://b:2" }] }');
    const c = await loadProfiles(cliIO(deep, {}).cli, '../../other.json');
    assert.deepEqual(c.profiles.map(p => p.name), ['default', 'gpu2']);
    assert.match((await loadProfiles(cliIO(deep, {}).cli, 'missing.json')).fatal!, /no such file/);
  });
});
