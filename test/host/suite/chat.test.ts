// The @acestep chat participant in a real VS Code. The chat UI cannot be driven in the test host, so the
// participant's handler (exported through the extension's API) is called with fake request and stream
// objects, but with a REAL language model: the scripted one of test/fixtures/fake-lm-extension.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { JobSnapshot } from '../../../src/core/jobs';
import { startFakeAceStep, type FakeServer } from '../../server/fake-acestep';
import { activateExtension, closeAllEditors, waitFor, workspaceDir } from './helpers';

const VENDOR = 'acestep-fake';
const config = () => vscode.workspace.getConfiguration('acestep');

type FakeAnswer = string | { text?: string; delayMs?: number; chunkSize?: number; error?: string };
interface RecordedCall { role: string; text: string }

/** A ChatResponseStream that records what the handler sends. */
class RecordingStream {
  readonly markdown: string[] = [];
  readonly progress: string[] = [];
  readonly buttons: vscode.Command[] = [];
  readonly anchors: (vscode.Uri | vscode.Location)[] = [];

  readonly stream = {
    markdown: (v: string | vscode.MarkdownString) => { this.markdown.push(typeof v === 'string' ? v : v.value); },
    progress: (v: string) => { this.progress.push(v); },
    button: (c: vscode.Command) => { this.buttons.push(c); },
    anchor: (v: vscode.Uri | vscode.Location) => { this.anchors.push(v); },
    reference: () => undefined,
    filetree: () => undefined,
    push: () => undefined,
  } as unknown as vscode.ChatResponseStream;

  text(): string {
    return this.markdown.join('');
  }

  button(command: string): vscode.Command | undefined {
    return this.buttons.find(b => b.command === command);
  }
}

function chatRequest(prompt: string, command: string | undefined, model: vscode.LanguageModelChat | undefined, references: vscode.ChatPromptReference[] = []): vscode.ChatRequest {
  return { prompt, command, references, toolReferences: [], toolInvocationToken: undefined, model } as unknown as vscode.ChatRequest;
}

const fence = (song: string) => `Here is your song.\n\n\`\`\`song\n${song}\`\`\`\n`;

async function script(answers: FakeAnswer[]): Promise<void> {
  await vscode.commands.executeCommand('acestepFake.setResponses', answers);
}

async function calls(): Promise<RecordedCall[][]> {
  return (await vscode.commands.executeCommand<RecordedCall[][]>('acestepFake.calls')) ?? [];
}

function errorsOf(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter(d => d.severity === vscode.DiagnosticSeverity.Error);
}

