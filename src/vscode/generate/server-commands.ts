// "Check Server", "Format Song with the LM" and "New Random Song": one-off calls to the ACE-Step server.
import * as vscode from 'vscode';
import { limitsOf, lmState, serverKindLabel, type ServerInfo } from '../../core/api';
import { describeEndpoint } from '../server/endpoint';
import { adviceFor, adviceText } from '../../core/jobs/advice';
import { parseSong, replaceBody, setFrontmatterValues } from '../../core/song';
import { applyFormatResult } from '../../core/ai/format-merge';
import { isSong } from '../song/analyzer';
import { openNewSong } from '../song/new-song';
import { ProposalStore } from '../chat/proposals';
import { showErrorWithAdvice } from './advice-buttons';
import { COMMANDS, INTERNAL_COMMANDS } from '../commands';
import type { GenerationService } from './service';
import type { ServerStatus } from '../../core/servers/status';
import { serversReport } from './servers-report';
import type { ServersStatus } from './servers-status';
import { errorMessage } from '../../core/util/error-message';

const PROPOSAL_SCHEME = 'acestep-proposal';
/** Set once Check Server reached a server in this window (the walkthrough's server step completes on it). */
export const SERVER_REACHED_CONTEXT = 'acestep.serverReached';

/** Shows a server error with the steps that help (the core's advice), as buttons. */
export async function showServerError(e: unknown, what: string, serverUrl: string, why?: string): Promise<void> {
  const message = errorMessage(e);
  const advice = adviceFor(e, { serverUrl });
  // The advice says what went wrong when it is about the server (not there, LM off); else the error does.
  const explains = advice.some(a => a.id === 'start-server' || a.id === 'enable-lm');
  await showErrorWithAdvice(`${what}: ${explains ? adviceText(advice) : message}${why ? ` ${why}` : ''}`, advice);
}

/**
 * Whether the LM is loaded, as the server says it; where the server does not say (W, S, G: capabilities'
 * reportsLm), how to find out.
 */
export function lmSentence(info: Pick<ServerInfo, 'flavour' | 'lmLoaded' | 'lmModel' | 'modelsInitialized'>): string {
  switch (lmState(info)) {
    case 'loaded': return info.lmModel ? vscode.l10n.t('LM loaded ({0}).', info.lmModel) : vscode.l10n.t('LM loaded.');
    case 'not-loaded': return vscode.l10n.t('LM not loaded: thinking and Format need it.');
    case 'loads-on-first-job': return vscode.l10n.t('LM not loaded yet: this server loads its models with the first job.');
    default: return vscode.l10n.t('This server does not say whether its LM (needed by thinking and Format) is loaded: its log says "5Hz LM initialized" when it is (ACE-Step: Show Server Logs), and Format Song with the LM fails at once when it is not.');
  }
}

/** Check Server with several servers: every enabled one asked at once, one report (a warning when one is down). */
async function checkEveryServer(servers: ServersStatus, log: vscode.LogOutputChannel): Promise<ServerStatus[]> {
  const statuses = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Checking every ACE-Step server') }, () => servers.refresh());
  for (const s of statuses) {
    log.info(`check server ${s.profile.name} at ${s.profile.url}: ${s.up && s.info
      ? `${s.info.service} ${s.info.version}, flavour ${s.info.flavour}, ${s.info.models.length} model(s)${s.stats ? `, queue ${s.stats.queueSize} waiting, ${s.stats.jobs.running} running` : ''}`
      : `not reachable (${s.error?.kind ?? 'error'})`}`);
  }
  if (statuses.some(s => s.up)) void vscode.commands.executeCommand('setContext', SERVER_REACHED_CONTEXT, true);
  const report = serversReport(statuses);
  if (statuses.some(s => s.up === false)) void vscode.window.showWarningMessage(report); else void vscode.window.showInformationMessage(report);
  return statuses;
}

