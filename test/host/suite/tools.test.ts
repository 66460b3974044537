// The language model tools, invoked the way an agent does: vscode.lm.invokeTool (prepareInvocation, then
// invoke; without a chat token the confirmation is skipped). Bad input must come back as text, never throw.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import { startFakeAceStep, type FakeServer } from '../../server/fake-acestep';
import { activateExtension, closeAllEditors, workspaceDir } from './helpers';

const config = () => vscode.workspace.getConfiguration('acestep');
const TOOLS = ['acestep_validate_song', 'acestep_generate_song', 'acestep_job_status', 'acestep_switch_mode', 'acestep_write_from_description'];

async function invoke(name: string, input: unknown, token?: vscode.CancellationToken): Promise<string> {
  const result = await vscode.lm.invokeTool(name, { input: input as object, toolInvocationToken: undefined }, token);
  return result.content.map(p => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

suite('tools: the ACE-Step language model tools', function () {
  this.timeout(90_000);
  let api: ExtensionApi;
  let server: FakeServer;
  let jingle: string;

  function songFile(folder: string, text = jingle): string {
    const dir = path.join(workspaceDir(), 'tool-tests', folder);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'jingle.song');
    fs.writeFileSync(file, text);
    return file;
  }

  suiteSetup(async () => {
    api = (await activateExtension()).exports as ExtensionApi;
    jingle = fs.readFileSync(path.join(workspaceDir(), 'prompts', 'jingle.song'), 'utf8');
    server = await startFakeAceStep({ flavour: 'S', generationMs: 1000, progressSteps: 3, audioBytes: 30_000 });
    await config().update('serverUrl', server.url, vscode.ConfigurationTarget.Global);
    await config().update('player.openOnFinish', false, vscode.ConfigurationTarget.Global);
  });
  suiteTeardown(async () => {
    await config().update('serverUrl', undefined, vscode.ConfigurationTarget.Global);
    await config().update('player.openOnFinish', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });
  teardown(closeAllEditors);

  test('the five tools are contributed, registered and listed', () => {
    const ext = vscode.extensions.getExtension('acestep-studio.acestep-studio')!;
    const contributed: { name: string; inputSchema?: object; modelDescription?: string }[] = ext.packageJSON.contributes?.languageModelTools ?? [];
    assert.deepEqual(contributed.map(t => t.name).sort(), [...TOOLS].sort());
    for (const t of contributed) {
      assert.ok(t.inputSchema, `${t.name} has an inputSchema`);
      assert.ok((t.modelDescription ?? '').length > 80, `${t.name} has a real modelDescription`);
    }
    assert.deepEqual([...api.chat.tools].sort(), [...TOOLS].sort());
    const listed = vscode.lm.tools.map(t => t.name);
    for (const name of TOOLS) assert.ok(listed.includes(name), `${name} in vscode.lm.tools`);
  });

  test('validate: text with an error, a clean file, the open editor', async () => {
    const broken = await invoke('acestep_validate_song', { text: jingle.replace('bpm: 120', 'bpm: 999') });
    assert.match(broken, /^The song text: 1 error,/);
    assert.match(broken, /- error: line 5: out-of-range: /);
    assert.match(broken, /Not ready/);
    const file = songFile('validate');
    const clean = await invoke('acestep_validate_song', { path: path.relative(workspaceDir(), file) });
    assert.match(clean, /^tool-tests\/validate\/jingle\.song: 0 errors, 0 warnings/);
    assert.match(clean, /Duration: set to 30 s \(0:30\); the lyrics need about \d+ s/);
    assert.match(clean, /Ready to generate\.$/);
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    assert.match(await invoke('acestep_validate_song', {}), /^tool-tests\/validate\/jingle\.song: 0 errors/);
  });

  test('validate: bad input is answered with what to change', async () => {
    assert.match(await invoke('acestep_validate_song', { path: 42 }), /invalid input: "path" must be a string.*Example of a valid call/);
    assert.match(await invoke('acestep_validate_song', { path: 'a.song', text: 'x' }), /either "path" or "text", not both/);
    assert.match(await invoke('acestep_validate_song', { path: 'no/such/file.song' }), /there is no file at .*no\/such\/file\.song/);
    assert.match(await invoke('acestep_validate_song', {}), /no "path" or "text" was given and no \.song file is open/);
  });

  test('generate: song fields become an unsaved .song, the takes are downloaded, their paths returned', async () => {
    const before = server.jobs.length;
    const out = await invoke('acestep_generate_song', {
      title: 'Tool Jingle', caption: 'catchy radio jingle, ukulele, hand claps, cheerful vocal trio', duration: 20, bpm: '120', key: 'F major',
      language: 'en', lyrics: '[Intro - bright]\n\n[Hook]\nFresh from the oven at the break of day\nSunny Side Bakery right on your way\n\n[Outro]',
    });
    assert.match(out, /^Generated "Tool Jingle": 1 take:\n- /, out);
    const files = [...out.matchAll(/^- (.+)$/gm)].map(m => m[1]);
    assert.equal(files.length, 1);
    for (const f of files) assert.ok(fs.existsSync(f), f);
    assert.match(out, /Song: unsaved editor .*\(not saved yet\)/);
    assert.equal(server.jobs.length, before + 1);
    assert.equal(server.jobs[server.jobs.length - 1].params.bpm, 120);
    assert.ok(vscode.workspace.textDocuments.some(d => d.isUntitled && d.getText().includes('title: Tool Jingle')), 'the song is open, unsaved');
  });

  test('generate: a .song path; a song with errors is not submitted', async () => {
    const file = songFile('generate');
    const out = await invoke('acestep_generate_song', { path: file });
    assert.match(out, /^Generated "Sunny Side Bakery": 1 take:/, out);
    assert.ok(out.includes(`Song: ${file}.`), out);
    const before = server.jobs.length;
    const broken = songFile('generate-broken', jingle.replace('bpm: 120', 'bpm: 999'));
    const refused = await invoke('acestep_generate_song', { path: broken });
    assert.match(refused, /^Not submitted: .*jingle\.song has 1 error:\n- line 5: out-of-range/);
    assert.match(refused, /acestep_validate_song checks a song/);
    assert.equal(server.jobs.length, before);
  });

  test('generate: bad input is answered with what to change', async () => {
    const before = server.jobs.length;
    assert.match(await invoke('acestep_generate_song', { caption: 'rock', lyrics: 'la', bpm: 999, genre: 'rock' }),
      /invalid input: unknown key "genre" \(put the genre in "caption"\); "bpm" must be between 30 and 300 \(got 999\)/);
    assert.match(await invoke('acestep_generate_song', { lyrics: '[Verse]\nla' }), /"caption" is required/);
    assert.match(await invoke('acestep_generate_song', { path: 'notes.txt' }), /"path" must name a \.song file/);
    assert.match(await invoke('acestep_generate_song', 'play it' as unknown as object), /must be a JSON object/);
    assert.equal(server.jobs.length, before);
  });

  test('job status: pending and last job, one job by id, an unknown id', async () => {
    const all = await invoke('acestep_job_status', {});
    assert.match(all, /No pending jobs\./);
    assert.match(all, /Last finished job:\n"Sunny Side Bakery" \(job [\w-]+\): done, 1 take/);
    assert.ok(all.includes(`Server: ${server.url}.`));
    const id = /\(job ([\w-]+)\)/.exec(all)![1];
    const one = await invoke('acestep_job_status', { jobId: id });
    assert.match(one, /take: .*\.mp3/);
    assert.match(await invoke('acestep_job_status', { jobId: 'nope' }), /^No job with id nope\. Recent jobs: /);
    assert.match(await invoke('acestep_job_status', { id: 'x' }), /invalid input: unknown key "id"/);
  });

  test('switch mode: bad input is answered with the two modes', async () => {
    assert.match(await invoke('acestep_switch_mode', { mode: 'turbo' }), /invalid input: "mode" must be "api" .* or "gradio" .*, not "turbo"/);
    assert.match(await invoke('acestep_switch_mode', {}), /"mode" must be/);
  });
});
