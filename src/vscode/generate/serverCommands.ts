// "Check Server", "Format Song with the LM" and "New Random Song": one-off calls to the ACE-Step server.
import * as vscode from 'vscode';
import { isAceStepError } from '../../core/api';
import { replaceBody, setFrontmatterValues } from '../../core/song';
import { isSong } from '../song/analyzer';
import { openNewSong } from '../song/newSong';
import { SET_API_KEY_COMMAND } from '../secrets';
import type { GenerationService } from './service';

export const CHECK_SERVER_COMMAND = 'acestep.checkServer';
export const FORMAT_SONG_COMMAND = 'acestep.formatSong';
export const RANDOM_SONG_COMMAND = 'acestep.newRandomSong';
const PROPOSAL_SCHEME = 'acestep-proposal';

/** Shows a server error with the action that helps. */
export async function showServerError(e: unknown, what: string, serverUrl: string): Promise<void> {
  const message = e instanceof Error ? e.message : String(e);
  if (isAceStepError(e) && e.kind === 'auth') {
    if (await vscode.window.showErrorMessage(`${what}: ${message}`, 'Set API Key') === 'Set API Key') void vscode.commands.executeCommand(SET_API_KEY_COMMAND);
    return;
  }
  if (isAceStepError(e) && e.kind === 'unreachable') {
    const choice = await vscode.window.showErrorMessage(`${what}: no ACE-Step server answers at ${serverUrl}. Start it (ACE-Step: Start Server, or docker compose up -d in your ACE-Step folder) or point acestep.serverUrl at it.`, 'Start Server', 'Open Settings');
    if (choice === 'Start Server') void vscode.commands.executeCommand('acestep.startServer');
    if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'acestep.serverUrl');
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

    vscode.commands.registerCommand(CHECK_SERVER_COMMAND, async () => {
      const url = service.serverUrl();
      try {
        const { info, stats } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Checking ${url}` }, async () => {
          const client = await service.client(url);
          try {
            const info = await client.detectFlavour();
            return { info, stats: info.hasStats ? await client.stats().catch(() => null) : null };
          } finally { void client.close(); }
        });
        const flavour = { W: 'standalone API (Docker wrapper)', S: 'standalone API', U: 'standalone API (current)', G: 'Gradio UI with API' }[info.flavour];
        const parts = [
          `${info.service} ${info.version} at ${url}: ${flavour}.`,
          `Models: ${info.models.map(m => m.name).join(', ') || 'none listed'}.`,
          info.lmLoaded === undefined ? '' : `LM ${info.lmLoaded ? `loaded${info.lmModel ? ` (${info.lmModel})` : ''}` : 'not loaded: thinking and Format need it'}.`,
          stats ? `Queue: ${stats.jobs.queued} waiting, ${stats.jobs.running} running; average job ${Math.round(stats.avgJobSeconds)} s.` : '',
        ].filter(Boolean);
        log.info(parts.join(' '));
        void vscode.window.showInformationMessage(parts.join(' '));
        return info;
      } catch (e) {
        void showServerError(e, 'Check Server', url);
        return undefined;
      }
    }),

    vscode.commands.registerCommand(FORMAT_SONG_COMMAND, async () => {
      const editor = vscode.window.activeTextEditor;
      const doc = editor?.document;
      if (!isSong(doc)) { void vscode.window.showWarningMessage('Open a .song file to format it.'); return; }
      const { parseSong } = await import('../../core/song');
      const parsed = parseSong(doc.getText());
      const p = parsed.params;
      const url = service.serverUrl();
      try {
        const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'The ACE-Step LM is formatting the song…' }, async () => {
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
        await vscode.commands.executeCommand('vscode.diff', doc.uri, uri, `${doc.fileName.split(/[\\/]/).pop()} ↔ LM proposal`);
        const choice = await vscode.window.showInformationMessage('Apply the LM\'s proposal to the song? (Undo works as usual.)', 'Apply', 'Discard');
        proposals.delete(uri.toString());
        if (choice === 'Apply') {
          const edit = new vscode.WorkspaceEdit();
          edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), proposal);
          await vscode.workspace.applyEdit(edit);
        }
      } catch (e) {
        if (isAceStepError(e) && e.kind === 'lm-unavailable') {
          void vscode.window.showErrorMessage('Format needs the ACE-Step LM, and this server has it switched off (ACESTEP_INIT_LLM). Enable it in your .env and restart the server.');
          return;
        }
        void showServerError(e, 'Format Song', url);
      }
    }),

    vscode.commands.registerCommand(RANDOM_SONG_COMMAND, async () => {
      const url = service.serverUrl();
      try {
        const sample = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Asking ACE-Step for a random song…' }, async () => {
          const client = await service.client(url);
          try { return await client.createRandomSample('custom_mode'); } finally { void client.close(); }
        });
        const text = sample.kind === 'custom'
          ? setFrontmatterValues(replaceBody('---\ntitle: Random song\n---\n', sample.lyrics), {
            caption: sample.caption, ...(sample.bpm ? { bpm: sample.bpm } : {}), ...(sample.duration ? { duration: Math.round(sample.duration) } : {}),
            ...(sample.keyscale ? { key: sample.keyscale } : {}), ...(sample.timesignature ? { time_signature: sample.timesignature } : {}),
            ...(sample.language ? { language: sample.language } : {}), ...(sample.think !== null ? { thinking: sample.think } : {}),
          })
          : setFrontmatterValues('---\ntitle: Random song\n---\n', { caption: sample.description, ...(sample.instrumental ? { instrumental: true } : {}), ...(sample.vocalLanguage ? { language: sample.vocalLanguage } : {}) });
        return openNewSong(text);
      } catch (e) {
        void showServerError(e, 'New Random Song', url);
        return undefined;
      }
    }),
  );
}
