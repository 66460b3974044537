import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { JobSnapshot } from '../../../src/core/jobs';
import { writeWav } from '../../../src/core/player/wav';
import { startFakeAceStep } from '../../server/fake-acestep';
import { activateExtension, askPage, closeAllEditors, pageAvailable, waitFor, workspaceDir, type PageElement } from './helpers';

const config = () => vscode.workspace.getConfiguration('acestep');

suite('editing on the Gradio API', function () {
  this.timeout(60_000);
  teardown(async () => {
    await config().update('serverUrl', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('notifications.clearAll');
    await closeAllEditors();
  });

  test('a repaint is refused before anything is sent: "Editing needs the standalone API", with a Switch button', async function () {
    const api = (await activateExtension()).exports as ExtensionApi;
    // Earlier suites' notifications would crowd the list (it only draws the rows in view).
    await vscode.commands.executeCommand('notifications.clearAll');
    const server = await startFakeAceStep({ flavour: 'G', generationMs: 100 });
    try {
      await config().update('serverUrl', server.url, vscode.ConfigurationTarget.Global);
      const dir = path.join(workspaceDir(), 'edit-refusal');
      fs.mkdirSync(dir, { recursive: true });
      await writeWav(path.join(dir, 'take.wav'), { durationSec: 2 });
      const song = path.join(dir, 'repaint.song');
      fs.writeFileSync(song, ['---', 'title: Fix Bar Forty', 'caption: indie rock', 'task_type: repaint', 'src_audio: take.wav',
        'repainting_start: 0.5', 'repainting_end: 1.5', '---', '[Verse]', 'a new line for the middle', ''].join('\n'));
      await vscode.window.showTextDocument(vscode.Uri.file(song));
      const job = await vscode.commands.executeCommand<JobSnapshot>('acestep.generateSong', vscode.Uri.file(song));
      assert.ok(job?.id, 'the job was planned');
      const done = await api.generation.jobs().waitFor(job.id);
      assert.equal(done.state, 'failed');
      assert.equal(done.error?.kind, 'unsupported');
      assert.match(done.error!.message, /Editing needs the standalone API/);
      assert.ok(!server.requests.some(r => r.path === '/release_task'), 'nothing was sent to the Gradio API');
      if (!pageAvailable()) this.skip();
      // The test workbench shows no toasts: the message and its buttons are in the notification centre.
      let seen: string[] = [];
      const row = await waitFor(async () => {
        await vscode.commands.executeCommand('notifications.showList');
        const rows = (await askPage<{ elements: PageElement[] }>({ query: '.notifications-list-container .monaco-list-row' })).elements;
        seen = rows.map(r => r.text);
        // The error itself, with its buttons (the progress notification that ran the job may still say "failed: …").
        return rows.find(e => /Editing needs the standalone API/.test(e.text) && /Switch to API Mode/.test(e.text));
      }, 'the refusal with its Switch to API Mode button in the notification centre', 15_000).catch(e => {
        throw new Error(`${(e as Error).message}; rows: ${JSON.stringify(seen)}`);
      });
      assert.doesNotMatch(row.text, /Cancel/, row.text);
    } finally {
      await server.close();
    }
  });
});
