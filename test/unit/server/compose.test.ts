import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  composeConfigArgv, composeDownArgv, composeLogsArgv, composePsArgv, composeStopArgv, composeUpArgv, composeVersionArgv,
  findComposeFile, hasAcestepService, listServices, NodeProcessRunner, parseComposePs, pluginCompose, resolveCompose,
} from '../../../src/core/server/compose';
import { DockerError } from '../../../src/core/server/docker-errors';
import { scriptedRunner, WRAPPER_COMPOSE } from './helpers';

test('argv builders give arrays for the plugin and for docker-compose v1', () => {
  const plugin = pluginCompose('/opt/docker bin/docker');
  assert.deepEqual(composeVersionArgv(plugin), { cmd: '/opt/docker bin/docker', args: ['compose', 'version'] });
  assert.deepEqual(composeConfigArgv(plugin).args, ['compose', 'config', '--format', 'json']);
  assert.deepEqual(composePsArgv(plugin).args, ['compose', 'ps', '--all', '--format', 'json']);
  assert.deepEqual(composeUpArgv(plugin).args, ['compose', 'up', '-d', '--force-recreate', 'acestep']);
  assert.deepEqual(composeUpArgv(plugin, { forceRecreate: false }).args, ['compose', 'up', '-d', 'acestep']);
  assert.deepEqual(composeStopArgv(plugin).args, ['compose', 'stop']);
  assert.deepEqual(composeDownArgv(plugin).args, ['compose', 'down']);
  assert.deepEqual(composeLogsArgv(plugin).args, ['compose', 'logs', '--follow', '--tail', '200', 'acestep']);
  const v1 = { kind: 'standalone' as const, program: 'docker-compose', prefix: [] };
  assert.deepEqual(composeUpArgv(v1), { cmd: 'docker-compose', args: ['up', '-d', '--force-recreate', 'acestep'] });
  assert.deepEqual(composeLogsArgv(v1, { follow: false, tail: 5 }).args, ['logs', '--tail', '5', 'acestep']);
});

test('parseComposePs reads both the JSON array and the NDJSON forms', () => {
  const entry = { Name: 'acestep', Service: 'acestep', State: 'running', Health: '', Status: 'Up 3 minutes', ExitCode: 0,
    Publishers: [{ URL: '0.0.0.0', TargetPort: 7860, PublishedPort: 8500, Protocol: 'tcp' }] };
  const other = { ...entry, Name: 'db', Service: 'db', State: 'exited', ExitCode: 137 };
  const fromArray = parseComposePs(JSON.stringify([entry, other]));
  const fromLines = parseComposePs(`${JSON.stringify(entry)}\n${JSON.stringify(other)}\n`);
  assert.deepEqual(fromArray, fromLines);
  assert.equal(fromArray.length, 2);
  assert.deepEqual(fromArray[0], {
    name: 'acestep', service: 'acestep', state: 'running', health: '', status: 'Up 3 minutes', exitCode: 0,
    publishers: [{ url: '0.0.0.0', targetPort: 7860, publishedPort: 8500, protocol: 'tcp' }],
  });
  assert.equal(fromArray[1]!.exitCode, 137);
  assert.deepEqual(parseComposePs(''), []);
  assert.deepEqual(parseComposePs('[]'), []);
});

test('resolveCompose prefers the plugin, falls back to docker-compose, else names the problem', async () => {
  const plugin = scriptedRunner((cmd, args) => (cmd === 'docker' && args[0] === 'compose' ? { stdout: 'Docker Compose version v2.29.7\n' } : { code: 1 }));
  const c1 = await resolveCompose(plugin, 'docker');
  assert.deepEqual([c1.kind, c1.program, c1.prefix, c1.version], ['plugin', 'docker', ['compose'], '2.29.7']);
  assert.equal(plugin.calls.length, 1);

  const v1 = scriptedRunner(cmd => (cmd === 'docker-compose'
    ? { stdout: 'docker-compose version 1.29.2, build unknown\n' }
    : { code: 1, stderr: "docker: 'compose' is not a docker command.\nSee 'docker --help'" }));
  const c2 = await resolveCompose(v1, 'docker');
  assert.deepEqual([c2.kind, c2.program, c2.prefix, c2.version], ['standalone', 'docker-compose', [], '1.29.2']);

  const none = scriptedRunner(() => ({ code: -1, spawnError: 'ENOENT', stderr: 'spawn docker ENOENT' }));
  await assert.rejects(resolveCompose(none, 'docker'), (e: unknown) => e instanceof DockerError && e.problem.kind === 'docker-missing');

  const noPlugin = scriptedRunner(cmd => (cmd === 'docker-compose' ? { code: -1, spawnError: 'ENOENT' } : { code: 1, stderr: 'docker: unknown command: docker compose' }));
  await assert.rejects(resolveCompose(noPlugin, 'docker'), (e: unknown) => e instanceof DockerError && e.problem.kind === 'compose-missing');
});

test('findComposeFile uses compose\'s order of preference; hasAcestepService reads the YAML', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'acestep-compose-'));
  try {
    assert.equal(await findComposeFile(dir), undefined);
    writeFileSync(path.join(dir, 'docker-compose.yaml'), WRAPPER_COMPOSE);
    assert.equal(await findComposeFile(dir), path.join(dir, 'docker-compose.yaml'));
    writeFileSync(path.join(dir, 'docker-compose.yml'), WRAPPER_COMPOSE);
    assert.equal(await findComposeFile(dir), path.join(dir, 'docker-compose.yml'));
    writeFileSync(path.join(dir, 'compose.yaml'), WRAPPER_COMPOSE);
    assert.equal(await findComposeFile(dir), path.join(dir, 'compose.yaml'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(hasAcestepService(WRAPPER_COMPOSE), true);
  assert.equal(hasAcestepService('services:\n  web:\n    image: nginx\n'), false);
  assert.equal(hasAcestepService('services: [unclosed'), false);
  assert.deepEqual(listServices('services:\n  a: {}\n  acestep: {}\n'), ['a', 'acestep']);
});

test('NodeProcessRunner: output lines, exit code, ENOENT, and abort kills its child', async () => {
  const runner = new NodeProcessRunner();
  const lines: string[] = [];
  const r = await runner.run(process.execPath, ['-e', 'console.log("one\\ntwo"); console.error("\\u001b[31mred\\u001b[0m"); process.exit(3)'], {
    onLine: (l, s) => lines.push(`${s}:${l}`),
  });
  assert.equal(r.code, 3);
  assert.equal(r.stdout, 'one\ntwo\n');
  assert.deepEqual(lines.sort(), ['stderr:red', 'stdout:one', 'stdout:two']);

  const missing = await runner.run('acestep-no-such-program-xyz', ['x']);
  assert.equal(missing.spawnError, 'ENOENT');

  const ac = new AbortController();
  const t0 = Date.now();
  const pending = runner.run(process.execPath, ['-e', 'console.log("up"); setInterval(() => {}, 1000)'], {
    signal: ac.signal,
    onLine: l => { if (l === 'up') ac.abort(); },
  });
  const killed = await pending;
  assert.equal(killed.aborted, true);
  assert.ok(Date.now() - t0 < 4000, 'the child ended soon after the abort');
});
