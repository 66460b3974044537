// "Check Server", "Format Song with the LM" and "New Random Song": one-off calls to the ACE-Step server.
import * as vscode from 'vscode';
import { isAceStepError } from '../../core/api';
import { replaceBody, setFrontmatterValues } from '../../core/song';
import { isSong } from '../song/analyzer';
import { openNewSong } from '../song/new-song';
import type { GenerationService } from './service';
import { COMMANDS } from '../commands';

const PROPOSAL_SCHEME = 'acestep-proposal';

/** Shows a server error with the action that helps. */
export async function showServerError(e: unknown, what: string, serverUrl: string): Promise<void> {
  const message = e instanceof Error ? e.message : String(e);
  if (isAceStepError(e) && e.kind === 'auth') {
    const setApiKey = vscode.l10n.t('Set API Key');
    if (await vscode.window.showErrorMessage(`${what}: ${message}`, setApiKey) === setApiKey) void vscode.commands.executeCommand(COMMANDS.setApiKey);
    return;
  }
  if (isAceStepError(e) && e.kind === 'unreachable') {
    const startServer = vscode.l10n.t('Start Server');
    const openSettings = vscode.l10n.t('Open Settings');
    const choice = await vscode.window.showErrorMessage(vscode.l10n.t(
      '{0}: no ACE-Step server answers at {1}. Start it (ACE-Step: Start Server, or docker compose up -d in your ACE-Step folder) or point acestep.serverUrl at it.',
      what, serverUrl), startServer, openSettings);
    if (choice === startServer) void vscode.commands.executeCommand(COMMANDS.startServer);
    if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', 'acestep.serverUrl');
    return;
  }
  void vscode.window.showErrorMessage(`${what}: ${message}`);
}

