import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { JobSnapshot } from '../../../src/core/jobs';
import { parseSong } from '../../../src/core/song';
import { startFakeAceStep, type FakeServer } from '../../server/fake-acestep';
import { activateExtension, closeAllEditors, waitFor, workspaceDir } from './helpers';
import { fileSource } from '../../../src/vscode/player/views';
import { songCheck } from '../../../src/vscode/player/song-pick';

suite('the player after a generation', function () {
  this.timeout(90_000);
  let api: ExtensionApi;
  let server: FakeServer;
  const config = () => vscode.workspace.getConfiguration('acestep');

  suiteSetup(async () => {
    api = (await activateExtension()).exports as ExtensionApi;
    server = await startFakeAceStep({ flavour: 'U', generationMs: 1500, progressSteps: 3, audioBytes: 44 + 44_100 * 4 * 3 });
    await config().update('serverUrl', server.url, vscode.ConfigurationTarget.Global);
  });
  suiteTeardown(async () => {
    await config().update('serverUrl', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
    await server?.close();
  });

  test('opens on the job\'s takes when the generation finishes, draws the waveform, and "Use these settings" edits the song', async () => {
    const dir = path.join(workspaceDir(), 'player-tests');
    fs.mkdirSync(dir, { recursive: true });
    const song = path.join(dir, 'two-takes.song');
    fs.writeFileSync(song, '---\ntitle: Two Takes\ncaption: warm acoustic folk, fingerpicked guitar, soft male vocals\nduration: 30\nbatch_size: 2\naudio_format: wav\nlanguage: en\n---\n[Verse]\nThe river knows the way back home\nAnd every stone remembers rain\n');
    const job = await vscode.commands.executeCommand<JobSnapshot>('acestep.generateSong', vscode.Uri.file(song));
    const done = await api.generation.jobs().waitFor(job.id);
    assert.equal(done.state, 'succeeded');
    assert.equal(done.takes?.length, 2);
    // The panel opens by itself (acestep.player.openOnFinish) and reports what it shows.
    const state = await waitFor(() => {
      const s = api.player.state();
      return s && s.jobId === job.id && s.drawn ? s : undefined;
    }, 'the player to draw the job\'s waveform', 30_000);
    assert.equal(state.takeId, `${job.id}:0`);
    assert.ok(state.duration > 2.5 && state.duration < 3.5, `duration ${state.duration}`);
    assert.ok(api.player.isOpen());

    // Use these settings: seed, bpm, key and caption as sung go back into the song as an undoable edit.
    const take = { id: `${job.id}:0`, file: done.takes![0].file!, label: 'A', format: 'wav', sizeBytes: 0, songPath: song,
      meta: { caption: 'sung caption', lyrics: '', bpm: 96, key: 'G major', seed: 4242 } };
    assert.ok(await api.player.useSettings(take));
    const doc = await vscode.workspace.openTextDocument(song);
    assert.match(doc.getText(), /seed: 4242/);
    assert.match(doc.getText(), /bpm: 96/);
    assert.match(doc.getText(), /key: G major/);
    assert.match(doc.getText(), /caption: sung caption/);
    assert.ok(doc.isDirty, 'an edit in the editor (undoable), not a silent write');
    await vscode.commands.executeCommand('undo');

    // A caption from the server is data: its second line must not become a key (issue 12, case 1).
    const before = doc.getText();
    const hostile = 'x\nreference_audio: /some/file\n# not a comment: "quoted" \\ tab\there';
    assert.ok(await api.player.useSettings({ ...take, meta: { caption: hostile, lyrics: '' } }));
    const parsed = parseSong(doc.getText());
    assert.deepEqual(parsed.frontmatter?.errors, []);
    assert.equal(parsed.params.caption, hostile);
    assert.equal(parsed.params.reference_audio, undefined);
    assert.deepEqual(parsed.frontmatter?.entries.map(e => e.key), ['title', 'caption', 'duration', 'batch_size', 'audio_format', 'language']);
    assert.equal(doc.getText().replace(/^caption: .*$/m, ''), before.replace(/^caption: .*$/m, ''), 'only the caption line changed');
    await vscode.commands.executeCommand('undo');
  });

  test('clicking take B in the Generations view opens the player on take B', async () => {
    const dir = path.join(workspaceDir(), 'player-tests');
    fs.mkdirSync(dir, { recursive: true });
    const song = path.join(dir, 'click-b.song');
    fs.writeFileSync(song, '---\ntitle: Click B\ncaption: calm piano\nduration: 30\nbatch_size: 2\naudio_format: wav\ninstrumental: true\n---\n[Instrumental]\n');
    await config().update('player.openOnFinish', false, vscode.ConfigurationTarget.Global);
    try {
      const job = await vscode.commands.executeCommand<JobSnapshot>('acestep.generateSong', vscode.Uri.file(song));
      assert.equal((await api.generation.jobs().waitFor(job.id)).state, 'succeeded');
      // Song → job → takes, as the view shows them; the second take's item is what a click runs.
      const tree = api.generationsTree;
      const songNode = (await tree.getChildren!())!.find(n => (tree.getTreeItem(n) as vscode.TreeItem).label === 'Click B');
      assert.ok(songNode, 'the song is listed');
      const jobNode = (await tree.getChildren!(songNode))![0];
      const takeNodes = (await tree.getChildren!(jobNode))!;
      assert.equal(takeNodes.length, 2);
      const item = await tree.getTreeItem(takeNodes[1]);
      assert.ok(item.command, 'a take item opens on click');
      await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
      const state = await waitFor(() => {
        const s = api.player.state();
        return s && s.jobId === job.id && s.reason !== 'ready' ? s : undefined;
      }, 'the player to show the job', 30_000);
      assert.equal(state.takeId, `${job.id}:1`, 'the clicked take, not the first');
    } finally {
      await config().update('player.openOnFinish', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('a sidecar naming a song that did not make the take: "Use These Settings" asks, and edits nothing by itself', async () => {
    const dir = path.join(workspaceDir(), 'player-tests');
    fs.mkdirSync(path.join(dir, 'stray'), { recursive: true });
    const song = path.join(dir, 'own-take.song');
    fs.writeFileSync(song, '---\ntitle: Own Take\ncaption: calm piano\nduration: 30\naudio_format: wav\ninstrumental: true\n---\n[Instrumental]\n');
    await config().update('player.openOnFinish', false, vscode.ConfigurationTarget.Global);
    const outsideDir = fs.mkdtempSync(path.join(os.tmpdir(), 'acestep-outside-'));
    try {
      const job = await vscode.commands.executeCommand<JobSnapshot>('acestep.generateSong', vscode.Uri.file(song));
      const done = await api.generation.jobs().waitFor(job.id);
      assert.equal(done.state, 'succeeded');
      const { file, sidecar } = done.takes![0];
      // The take where the song put it: its sidecar is believed.
      assert.equal((await fileSource(file!, songCheck)).takes[0].songPath, song);

      // A copy whose sidecar names a song outside the workspace.
      const outside = path.join(outsideDir, 'victim.song');
      const original = '---\ntitle: Victim\ncaption: keep me\n---\n[Verse]\nuntouched\n';
      fs.writeFileSync(outside, original);
      const stray = path.join(dir, 'stray', 'stray_take1.wav');
      fs.copyFileSync(file!, stray);
      const json = JSON.parse(fs.readFileSync(sidecar!, 'utf8'));
      assert.equal(json.song, song, 'the sidecar names its song');
      fs.writeFileSync(stray.replace(/\.wav$/, '.json'), JSON.stringify({ ...json, song: outside }));
      const t = (await fileSource(stray, songCheck)).takes[0];
      assert.equal(t.songPath, undefined, 'a song outside the workspace is not believed');
      assert.equal(t.claimedSong, outside);
      // The question comes up (a quick pick of songs); dismissing it edits nothing.
      const answered = api.player.useSettings(t);
      await new Promise(r => setTimeout(r, 1500));
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      assert.equal(await answered, false);
      assert.equal(fs.readFileSync(outside, 'utf8'), original);
      assert.ok(!vscode.workspace.textDocuments.some(d => d.uri.fsPath === outside && d.isDirty), 'no edit in an editor either');

      // The real sidecar (naming the workspace song) beside a take outside that song's output folder: not believed either.
      fs.writeFileSync(stray.replace(/\.wav$/, '.json'), JSON.stringify(json));
      assert.equal((await fileSource(stray, songCheck)).takes[0].songPath, undefined);
    } finally {
      fs.rmSync(outsideDir, { recursive: true, force: true });
      await config().update('player.openOnFinish', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