suite('chat: the @acestep participant', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let model: vscode.LanguageModelChat;
  let server: FakeServer;
  let jingle: string;

  const ask = (prompt: string, command?: string, token = new vscode.CancellationTokenSource().token, refs: vscode.ChatPromptReference[] = [], m: vscode.LanguageModelChat | undefined = model) => {
    const rec = new RecordingStream();
    const done = Promise.resolve(api.chat.handler(chatRequest(prompt, command, m, refs), { history: [] }, rec.stream, token)) as Promise<vscode.ChatResult>;
    return { rec, done };
  };

  /** A copy of the jingle as a file of the workspace, shown in the editor. */
  async function openJingleFile(folder: string, text = jingle): Promise<vscode.TextDocument> {
    const dir = path.join(workspaceDir(), 'chat-tests', folder);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'jingle.song');
    fs.writeFileSync(file, text);
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    return doc;
  }

  suiteSetup(async () => {
    api = (await activateExtension()).exports as ExtensionApi;
    assert.ok(api.chat, 'the extension API exposes chat (registerChat in src/extension.ts)');
    await script([]);
    await vscode.commands.executeCommand('acestepFake.setAvailable', true);
    model = (await waitFor(async () => (await vscode.lm.selectChatModels({ vendor: VENDOR }))[0], 'the fake language model'))!;
    jingle = fs.readFileSync(path.join(workspaceDir(), 'prompts', 'jingle.song'), 'utf8');
    server = await startFakeAceStep({ flavour: 'S', generationMs: 1200, progressSteps: 4, audioBytes: 40_000 });
    await config().update('serverUrl', server.url, vscode.ConfigurationTarget.Global);
    await config().update('player.openOnFinish', false, vscode.ConfigurationTarget.Global);
  });
  suiteTeardown(async () => {
    await config().update('serverUrl', undefined, vscode.ConfigurationTarget.Global);
    await config().update('player.openOnFinish', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('acestepFake.setAvailable', true);
    await server?.close();
  });
  teardown(closeAllEditors);

  test('the participant is contributed with its commands and registered', () => {
    const ext = vscode.extensions.getExtension('acestep-studio.acestep-studio')!;
    const participants = ext.packageJSON.contributes?.chatParticipants ?? [];
    const p = participants.find((x: { id: string }) => x.id === 'acestep.chat');
    assert.ok(p, 'contributes.chatParticipants has acestep.chat');
    assert.equal(p.name, 'acestep');
    assert.deepEqual(p.commands.map((c: { name: string }) => c.name).sort(), ['generate', 'improve', 'mode', 'status', 'write']);
    assert.equal(api.chat.participantRegistered, true);
  });

  test('no language model: a stub model that throws NotFound gets the clear message', async () => {
    const stub = {
      id: 'none', name: 'none', vendor: 'none', family: 'none', version: '0', maxInputTokens: 1000,
      sendRequest: () => Promise.reject(vscode.LanguageModelError.NotFound('no such model')),
      countTokens: () => Promise.resolve(0),
    } as unknown as vscode.LanguageModelChat;
    const { rec, done } = ask('a sea shanty about a lost whale', 'write', undefined, [], stub);
    const result = await done;
    assert.match(result.errorDetails?.message ?? '', /No language model is available/);
    assert.equal(result.metadata?.reason, 'no-model');
    assert.ok(!vscode.window.visibleTextEditors.some(e => e.document.languageId === 'song'), 'no song editor opened');
    // The one button: the other route, the ACE-Step server's own LM, with the same sentence (no chat model needed).
    assert.deepEqual(rec.buttons.map(b => [b.command, b.arguments]), [['acestep.newSongFromDescription', [{ description: 'a sea shanty about a lost whale' }]]]);
  });

  test('no language model at all: the request has none and VS Code offers none', async () => {
    await vscode.commands.executeCommand('acestepFake.setAvailable', false);
    try {
      await waitFor(async () => (await vscode.lm.selectChatModels({ vendor: VENDOR })).length === 0, 'the fake model to disappear');
      const { rec, done } = ask('a sea shanty about a lost whale', 'write', undefined, [], undefined);
      const result = await done;
      // Found none up front (said in the answer), or found the vanishing model and its request failed (said as the error).
      assert.match(`${rec.text()} ${result.errorDetails?.message ?? ''}`, /No language model is available/);
      assert.equal(result.metadata?.reason, 'no-model');
    } finally {
      await vscode.commands.executeCommand('acestepFake.setAvailable', true);
      model = (await waitFor(async () => (await vscode.lm.selectChatModels({ vendor: VENDOR }))[0], 'the fake model to return'))!;
    }
  });

  test('/write: a plan, then a lint-clean .song editor and a summary', async () => {
    await script([fence(jingle)]);
    const { rec, done } = ask('a 30 second radio jingle for a bakery', 'write');
    const result = await done;
    assert.equal(result.metadata?.ok, true, rec.text());
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.languageId, 'song');
    assert.equal(editor.document.getText(), jingle);
    assert.equal(result.metadata?.song, editor.document.uri.toString());
    assert.deepEqual(errorsOf(editor.document.uri), []);
    assert.match(rec.text(), /\*\*Plan:\*\* "Sunny Side Bakery": catchy radio jingle · Intro → Hook → Outro · 120 BPM/);
    assert.match(rec.text(), /passes the editor's checks/);
    assert.ok(rec.progress.some(p => /Writing the caption and the lyrics/.test(p)), rec.progress.join(' | '));
    // The request carried the guide and the user's words.
    const sent = await calls();
    assert.equal(sent.length, 1);
    assert.match(sent[0][0].text, /Songwriting guide \(follow it\)/);
    assert.match(sent[0][0].text, /a 30 second radio jingle for a bakery/);
    const followups = await api.chat.followups.provideFollowups(result, { history: [] }, new vscode.CancellationTokenSource().token);
    assert.deepEqual((followups ?? []).map(f => f.command), ['generate', 'improve']);
    // The other route is offered too: the server's own LM writes from the same sentence.
    assert.deepEqual(rec.button('acestep.newSongFromDescription')?.arguments, [{ description: 'a 30 second radio jingle for a bakery' }]);
  });

  test('/write: a lint error in the first answer (bpm 999) is sent back and the second answer fixes it', async () => {
    await script([fence(jingle.replace('bpm: 120', 'bpm: 999')), fence(jingle)]);
    const { rec, done } = ask('a jingle for a bakery', 'write');
    const result = await done;
    assert.equal(result.metadata?.ok, true, rec.text());
    const sent = await calls();
    assert.equal(sent.length, 2, 'one fix round');
    const fix = sent[1][sent[1].length - 1];
    assert.equal(fix.role, 'user');
    assert.match(fix.text, /out-of-range/);
    assert.match(rec.text(), /The draft has 1 problem; sending it back once/);
    const doc = vscode.window.activeTextEditor!.document;
    assert.match(doc.getText(), /^bpm: 120$/m);
    assert.deepEqual(errorsOf(doc.uri), []);
    assert.match(rec.text(), /after one round of fixes/);
  });

  test('no command: a song request is written, anything else gets the help', async () => {
    await script([fence(jingle)]);
    const song = await ask('write me a jingle for a bakery').done;
    assert.equal(song.metadata?.command, 'write');
    assert.equal(song.metadata?.ok, true);
    const { rec, done } = ask('what can you do?');
    const help = await done;
    assert.equal(help.metadata?.command, 'help');
    assert.match(rec.text(), /\/write/);
    assert.match(rec.text(), /\/generate/);
  });

  test('a model that refuses the request is explained in plain words', async () => {
    await script([{ error: 'NoPermissions' }]);
    const result = await ask('a punk song', 'write').done;
    assert.ok(result.errorDetails, JSON.stringify(result));
    assert.equal(result.metadata?.ok, false);
    assert.match(result.errorDetails!.message, /may not use this language model yet/);
    assert.equal(result.metadata?.reason, 'no-permission');
  });

  test('cancelling stops the model and opens nothing', async () => {
    await script([{ text: fence(jingle), delayMs: 40, chunkSize: 10 }]);
    const source = new vscode.CancellationTokenSource();
    const { done } = ask('a jingle', 'write', source.token);
    setTimeout(() => source.cancel(), 300);
    const result = await done;
    assert.equal(result.metadata?.reason, 'cancelled');
    assert.ok(!vscode.window.visibleTextEditors.some(e => e.document.languageId === 'song'), 'no song editor opened');
  });

  test('/generate the open song: GPU cost, confirmation button, progress, takes with Play and Reveal', async () => {
    const doc = await openJingleFile('generate');
    const before = server.jobs.length;
    const { rec, done } = ask('', 'generate');
    const confirm = await waitFor(() => rec.button('acestep.chat.runAction'), 'the confirmation button');
    assert.match(rec.text(), /"Sunny Side Bakery" will be generated on your GPU: 1 take × 0:30/);
    assert.ok(rec.text().includes(server.url), rec.text());
    assert.match(confirm.title, /Generate \(1 × 0:30\)/);
    assert.equal(server.jobs.length, before, 'nothing is submitted before the confirmation');
    const job = await vscode.commands.executeCommand<JobSnapshot>(confirm.command, ...(confirm.arguments ?? []));
    assert.ok(job?.id, 'the button submits and returns the job');
    const result = await done;
    assert.equal(result.metadata?.ok, true, rec.text());
    assert.equal(result.metadata?.jobId, job.id);
    assert.ok(rec.progress.some(p => /Submitted "Sunny Side Bakery"/.test(p)), rec.progress.join(' | '));
    assert.match(rec.text(), /Done: \*\*"Sunny Side Bakery"\*\*, 1 take in /);
    const play = rec.button('acestep.openTakes');
    assert.deepEqual(play?.arguments, [job.id]);
    const reveal = rec.button('revealFileInOS');
    const file = (reveal?.arguments?.[0] as vscode.Uri).fsPath;
    assert.ok(fs.existsSync(file), file);
    assert.ok(file.startsWith(path.join(path.dirname(doc.uri.fsPath), 'acestep-output')), file);
    assert.equal(server.jobs.length, before + 1);
  });

  test('/generate with a request writes the song first; "Not Now" submits nothing', async () => {
    await script([fence(jingle)]);
    const before = server.jobs.length;
    const { rec, done } = ask('a jingle for a bakery', 'generate');
    const dismiss = await waitFor(() => rec.button('acestep.chat.dismissAction'), 'the Not Now button');
    assert.equal(vscode.window.activeTextEditor?.document.getText(), jingle, 'the song was written and opened');
    await vscode.commands.executeCommand(dismiss.command, ...(dismiss.arguments ?? []));
    const result = await done;
    assert.equal(result.metadata?.reason, 'not-confirmed');
    assert.match(rec.text(), /Not generated/);
    assert.equal(server.jobs.length, before);
  });

  test('/generate refuses a song with errors and points at /improve', async () => {
    await openJingleFile('errors', jingle.replace('bpm: 120', 'bpm: 999'));
    const { rec, done } = ask('', 'generate');
    const result = await done;
    assert.equal(result.metadata?.reason, 'lint-errors');
    assert.match(rec.text(), /1 error to fix before it can be generated/);
    assert.equal(rec.button('acestep.chat.runAction'), undefined);
    const followups = await api.chat.followups.provideFollowups(result, { history: [] }, new vscode.CancellationTokenSource().token);
    assert.equal(followups?.[0]?.command, 'improve');
  });

  test('/improve: the review gets the lint messages, the proposal opens as a diff, Apply writes it', async () => {
    const stacked = jingle.replace('[Hook]', '[Hook - catchy, bright]');
    const doc = await openJingleFile('improve', stacked);
    const better = jingle.replace('A little bit of sunshine in every bite', 'A little bit of sunshine, every single bite');
    await script([fence(better)]);
    const { rec, done } = ask('make the hook sweeter', 'improve');
    const result = await done;
    assert.equal(result.metadata?.ok, true, rec.text());
    const sent = await calls();
    assert.match(sent[0][0].text, /stacked-modifiers/, 'the lint message went to the model');
    assert.match(sent[0][0].text, /make the hook sweeter/);
    assert.match(rec.text(), /```diff\n[\s\S]*- \[Hook - catchy, bright\][\s\S]*\+ \[Hook\]/);
    const diffTab = await waitFor(() => vscode.window.tabGroups.all.flatMap(g => g.tabs).find(t => t.input instanceof vscode.TabInputTextDiff), 'the diff editor');
    const input = diffTab.input as vscode.TabInputTextDiff;
    assert.equal(input.original.toString(), doc.uri.toString());
    assert.equal(input.modified.scheme, 'acestep-chat-proposal');
    const apply = rec.button('acestep.chat.applyProposal')!;
    assert.ok(apply, 'an Apply button');
    assert.equal(await vscode.commands.executeCommand(apply.command, ...(apply.arguments ?? [])), true);
    assert.equal(doc.getText(), better);
    // Nothing of the proposal stays: its diff closes, and it never had problems in the Problems panel.
    await waitFor(() => !vscode.window.tabGroups.all.flatMap(g => g.tabs).some(t => t.input instanceof vscode.TabInputTextDiff) || undefined, 'the diff to close');
    assert.deepEqual(vscode.languages.getDiagnostics(input.modified), []);
  });

  test('/status: the server and the last job', async () => {
    const { rec, done } = ask('', 'status');
    const result = await done;
    assert.equal(result.metadata?.ok, true, rec.text());
    assert.match(rec.text(), /\*\*Server:\*\* http:\/\/127\.0\.0\.1:\d+: .*standalone API/);
    assert.match(rec.text(), /\*\*Last job:\*\* "Sunny Side Bakery"/);
  });

  test('/status and /mode never use the chat model: they answer even when the model fails', async () => {
    let used = 0;
    const broken = {
      id: 'broken', name: 'broken', vendor: 'none', family: 'none', version: '0', maxInputTokens: 1000,
      sendRequest: () => { used++; return Promise.reject(vscode.LanguageModelError.NotFound('no such model')); },
      countTokens: () => { used++; return Promise.resolve(0); },
    } as unknown as vscode.LanguageModelChat;
    const status = ask('', 'status', undefined, [], broken);
    const result = await status.done;
    assert.equal(result.metadata?.ok, true, status.rec.text());
    assert.match(status.rec.text(), /\*\*Server:\*\*/);
    const mode = ask('', 'mode', undefined, [], broken);
    await waitFor(() => mode.rec.markdown.length || undefined, 'the /mode answer');
    const dismiss = mode.rec.button('acestep.chat.dismissAction');
    if (dismiss) await vscode.commands.executeCommand(dismiss.command, ...(dismiss.arguments ?? []));
    await mode.done;
    assert.equal(used, 0, 'the model was not asked');
  });

  test('/status: an unreachable server is said plainly', async () => {
    await config().update('serverUrl', 'http://127.0.0.1:9', vscode.ConfigurationTarget.Global);
    try {
      const { rec, done } = ask('', 'status');
      const result = await done;
      assert.equal(result.metadata?.ok, false);
      assert.match(rec.text(), /no answer at http:\/\/127\.0\.0\.1:9/);
    } finally {
      await config().update('serverUrl', server.url, vscode.ConfigurationTarget.Global);
    }
  });

  test('/mode: asks before switching, with a button per mode (dismissed here)', async () => {
    const { rec, done } = ask('gradio', 'mode');
    const button = await waitFor(() => rec.button('acestep.chat.runAction') ?? (rec.markdown.length && !rec.buttons.length ? { command: 'none', title: '' } : undefined), 'the switch button or the unavailable message');
    if (button.command === 'none') {
      assert.match(rec.text(), /not available in this window/);
      await done;
      return;
    }
    assert.equal(button.title, 'Switch to Gradio Mode');
    assert.deepEqual(button.arguments?.[1], { kind: 'mode', mode: 'gradio' });
    assert.match(rec.text(), /recreates the ACE-Step container/);
    const cancel = rec.button('acestep.chat.dismissAction')!;
    await vscode.commands.executeCommand(cancel.command, ...(cancel.arguments ?? []));
    const result = await done;
    assert.equal(result.metadata?.reason, 'not-confirmed');
    assert.match(rec.text(), /The mode was not changed/);
  });
});

suite('chat: the skill', () => {
  suiteSetup(activateExtension);

  test('contributes.chatSkills points at a built SKILL.md whose name matches its folder', () => {
    const ext = vscode.extensions.getExtension('acestep-studio.acestep-studio')!;
    const skills: { path: string }[] = ext.packageJSON.contributes?.chatSkills ?? [];
    assert.equal(skills.length, 1, 'one chat skill');
    assert.equal(skills[0].path, './dist/skills/acestep/SKILL.md');
    const file = path.join(ext.extensionPath, skills[0].path);
    assert.ok(fs.existsSync(file), `${file} exists (the build copies it)`);
    const text = fs.readFileSync(file, 'utf8');
    const name = /^---\n[\s\S]*?^name:\s*(\S+)\s*$/m.exec(text)?.[1];
    assert.equal(name, path.basename(path.dirname(file)), 'the frontmatter name is the folder name');
    // Links between the three files work from the built folder.
    for (const [, target] of text.matchAll(/\]\(([^)#\s]+\.md)\)/g)) {
      if (target.startsWith('../') || /^[a-z]+:/.test(target)) continue;
      assert.ok(fs.existsSync(path.join(path.dirname(file), target)), `${target} is beside SKILL.md`);
    }
  });

  test('Add AI Skill to Workspace copies the three files and asks before overwriting', async () => {
    const dir = path.join(workspaceDir(), '.github', 'skills', 'acestep');
    fs.rmSync(dir, { recursive: true, force: true });
    const first = await vscode.commands.executeCommand<{ written: string[] }>('acestep.addSkillToWorkspace');
    assert.deepEqual(first?.written.sort(), ['API.md', 'SKILL.md', 'music-creation-guide.md']);
    for (const f of first!.written) assert.ok(fs.statSync(path.join(dir, f)).size > 1000, f);
    fs.writeFileSync(path.join(dir, 'SKILL.md'), 'my own notes');
    const kept = await vscode.commands.executeCommand<{ kept: string[]; unchanged: string[] }>('acestep.addSkillToWorkspace', { overwrite: false });
    assert.deepEqual(kept?.kept, ['SKILL.md']);
    assert.equal(kept?.unchanged.length, 2);
    assert.equal(fs.readFileSync(path.join(dir, 'SKILL.md'), 'utf8'), 'my own notes');
    const replaced = await vscode.commands.executeCommand<{ written: string[] }>('acestep.addSkillToWorkspace', { overwrite: true });
    assert.deepEqual(replaced?.written, ['SKILL.md']);
    assert.match(fs.readFileSync(path.join(dir, 'SKILL.md'), 'utf8'), /^---\nname: acestep/);
    const elsewhere = path.join(workspaceDir(), 'chat-tests', 'skill-elsewhere');
    const picked = await vscode.commands.executeCommand<{ written: string[] }>('acestep.addSkillToWorkspace', { folder: elsewhere });
    assert.equal(picked?.written.length, 3);
    assert.ok(fs.existsSync(path.join(elsewhere, 'music-creation-guide.md')));
  });
});
