// Pictures of the real workbench for README.md, taken by the runner: `npm run screenshots`.
// Skipped in ordinary test runs (they would rewrite tracked images).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { JobSnapshot } from '../../../src/core/jobs';
import { startFakeAceStep, type FakeServer } from '../../server/fake-acestep';
import { activateExtension, closeAllEditors, waitFor, workspaceFile } from './helpers';

/** Asks the runner for a screenshot and waits until the file is written. */
async function screenshot(name: string): Promise<void> {
  const file = path.join(process.env.ACESTEP_SCREENSHOT_DIR ?? '', name);
  fs.rmSync(file, { force: true });
  await new Promise(r => setTimeout(r, 800)); // let the workbench finish painting
  console.log(`[screenshot] ${name}`);
  await waitFor(() => fs.existsSync(file), `screenshot ${name}`, 20_000);
}

(process.env.ACESTEP_SCREENSHOTS ? suite : suite.skip)('screenshots', function () {
  this.timeout(120_000);
  let server: FakeServer;
  let api: ExtensionApi;
  const config = () => vscode.workspace.getConfiguration('acestep');

  suiteSetup(async () => {
    api = (await activateExtension()).exports as ExtensionApi;
    server = await startFakeAceStep({ flavour: 'U', generationMs: 12_000, progressSteps: 12, audioBytes: 44 + 44_100 * 4 * 20 });
    await config().update('serverUrl', server.url, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
  });
  suiteTeardown(async () => {
    await config().update('serverUrl', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
    await server?.close();
  });

  test('a .song with highlighting, diagnostics and the duration CodeLens', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('tempest-of-the-night.song'));
    await vscode.window.showTextDocument(doc);
    await waitFor(async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri))?.length, 'lenses');
    await screenshot('song-editor.png');
  });

  test('the status bar while a job runs, and the player when it is done', async () => {
    const uri = workspaceFile('neon-skyline.song');
    await vscode.window.showTextDocument(uri);
    const job = await vscode.commands.executeCommand<JobSnapshot>('acestep.generateSong', uri, { overrides: { batch_size: 2, audio_format: 'wav' } });
    await waitFor(() => /\d+%/.test(api.jobsStatus.text()) && (api.generation.jobs().get(job.id)?.progress ?? 0) > 0.4, 'progress past 40%', 30_000);
    await screenshot('generating.png');
    await api.generation.jobs().waitFor(job.id);
    await waitFor(() => api.player.state()?.drawn, 'the player', 30_000);
    await screenshot('player-in-vscode.png');
  });

  test('@acestep /write in the chat view, with the song it opened', async () => {
    await closeAllEditors();
    const song = fs.readFileSync(workspaceFile('prompts', 'black-metal.song').fsPath, 'utf8');
    await vscode.commands.executeCommand('acestepFake.setResponses', [{ text: `Here is your song.\n\n\`\`\`song\n${song}\`\`\`\n`, delayMs: 5 }]);
    await vscode.commands.executeCommand('workbench.action.chat.open', {
      query: '@acestep /write A creative black metal song with good lyrics, in English, with guitar solos, a bit like Dimmu Borgir',
      isPartialQuery: false,
      modelSelector: { vendor: 'acestep-fake', id: 'acestep-fake-model' },
      blockOnResponse: true,
    });
    await waitFor(() => vscode.window.activeTextEditor?.document.languageId === 'song', 'the written song', 30_000);
    await screenshot('chat.png');
  });

  test('the Servers view while a folder renders on two servers', async () => {
    await closeAllEditors();
    const second = await startFakeAceStep({ flavour: 'S', generationMs: (p: Record<string, unknown>) => Number(p.audio_duration ?? 120) * 60, progressSteps: 10, audioBytes: 20_000 });
    const first = await startFakeAceStep({ flavour: 'U', generationMs: (p: Record<string, unknown>) => Number(p.audio_duration ?? 120) * 40, progressSteps: 10, audioBytes: 20_000, lmLoaded: true });
    await config().update('serverUrl', first.url, vscode.ConfigurationTarget.Global);
    await config().update('servers', [{ name: 'gpu1', url: second.url }], vscode.ConfigurationTarget.Global);
    const folder = path.join(path.dirname(workspaceFile('neon-skyline.song').fsPath), 'album');
    fs.mkdirSync(folder, { recursive: true });
    for (const f of ['neon-skyline.song', 'harbour-waltz.song', 'lofi-study.song', 'dutch-pop.song', 'tempest-of-the-night.song']) {
      fs.copyFileSync(workspaceFile(f).fsPath, path.join(folder, f));
    }
    try {
      const render = vscode.commands.executeCommand('acestep.generateFolder', vscode.Uri.file(folder), { confirm: false });
      await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
      await vscode.commands.executeCommand('acestep.serversView.focus');
      const tree = api.serversTree;
      await waitFor(async () => {
        const nodes = await tree.getChildren() ?? [];
        const busy = await Promise.all(nodes.map(async n => /^busy/.test(String((await tree.getTreeItem(n)).description))));
        return busy.filter(Boolean).length >= 2 && nodes.length >= 3;
      }, 'both servers busy and songs waiting', 30_000);
      await new Promise(r => setTimeout(r, 1500));
      await screenshot('servers.png');
      await render;
    } finally {
      await config().update('servers', undefined, vscode.ConfigurationTarget.Global);
      await config().update('serverUrl', server.url, vscode.ConfigurationTarget.Global);
      await first.close();
      await second.close();
    }
  });
});
