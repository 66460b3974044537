// Server control end to end in the real VS Code host, with the fake docker (test/fixtures/fake-docker) in place
// of the real one: it records every call, keeps its "container" in a state file, and on `compose up` starts the
// fake ACE-Step server on the port the mode publishes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { JobSnapshot } from '../../../src/core/jobs';
import type { ServerResult, StopResult } from '../../../src/vscode/server';
import { freePorts } from '../../docker/engine-env';
import { activateExtension, closeAllEditors, waitFor, workspaceDir } from './helpers';

const ROOT = path.resolve(__dirname, '../../../..');
const FAKE_DOCKER = path.join(ROOT, 'test/fixtures/fake-docker/docker');
const FAKE_SERVER_CLI = path.join(ROOT, 'out/test/server/fake-acestep-cli.js');

const COMPOSE = `services:
  acestep:
    build: .
    env_file: .env
    ports:
      - "\${GRADIO_PORT:-8500}:7860"   # Gradio UI + embedded API
      - "\${API_PORT:-8501}:8001"      # standalone API
    restart: unless-stopped
`;

const settingsFile = (): string => path.join(workspaceDir(), '.vscode', 'settings.json');

/**
 * Sets (or clears) an `acestep.*` setting. Until package.json contributes it, VS Code refuses to write an
 * unknown key, so the workspace settings file carries it instead (VS Code reads unknown keys all the same).
 */
async function setSetting(key: string, value: string | undefined): Promise<void> {
  const config = () => vscode.workspace.getConfiguration('acestep');
  try {
    await config().update(key, value, vscode.ConfigurationTarget.Global);
    if (value === undefined) await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
  } catch {
    const file = settingsFile();
    const json = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> : {};
    if (value === undefined) delete json[`acestep.${key}`]; else json[`acestep.${key}`] = value;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
  }
  await waitFor(() => {
    const i = config().inspect(key);
    return value === undefined ? i?.globalValue === undefined && i?.workspaceValue === undefined : config().get(key) === value;
  }, `acestep.${key} to be ${JSON.stringify(value)}`);
}

