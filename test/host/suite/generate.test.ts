import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { JobSnapshot } from '../../../src/core/jobs';
import { startFakeAceStep, type FakeServer } from '../../server/fake-acestep';
import { activateExtension, closeAllEditors, waitFor, workspaceDir } from './helpers';

const config = () => vscode.workspace.getConfiguration('acestep');

/** A fresh copy of an example song in its own folder of the workspace, so outputs do not mix. */
function songCopy(example: string, folder: string): vscode.Uri {
  const dir = path.join(workspaceDir(), 'generate-tests', folder);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, example);
  fs.copyFileSync(path.join(workspaceDir(), example), file);
  return vscode.Uri.file(file);
}

suite('Generate Song against the test ACE-Step server', function () {
  this.timeout(90_000);
  let api: ExtensionApi;
  let server: FakeServer;

  suiteSetup(async () => {
    api = (await activateExtension()).exports as ExtensionApi;
    server = await startFakeAceStep({ flavour: 'S', generationMs: 2500, progressSteps: 5, audioBytes: 200_000 });
    await config().update('serverUrl', server.url, vscode.ConfigurationTarget.Global);
    await config().update('player.openOnFinish', false, vscode.ConfigurationTarget.Global);
  });
  suiteTeardown(async () => {
    await config().update('serverUrl', undefined, vscode.ConfigurationTarget.Global);
    await config().update('player.openOnFinish', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });
  teardown(closeAllEditors);

  test('takes and sidecars land on disk, the status bar shows progress, the history lists the job', async () => {
    const uri = songCopy('tempest-of-the-night.song', 'ok');
    await vscode.window.showTextDocument(uri);
    const seen = new Set<string>();
    const sub = api.generation.onDidChange(() => { if (api.jobsStatus.shown()) seen.add(api.jobsStatus.text()); });
    const job = await vscode.commands.executeCommand<JobSnapshot>('acestep.generateSong', uri);
    assert.ok(job?.id, 'a job was submitted');
    const done = await api.generation.jobs().waitFor(job.id);
    sub.dispose();
    assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
    const outDir = path.join(path.dirname(uri.fsPath), 'acestep-output', 'tempest-of-the-night');
    assert.equal(done.outputDir, outDir);
    const files = (done.takes ?? []).map(t => t.file!);
    assert.equal(files.length, 1, 'batch_size 1: one take');
    for (const f of files) {
      assert.ok(f.startsWith(outDir + path.sep), f);
      assert.match(path.basename(f), /^tempest-of-the-night_.*take1\.mp3$/);
      assert.equal(fs.statSync(f).size, 200_000);
    }
    const sidecar = JSON.parse(fs.readFileSync(done.takes![0].sidecar!, 'utf8'));
    assert.equal(sidecar.server.url ?? sidecar.serverUrl, server.url);
    assert.equal(JSON.stringify(sidecar).includes('Through frozen wastelands'), true, 'the sidecar keeps the lyrics');
    // What the server received is what the song says.
    const sent = server.jobs.find(j => j.id === done.taskId)!;
    assert.equal(sent.params.bpm, 160);
    assert.equal(sent.params.batch_size, 1);
    assert.equal(sent.params.audio_format, 'mp3');
    // The status bar showed progress while the job ran.
    assert.ok([...seen].some(t => /\d+%/.test(t)), `status texts: ${[...seen].join(' | ')}`);
    assert.ok([...seen].some(t => /Tempest of the Night/.test(t)));
    // The history lists it.
    assert.ok(api.generation.list().some(j => j.id === job.id && j.state === 'succeeded'));
  });

  test('credentials in acestep.serverUrl are never sent, stored in the job or its sidecars, nor shown', async () => {
    const withCreds = server.url.replace('http://', 'http://someone:hunter2secret@');
    await config().update('serverUrl', withCreds, vscode.ConfigurationTarget.Global);
    try {
      const uri = songCopy('tempest-of-the-night.song', 'credentials');
      await vscode.window.showTextDocument(uri);
      const job = await vscode.commands.executeCommand<JobSnapshot>('acestep.generateSong', uri);
      const done = await api.generation.jobs().waitFor(job.id);
      assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
      assert.equal(done.serverUrl, server.url);
      assert.ok(!JSON.stringify(api.generation.list()).includes('hunter2secret'), 'not in the job records');
      assert.ok(!fs.readFileSync(done.takes![0].sidecar!, 'utf8').includes('hunter2secret'), 'not in the sidecar');
      assert.equal(api.generation.serverUrl(), server.url, 'what is shown is the URL without them');
      const sent = server.requests.filter(r => r.path === '/release_task').at(-1)!;
      assert.ok(!String(sent.headers.authorization ?? '').startsWith('Basic'), 'no basic auth was sent');
    } finally {
      await config().update('serverUrl', server.url, vscode.ConfigurationTarget.Global);
    }
  });

  test("a rerun removes the stale temporary files an earlier, killed run of its song left, and nothing else", async () => {
    const uri = songCopy('tempest-of-the-night.song', 'stale');
    const outDir = path.join(path.dirname(uri.fsPath), 'acestep-output', 'tempest-of-the-night');
    fs.mkdirSync(outDir, { recursive: true });
    const stale = path.join(outDir, 'tempest-of-the-night_2026-01-01_1200_take1.mp3.part');
    const mine = path.join(outDir, 'notes.part');
    for (const f of [stale, mine]) {
      fs.writeFileSync(f, 'x');
      const old = new Date(Date.now() - 3_600_000);
      fs.utimesSync(f, old, old);
    }
    await vscode.window.showTextDocument(uri);
    const job = await vscode.commands.executeCommand<JobSnapshot>('acestep.generateSong', uri);
    const done = await api.generation.jobs().waitFor(job.id);
    assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
    assert.ok(!fs.existsSync(stale), 'the killed run\'s .part is gone');
    assert.ok(fs.existsSync(mine), 'a file that is not ours stays');
  });

  test('a song with errors is refused and nothing is submitted', async () => {
    const before = server.jobs.length;
    const doc = await vscode.workspace.openTextDocument({ language: 'song', content: '---\nbpm: 999\ncaption: x\n---\n[Verse]\nla la la la la la\n' });
    await vscode.window.showTextDocument(doc);
    const job = await vscode.commands.executeCommand('acestep.generateSong');
    assert.equal(job, undefined);
    assert.equal(server.jobs.length, before);
  });

  test('a pending job survives a reload and is resumed', async () => {
    server.setOptions({ generationMs: 4000 });
    const uri = songCopy('lofi-study.song', 'reload');
    const job = await vscode.commands.executeCommand<JobSnapshot>('acestep.generateSong', uri, { quiet: true });
    await waitFor(() => ['queued', 'running'].includes(api.generation.jobs().get(job.id)!.state), 'the job to be queued');
    // What a window reload does to the extension: the job manager goes away; only stored state remains.
    await api.generation.reloadForTests();
    assert.ok(api.generation.hasPendingInStorage(), 'the pending job is in storage');
    const resumed = await api.generation.jobs().waitFor(job.id);
    assert.equal(resumed.state, 'succeeded');
    assert.ok(resumed.takes?.every(t => t.file && fs.existsSync(t.file)));
    server.setOptions({ generationMs: 2500 });
  });

  test('server down at submit: a clear failure, nothing written', async () => {
    await config().update('serverUrl', 'http://127.0.0.1:9', vscode.ConfigurationTarget.Global);
    try {
      const uri = songCopy('dutch-pop.song', 'down');
      const job = await vscode.commands.executeCommand<JobSnapshot>('acestep.generateSong', uri, { quiet: true });
      const done = await api.generation.jobs().waitFor(job.id);
      assert.equal(done.state, 'failed');
      assert.equal(done.error?.kind, 'unreachable');
      assert.match(done.error!.message, /127\.0\.0\.1:9/);
      assert.ok(!fs.existsSync(path.join(path.dirname(uri.fsPath), 'acestep-output')), 'no output folder');
    } finally {
      await config().update('serverUrl', server.url, vscode.ConfigurationTarget.Global);
    }
  });
});
