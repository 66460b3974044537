import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitFor, workspaceFile } from './helpers';

suite('activation', () => {
  test('runs in a real VS Code extension host', () => {
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    assert.equal(vscode.env.uiKind, vscode.UIKind.Web);
    assert.equal(typeof process.versions.node, 'string');
  });

  test('is not active before a .song is opened, and activates when one is', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'extension present');
    assert.equal(ext.isActive, false, 'nothing activated it before a .song was opened');
    const doc = await vscode.workspace.openTextDocument(workspaceFile('tempest-of-the-night.song'));
    assert.equal(doc.languageId, 'song');
    await vscode.window.showTextDocument(doc);
    await waitFor(() => ext.isActive, 'activation on a .song');
  });

  test('contributes and registers its commands', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map(c => c.command);
    assert.ok(contributed.length > 0);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter(c => !registered.has(c));
    assert.deepEqual(missing, [], 'every contributed command is registered');
  });
});