suite('ACE-Step server control with the fake docker', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let base: string;
  let dir: string;
  let envFile: string;
  let statePath: string;
  let logPath: string;
  let gradioPort: number;
  let apiPort: number;
  const pids = new Set<number>();
  const savedEnv: Record<string, string | undefined> = {};

  const calls = (): Array<{ argv: string[]; cwd: string }> =>
    fs.existsSync(logPath) ? fs.readFileSync(logPath, 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l) as { argv: string[]; cwd: string }) : [];
  const state = (): { container?: { pid?: number; status?: string; mode?: string } } =>
    fs.existsSync(statePath) ? JSON.parse(fs.readFileSync(statePath, 'utf8')) as { container?: { pid?: number } } : {};
  const setState = (patch: Record<string, unknown>): void => fs.writeFileSync(statePath, JSON.stringify({ ...state(), ...patch }));
  const notePid = (): void => { const pid = state().container?.pid; if (pid) pids.add(pid); };
  const env = (): string => fs.readFileSync(envFile, 'utf8');

  suiteSetup(async () => {
    api = (await activateExtension()).exports as ExtensionApi;
    base = path.join(workspaceDir(), 'server-tests');
    dir = path.join(base, 'acestep-docker');
    fs.mkdirSync(dir, { recursive: true });
    [gradioPort, apiPort] = await freePorts(2) as [number, number];
    fs.writeFileSync(path.join(dir, 'docker-compose.yml'), COMPOSE);
    envFile = path.join(dir, '.env');
    fs.writeFileSync(envFile, [
      '# ACE-Step settings for the server-control tests',
      '# Mode: gradio (UI + API) or api (standalone)',
      'ACESTEP_MODE=gradio   # switched by the tests',
      '',
      `GRADIO_PORT=${gradioPort}`,
      `API_PORT=${apiPort}`,
      'ACESTEP_CONFIG_PATH="acestep-v15-turbo"',
      '',
    ].join('\r\n'));
    statePath = path.join(base, '.fake-docker-state.json');
    logPath = path.join(base, '.fake-docker-log.jsonl');
    fs.writeFileSync(statePath, '{}');
    // The extension host spawns the fake docker, which inherits this environment.
    for (const k of ['FAKE_DOCKER_STATE', 'FAKE_DOCKER_LOG', 'FAKE_ACESTEP_SERVER_CLI', 'PATH']) savedEnv[k] = process.env[k];
    process.env.FAKE_DOCKER_STATE = statePath;
    process.env.FAKE_DOCKER_LOG = logPath;
    process.env.FAKE_ACESTEP_SERVER_CLI = FAKE_SERVER_CLI;
    process.env.PATH = [path.dirname(process.execPath), process.env.PATH].join(path.delimiter);
    assert.ok(fs.existsSync(FAKE_SERVER_CLI), 'node esbuild.mjs --tests built the fake server CLI');
    await setSetting('dockerPath', FAKE_DOCKER);
    await setSetting('composeDirectory', dir);
    await vscode.workspace.getConfiguration('acestep').update('player.openOnFinish', false, vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    notePid();
    for (const pid of pids) { try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ } }
    await setSetting('composeDirectory', undefined);
    await setSetting('dockerPath', undefined);
    await vscode.workspace.getConfiguration('acestep').update('player.openOnFinish', undefined, vscode.ConfigurationTarget.Global);
    for (const [k, v] of Object.entries(savedEnv)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
    // Later suites must not find this setup in the workspace.
    fs.rmSync(base, { recursive: true, force: true });
    await api?.server.refresh();
  });

  teardown(async () => {
    notePid();
    await closeAllEditors();
  });

  test('Switch Server Mode to API: .env edited in one place, container recreated, health waited, then generation uses it', async () => {
    const before = env();
    const mark = calls().length;
    const r = await vscode.commands.executeCommand<ServerResult>('acestep.switchMode', 'api', { timeoutMs: 60_000 });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.mode, 'api');
    assert.equal(r.port, apiPort);
    assert.equal(r.url, `http://localhost:${apiPort}`);
    assert.equal(r.waited, true);
    assert.equal(r.health?.serverMode, 'api');
    // Only the value of ACESTEP_MODE changed: comments, CRLF, quotes and the inline comment are untouched.
    const after = env();
    assert.equal(after, before.replace('ACESTEP_MODE=gradio   #', 'ACESTEP_MODE=api   #'));
    assert.notEqual(after, before);
    // The container was recreated, in the setup folder.
    const ups = calls().slice(mark).filter(c => c.argv[0] === 'compose' && c.argv[1] === 'up');
    assert.deepEqual(ups.map(c => c.argv), [['compose', 'up', '-d', '--force-recreate', 'acestep']]);
    assert.equal(fs.realpathSync(ups[0]!.cwd), fs.realpathSync(dir));
    notePid();
    assert.equal(state().container?.mode, 'api');
    assert.match(api.server.lastMessage() ?? '', new RegExp(`API mode ready on :${apiPort}`));
    // The status bar and the URL generation uses follow, without touching acestep.serverUrl.
    await api.server.refresh();
    await waitFor(() => /ACE-Step: API$/.test(api.server.statusText()), `the status bar to show API (shows "${api.server.statusText()}")`);
    assert.equal(api.server.composeDir(), dir);
    assert.equal(api.server.serverUrl(), r.url);
    assert.equal(api.generation.serverUrl(), r.url);

    const songDir = path.join(base, 'songs');
    fs.mkdirSync(songDir, { recursive: true });
    const song = path.join(songDir, 'lofi-study.song');
    fs.copyFileSync(path.join(workspaceDir(), 'lofi-study.song'), song);
    const job = await vscode.commands.executeCommand<JobSnapshot>('acestep.generateSong', vscode.Uri.file(song), { quiet: true });
    assert.equal(job.serverUrl, r.url);
    const done = await api.generation.jobs().waitFor(job.id);
    assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
    const files = (done.takes ?? []).map(t => t.file!);
    assert.ok(files.length >= 1);
    for (const f of files) assert.ok(fs.statSync(f).size > 0, f);
  });

  test('switching again to the running mode does not recreate the container', async () => {
    const mark = calls().length;
    const r = await vscode.commands.executeCommand<ServerResult>('acestep.switchMode', 'api');
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.waited, false);
    assert.equal(calls().slice(mark).filter(c => c.argv[1] === 'up').length, 0);
    assert.match(api.server.lastMessage() ?? '', /Already running in API mode/);
  });

  test('docker missing: a clear message naming the setting, nothing run, nothing changed', async () => {
    const missing = path.join(base, 'no-such-docker');
    await setSetting('dockerPath', missing);
    // The whole lookup: with docker missing, compose falls back to docker-compose on PATH, which this machine
    // may have (Debian's compose v1). A PATH with nothing on it means no docker at all.
    const savedPath = process.env.PATH;
    const emptyBin = path.join(base, 'empty-bin');
    fs.mkdirSync(emptyBin, { recursive: true });
    process.env.PATH = emptyBin;
    try {
      const before = env();
      const mark = calls().length;
      const r = await vscode.commands.executeCommand<ServerResult>('acestep.switchMode', 'gradio');
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.problem.kind, 'docker-missing');
      assert.match(r.problem.message, /Docker was not found/);
      assert.match(api.server.lastMessage() ?? '', /acestep\.dockerPath/);
      assert.match(api.server.lastMessage() ?? '', /no-such-docker/);
      assert.equal(env(), before, '.env untouched');
      assert.equal(calls().length, mark, 'docker never ran');
    } finally {
      process.env.PATH = savedPath;
      await setSetting('dockerPath', FAKE_DOCKER);
    }
  });

  test('compose up failing for the NVIDIA runtime: the message names the NVIDIA Container Toolkit', async () => {
    setState({ nvidiaError: true });
    try {
      const r = await vscode.commands.executeCommand<ServerResult>('acestep.switchMode', 'gradio');
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.problem.kind, 'nvidia-runtime-missing');
      assert.match(r.problem.message, /NVIDIA Container Toolkit/);
      assert.match(r.problem.detail, /could not select device driver "nvidia"/);
      assert.match(api.server.lastMessage() ?? '', /NVIDIA/);
      assert.equal(api.server.busy(), undefined);
    } finally {
      setState({ nvidiaError: false });
    }
  });

  test('a port already taken and a container that dies at start: clear messages, the container\'s last words kept', async () => {
    setState({ portInUse: true });
    try {
      const r = await vscode.commands.executeCommand<ServerResult>('acestep.switchMode', 'gradio', { force: true });
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.problem.kind, 'port-in-use');
        assert.match(r.problem.message, new RegExp(`Port ${gradioPort} `));
      }
    } finally {
      setState({ portInUse: false });
    }
    setState({ crashOnStart: true });
    try {
      const r = await vscode.commands.executeCommand<ServerResult>('acestep.switchMode', 'gradio', { force: true });
      notePid();
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.problem.kind, 'server-exited');
      assert.match(r.problem.message, /container stopped/);
      assert.match(r.problem.detail, /CUDA out of memory/);
      assert.match(api.server.lastMessage() ?? '', /CUDA out of memory/);
    } finally {
      setState({ crashOnStart: false });
    }
  });

  test('health never comes: cancelling (signal or command) ends the wait promptly; a short deadline times out', async () => {
    setState({ healthNever: true });
    try {
      // 1. through the caller's AbortSignal
      let mark = calls().length;
      const ac = new AbortController();
      const first = vscode.commands.executeCommand<ServerResult>('acestep.switchMode', 'api', { signal: ac.signal });
      await waitFor(() => calls().slice(mark).some(c => c.argv[1] === 'up') && state().container?.status === 'running', 'the container to start');
      notePid();
      // The health wait asks compose whether the container still runs: a `ps` after the `up`.
      await waitFor(() => {
        const after = calls().slice(mark);
        const up = after.findIndex(c => c.argv[1] === 'up');
        return up >= 0 && after.slice(up + 1).some(c => c.argv[1] === 'ps');
      }, 'the health wait to be under way');
      let t0 = Date.now();
      ac.abort();
      const r1 = await first;
      assert.ok(Date.now() - t0 < 3000, `stopped after ${Date.now() - t0} ms`);
      assert.equal(r1.ok, false);
      if (!r1.ok) assert.equal(r1.problem.kind, 'aborted');
      assert.equal(api.server.busy(), undefined);

      // 2. through the cancel command (what the notification's Cancel does too)
      mark = calls().length;
      const second = vscode.commands.executeCommand<ServerResult>('acestep.restartServer', {});
      await waitFor(() => calls().slice(mark).some(c => c.argv[1] === 'up'), 'the restart to run compose up');
      notePid();
      t0 = Date.now();
      assert.equal(await vscode.commands.executeCommand('acestep.cancelServerWait'), true);
      const r2 = await second;
      assert.ok(Date.now() - t0 < 3000, `stopped after ${Date.now() - t0} ms`);
      assert.equal(r2.ok, false);
      if (!r2.ok) assert.equal(r2.problem.kind, 'aborted');

      // 3. a deadline that passes
      const r3 = await vscode.commands.executeCommand<ServerResult>('acestep.switchMode', 'api', { timeoutMs: 1500 });
      notePid();
      assert.equal(r3.ok, false);
      if (r3.ok) return;
      assert.equal(r3.problem.kind, 'health-timeout');
      assert.match(r3.problem.message, new RegExp(`localhost:${apiPort}/health`));
    } finally {
      setState({ healthNever: false });
    }
  });

  test('Stop Server stops the container; the status bar says down', async () => {
    const mark = calls().length;
    const r = await vscode.commands.executeCommand<StopResult>('acestep.stopServer', {});
    assert.ok(r.ok, JSON.stringify(r));
    assert.ok(calls().slice(mark).some(c => c.argv.join(' ') === 'compose stop'));
    await api.server.refresh();
    await waitFor(() => /down$/.test(api.server.statusText()), `the status bar to say down (shows "${api.server.statusText()}")`);
    assert.equal(api.server.serverUrl(), `http://localhost:${apiPort}`, 'generation still aims at the configured mode');
    assert.equal(api.generation.endpoint.choice().source, 'docker-configured');
  });

  test('an acestep.serverUrl the user set wins over the stopped Docker setup, and the status bar says why (issue 15)', async () => {
    await setSetting('serverUrl', 'http://127.0.0.1:9');
    try {
      assert.equal(api.generation.serverUrl(), 'http://127.0.0.1:9');
      assert.equal(api.generation.endpoint.choice().source, 'setting');
      await api.server.refresh();
      await waitFor(() => /down$/.test(api.server.statusText()), 'the status bar after the check');
      assert.equal(api.generation.serverUrl(), 'http://127.0.0.1:9', 'still the user\'s URL once server control knows the setup');
      assert.match(api.server.statusTooltip(), /Generation uses http:\/\/127\.0\.0\.1:9\. It is the acestep\.serverUrl you set\./);
    } finally {
      await setSetting('serverUrl', undefined);
    }
    await api.server.refresh();
    assert.equal(api.generation.serverUrl(), `http://localhost:${apiPort}`, 'without the setting the Docker setup decides again');
    assert.match(api.server.statusTooltip(), /Generation uses http:\/\/localhost:\d+\. It is the Docker setup's API mode, which is not running/);
  });

  test('Show Server Logs follows compose logs in a terminal; Open .env opens the file', async () => {
    const logs = await vscode.commands.executeCommand<{ cmd: string; args: string[]; cwd: string }>('acestep.showServerLogs');
    assert.equal(logs.cmd, FAKE_DOCKER);
    assert.deepEqual(logs.args, ['compose', 'logs', '--follow', '--tail', '300', 'acestep']);
    assert.equal(logs.cwd, dir);
    const terminal = await waitFor(() => vscode.window.terminals.find(t => t.name === 'ACE-Step Server Log'), 'the log terminal');
    terminal.dispose();

    const opened = await vscode.commands.executeCommand<string>('acestep.openEnvFile');
    assert.equal(opened, envFile);
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath === envFile, 'the .env editor');
  });

  test('Generate Song offers "Switch to API Mode" when the API port is used while .env selects Gradio', async () => {
    fs.writeFileSync(envFile, env().replace(/ACESTEP_MODE=\w+/, 'ACESTEP_MODE=gradio'));
    assert.equal(await api.generation.endpoint.modeServing(`http://127.0.0.1:${apiPort}`), 'api');
    assert.equal(await api.generation.endpoint.modeServing(`http://localhost:${gradioPort}`), undefined);
    assert.equal(await api.generation.endpoint.modeServing('http://localhost:1'), undefined);
  });

  test('Create Docker Setup writes the files, points the extension at them, never overwrites unasked', async () => {
    const folder = path.join(base, 'new-setup');
    fs.mkdirSync(folder, { recursive: true });
    const args = { folder, options: { source: 'image', image: 'example/acestep:test', mode: 'api', ports: { gradio: 9500, api: 9501 } } };
    const r = await vscode.commands.executeCommand<{ folder: string; files: string[]; settingWritten: boolean }>('acestep.createDockerSetup', args);
    assert.ok(r, 'files written');
    assert.deepEqual(r.files.map(f => path.basename(f)).sort(), ['.env', '.env.example', 'docker-compose.yml', 'docker-entrypoint.sh']);
    const newEnv = fs.readFileSync(path.join(folder, '.env'), 'utf8');
    assert.match(newEnv, /^ACESTEP_MODE=api$/m);
    assert.match(newEnv, /^API_PORT=9501$/m);
    assert.match(fs.readFileSync(path.join(folder, 'docker-compose.yml'), 'utf8'), /image: "example\/acestep:test"/);
    assert.ok(fs.statSync(path.join(folder, 'docker-entrypoint.sh')).mode & 0o100, 'the entrypoint is executable');
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath === path.join(folder, '.env'), 'the new .env to open');
    assert.ok(fs.statSync(path.join(folder, 'inputs')).isDirectory(), 'the inputs folder takes are handed over through');
    if (r.settingWritten) {
      await waitFor(async () => (await api.server.refresh()).composeDir === folder, 'acestep.composeDirectory to point at the new setup');
      // Issue 13: a take to edit reaches the setup's API server through ./inputs, named by its path in the container.
      const take = path.join(base, 'take to edit.wav');
      fs.writeFileSync(take, 'RIFF take');
      const handOff = await api.generation.endpoint.handOff('http://localhost:9501');
      assert.ok(handOff, 'the setup\'s API port has a hand-off');
      const inContainer = await handOff('src_audio', take);
      assert.match(inContainer, /^\/app\/inputs\/[0-9a-f]{12}-take_to_edit\.wav$/);
      assert.equal(fs.readFileSync(path.join(folder, 'inputs', path.posix.basename(inContainer)), 'utf8'), 'RIFF take');
      assert.equal(await api.generation.endpoint.handOff('http://localhost:9500'), undefined, 'not the Gradio port');
    }
    // A second run must not replace the user's files without asking.
    fs.appendFileSync(path.join(folder, '.env'), '# my edit\n');
    const again = await vscode.commands.executeCommand('acestep.createDockerSetup', args);
    assert.equal(again, undefined);
    assert.match(fs.readFileSync(path.join(folder, '.env'), 'utf8'), /# my edit\n$/);
  });
  test('Create Docker Setup for two GPUs: two services, two server profiles; one service switches mode while the other keeps running', async () => {
    const folder = path.join(base, 'two-gpus');
    fs.mkdirSync(folder, { recursive: true });
    const [gradio, api0] = await freePorts(2) as [number, number];
    const args = {
      folder, open: false, reserveGpus: false,
      gpus: [{ index: '0', name: 'NVIDIA GeForce RTX 4090', memoryMiB: 24564 }, { index: '1', name: 'NVIDIA GeForce RTX 5070 Ti', memoryMiB: 16303 }],
      options: { source: 'image', image: 'example/acestep:test', mode: 'gradio', ports: { gradio, api: api0 } },
    };
    const r = await vscode.commands.executeCommand<{ services?: string[]; settingWritten: boolean }>('acestep.createDockerSetup', args);
    assert.deepEqual(r?.services, ['acestep-gpu0', 'acestep-gpu1']);
    const envText = fs.readFileSync(path.join(folder, '.env'), 'utf8');
    assert.match(envText, /^ACESTEP_LM_MODEL_PATH_GPU0=acestep-5Hz-lm-4B$/m);
    assert.match(envText, /^ACESTEP_LM_MODEL_PATH_GPU1=acestep-5Hz-lm-1\.7B$/m);
    type Entry = { name: string; url: string; composeService?: string };
    const servers = (): Entry[] => vscode.workspace.getConfiguration('acestep').get<Entry[]>('servers') ?? [];
    assert.deepEqual(servers().map(e => [e.name, e.url, e.composeService]), [
      ['gpu0', `http://localhost:${gradio}`, 'acestep-gpu0'], ['gpu1', `http://localhost:${gradio + 10}`, 'acestep-gpu1'],
    ]);
    const containers = (): Record<string, { pid: number }> => (JSON.parse(fs.readFileSync(statePath, 'utf8')) as { containers?: Record<string, { pid: number }> }).containers ?? {};
    try {
      if (!r?.settingWritten) await setSetting('composeDirectory', folder);
      await waitFor(async () => (await api.server.refresh()).composeDir === folder, 'the extension to use the new setup');
      for (const service of ['acestep-gpu0', 'acestep-gpu1']) {
        const up = await vscode.commands.executeCommand<ServerResult>('acestep.startServer', { service, quiet: true, timeoutMs: 60_000 });
        assert.ok(up?.ok, JSON.stringify(up));
      }
      const gpu0 = containers()['acestep-gpu0']!.pid;
      const sw = await vscode.commands.executeCommand<ServerResult>('acestep.switchMode', 'api', { service: 'acestep-gpu1', quiet: true, timeoutMs: 60_000 });
      assert.ok(sw?.ok && sw.url === `http://localhost:${api0 + 10}`, JSON.stringify(sw));
      assert.equal(fs.readFileSync(path.join(folder, '.env'), 'utf8'), envText.replace('ACESTEP_MODE_GPU1=gradio', 'ACESTEP_MODE_GPU1=api'));
      assert.equal(containers()['acestep-gpu0']!.pid, gpu0, 'gpu0 kept running');
      await waitFor(() => servers().find(e => e.name === 'gpu1')?.url === `http://localhost:${api0 + 10}`, 'the gpu1 profile to follow its mode');
      assert.equal(servers().find(e => e.name === 'gpu0')?.url, `http://localhost:${gradio}`);
      const snap = await api.server.refresh();
      assert.deepEqual(snap.services?.map(s => [s.service, s.status.state.state, s.status.state.runningMode]), [['acestep-gpu0', 'up', 'gradio'], ['acestep-gpu1', 'up', 'api']]);
      await waitFor(() => /acestep-gpu1: API mode, up/.test(api.server.statusTooltip()), 'a status line per service');
    } finally {
      for (const c of Object.values(containers())) { try { process.kill(c.pid, 'SIGTERM'); } catch { /* gone */ } }
      await vscode.workspace.getConfiguration('acestep').update('servers', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace.getConfiguration('acestep').update('servers', undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace.getConfiguration('acestep').update('composeDirectory', undefined, vscode.ConfigurationTarget.Workspace);
      await setSetting('composeDirectory', dir);
    }
  });
});
