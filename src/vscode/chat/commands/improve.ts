// @acestep /improve: the open song reviewed against the guide and its lint messages; the revision is a proposal
// (a diff and an Apply button), never an edit made behind the user's back.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatDiagnostic, improveSong } from '../../../core/ai';
import { diffPreview } from '../../../core/ai/assistant';
import { findSongDocument, songName } from '../songs';
import { result, type ChatDeps, type Result, type Stream } from './common';
import { runFlow } from './flow';
import { INTERNAL_COMMANDS } from '../../commands';
import { errorMessage } from '../../../core/util/error-message';

export async function handleImprove(deps: ChatDeps, request: vscode.ChatRequest, prompt: string, stream: Stream, token: vscode.CancellationToken): Promise<Result> {
  const doc = await findSongDocument(request.references);
  if (!doc) {
    stream.markdown(vscode.l10n.t('Open the `.song` file you want me to improve (or attach it with `#file`), then ask again. To start a new song, use `/write`.'));
    return result({ command: 'improve', ok: false, reason: 'no-song' });
  }
  const before = doc.getText();
  const lintMessages = deps.analyzer.analyze(doc).diagnostics.map(formatDiagnostic);
  stream.progress(lintMessages.length === 0 ? vscode.l10n.t('Reviewing {0}…', songName(doc))
    : lintMessages.length === 1 ? vscode.l10n.t('Reviewing {0} and its lint message…', songName(doc))
      : vscode.l10n.t('Reviewing {0} and its {1} lint messages…', songName(doc), lintMessages.length));
  const flow = await runFlow(deps, request, 'improve', stream, token,
    common => improveSong({ ...common, song: before, lintMessages, ...(prompt ? { instruction: prompt } : {}) }), 'improve');
  if (!flow.ok) return flow.result;
  const proposalText = flow.song.text;
  const preview = diffPreview(before, proposalText);
  if (preview.added === 0 && preview.removed === 0) {
    stream.markdown(vscode.l10n.t('No changes to propose: the song already follows the guide and passes the checks.'));
    return result({ command: 'improve', ok: true, song: doc.uri.toString(), reason: 'no-changes' });
  }
  const proposal = deps.proposals.create(doc, proposalText);
  try {
    await vscode.commands.executeCommand('vscode.diff', doc.uri, proposal.uri, vscode.l10n.t('{0} ↔ @acestep proposal', path.basename(doc.uri.path)), { preview: true });
  } catch (e) {
    deps.log?.warn(`could not open the diff: ${errorMessage(e)}`);
  }
  const proposed = vscode.l10n.t('Proposed edit (+{0} −{1} lines), open in the diff editor:', preview.added, preview.removed);
  stream.markdown(`${proposed}\n\n\`\`\`diff\n${preview.text.replace(/```/g, "'''")}\n\`\`\`\n\n`);
  const left = flow.song.remainingErrors.length;
  if (left) {
    const heading = left === 1 ? vscode.l10n.t('Still 1 problem after the edit:') : vscode.l10n.t('Still {0} problems after the edit:', left);
    stream.markdown(`${heading}\n${flow.song.remainingErrors.slice(0, 5).map(x => `- ${x}`).join('\n')}\n\n`);
  }
  stream.button({ command: INTERNAL_COMMANDS.chatApplyProposal, title: `$(check) ${vscode.l10n.t('Apply')}`, arguments: [proposal.id] });
  return result({ command: 'improve', ok: true, song: doc.uri.toString(), proposal: proposal.id });
}
