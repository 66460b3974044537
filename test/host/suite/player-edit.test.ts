// Editing takes from the player, in the real VS Code against the test server (W: it takes uploads): a region
// selected in the player is repainted and the new take opens beside its source at that region, with its lineage
// in the Generations view; restyle and extract; sections kept in the sidecar; "Use These Settings" on an edit.
// The page's own part (the edit bar posting the message) is tested in test/webview/player-edit.test.ts; here the
// message arrives through the same validation as the page's.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { JobSnapshot } from '../../../src/core/jobs';
import { readSidecar } from '../../../src/core/jobs/sidecar';
import type { EditAsk } from '../../../src/vscode/player/edit';
import { startFakeAceStep, type FakeServer } from '../../server/fake-acestep';
import { activateExtension, closeAllEditors, pageAvailable, waitFor, workspaceDir } from './helpers';

/** Answers the edit's questions in order (a quick pick answer is the item's text or its start, or the items for many). */
function answers(...queue: (string | string[])[]): EditAsk & { left: typeof queue } {
  return {
    left: queue,
    pick: async items => {
      const a = queue.shift();
      assert.ok(a !== undefined, `an unexpected question: ${items.join(', ')}`);
      return [a].flat().map(x => {
        const item = items.find(i => i === x || i.startsWith(x));
        assert.ok(item, `${x} is offered among ${items.join(', ')}`);
        return item;
      });
    },
    input: async options => {
      const a = queue.shift();
      assert.ok(typeof a === 'string', `an unexpected input box: ${options.title}`);
      return a;
    },
  };
}

async function screenshot(name: string): Promise<void> {
  if (!pageAvailable()) return;
  const file = path.join(process.env.ACESTEP_SCREENSHOT_DIR ?? '', name);
  fs.rmSync(file, { force: true });
  await new Promise(r => setTimeout(r, 800));
  console.log(`[screenshot] ${name}`);
  await waitFor(() => fs.existsSync(file), `screenshot ${name}`, 20_000);
}

