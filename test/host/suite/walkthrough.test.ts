import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors } from './helpers';

interface Step { id: string; completionEvents: string[]; media: { markdown: string } }

suite('the getting-started walkthrough', () => {
  teardown(closeAllEditors);

  test('every step has its page and completion events that can really fire', async () => {
    const ext = await activateExtension();
    const walkthroughs = ext.packageJSON.contributes.walkthroughs as { steps: Step[] }[];
    assert.equal(walkthroughs.length, 1);
    const settings = Object.keys(ext.packageJSON.contributes.configuration.properties);
    const commands = new Set(await vscode.commands.getCommands(true));
    for (const step of walkthroughs[0].steps) {
      assert.ok(fs.existsSync(path.join(ext.extensionPath, step.media.markdown)), `${step.id}: ${step.media.markdown}`);
      assert.ok(step.completionEvents.length > 0, `${step.id} has completion events`);
      for (const event of step.completionEvents) {
        const [kind, target] = event.split(/:(.*)/s);
        if (kind === 'onCommand') assert.ok(commands.has(target), `${step.id}: command ${target} is registered`);
        else if (kind === 'onSettingChanged') assert.ok(settings.includes(target), `${step.id}: setting ${target} exists`);
        else assert.fail(`${step.id}: unexpected completion event ${event}`);
      }
    }
  });

  test('"Open an Example Song" opens a bundled song as an unsaved copy', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('acestep.openExample', 'tempest-of-the-night.song');
    assert.ok(editor);
    assert.equal(editor.document.languageId, 'song');
    assert.ok(editor.document.isUntitled);
    assert.match(editor.document.getText(), /Tempest of the Night/);
  });
});
