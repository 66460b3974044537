// Several servers as profiles (issue 16, item 1): two test servers, one as the default profile (acestep.serverUrl)
// and one named in acestep.servers, each with its own API key. The servers status bar item and Check Server cover
// both; each key reaches only its own server (the test servers record every Authorization header).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { JobSnapshot } from '../../../src/core/jobs';
import { replanJob } from '../../../src/core/jobs/plan';
import type { ServerStatus } from '../../../src/core/servers/status';
import { COMMANDS } from '../../../src/vscode/commands';
import { startFakeAceStep, type FakeServer } from '../../server/fake-acestep';
import { activateExtension, askPage, closeAllEditors, pageAvailable, waitFor, workspaceDir, type PageElement } from './helpers';

const config = () => vscode.workspace.getConfiguration('acestep');
/** The Authorization headers a server received since `from` (its request log index). */
const keysSeen = (server: FakeServer, from = 0): Set<string> =>
  new Set(server.requests.slice(from).map(r => String(r.headers.authorization ?? '')));
/** The tooltip as text (Markdown escapes removed). */
const plain = (md: string): string => md.replace(/\\(.)/g, '$1');

suite('Several servers as profiles', function () {
  this.timeout(60_000);
  let api: ExtensionApi;
  let main: FakeServer;
  let gpu1: FakeServer;

  suiteSetup(async () => {
    api = (await activateExtension()).exports as ExtensionApi;
    main = await startFakeAceStep({ flavour: 'U', apiKey: 'key-main', models: ['acestep-v15-turbo'], generationMs: 300 });
    gpu1 = await startFakeAceStep({ flavour: 'S', apiKey: 'key-gpu1', generationMs: 300 });
    await config().update('serverUrl', main.url, vscode.ConfigurationTarget.Global);
    await config().update('player.openOnFinish', false, vscode.ConfigurationTarget.Global);
    await config().update('servers', [{ name: 'gpu1', url: gpu1.url }], vscode.ConfigurationTarget.Global);
    await waitFor(() => api.servers.shown(), 'two servers');
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand(COMMANDS.setApiKey, '');
    await vscode.commands.executeCommand(COMMANDS.clearApiKey, 'gpu1');
    for (const key of ['servers', 'serverUrl', 'player.openOnFinish']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await main?.close();
    await gpu1?.close();
    // Check Server reached a server here; the walkthrough's test expects a window where none was reached yet.
    await vscode.commands.executeCommand('setContext', 'acestep.serverReached', false);
  });
  teardown(closeAllEditors);

  test('Set API Key for a named server stores its own key, and each key reaches only its own server', async () => {
    assert.equal(await vscode.commands.executeCommand(COMMANDS.setApiKey, 'key-main'), true, 'a value alone: the default server');
    assert.equal(await vscode.commands.executeCommand(COMMANDS.setApiKey, 'key-gpu1', 'gpu1'), true);
    const [m0, g0] = [main.requests.length, gpu1.requests.length];
    const statuses = await api.servers.refresh() as ServerStatus[];
    assert.deepEqual(statuses.map(s => [s.profile.name, s.up]), [['default', true], ['gpu1', true]]);
    assert.deepEqual([...keysSeen(main, m0)], ['Bearer key-main']);
    assert.deepEqual([...keysSeen(gpu1, g0)], ['Bearer key-gpu1']);

    // A job sent to gpu1 carries gpu1's key on every request (submit, polls, downloads), never the default one.
    const song = path.join(workspaceDir(), 'servers-tests', 'tempest.song');
    fs.mkdirSync(path.dirname(song), { recursive: true });
    fs.copyFileSync(path.join(workspaceDir(), 'tempest-of-the-night.song'), song);
    await vscode.window.showTextDocument(vscode.Uri.file(song));
    const first = await vscode.commands.executeCommand<JobSnapshot>(COMMANDS.generateSong, vscode.Uri.file(song));
    const done = await api.generation.jobs().waitFor(first.id);
    assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
    assert.equal(done.serverUrl, main.url);
    const g1 = gpu1.requests.length;
    const moved = api.generation.jobs().submit({ ...replanJob(done), serverUrl: gpu1.url });
    const there = await api.generation.jobs().waitFor(moved.id);
    assert.equal(there.state, 'succeeded', JSON.stringify(there.error));
    assert.ok(gpu1.requests.slice(g1).some(r => r.path.startsWith('/release_task')), 'the job went to gpu1');
    assert.deepEqual([...keysSeen(gpu1, g1)], ['Bearer key-gpu1']);
    assert.ok(!keysSeen(main).has('Bearer key-gpu1') && !keysSeen(gpu1).has('Bearer key-main'), 'no key ever reached the other server');

    // Clearing gpu1's key leaves the default server's.
    assert.equal(await vscode.commands.executeCommand(COMMANDS.clearApiKey, 'gpu1'), true);
    const [m1, g2] = [main.requests.length, gpu1.requests.length];
    await api.servers.refresh();
    assert.deepEqual([...keysSeen(gpu1, g2)], ['']);
    assert.deepEqual([...keysSeen(main, m1)], ['Bearer key-main']);
    assert.equal(await vscode.commands.executeCommand(COMMANDS.setApiKey, 'key-gpu1', 'gpu1'), true);
    assert.equal(await vscode.commands.executeCommand(COMMANDS.setApiKey, 'x', 'nobody'), false, 'an unknown server name stores nothing');
  });

  test('the status bar item counts the servers up and its tooltip lists both; a server that goes down shows', async () => {
    await api.servers.refresh();
    assert.match(api.servers.text(), /ACE-Step 2\/2 up/);
    let tip = plain(api.servers.tooltip());
    assert.match(tip, new RegExp(`default\\*\\* ${main.url}: up, upstream standalone API \\(current\\) · models: acestep-v15-turbo · LM (loaded \\(acestep-5Hz-lm-1\\.7B\\)|loads with the first job) · queue: 0 waiting`));
    assert.match(tip, new RegExp(`gpu1\\*\\* ${gpu1.url}: up, upstream standalone API \\(early 2026\\)`));
    await gpu1.setOptions({ down: true });
    try {
      await api.servers.refresh();
      assert.match(api.servers.text(), /\$\(warning\) ACE-Step 1\/2 up/);
      tip = plain(api.servers.tooltip());
      assert.match(tip, /gpu1\*\* .*: not reachable: Cannot reach the ACE-Step server/);
      assert.match(tip, /default\*\* .*: up/);
    } finally {
      await gpu1.setOptions({ down: false });
    }
  });

  test('Check Server reports every server in one notification', async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    const statuses = await vscode.commands.executeCommand<ServerStatus[]>(COMMANDS.checkServer);
    assert.deepEqual(statuses.map(s => [s.profile.name, s.up, s.info?.flavour]), [['default', true, 'U'], ['gpu1', true, 'S']]);
    if (!pageAvailable()) return;
    const told = await waitFor(async () => {
      await vscode.commands.executeCommand('notifications.showList');
      const rows = (await askPage<{ elements: PageElement[] }>({ query: '.notifications-list-container .monaco-list-row' })).elements;
      return rows.find(e => /ACE-Step servers: 2\/2 up/.test(e.text))?.text;
    }, 'Check Server\'s report', 15_000);
    assert.ok(told.includes(`default (${main.url}): up, upstream standalone API (current)`), told);
    assert.ok(told.includes(`gpu1 (${gpu1.url}): up, upstream standalone API (early 2026)`), told);
    await vscode.commands.executeCommand('notifications.hideList');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  test('a bad entry in acestep.servers is left out with a warning; the rest keeps working', async () => {
    await config().update('servers', [{ name: 'gpu1', url: gpu1.url }, { name: 'two words', url: 'nowhere' }], vscode.ConfigurationTarget.Global);
    try {
      const statuses = await api.servers.refresh() as ServerStatus[];
      assert.deepEqual(statuses.map(s => s.profile.name), ['default', 'gpu1']);
      if (!pageAvailable()) return;
      await waitFor(async () => {
        await vscode.commands.executeCommand('notifications.showList');
        const rows = (await askPage<{ elements: PageElement[] }>({ query: '.notifications-list-container .monaco-list-row' })).elements;
        return rows.some(e => /acestep\.servers are left out: acestep\.servers\[1\]/.test(e.text) && /Open Settings/.test(e.text));
      }, 'the warning with Open Settings', 15_000);
      await vscode.commands.executeCommand('notifications.hideList');
      await vscode.commands.executeCommand('notifications.clearAll');
    } finally {
      await config().update('servers', [{ name: 'gpu1', url: gpu1.url }], vscode.ConfigurationTarget.Global);
    }
  });

  test('with one server everything looks as before: no servers item, Check Server reports the one server', async () => {
    await config().update('servers', [{ name: 'gpu1', url: gpu1.url, enabled: false }], vscode.ConfigurationTarget.Global);
    try {
      await waitFor(() => !api.servers.shown(), 'one enabled server');
      const info = await vscode.commands.executeCommand<{ flavour: string }>(COMMANDS.checkServer);
      assert.equal(info.flavour, 'U', 'the single-server report (its ServerInfo)');
    } finally {
      await config().update('servers', [{ name: 'gpu1', url: gpu1.url }], vscode.ConfigurationTarget.Global);
    }
  });
});