suite('editing takes from the player', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let server: FakeServer;
  const config = () => vscode.workspace.getConfiguration('acestep');

  suiteSetup(async () => {
    api = (await activateExtension()).exports as ExtensionApi;
    server = await startFakeAceStep({ flavour: 'W', generationMs: 800, progressSteps: 2, audioBytes: 44 + 44_100 * 4 * 3 });
    await config().update('serverUrl', server.url, vscode.ConfigurationTarget.Global);
  });
  suiteTeardown(async () => {
    await config().update('serverUrl', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
    await server?.close();
  });

  /** Sends the edit as the page does and waits for its job to finish. */
  async function edit(takeId: string, message: object, ask: EditAsk & { left: unknown[] }): Promise<JobSnapshot> {
    const before = new Set(api.generation.list().map(j => j.id));
    api.player.ask = ask;
    await api.player.messageForTests({ type: 'edit', takeId, edit: message });
    const job = await waitFor(() => api.generation.list().find(j => !before.has(j.id) && j.lineage), 'the edit job', 10_000);
    const done = await api.generation.jobs().waitFor(job.id);
    assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
    assert.deepEqual(ask.left, [], 'every question was asked');
    return done;
  }

  test('a region selected in the player is repainted: the new take opens beside its source there, its lineage in the Generations view; restyle and extract too', async () => {
    const dir = path.join(workspaceDir(), 'player-edit-tests');
    fs.mkdirSync(dir, { recursive: true });
    const song = path.join(dir, 'harbour.song');
    fs.writeFileSync(song, '---\ntitle: Harbour Edit\ncaption: warm folk, acoustic guitar\nduration: 30\nbatch_size: 1\naudio_format: wav\nlanguage: en\n---\n[Verse]\nLights along the harbour\nHumming in the rain\n\n[Chorus]\nHold the night a little longer\n');
    const job = await vscode.commands.executeCommand<JobSnapshot>('acestep.generateSong', vscode.Uri.file(song));
    const done = await api.generation.jobs().waitFor(job.id);
    assert.equal(done.state, 'succeeded');
    const takeId = `${job.id}:0`;
    const source = done.takes![0].file!;
    await waitFor(() => { const s = api.player.state(); return s?.jobId === job.id && s.drawn; }, 'the player on the take', 30_000);

    // Repaint 1–2 s with new lyrics for the sections there (the question is prefilled with theirs): the take is the
    // source audio, the range is the repaint range, the lyrics elsewhere stay.
    const repaint = await edit(takeId, { kind: 'repaint', start: 1, end: 2 }, answers('New lyrics for', 'Lanterns on the water / Singing in the rain'));
    const lyrics = String(repaint.request.params.lyrics);
    assert.match(lyrics, /^\[Verse\]\nLanterns on the water\nSinging in the rain\n/, lyrics);
    assert.doesNotMatch(lyrics, /Lights along the harbour/);
    assert.equal(repaint.request.params.task_type, 'repaint');
    assert.equal(repaint.request.params.repainting_start, 1);
    assert.equal(repaint.request.params.repainting_end, 2);
    assert.equal(repaint.request.files.src_audio, source);
    assert.deepEqual(repaint.lineage?.parent.file, source);
    const release = server.requests.filter(r => r.path === '/release_task').at(-1)!;
    assert.match(String(release.headers['content-type']), /multipart\/form-data/, 'the take is uploaded');
    const sidecar = readSidecar(JSON.parse(fs.readFileSync(repaint.takes![0].sidecar!, 'utf8')));
    assert.equal(sidecar?.lineage?.parent.file, source, 'the edited take\'s sidecar names its parent');
    assert.equal(sidecar?.lineage?.operation.kind, 'repaint');

    // The player shows the source and the edit together (A/B), at the repainted region.
    const ab = await waitFor(() => {
      const s = api.player.state();
      return s?.jobId === `ab:${repaint.id}` && s.region && s.drawn ? s : undefined;
    }, 'the edit beside its source', 30_000);
    assert.equal(ab.takeId, `ab:${repaint.id}:${repaint.id}:0`);
    assert.deepEqual(ab.region, { start: 1, end: 2 });
    assert.equal(ab.loop, 'region');
    assert.ok(ab.currentTime >= 1 && ab.currentTime < 2, `at the region: ${ab.currentTime}`);
    await api.player.messageForTests({ type: 'edit', takeId: 'nonsense', edit: { kind: 'repaint', start: 2, end: 1 } }); // refused, no job
    await screenshot('player-edit-ab.png');

    // The Generations view: song → job → take → the repaint → its take.
    const tree = api.generationsTree;
    const label = (n: unknown) => String((tree.getTreeItem(n) as vscode.TreeItem).label);
    const songNode = (await tree.getChildren!())!.find(n => label(n) === 'Harbour Edit');
    assert.ok(songNode, 'the song is listed');
    const jobs = (await tree.getChildren!(songNode))!;
    assert.equal(jobs.length, 1, 'the edit is not a job of its own at the song level');
    assert.equal((tree.getTreeItem(jobs[0]) as vscode.TreeItem).collapsibleState, vscode.TreeItemCollapsibleState.Expanded, 'open: its take was edited');
    const [takeNode] = (await tree.getChildren!(jobs[0]))!;
    assert.equal((tree.getTreeItem(takeNode) as vscode.TreeItem).collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    const editNodes = (await tree.getChildren!(takeNode))!;
    assert.deepEqual(editNodes.map(label), ['repaint 1–2 s']);
    assert.equal((await tree.getChildren!(editNodes[0]))!.length, 1, 'the edited take under its edit');

    // Restyle (cover) and extract, from the player on the source take.
    const restyle = await edit(takeId, { kind: 'restyle' }, answers('dark synthwave, analog bass', '0.3'));
    assert.equal(restyle.request.params.task_type, 'cover');
    assert.equal(restyle.request.params.prompt, 'dark synthwave, analog bass');
    assert.equal(restyle.request.params.audio_cover_strength, 0.3);
    const extract = await edit(takeId, { kind: 'extract' }, answers('vocals'));
    assert.equal(extract.request.params.task_type, 'extract');
    assert.equal(extract.request.params.instruction, 'Extract the VOCALS track from the audio:');
    assert.deepEqual((await tree.getChildren!(takeNode))!.map(label), ['repaint 1–2 s', 'restyle', 'extract vocals']);
    await vscode.commands.executeCommand('acestep.generations.focus');
    await screenshot('generations-lineage.png');

    // "Use These Settings" on the repainted take: a .song of the edit.
    const editTake = { id: 'x', file: repaint.takes![0].file!, label: 'Edit', format: 'wav', sizeBytes: 0, meta: { caption: 'warm folk', lyrics: '[Verse]\nLights' },
      params: repaint.request.params, lineage: repaint.lineage };
    assert.ok(await api.player.useSettings(editTake));
    const text = vscode.window.activeTextEditor!.document.getText();
    assert.match(text, /task_type: repaint/);
    assert.match(text, /repainting_start: 1\b/);
    assert.match(text, /repainting_end: 2\b/);
    assert.ok(text.includes(`src_audio: ${source}`) || text.includes(JSON.stringify(source)), text);
  });

  test('sections moved in the player are kept in the take\'s sidecar', async () => {
    const job = api.generation.list().find(j => j.title === 'Harbour Edit' && !j.lineage)!;
    await api.player.openJob(job.id);
    await waitFor(() => { const s = api.player.state(); return s?.jobId === job.id && s.drawn; }, 'the player on the take', 30_000);
    const sections = [{ name: 'Verse', start: 0, end: 1.25 }, { name: 'Chorus', start: 1.25, end: 3 }];
    await api.player.messageForTests({ type: 'sections', takeId: `${job.id}:0`, sections });
    const file = job.takes![0].sidecar!;
    const read = await waitFor(() => readSidecar(JSON.parse(fs.readFileSync(file, 'utf8')))?.sections ?? undefined, 'the sections in the sidecar', 5000);
    assert.deepEqual(read, sections);
    assert.equal(readSidecar(JSON.parse(fs.readFileSync(file, 'utf8')))?.title, 'Harbour Edit', 'the rest of the sidecar stays');
  });
});
