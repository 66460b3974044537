import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { JobSnapshot } from '../../../src/core/jobs';
import { parseSong } from '../../../src/core/song';
import { startFakeAceStep, type FakeServer } from '../../server/fake-acestep';
import { activateExtension, closeAllEditors, waitFor, workspaceDir } from './helpers';

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
});
