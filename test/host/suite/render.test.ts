import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { JobSnapshot } from '../../../src/core/jobs';
import type { RenderOutcome } from '../../../src/vscode/generate/render';
import type { RenderNode } from '../../../src/vscode/generate/render-view';
import { startFakeAceStep, type FakeServer } from '../../server/fake-acestep';
import { activateExtension, closeAllEditors, waitFor, workspaceDir } from './helpers';

const config = () => vscode.workspace.getConfiguration('acestep');

suite('Generate All Songs in Folder across two servers', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let fast: FakeServer;
  let slow: FakeServer;
  let folder: string;

  suiteSetup(async () => {
    api = (await activateExtension()).exports as ExtensionApi;
    // Two GPUs of different speeds: a job takes its song's length in ms ×3 (fast) or ×5 (slow).
    const ms = (factor: number) => (p: Record<string, unknown>) => Number(p.audio_duration ?? 120) * factor;
    fast = await startFakeAceStep({ flavour: 'S', generationMs: ms(3), progressSteps: 3, audioBytes: 20_000 });
    slow = await startFakeAceStep({ flavour: 'U', generationMs: ms(5), progressSteps: 3, audioBytes: 20_000, lmLoaded: true });
    await config().update('serverUrl', fast.url, vscode.ConfigurationTarget.Global);
    await config().update('servers', [{ name: 'gpu1', url: slow.url }], vscode.ConfigurationTarget.Global);
    await config().update('player.openOnFinish', false, vscode.ConfigurationTarget.Global);
    // The examples, in a folder of their own (other tests write songs beside them).
    folder = path.join(workspaceDir(), 'render-tests', 'examples');
    fs.mkdirSync(folder, { recursive: true });
    for (const f of fs.readdirSync(workspaceDir()).filter(f => f.endsWith('.song'))) fs.copyFileSync(path.join(workspaceDir(), f), path.join(folder, f));
  });
  suiteTeardown(async () => {
    for (const key of ['serverUrl', 'servers', 'player.openOnFinish']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await fast?.close();
    await slow?.close();
  });
  teardown(closeAllEditors);

  test('every song is rendered, both servers work at once, each take\'s sidecar names its server', async () => {
    const songs = fs.readdirSync(folder).filter(f => f.endsWith('.song'));
    assert.ok(songs.length >= 6, `examples: ${songs.join(', ')}`);
    const tree = api.serversTree as vscode.TreeDataProvider<RenderNode>;
    const busySeen = new Set<string>();
    const labels = new Set<string>();
    let watching = true;
    const watch = (async () => {
      while (watching) {
        for (const node of await tree.getChildren() ?? []) {
          const item = await tree.getTreeItem(node);
          if (node.kind === 'server') {
            if (/^busy/.test(String(item.description))) busySeen.add(node.server.name);
            for (const child of await tree.getChildren(node) ?? []) labels.add(String((await tree.getTreeItem(child)).description));
          }
        }
        await new Promise(r => setTimeout(r, 60));
      }
    })();
    const outcome = await vscode.commands.executeCommand<RenderOutcome>('acestep.generateFolder', vscode.Uri.file(folder), { confirm: false });
    watching = false;
    await watch;
    assert.ok(outcome, 'the render ran');
    assert.deepEqual(outcome.skipped, []);
    assert.equal(outcome.entries.length, songs.length);
    assert.deepEqual(outcome.entries.map(e => e.job?.state), songs.map(() => 'succeeded'), JSON.stringify(outcome.entries.map(e => [e.title, e.state, e.reason, e.job?.error])));
    // The live view showed both servers busy, and songs' stages there.
    assert.deepEqual([...busySeen].sort(), ['default', 'gpu1']);
    assert.ok([...labels].some(l => /queued|generating|%|Generating/.test(l)), [...labels].join(' | '));
    // Both servers took songs; every take is on disk with the server that made it in its sidecar.
    const byServer = new Map<string, number>();
    for (const e of outcome.entries) {
      byServer.set(e.server!, (byServer.get(e.server!) ?? 0) + 1);
      for (const take of e.job!.takes!) {
        assert.ok(take.file && fs.existsSync(take.file), `${e.title}: ${take.file}`);
        const sidecar = JSON.parse(fs.readFileSync(take.sidecar!, 'utf8'));
        const url = e.server === 'gpu1' ? slow.url : fast.url;
        assert.equal(sidecar.server?.name, e.server, `${e.title}: ${JSON.stringify(sidecar.server)}`);
        assert.equal(sidecar.server?.url, url);
      }
    }
    assert.ok((byServer.get('default') ?? 0) > 0 && (byServer.get('gpu1') ?? 0) > 0, JSON.stringify([...byServer]));
    // The faster server took more of the work.
    assert.equal(fast.jobs.length + slow.jobs.length, songs.length);
  });

  test('Generate Song with two servers: a song that names gpu1 renders there; one that names no such server is not sent', async () => {
    const dir = path.join(workspaceDir(), 'render-tests', 'pinned');
    fs.mkdirSync(dir, { recursive: true });
    const write = (name: string, server: string) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, fs.readFileSync(path.join(folder, 'lofi-study.song'), 'utf8').replace(/^title: .*$/m, m => `${m}\nserver: ${server}`));
      return vscode.Uri.file(file);
    };
    const before = fast.jobs.length + slow.jobs.length;
    const job = await vscode.commands.executeCommand<JobSnapshot>('acestep.generateSong', write('pinned.song', 'gpu1'));
    assert.ok(job, 'a job was made');
    const done = await api.generation.jobs().waitFor(job.id);
    assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
    assert.equal(done.serverName, 'gpu1');
    assert.equal(done.serverUrl, slow.url);
    const none = await vscode.commands.executeCommand<JobSnapshot | undefined>('acestep.generateSong', write('nowhere.song', 'gpu9'));
    assert.equal(none, undefined, 'no job for a server that is not there');
    assert.equal(fast.jobs.length + slow.jobs.length, before + 1, 'nothing else was sent');
  });

  test('in the editor, a server: that names no profile is a warning, gone once such a profile exists', async () => {
    const file = path.join(workspaceDir(), 'render-tests', 'pinned', 'editor.song');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, fs.readFileSync(path.join(folder, 'lofi-study.song'), 'utf8').replace(/^title: .*$/m, m => `${m}\nserver: gpu9`));
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(uri);
    const unknown = () => vscode.languages.getDiagnostics(uri).filter(d => d.code === 'unknown-server');
    const [warning] = await waitFor(() => unknown().length ? unknown() : undefined, 'the unknown-server warning');
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(warning.message, /"gpu9".*default, gpu1/);
    await config().update('servers', [{ name: 'gpu1', url: slow.url }, { name: 'gpu9', url: fast.url.replace('127.0.0.1', 'localhost') }], vscode.ConfigurationTarget.Global);
    try {
      await waitFor(() => unknown().length === 0, 'the warning gone');
    } finally {
      await config().update('servers', [{ name: 'gpu1', url: slow.url }], vscode.ConfigurationTarget.Global);
    }
  });
});
