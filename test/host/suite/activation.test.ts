import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import { COMMANDS } from '../../../src/vscode/commands';
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

  test('a .song gets its language features without generation, the chat or the player; Generate Song loads generation', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    // Run alone (a filtered run), nothing has activated the extension yet: activation is what is measured here.
    if (!ext.isActive) await ext.activate();
    const api = ext.exports as ExtensionApi;
    assert.deepEqual(api.activation.bundlesLoaded.filter(b => b !== 'song'), [], 'activate() loads no lazy bundle but the song engine');
    const doc = await vscode.workspace.openTextDocument({ language: 'song', content: '---\ntitle: Lean\nbpm: 999\ncaption: synth pop\n---\n[Verse]\nla la la la la la la\n\n' });
    await vscode.window.showTextDocument(doc);
    const diagnostic = await waitFor(() => vscode.languages.getDiagnostics(doc.uri).find(d => d.code === 'out-of-range'), 'the bpm diagnostic');
    assert.equal(diagnostic.range.start.line, 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(2, 1));
    assert.ok(hovers.length > 0, 'a hover on bpm');
    const completions = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(7, 0), '[');
    assert.ok(completions.items.length > 0, 'completions in the lyrics');
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.ok(symbols.length > 0, 'an outline');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    assert.ok(lenses.some(l => l.command?.title.includes('≈')), 'the duration estimate');

    // The server status bar's first check (a .song editor was shown) may load server control: the rest stays unloaded.
    const loaded = api.bundles.loaded();
    assert.ok(loaded.includes('song'), `the song engine is loaded (${loaded.join(', ')})`);
    for (const lazy of ['generation', 'chat', 'player'] as const) assert.ok(!loaded.includes(lazy), `${lazy} is not loaded (${loaded.join(', ')})`);

    // The song has an error, so Generate Song only says so; the command's first use loads generation.
    await vscode.commands.executeCommand(COMMANDS.generateSong, doc.uri);
    assert.ok(api.bundles.loaded().includes('generation'), `Generate Song loaded generation (${api.bundles.loaded().join(', ')})`);
    for (const lazy of ['chat', 'player'] as const) assert.ok(!api.bundles.loaded().includes(lazy), `${lazy} is still not loaded`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('notifications.clearAll');
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
