import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LoraStatus } from '../../../src/core/api/lora';
import { COMMANDS } from '../../../src/vscode/commands';
import { startFakeAceStep } from '../../server/fake-acestep';
import { activateExtension } from './helpers';

const config = () => vscode.workspace.getConfiguration('acestep');

suite('LoRA Adapters', function () {
  this.timeout(60_000);
  suiteSetup(activateExtension);
  teardown(async () => { await config().update('serverUrl', undefined, vscode.ConfigurationTarget.Global); });

  test('on a current upstream server: the adapters are listed (the pick dismissed leaves them as they are)', async () => {
    const server = await startFakeAceStep({ flavour: 'U', generationMs: 100, modelLoadMs: 0 });
    try {
      // U loads its models with the first job; before that every LoRA route answers "Model not initialized".
      await fetch(`${server.url}/release_task`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"warm-up"}' });
      const ready = Date.now() + 10_000;
      while (Date.now() < ready && !((await (await fetch(`${server.url}/health`)).json()) as { data?: { models_initialized?: boolean } }).data?.models_initialized) {
        await new Promise(r => setTimeout(r, 50));
      }
      await config().update('serverUrl', server.url, vscode.ConfigurationTarget.Global);
      const shown = vscode.commands.executeCommand<LoraStatus | undefined>(COMMANDS.loraAdapters);
      // The quick pick opens once the status is read; dismissing it changes nothing.
      const deadline = Date.now() + 15_000;
      while (!server.requests.some(r => r.path.startsWith('/v1/lora/status')) && Date.now() < deadline) await new Promise(r => setTimeout(r, 50));
      await new Promise(r => setTimeout(r, 300));
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      const status = await shown;
      assert.ok(status, 'the status came back');
      assert.equal(status.loaded, false);
      assert.ok(!server.requests.some(r => /\/v1\/lora\/(load|unload|toggle|scale)/.test(r.path)), 'nothing was changed');
    } finally {
      await server.close();
    }
  });

  test('on a server without the routes: refused before anything is sent, naming the server kind', async () => {
    const server = await startFakeAceStep({ flavour: 'W' });
    try {
      await config().update('serverUrl', server.url, vscode.ConfigurationTarget.Global);
      const status = await vscode.commands.executeCommand<LoraStatus | undefined>(COMMANDS.loraAdapters);
      assert.equal(status, undefined);
      assert.ok(!server.requests.some(r => r.path.startsWith('/v1/lora')), 'no LoRA route was asked');
    } finally {
      await server.close();
    }
  });
});
