// "ACE-Step: New Song from a Description…" in the real VS Code against the test server's sample mode: the takes,
// a lint-clean .song opened in the editor, the player; the tool for agents; the LM missing said with its fix.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DescribeOutcome } from '../../../src/vscode/generate/describe-song';
import { startFakeAceStep, type FakeServer } from '../../server/fake-acestep';
import { activateExtension, closeAllEditors, waitFor } from './helpers';

const config = () => vscode.workspace.getConfiguration('acestep');
const DIMMU = 'a creative black metal song with good lyrics, in English, with cool guitar solos, kind of in the style of Dimmu Borgir';

suite('New Song from a Description (the server LM writes it)', function () {
  this.timeout(90_000);
  let server: FakeServer;
  const made: string[] = [];

  suiteSetup(async () => {
    await activateExtension();
    server = await startFakeAceStep({ flavour: 'S', generationMs: 800, audioBytes: 30_000 });
    await config().update('serverUrl', server.url, vscode.ConfigurationTarget.Global);
  });
  suiteTeardown(async () => {
    await config().update('serverUrl', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
    for (const f of made) fs.rmSync(f, { recursive: true, force: true });
  });
  teardown(closeAllEditors);

  test('the command: takes on disk, a lint-clean .song with what the LM chose opens, the player opens', async () => {
    const outcome = await vscode.commands.executeCommand<DescribeOutcome>('acestep.newSongFromDescription', { description: DIMMU, duration: 180 });
    assert.ok(outcome?.songPath, JSON.stringify(outcome?.job.error));
    made.push(outcome.songPath, outcome.job.outputDir);
    assert.equal(outcome.job.state, 'succeeded');
    const takes = (outcome.job.takes ?? []).map(t => t.file!);
    assert.equal(takes.length, 1);
    assert.ok(fs.existsSync(takes[0]));
    const side = JSON.parse(fs.readFileSync(outcome.job.takes![0].sidecar!, 'utf8'));
    assert.equal(side.description, DIMMU);
    assert.equal(side.song, outcome.songPath);
    const editor = await waitFor(() => vscode.window.visibleTextEditors.find(e => e.document.uri.fsPath === outcome.songPath), 'the .song in an editor');
    assert.equal(editor.document.languageId, 'song');
    assert.match(editor.document.getText(), /^# "a creative black metal song/m);
    assert.match(editor.document.getText(), /^caption: .*black metal/m);
    // The editor's own linter: nothing to fix.
    await new Promise(r => setTimeout(r, 800));
    const problems = vscode.languages.getDiagnostics(editor.document.uri)
      .filter(d => d.severity === vscode.DiagnosticSeverity.Error || d.severity === vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(problems.map(d => d.message), []);
    await waitFor(() => vscode.window.tabGroups.all.flatMap(g => g.tabs).find(t => t.input instanceof vscode.TabInputWebview || t.input instanceof vscode.TabInputCustom), 'the player');
  });

  test('the tool for agents; without the LM the answer says ACESTEP_INIT_LLM=true and no .song is written', async () => {
    const invoke = async (input: object) => (await vscode.lm.invokeTool('acestep_write_from_description', { input, toolInvocationToken: undefined }))
      .content.map(p => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    const bad = await invoke({ language: 'klingon' });
    assert.match(bad, /invalid input.*"description" is required/);
    const ok = await invoke({ description: 'calm piano by the sea', instrumental: true });
    assert.match(ok, /wrote and generated/);
    const song = /The \.song with what the LM wrote: (.+?\.song)/.exec(ok)?.[1];
    assert.ok(song && fs.existsSync(song), ok);
    made.push(song, path.join(path.dirname(song), 'acestep-output', path.basename(song, '.song')));
    await server.close();
    server = await startFakeAceStep({ flavour: 'S', generationMs: 100, lmLoaded: false });
    await config().update('serverUrl', server.url, vscode.ConfigurationTarget.Global);
    const refused = await invoke({ description: 'a song that will not be written' });
    assert.match(refused, /failed/);
    assert.match(refused, /ACESTEP_INIT_LLM=true/);
    assert.doesNotMatch(refused, /The \.song with what the LM wrote/);
  });
});
