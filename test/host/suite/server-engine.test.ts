// Server control in the real VS Code against a real Docker engine (the one test/docker/engine.mjs prepared, with
// the compose this machine has: Debian's docker-compose v1). The container runs the test ACE-Step server from the
// test image. Registered only in the `docker` tier of scripts/test.mjs, which sets ACESTEP_TEST_ENGINE.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { JobSnapshot } from '../../../src/core/jobs';
import type { ServerResult, StopResult } from '../../../src/vscode/server';
import { composeDown, engineFolder, engineInfo, freePorts, type EngineInfo } from '../../docker/engine-env';
import { activateExtension, closeAllEditors, waitFor, workspaceDir } from './helpers';

const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('acestep');

async function setSetting(key: string, value: unknown): Promise<void> {
  await config().update(key, value, vscode.ConfigurationTarget.Global);
  await waitFor(() => config().inspect(key)?.globalValue === value, `acestep.${key} to be ${JSON.stringify(value)}`);
}

/** The compose log lines the container printed, read through the same argv the log terminal runs. */
function readLogs(cmd: string, args: string[], cwd: string, until: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd });
    let text = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error(`no ${until} in the log:\n${text}`)); }, 20_000);
    const onData = (d: Buffer): void => {
      text += String(d);
      if (until.test(text)) { clearTimeout(timer); child.kill(); resolve(text); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
}

if (process.env.ACESTEP_TEST_ENGINE) {
  suite('ACE-Step server control on a real Docker engine', function () {
    this.timeout(180_000);
    let api: ExtensionApi;
    let engine: EngineInfo;
    let dir: string;
    let apiPort: number;
    const folders: string[] = [];

    suiteSetup(async function () {
      const e = engineInfo();
      if (typeof e === 'string') { console.log(`[docker] skipped: ${e}`); this.skip(); }
      engine = e as EngineInfo;
      api = (await activateExtension()).exports as ExtensionApi;
      const f = await engineFolder(engine, 'gradio');
      dir = f.dir;
      apiPort = f.apiPort;
      folders.push(dir);
      await setSetting('dockerPath', undefined);
      await setSetting('composeDirectory', dir);
      await setSetting('player.openOnFinish', false);
    });

    suiteTeardown(async () => {
      for (const f of folders) composeDown(engine, f);
      await setSetting('composeDirectory', undefined);
      await setSetting('player.openOnFinish', undefined);
      await api?.server.refresh();
    });

    teardown(closeAllEditors);

    test(`Switch Server Mode both ways with health waits; generation runs against the container`, async () => {
      const r = await vscode.commands.executeCommand<ServerResult>('acestep.switchMode', 'api', { timeoutMs: 60_000 });
      assert.ok(r.ok, JSON.stringify(r));
      assert.deepEqual([r.port, r.waited, r.health?.serverMode], [apiPort, true, 'api']);
      assert.match(fs.readFileSync(path.join(dir, '.env'), 'utf8'), /^ACESTEP_MODE=api$/m);
      const snap = await api.server.refresh();
      assert.deepEqual([snap.status?.state.state, snap.status?.state.container, snap.status?.state.runningMode], ['up', 'running', 'api']);
      await waitFor(() => /ACE-Step: API$/.test(api.server.statusText()), `the status bar to show API (shows "${api.server.statusText()}")`);
      assert.equal(api.generation.serverUrl(), r.url);

      const song = path.join(dir, 'lofi-study.song');
      fs.copyFileSync(path.join(workspaceDir(), 'lofi-study.song'), song);
      const job = await vscode.commands.executeCommand<JobSnapshot>('acestep.generateSong', vscode.Uri.file(song), { quiet: true });
      assert.equal(job.serverUrl, r.url);
      const done = await api.generation.jobs().waitFor(job.id);
      assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
      for (const t of done.takes ?? []) assert.ok(fs.statSync(t.file!).size > 0, t.file);
      assert.ok((done.takes ?? []).length >= 1, 'takes were saved');

      const g = await vscode.commands.executeCommand<ServerResult>('acestep.switchMode', 'gradio', { timeoutMs: 60_000 });
      assert.ok(g.ok, JSON.stringify(g));
      assert.deepEqual([g.waited, g.health?.serverMode], [true, 'gradio']);
      assert.equal((await api.server.refresh()).status?.state.runningMode, 'gradio');
    });

    test('Stop, Start and Restart Server drive the container', async () => {
      const stop = await vscode.commands.executeCommand<StopResult>('acestep.stopServer', {});
      assert.ok(stop.ok, JSON.stringify(stop));
      assert.deepEqual([(await api.server.refresh()).status?.state.state, (await api.server.refresh()).status?.state.container], ['down', 'exited']);
      const start = await vscode.commands.executeCommand<ServerResult>('acestep.startServer', { timeoutMs: 60_000 });
      assert.ok(start.ok, JSON.stringify(start));
      assert.deepEqual([start.mode, start.waited], ['gradio', true]);
      const restart = await vscode.commands.executeCommand<ServerResult>('acestep.restartServer', { timeoutMs: 60_000 });
      assert.ok(restart.ok, JSON.stringify(restart));
      assert.equal((await api.server.refresh()).status?.state.state, 'up');
    });

    test('Show Server Logs follows the container log in a terminal until the container stops', async () => {
      const logs = await vscode.commands.executeCommand<{ cmd: string; args: string[]; cwd: string }>('acestep.showServerLogs');
      assert.ok(logs, 'compose was found');
      assert.deepEqual(logs.args.slice(-4), ['--follow', '--tail', '300', 'acestep']);
      const terminal = await waitFor(() => vscode.window.terminals.find(t => t.name === 'ACE-Step Server Log'), 'the log terminal');
      assert.ok(await terminal.processId, 'compose logs runs in the terminal');
      assert.match(await readLogs(logs.cmd, logs.args, logs.cwd, /listening on 0\.0\.0\.0:7860/), /Starting Gradio UI/);
      assert.equal(terminal.exitStatus, undefined, 'still following');
      let closed = false;
      const listener = vscode.window.onDidCloseTerminal(t => { if (t === terminal) closed = true; });
      try {
        const stop = await vscode.commands.executeCommand<StopResult>('acestep.stopServer', {});
        assert.ok(stop.ok, JSON.stringify(stop));
        // The follow ends with the container: compose logs exits, and the terminal reports it (or closes).
        await waitFor(() => terminal.exitStatus ?? closed, 'the log terminal to end with the container', 30_000);
      } finally {
        listener.dispose();
        terminal.dispose();
      }
    });

    test('a container that exits at start, a host port already taken, an empty ACESTEP_API_KEY=: each named', async () => {
      const envFile = path.join(dir, '.env');
      const before = fs.readFileSync(envFile, 'utf8');
      try {
        fs.writeFileSync(envFile, `${before}ACESTEP_TEST_CRASH=1\n`);
        const crash = await vscode.commands.executeCommand<ServerResult>('acestep.switchMode', 'api', { timeoutMs: 60_000 });
        assert.equal(crash.ok, false, JSON.stringify(crash));
        if (!crash.ok) {
          assert.equal(crash.problem.kind, 'server-exited');
          assert.match(crash.problem.detail, /CUDA out of memory/);
        }
        assert.match(api.server.lastMessage() ?? '', /CUDA out of memory/);

        fs.writeFileSync(envFile, before);
        const blocker = net.createServer();
        await new Promise<void>((resolve, reject) => { blocker.once('error', reject); blocker.listen(apiPort, '0.0.0.0', resolve); });
        try {
          const taken = await vscode.commands.executeCommand<ServerResult>('acestep.switchMode', 'api', { timeoutMs: 60_000, force: true });
          assert.equal(taken.ok, false, JSON.stringify(taken));
          if (!taken.ok) {
            assert.equal(taken.problem.kind, 'port-in-use');
            assert.match(taken.problem.message, new RegExp(`Port ${apiPort} `));
          }
        } finally {
          await new Promise(resolve => blocker.close(resolve));
        }

        fs.writeFileSync(envFile, `${before}ACESTEP_API_KEY=\n`);
        const locked = await vscode.commands.executeCommand<ServerResult>('acestep.switchMode', 'api', { timeoutMs: 60_000, force: true });
        assert.ok(locked.ok, JSON.stringify(locked));
        assert.match(locked.warning ?? '', /ACESTEP_API_KEY= is empty in \.env/);
      } finally {
        fs.writeFileSync(envFile, fs.readFileSync(envFile, 'utf8').replace(/^ACESTEP_(?:TEST_CRASH|API_KEY)=.*\n/gm, ''));
      }
    });

    test('Create Docker Setup, then the extension starts what it wrote (test image, no GPU reservation)', async () => {
      const folder = fs.mkdtempSync(path.join(path.dirname(dir), 'acestep-setup-'));
      folders.push(folder);
      const [gradio, apiP] = await freePorts(2) as [number, number];
      const args = { folder, options: { source: 'image', image: engine.image, mode: 'api', ports: { gradio, api: apiP } } };
      const r = await vscode.commands.executeCommand<{ folder: string; files: string[]; settingWritten: boolean }>('acestep.createDockerSetup', args);
      assert.ok(r, 'files written');
      // This machine has no NVIDIA GPU. Compose v2 drops the reservation with an override ("!reset"); compose v1
      // cannot take a key away in an override, so there the test cuts exactly the deploy block from the file.
      const composeFile = path.join(folder, 'docker-compose.yml');
      if (engine.compose.startsWith('docker compose')) {
        fs.writeFileSync(path.join(folder, 'docker-compose.override.yml'), 'services:\n  acestep:\n    deploy: !reset {}\n');
      } else {
        const text = fs.readFileSync(composeFile, 'utf8');
        const deploy = /\n {4}deploy:\n(?: {6,}.*\n)+/.exec(text);
        assert.ok(deploy && /driver: nvidia/.test(deploy[0]), 'the file has the GPU reservation');
        fs.writeFileSync(composeFile, text.replace(deploy[0], '\n'));
      }
      await setSetting('composeDirectory', folder);
      const start = await vscode.commands.executeCommand<ServerResult>('acestep.startServer', { timeoutMs: 60_000 });
      assert.ok(start.ok, JSON.stringify(start));
      assert.deepEqual([start.mode, start.port, start.health?.serverMode], ['api', apiP, 'api']);
      // The generated entrypoint (mounted from the folder) switches the mode.
      const g = await vscode.commands.executeCommand<ServerResult>('acestep.switchMode', 'gradio', { timeoutMs: 60_000 });
      assert.ok(g.ok, JSON.stringify(g));
      assert.deepEqual([g.port, g.health?.serverMode], [gradio, 'gradio']);
    });
  });
}
