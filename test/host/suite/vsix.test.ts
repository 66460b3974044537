// A smoke test of the packaged extension: the runner installs the .vsix into a clean extensions folder
// (ACESTEP_TEST_VSIX) and runs only this suite. What ships is what we test.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitFor, workspaceFile } from './helpers';

(process.env.ACESTEP_TEST_VSIX ? suite : suite.skip)('the packaged .vsix', () => {
  test('is installed from the package, activates on a .song and lints it', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'installed');
    const repo = path.resolve(__dirname, '../../../..');
    assert.ok(!ext.extensionPath.startsWith(repo + path.sep) && ext.extensionPath !== repo, `runs from the installed copy, not the sources: ${ext.extensionPath}`);
    for (const f of ['dist/extension.js', 'dist/song.js', 'dist/generation.js', 'dist/server.js', 'dist/chat.js', 'dist/player.js', 'dist/media/player.js', 'media/player/player.css', 'media/player/details.css', 'syntaxes/song.tmLanguage.json', 'snippets/song.json', 'media/icon.png', 'package.nls.nl.json', 'l10n/bundle.l10n.nl.json', 'media/walkthrough/1-server.nls.nl.md']) {
      assert.ok(fs.existsSync(path.join(ext.extensionPath, f)), `ships ${f}`);
    }
    for (const f of ['src', 'test', 'node_modules', 'dist/extension.js.map']) assert.ok(!fs.existsSync(path.join(ext.extensionPath, f)), `does not ship ${f}`);
    const doc = await vscode.workspace.openTextDocument(workspaceFile('tempest-of-the-night.song'));
    await vscode.window.showTextDocument(doc);
    await waitFor(() => ext.isActive, 'activation');
    const edited = await vscode.workspace.openTextDocument({ language: 'song', content: '---\nbpm: 999\ncaption: x\n---\n[Verse]\nla la la la la la la\n' });
    await vscode.window.showTextDocument(edited);
    const d = await waitFor(() => vscode.languages.getDiagnostics(edited.uri).find(x => x.code === 'out-of-range'), 'a diagnostic from the packaged linter');
    assert.equal(d.range.start.line, 1);
  });
});