export function registerServerCommands(context: vscode.ExtensionContext, service: GenerationService, log: vscode.LogOutputChannel, servers: ServersStatus): void {
  // The LM's proposals: the same store as @acestep /improve's (diff, then apply if the song did not change).
  const proposals = new ProposalStore(PROPOSAL_SCHEME, {
    gone: vscode.l10n.t('This proposal is no longer available: run Format Song with the LM again.'),
    changed: vscode.l10n.t('The song changed since the LM proposed this edit. Apply the proposal anyway? Your changes since then are replaced (Undo brings them back).'),
  });
  /** Apply or discard a proposal that is still open (a second answer to the same proposal does nothing). */
  const answer = async (id: string, apply: boolean): Promise<boolean> => {
    if (!proposals.get(id)) return false;
    if (apply) return proposals.apply(id);
    await proposals.discard(id);
    return false;
  };
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, proposals),
    vscode.commands.registerCommand(INTERNAL_COMMANDS.formatProposalAnswer, (id: unknown, apply: unknown) =>
      typeof id === 'string' ? answer(id, apply === true) : false),

    vscode.commands.registerCommand(COMMANDS.checkServer, async () => {
      if (service.profiles.several()) return checkEveryServer(servers, log);
      // Which URL, and why (the user's acestep.serverUrl, the Docker setup, or the default): said either way.
      const choice = service.endpoint.choice();
      const url = choice.url;
      const why = describeEndpoint(choice);
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
        const flavour = serverKindLabel(info.flavour);
        // One sentence each, shown together.
        const sentences = [
          vscode.l10n.t('{0} {1} at {2}: {3}.', info.service, info.version, url, flavour),
          why,
          models ? vscode.l10n.t('Models: {0}.', models) : vscode.l10n.t('Models: none listed.'),
          lmSentence(info),
          // queue_size, not jobs.queued: the wrapper's server counts jobs it rejected (429) as queued forever.
          stats ? vscode.l10n.t('Queue: {0} waiting, {1} running; average job {2} s.', stats.queueSize, stats.jobs.running, average) : '',
          ...Object.values(limitsOf(info.flavour)),
        ].filter(Boolean);
        // The walkthrough's "Point at your ACE-Step server" step ticks on this key: only a server that answered counts.
        void vscode.commands.executeCommand('setContext', SERVER_REACHED_CONTEXT, true);
        void vscode.window.showInformationMessage(sentences.join(' '));
        return info;
      } catch (e) {
        void showServerError(e, vscode.l10n.t('Check Server'), url, why);
        return undefined;
      }
    }),

    vscode.commands.registerCommand(COMMANDS.formatSong, async () => {
      const editor = vscode.window.activeTextEditor;
      const doc = editor?.document;
      if (!isSong(doc)) { void vscode.window.showWarningMessage(vscode.l10n.t('Open a .song file to format it.')); return undefined; }
      const parsed = parseSong(doc.getText());
      const p = parsed.params;
      const url = service.serverUrl();
      try {
        const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('The ACE-Step LM is formatting the song…') }, async () => {
          const client = await service.client(url);
          try {
            // What the request looks like depends on the server generation (param_obj or not).
            const { flavour } = await client.detectFlavour();
            return await client.formatInput({
              prompt: p.caption ?? '', lyrics: parsed.lyrics,
              ...(typeof p.duration === 'number' ? { duration: p.duration } : {}), ...(typeof p.bpm === 'number' ? { bpm: p.bpm } : {}),
              ...(p.key && p.key !== 'auto' ? { key: p.key } : {}), ...(p.time_signature && p.time_signature !== 'auto' ? { timeSignature: p.time_signature } : {}),
              ...(p.language ? { language: p.language } : {}),
            }, { flavour });
          } finally { void client.close(); }
        });
        // Only what the LM changed: values it gave back as they were, comments and the user's layout stay.
        const proposal = applyFormatResult(doc.getText(), {
          caption: result.caption,
          ...(result.bpm ? { bpm: result.bpm } : {}), ...(result.keyScale ? { key: result.keyScale } : {}),
          ...(result.timeSignature ? { time_signature: result.timeSignature } : {}), ...(result.duration ? { duration: Math.round(result.duration) } : {}),
          ...(result.vocalLanguage ? { language: result.vocalLanguage } : {}),
        }, result.lyrics);
        if (proposal === doc.getText()) {
          void vscode.window.showInformationMessage(vscode.l10n.t('The LM proposes no changes to this song.'));
          return undefined;
        }
        const proposed = proposals.create(doc, proposal);
        await vscode.commands.executeCommand('vscode.diff', doc.uri, proposed.uri, vscode.l10n.t('{0} ↔ LM proposal', doc.fileName.split(/[\\/]/).pop() ?? ''));
        // The question does not hold the command: it answers the proposal's id at once (the same answer is
        // given through INTERNAL_COMMANDS.formatProposalAnswer, which the tests use).
        const apply = vscode.l10n.t('Apply');
        void vscode.window.showInformationMessage(vscode.l10n.t('Apply the LM\'s proposal to the song? (Undo works as usual.)'), apply, vscode.l10n.t('Discard'))
          .then(choice => answer(proposed.id, choice === apply));
        return proposed.id;
      } catch (e) {
        void showServerError(e, vscode.l10n.t('Format Song'), url);
        return undefined;
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
