// The extension in Dutch: the runner starts VS Code with `--locale nl` (ACESTEP_TEST_LOCALE=nl, a run of its
// own in npm test) and this suite checks what a Dutch user sees: the contributed titles from package.nls.nl.json,
// the editor's own strings from l10n/bundle.l10n.nl.json, and the linter's messages, quick fixes and hovers
// from the core's templates.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, waitFor } from './helpers';

(vscode.env.language === 'nl' ? suite : suite.skip)('in Dutch (VS Code started with --locale nl)', () => {
  teardown(closeAllEditors);

  test('commands, the walkthrough and settings are titled from package.nls.nl.json', async () => {
    const ext = await activateExtension();
    // The host hands localised manifest strings over as { value, original }.
    type Localized = string | { value: string; original: string };
    const shown = (s: Localized | undefined) => (typeof s === 'object' ? s.value : s);
    const pkg = ext.packageJSON as {
      description: Localized;
      contributes: {
        commands: { command: string; title: Localized }[];
        walkthroughs: { title: Localized }[];
        configuration: { properties: Record<string, { markdownDescription: Localized }> };
      };
    };
    assert.equal(shown(pkg.contributes.commands.find(c => c.command === 'acestep.generateSong')?.title), 'Nummer genereren');
    assert.equal(shown(pkg.contributes.commands.find(c => c.command === 'acestep.switchMode')?.title), 'Servermodus wisselen');
    assert.equal(shown(pkg.contributes.walkthroughs[0].title), 'Aan de slag met ACE-Step Studio');
    assert.match(shown(pkg.description) ?? '', /^Schrijf nummers als \.song-bestanden/);
    assert.match(shown(pkg.contributes.configuration.properties['acestep.defaultBatchSize'].markdownDescription) ?? '', /^Takes per generatie/);
  });

  test('diagnostics, quick fixes, hovers and the CodeLens speak Dutch', async () => {
    await activateExtension();
    const doc = await vscode.workspace.openTextDocument({
      language: 'song',
      content: '---\ncaption: warm akoestische pop, 120 bpm\nbpm: 999\nkey: D Minor\nduration: 10\n---\n[Couplet]\nIk loop alleen door de stille straat\nDe lantaarns branden zacht en laat\nIk hoor je stem in elke steeg\nAls of de nacht je naam verzweeg\n\n[Chorus]\nBlijf nog even, blijf bij mij\nDe ochtend komt, maar niet voorbij\nBlijf nog even, hier bij mij\nTot ook de laatste ster verglijdt\n',
    });
    await vscode.window.showTextDocument(doc);
    const diagnostics = await waitFor(() => {
      const ds = vscode.languages.getDiagnostics(doc.uri);
      return ds.some(d => d.code === 'out-of-range') ? ds : undefined;
    }, 'diagnostics');
    const message = (code: string) => diagnostics.find(d => d.code === code)?.message;
    assert.equal(message('out-of-range'), 'bpm mag hoogstens 300 zijn (nu 999)');
    assert.equal(message('key-spelling'), 'schrijf de toonsoort als "D minor"');
    assert.match(message('unknown-section') ?? '', /^"Couplet" is geen bekende sectie of tag/);
    assert.match(message('caption-metadata') ?? '', /^"120 bpm" in de caption: stel het tempo liever in met bpm/);
    assert.match(message('duration-too-short') ?? '', /^duur 10 s is korter dan de songtekst nodig heeft/);

    const keyDiagnostic = diagnostics.find(d => d.code === 'key-spelling')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, keyDiagnostic.range);
    assert.ok(actions.some(a => a.title === 'Wijzigen in D minor'), actions.map(a => a.title).join(' | '));

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(2, 1));
    const hover = hovers.flatMap(h => h.contents).map(c => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n');
    assert.match(hover, /Tempo in slagen per minuut/);
    assert.match(hover, /Bereik: 30–300/);

    const lenses = await waitFor(async () => (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri))?.filter(l => l.command?.title), 'lenses');
    assert.ok(lenses.some(l => /geschat/.test(l.command!.title)), lenses.map(l => l.command!.title).join(' | '));
  });
});
