// @acestep /status: the server (asked, with a time limit) and the jobs (the status report the job-status tool
// shares).
import * as vscode from 'vscode';
import { serverKindLabel } from '../../../core/api';
import { jobText, takeFiles } from '../jobs';
import { statusReport } from '../status-report';
import { result, type ChatDeps, type Result, type Stream } from './common';
import { COMMANDS } from '../../commands';

export async function handleStatus(deps: ChatDeps, stream: Stream, token: vscode.CancellationToken): Promise<Result> {
  const url = deps.generation.serverUrl();
  stream.progress(vscode.l10n.t('Asking the server at {0}…', url));
  const report = await statusReport(deps.generation, { askServer: { token, timeoutMs: 15_000 } });
  const lines: string[] = [];
  const server = report.server!;
  if (server.ok) {
    const { info } = server;
    const lm = info.lmLoaded === undefined ? ''
      : !info.lmLoaded ? vscode.l10n.t('LM not loaded: songs need `thinking: false`.')
        : info.lmModel ? vscode.l10n.t('LM loaded ({0}).', info.lmModel) : vscode.l10n.t('LM loaded.');
    const models = info.models.map(m => m.name).join(', ');
    const sentences = [
      vscode.l10n.t('**Server:** {0}: {1} {2}, {3}.', report.serverUrl, info.service, info.version, serverKindLabel(info.flavour)),
      models ? vscode.l10n.t('Models: {0}.', models) : vscode.l10n.t('Models: none listed.'),
      lm,
    ];
    lines.push(sentences.filter(Boolean).join(' '));
    lines.push(info.lmLoaded === false
      ? vscode.l10n.t('**Without a chat model:** every editor command and the player work; New Song from a Description… (the server writes the song with its own LM) needs the LM, which this server has not loaded (ACESTEP_INIT_LLM=true in its .env).')
      : vscode.l10n.t('**Without a chat model:** every editor command and the player work, and New Song from a Description… lets the server\'s own LM write a song from one sentence (the LM must be loaded).'));
  } else {
    if (token.isCancellationRequested) return result({ command: 'status', ok: false, reason: 'cancelled' });
    lines.push(vscode.l10n.t('**Server:** no answer at {0} ({1}). Start it (ACE-Step: Start Server, or `docker compose up -d` in the ACE-Step folder), check `acestep.serverUrl`, or switch the mode with `/mode`.',
      report.serverUrl, server.error));
  }
  const { pending, last } = report;
  if (pending.length) lines.push(`${vscode.l10n.t('**Running:**')}\n${pending.map(j => `- ${jobText(j).replace(/\n/g, '\n  ')}`).join('\n')}`);
  else lines.push(vscode.l10n.t('**Running:** nothing.'));
  if (last) lines.push(vscode.l10n.t('**Last job:** {0}', jobText(last).replace(/\n  /g, '\n- ')));
  stream.markdown(lines.join('\n\n'));
  if (last?.state === 'succeeded' && takeFiles(last).length) stream.button({ command: COMMANDS.openTakes, title: `$(play) ${vscode.l10n.t('Play the Last Takes')}`, arguments: [last.id] });
  return result({ command: 'status', ok: server.ok, ...(server.ok ? {} : { reason: 'unreachable' }), ...(last ? { jobId: last.id } : {}) });
}
