// "Format Song with the LM" against the test ACE-Step server: Apply changes only what the LM changed and
// leaves nothing behind (no diff tab, no problems of the proposal document).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startFakeAceStep, type FakeServer } from '../../server/fake-acestep';
import { activateExtension, closeAllEditors, waitFor, workspaceDir } from './helpers';

const config = () => vscode.workspace.getConfiguration('acestep');

const SONG = [
  '---',
  'title: Comment Keeper',
  'caption: warm acoustic folk',
  'bpm: 100',
  'key: G major',
  'time_signature: 4',
  'duration: 120',
  'language: en',
  '---',
  '# A note for myself: keep the verse short.',
  '',
  '[Verse 1 - soft, airy]',
  'Morning light on the kitchen floor',
  '# breathe here',
  'Coffee cooling by the door',
  '',
  '[Chorus]',
  'Stay a while, stay a while',
  '',
].join('\n');

const proposalTabs = () => vscode.window.tabGroups.all.flatMap(g => g.tabs)
  .filter(t => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'acestep-proposal');

suite('Format Song with the LM', function () {
  this.timeout(60_000);
  let server: FakeServer;

  suiteSetup(async () => {
    await activateExtension();
    server = await startFakeAceStep({ flavour: 'S', lmLoaded: true });
    await config().update('serverUrl', server.url, vscode.ConfigurationTarget.Global);
  });
  suiteTeardown(async () => {
    await config().update('serverUrl', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });
  teardown(closeAllEditors);

  test('Apply keeps comments and style, changes only what the LM changed, closes the diff and leaves no problems', async () => {
    const dir = path.join(workspaceDir(), 'format-tests');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'comment-keeper.song');
    fs.writeFileSync(file, SONG);
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const id = await vscode.commands.executeCommand<string>('acestep.formatSong');
    assert.ok(id, 'a proposal was made');
    const tab = await waitFor(() => proposalTabs()[0], 'the diff editor');
    const proposalUri = (tab.input as vscode.TabInputTextDiff).modified;
    // The proposal document is linted like any song would be, but none of it reaches the Problems panel.
    await new Promise(r => setTimeout(r, 500));
    assert.deepEqual(vscode.languages.getDiagnostics(proposalUri), []);

    assert.equal(await vscode.commands.executeCommand('acestep.formatProposalAnswer', id, true), true);
    // The test server's LM only enriches the caption (and gives every other value back as it was).
    assert.equal(doc.getText(), SONG.replace('caption: warm acoustic folk', 'caption: warm acoustic folk, with a warm analog mix and a driving bassline'));
    await waitFor(() => proposalTabs().length === 0 || undefined, 'the diff editor to close');
    const leftovers = vscode.languages.getDiagnostics().filter(([uri, d]) => uri.scheme.startsWith('acestep-') && d.length);
    assert.deepEqual(leftovers.map(([uri]) => uri.toString()), []);
    // A second answer to the same proposal does nothing.
    assert.equal(await vscode.commands.executeCommand('acestep.formatProposalAnswer', id, true), false);
    await doc.save();
  });
});
