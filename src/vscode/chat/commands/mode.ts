// @acestep /mode: switching the Docker server between API and Gradio mode, after a confirmation button.
import * as vscode from 'vscode';
import { parseModeArgument } from '../../../core/ai/assistant';
import type { ServerMode } from '../../../core/ai/tool-input';
import { modeSwitchAvailable, type SwitchModeResultLike } from '../actions';
import { CONFIRM_TIMEOUT_MS, notConfirmed, result, type ChatDeps, type Result, type Stream } from './common';
import { INTERNAL_COMMANDS } from '../../commands';
import { WRAPPER_PORTS } from '../../../core/server/types';
import { errorMessage } from '../../../core/util/error-message';

const MODE_LABEL: Record<ServerMode, string> = { api: 'API', gradio: 'Gradio' };

export async function handleMode(deps: ChatDeps, prompt: string, stream: Stream, token: vscode.CancellationToken): Promise<Result> {
  if (!(await modeSwitchAvailable())) {
    stream.markdown(vscode.l10n.t('Switching the server mode needs the ACE-Step server controls, which are not available in this window. From a terminal in the ACE-Step folder: `acestep-song mode api` (or `gradio`).'));
    return result({ command: 'mode', ok: false, reason: 'unavailable' });
  }
  const mode = parseModeArgument(prompt);
  const ticket = deps.broker.newTicket();
  const explain = vscode.l10n.t('The Docker server runs one mode at a time: **API** (REST API on port {0}, what VS Code generates with) or **Gradio** (the web UI on port {1}).', WRAPPER_PORTS.api, WRAPPER_PORTS.gradio);
  const restart = vscode.l10n.t('Switching recreates the ACE-Step container: a generation in progress is lost and the models load again (a minute or more).');
  const switchTitle = (m: ServerMode) => (m === 'api' ? vscode.l10n.t('Switch to API Mode') : vscode.l10n.t('Switch to Gradio Mode'));
  if (!mode) {
    const noModel = vscode.l10n.t('Switching needs no chat model: ACE-Step: Switch Server Mode and `acestep-song mode api|gradio` do the same. Both modes let the server\'s LM write a song from a description, but only API mode returns what it wrote, so the new .song holds the LM\'s lyrics.');
    stream.markdown(`${explain} ${vscode.l10n.t('Generation currently goes to {0}.', deps.generation.serverUrl())}\n\n${restart}\n\n${noModel}\n\n`);
    for (const m of ['api', 'gradio'] as const) stream.button({ command: INTERNAL_COMMANDS.chatRunAction, title: switchTitle(m), arguments: [ticket, { kind: 'mode', mode: m }] });
  } else {
    stream.markdown(`${vscode.l10n.t('Switch the server to **{0}** mode?', MODE_LABEL[mode])} ${restart}\n\n`);
    stream.button({ command: INTERNAL_COMMANDS.chatRunAction, title: switchTitle(mode), arguments: [ticket, { kind: 'mode', mode }] });
  }
  stream.button({ command: INTERNAL_COMMANDS.chatDismissAction, title: vscode.l10n.t('Cancel'), arguments: [ticket] });
  const outcome = await deps.broker.wait(ticket, token, deps.confirmTimeoutMs ?? CONFIRM_TIMEOUT_MS);
  if (outcome.kind !== 'ran') return notConfirmed('mode', outcome, stream, undefined, vscode.l10n.t('The mode was not changed.'));
  const target = outcome.action.kind === 'mode' ? outcome.action.mode : (mode ?? 'api');
  stream.progress(vscode.l10n.t('Switching to {0} mode (the container restarts and the models load)…', MODE_LABEL[target]));
  let r: SwitchModeResultLike | undefined;
  try {
    r = await outcome.result as SwitchModeResultLike | undefined;
  } catch (e) {
    stream.markdown(vscode.l10n.t('The switch failed: {0}', errorMessage(e)));
    return result({ command: 'mode', ok: false, reason: 'failed' });
  }
  stream.markdown(modeResultText(r, target));
  return result({ command: 'mode', ok: r?.ok === true, ...(r?.ok ? {} : { reason: 'failed' }) });
}

/** acestep.switchMode's result in words (shared with the switch tool). */
export function modeResultText(r: SwitchModeResultLike | undefined, target: ServerMode): string {
  if (!r) return vscode.l10n.t('The server was not switched to {0} mode (cancelled).', MODE_LABEL[target]);
  if (r.ok) {
    const mode = MODE_LABEL[(r.mode as ServerMode) ?? target] ?? r.mode;
    const now = r.url ? vscode.l10n.t('The server now runs in {0} mode at {1}.', mode, r.url) : vscode.l10n.t('The server now runs in {0} mode.', mode);
    return r.warning ? `${now} ${vscode.l10n.t('Note: {0}', r.warning)}` : now;
  }
  const failed = vscode.l10n.t('The switch to {0} mode failed: {1}', MODE_LABEL[target], r.problem?.message ?? vscode.l10n.t('unknown problem'));
  return r.problem?.nextStep ? `${failed}\n\n${r.problem.nextStep}` : failed;
}