export function registerServerCommands(context: vscode.ExtensionContext, service: GenerationService, log: vscode.LogOutputChannel): void {
  const proposals = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, { onDidChange: changed.event, provideTextDocumentContent: uri => proposals.get(uri.toString()) ?? '' }),

    vscode.commands.registerCommand(COMMANDS.checkServer, async () => {
      const url = service.serverUrl();
      try {
        const { info, stats } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Checking {0}', url) }, async () => {
          const client = await service.client(url);
          try {
            const info = await client.detectFlavour();
            return { info, stats: info.hasStats ? await client.stats().catch(() => null) : null };
          } finally { void client.close(); }
        });
        const models = info.models.map(m => m.name).join(', ');
        const average = stats ? Math.round(stats.avgJobSeconds) : 0;
        log.info(`check server: ${info.service} ${info.version} at ${url}, flavour ${info.flavour}, models: ${models || 'none listed'}`
          + (info.lmLoaded === undefined ? '' : `, LM ${info.lmLoaded ? `loaded ${info.lmModel ?? ''}`.trim() : 'not loaded'}`)
          + (stats ? `, queue: ${stats.jobs.queued} waiting, ${stats.jobs.running} running, average job ${average} s` : ''));
        const flavour = {
          W: vscode.l10n.t('standalone API (Docker wrapper)'), S: vscode.l10n.t('standalone API'),
          U: vscode.l10n.t('standalone API (current)'), G: vscode.l10n.t('Gradio UI with API'),
        }[info.flavour];
        // One sentence each, shown together.
        const sentences = [
          vscode.l10n.t('{0} {1} at {2}: {3}.', info.service, info.version, url, flavour),
          models ? vscode.l10n.t('Models: {0}.', models) : vscode.l10n.t('Models: none listed.'),
          info.lmLoaded === undefined ? ''
            : !info.lmLoaded ? vscode.l10n.t('LM not loaded: thinking and Format need it.')
              : info.lmModel ? vscode.l10n.t('LM loaded ({0}).', info.lmModel) : vscode.l10n.t('LM loaded.'),
          stats ? vscode.l10n.t('Queue: {0} waiting, {1} running; average job {2} s.', stats.jobs.queued, stats.jobs.running, average) : '',
        ].filter(Boolean);
        void vscode.window.showInformationMessage(sentences.join(' '));
        return info;
      } catch (e) {
        void showServerError(e, vscode.l10n.t('Check Server'), url);
        return undefined;
      }
    }),

    vscode.commands.registerCommand(COMMANDS.formatSong, async () => {
      const editor = vscode.window.activeTextEditor;
      const doc = editor?.document;
      if (!isSong(doc)) { void vscode.window.showWarningMessage(vscode.l10n.t('Open a .song file to format it.')); return; }
      const { parseSong } = await import('../../core/song');
      const parsed = parseSong(doc.getText());
      const p = parsed.params;
      const url = service.serverUrl();
      try {
        const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('The ACE-Step LM is formatting the song…') }, async () => {
          const client = await service.client(url);
          try {
            return await client.formatInput({
              prompt: p.caption ?? '', lyrics: parsed.lyrics,
              ...(typeof p.duration === 'number' ? { duration: p.duration } : {}), ...(typeof p.bpm === 'number' ? { bpm: p.bpm } : {}),
              ...(p.key && p.key !== 'auto' ? { key: p.key } : {}), ...(p.time_signature && p.time_signature !== 'auto' ? { timeSignature: p.time_signature } : {}),
              ...(p.language ? { language: p.language } : {}),
            });
          } finally { void client.close(); }
        });
        let proposal = setFrontmatterValues(doc.getText(), {
          caption: result.caption,
          ...(result.bpm ? { bpm: result.bpm } : {}), ...(result.keyScale ? { key: result.keyScale } : {}),
          ...(result.timeSignature ? { time_signature: result.timeSignature } : {}), ...(result.duration ? { duration: Math.round(result.duration) } : {}),
          ...(result.vocalLanguage ? { language: result.vocalLanguage } : {}),
        });
        if (result.lyrics.trim()) proposal = replaceBody(proposal, result.lyrics);
        const uri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: doc.uri.path + '.formatted.song', query: String(Date.now()) });
        proposals.set(uri.toString(), proposal);
        await vscode.commands.executeCommand('vscode.diff', doc.uri, uri, vscode.l10n.t('{0} ↔ LM proposal', doc.fileName.split(/[\\/]/).pop() ?? ''));
        const apply = vscode.l10n.t('Apply');
        const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Apply the LM\'s proposal to the song? (Undo works as usual.)'), apply, vscode.l10n.t('Discard'));
        proposals.delete(uri.toString());
        if (choice === apply) {
          const edit = new vscode.WorkspaceEdit();
          edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), proposal);
          await vscode.workspace.applyEdit(edit);
        }
      } catch (e) {
        if (isAceStepError(e) && e.kind === 'lm-unavailable') {
          void vscode.window.showErrorMessage(vscode.l10n.t('Format needs the ACE-Step LM, and this server has it switched off (ACESTEP_INIT_LLM). Enable it in your .env and restart the server.'));
          return;
        }
        void showServerError(e, vscode.l10n.t('Format Song'), url);
      }
    }),

    vscode.commands.registerCommand(COMMANDS.newRandomSong, async () => {
      const url = service.serverUrl();
      try {
        const sample = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Asking ACE-Step for a random song…') }, async () => {
          const client = await service.client(url);
          try { return await client.createRandomSample('custom_mode'); } finally { void client.close(); }
        });
        const header = `---\ntitle: ${vscode.l10n.t('Random song')}\n---\n`;
        const text = sample.kind === 'custom'
          ? setFrontmatterValues(replaceBody(header, sample.lyrics), {
            caption: sample.caption, ...(sample.bpm ? { bpm: sample.bpm } : {}), ...(sample.duration ? { duration: Math.round(sample.duration) } : {}),
            ...(sample.keyscale ? { key: sample.keyscale } : {}), ...(sample.timesignature ? { time_signature: sample.timesignature } : {}),
            ...(sample.language ? { language: sample.language } : {}), ...(sample.think !== null ? { thinking: sample.think } : {}),
          })
          : setFrontmatterValues(header, { caption: sample.description, ...(sample.instrumental ? { instrumental: true } : {}), ...(sample.vocalLanguage ? { language: sample.vocalLanguage } : {}) });
        return openNewSong(text);
      } catch (e) {
        void showServerError(e, vscode.l10n.t('New Random Song'), url);
        return undefined;
      }
    }),
  );
}
