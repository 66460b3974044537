import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, waitFor, workspaceDir } from './helpers';

const SONG = [
  '---',                                    // 0
  'title: Host Test',                       // 1
  'caption: dreamy synth pop, airy female vocals',
  'duration: 120',                          // 3
  'bpm: 500',                               // 4  out of range
  'key: D Minor',                           // 5  spelling: quick fix to "D minor"
  'language: en',
  '---',                                    // 7
  '[Verse 1]',                              // 8
  'Neon rivers running through the night',
  'We are dancing where the shadows light',
  '',
  '[Chrous]',                               // 12 unknown section (did you mean Chorus)
  'Hold me close and never let me go',
  '',
].join('\n');

async function openSong(content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: 'song', content });
  return vscode.window.showTextDocument(doc);
}

function diagnosticsOf(doc: vscode.TextDocument, code?: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(doc.uri).filter(d => !code || d.code === code);
}

suite('the .song language in the editor', () => {
  suiteSetup(activateExtension);
  teardown(closeAllEditors);

  test('diagnostics appear at the expected ranges and clear when fixed', async () => {
    const editor = await openSong(SONG);
    const doc = editor.document;
    const bpm = await waitFor(() => diagnosticsOf(doc, 'out-of-range')[0], 'the bpm diagnostic');
    assert.equal(bpm.range.start.line, 4);
    assert.equal(doc.getText(bpm.range), '500');
    assert.equal(bpm.severity, vscode.DiagnosticSeverity.Error);
    const section = await waitFor(() => diagnosticsOf(doc, 'unknown-section')[0], 'the unknown section diagnostic');
    assert.equal(section.range.start.line, 12);
    assert.match(section.message, /Chorus/);

    await editor.edit(b => b.replace(bpm.range, '120'));
    await waitFor(() => diagnosticsOf(doc, 'out-of-range').length === 0, 'the bpm diagnostic to clear');
    assert.ok(diagnosticsOf(doc, 'unknown-section').length === 1, 'other diagnostics stay');
  });

  test('a huge song gets at most 1,000 diagnostics and one that counts the rest, also after an edit', async function () {
    this.timeout(60_000);
    // Issue 12, case 11: every short line is a syllables hint; a million of them used to reach the editor.
    const lines = ['---', 'caption: rock', '---', '[Verse]'];
    while (lines.length < 400_000) lines.push('la', 'oh no');
    // A file of its own (an untitled document's name is reused by the next test's document).
    const file = path.join(workspaceDir(), 'huge-song-test.song');
    fs.writeFileSync(file, lines.join('\n'));
    const doc = await vscode.workspace.openTextDocument(file);
    const editor = await vscode.window.showTextDocument(doc);
    const summary = await waitFor(() => diagnosticsOf(doc, 'more-diagnostics')[0], 'the summary diagnostic', 30_000);
    // One hint a short line, and one warning that the lyrics run past what the server reads (text-cut).
    const short = lines.length - 4 + 1;
    assert.ok(summary.message.startsWith(`${short - 1000} more diagnostics are not listed`), summary.message);
    assert.equal(diagnosticsOf(doc).length, 1001);
    await editor.edit(b => b.insert(new vscode.Position(doc.lineCount - 1, 0), 'la\n'));
    await waitFor(() => diagnosticsOf(doc, 'more-diagnostics')[0]?.message.startsWith(`${short + 1 - 1000} more`), 'the count after an edit', 30_000);
    assert.equal(diagnosticsOf(doc).length, 1001);
    await closeAllEditors();
    fs.rmSync(file, { force: true });
  });

  test('a quick fix rewrites the key name', async () => {
    const editor = await openSong(SONG);
    const doc = editor.document;
    const diag = await waitFor(() => diagnosticsOf(doc, 'key-spelling')[0], 'the key spelling diagnostic');
    assert.equal(doc.getText(diag.range), 'D Minor');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find(a => a.edit && /D minor/.test(a.title));
    assert.ok(fix, `a fix to "D minor" among ${actions.map(a => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.equal(doc.lineAt(5).text, 'key: D minor');
    await waitFor(() => diagnosticsOf(doc, 'key-spelling').length === 0, 'the key diagnostic to clear');
  });

  test('completion offers keys, values and section tags', async () => {
    const editor = await openSong('---\ntitle: x\n\n---\n[\n');
    const doc = editor.document;
    const labels = async (pos: vscode.Position) => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
      return list.items.map(i => (typeof i.label === 'string' ? i.label : i.label.label));
    };
    const keys = await labels(new vscode.Position(2, 0));
    for (const k of ['caption', 'bpm', 'duration', 'language']) assert.ok(keys.includes(k), `key ${k} offered`);
    await editor.edit(b => b.insert(new vscode.Position(2, 0), 'language: '));
    const languages = await labels(new vscode.Position(2, 10));
    assert.ok(languages.includes('nl') && languages.includes('en'), 'language codes offered');
    const tags = await labels(new vscode.Position(4, 1));
    for (const t of ['Verse', 'Chorus', 'Bridge']) assert.ok(tags.includes(t), `section ${t} offered`);
  });

  test('hover documents keys', async () => {
    const editor = await openSong(SONG);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(4, 1));
    const text = hovers.flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
    assert.match(text, /bpm/);
    assert.match(text, /300/);
  });

  test('document symbols list the sections', async () => {
    const editor = await openSong(SONG);
    const symbols = await waitFor(() => vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', editor.document.uri), 'symbols');
    const names = symbols.map(s => s.name);
    assert.ok(names.includes('[Verse 1]'), names.join(', '));
    assert.ok(names.includes('[Chrous]'), names.join(', '));
    const verse = symbols.find(s => s.name === '[Verse 1]')!;
    assert.equal(verse.range.start.line, 8);
  });

  test('the CodeLens shows the estimate, and "set" writes it', async () => {
    const editor = await openSong(SONG);
    const doc = editor.document;
    const lenses = await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
      return l.length ? l : undefined;
    }, 'code lenses');
    const estimate = lenses.find(l => /estimated/.test(l.command?.title ?? ''));
    assert.ok(estimate, lenses.map(l => l.command?.title).join(' | '));
    assert.equal(estimate.range.start.line, 3);
    const set = lenses.find(l => l.command?.command === 'acestep.setRecommendedDuration');
    assert.ok(set, 'a "set" lens');
    await vscode.commands.executeCommand(set.command!.command, ...(set.command!.arguments ?? []));
    assert.equal(doc.lineAt(3).text, `duration: ${set.command!.arguments![1]}`);
  });

  test('folding ranges cover the frontmatter and sections', async () => {
    const editor = await openSong(SONG);
    const ranges = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', editor.document.uri);
    assert.ok(ranges.some(r => r.start === 0 && r.end >= 6), 'frontmatter folds');
    assert.ok(ranges.some(r => r.start === 8), 'the first section folds');
  });

  test('snippets are contributed and New Song opens a skeleton', async () => {
    const ext = await activateExtension();
    const snippets = ext.packageJSON.contributes.snippets as { language: string; path: string }[];
    assert.ok(snippets.some(s => s.language === 'song'), 'song snippets contributed');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('acestep.newSong', 'pop');
    assert.ok(editor, 'an editor opened');
    assert.equal(editor.document.languageId, 'song');
    assert.match(editor.document.getText(), /^---\n[\s\S]*caption:/);
  });
});
