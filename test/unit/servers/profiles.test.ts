import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { envKeyName, pickServers, readProfiles, secretKeyName } from '../../../src/core/servers/profiles';

describe('server profiles', () => {
  test('the single URL is the default profile; listed ones follow in order', () => {
    const { profiles, problems } = readProfiles({
      defaultUrl: 'http://localhost:8501/',
      servers: [{ name: 'gpu1', url: 'http://localhost:8511' }, { name: 'cloud', url: 'https://x.example/v1/chat/completions', kind: 'chat', enabled: false }],
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(profiles.map(p => [p.name, p.url, p.kind, p.enabled, p.isDefault]), [
      ['default', 'http://localhost:8501', 'acestep', true, true],
      ['gpu1', 'http://localhost:8511', 'acestep', true, false],
      ['cloud', 'https://x.example/v1/chat/completions', 'chat', false, false],
    ]);
    const base = readProfiles({ defaultUrl: 'http://localhost:8501', servers: [{ name: 'cloud', url: 'https://x.example/', kind: 'chat' }] });
    assert.equal(base.profiles[1].url, 'https://x.example/v1/chat/completions', 'a hosted endpoint is reached at its route');
  });

  test('bad entries are skipped with a reason; credentials never kept', () => {
    const { profiles, problems } = readProfiles({
      defaultUrl: 'http://localhost:8501',
      servers: [null, { name: 'a b', url: 'http://x' }, { name: 'x', url: 'ftp://x' }, { name: 'ok', url: 'http://u:p@h:1/' }, { name: 'OK', url: 'http://h:2' }, { name: 'k', url: 'http://h', kind: 'weird' }],
    });
    assert.equal(problems.length, 5);
    assert.deepEqual(profiles.map(p => p.url), ['http://localhost:8501', 'http://h:1']);
  });

  test('an entry named default changes the default profile', () => {
    const { profiles } = readProfiles({ defaultUrl: 'http://localhost:8501', servers: [{ name: 'Default', enabled: false, composeDirectory: 'docker' }], baseDir: '/w' });
    assert.equal(profiles.length, 1);
    assert.equal(profiles[0].enabled, false);
    assert.deepEqual(profiles[0].compose, { folder: '/w/docker' });
  });

  test('a named server at the default\'s address stands for it (the GPU setup\'s gpu0)', () => {
    const { profiles } = readProfiles({ defaultUrl: 'http://localhost:8501', servers: [{ name: 'gpu0', url: 'http://localhost:8501/' }, { name: 'gpu1', url: 'http://localhost:8511' }] });
    assert.deepEqual(profiles.map(p => p.name), ['gpu0', 'gpu1']);
    assert.deepEqual(profiles.map(p => p.isDefault), [true, false], 'gpu0 is the default server now');
    const named = readProfiles({ defaultUrl: 'http://localhost:8501', servers: [{ name: 'default', enabled: true }, { name: 'gpu0', url: 'http://localhost:8501' }] });
    assert.deepEqual(named.profiles.map(p => p.name), ['default', 'gpu0'], 'an explicit default entry keeps it');
  });

  test('not a list: the default alone, with a problem', () => {
    const r = readProfiles({ defaultUrl: 'http://localhost:8501', servers: { name: 'x' } });
    assert.equal(r.profiles.length, 1);
    assert.equal(r.problems.length, 1);
  });

  test('--servers takes names and URLs; a URL of a profile is that profile', () => {
    const { profiles } = readProfiles({ defaultUrl: 'http://localhost:8501', servers: [{ name: 'gpu1', url: 'http://localhost:8511' }] });
    const r = pickServers('GPU1, http://localhost:8501/ ,http://other:9000,nope', profiles);
    assert.deepEqual(r.servers.map(s => s.name), ['gpu1', 'default', 'other:9000']);
    assert.deepEqual(r.problems, ['"nope" is neither a server profile nor an http(s) URL']);
  });

  test('key names: the first release\'s for the default profile', () => {
    assert.equal(secretKeyName('default'), 'acestep.apiKey');
    assert.equal(secretKeyName('gpu1'), 'acestep.apiKey.gpu1');
    assert.equal(envKeyName('default'), 'ACESTEP_API_KEY');
    assert.equal(envKeyName('gpu-1.b'), 'ACESTEP_API_KEY_GPU_1_B');
  });
});
