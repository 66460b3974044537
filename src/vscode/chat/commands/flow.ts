// Writing a song with the chat's model: the flow shared by /write, /improve and /generate with a prompt (the
// songwriting guide, the editor's checks, one round of fixes), its progress on the stream, and the report.
import * as vscode from 'vscode';
import { writeSong, type WriteProgress, type WriteSongOptions, type WriteSongResult, type WriteSongSuccess } from '../../../core/ai';
import type { ChatCommandName } from '../../../core/ai/assistant';
import { formatSeconds } from '../../../core/song';
import { openNewSong } from '../../song/new-song';
import { chatModel, describeModelFailure, languageModelFn, NO_MODEL_MESSAGE, promptBudget } from '../model';
import { chatAutofix, editorValidator, songName } from '../songs';
import { result, type ChatDeps, type Result, type Stream } from './common';
import { errorMessage } from '../../../core/util/error-message';

function abortOnCancel(token: vscode.CancellationToken): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const sub = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => sub.dispose() };
}

/** Streams the flow's steps: what it is doing, the plan once the song is there, the problems sent back. */
function progressReporter(stream: Stream, verb: 'write' | 'improve'): (e: WriteProgress) => void {
  let plannedSummary: string | undefined;
  return e => {
    if (e.kind === 'status') {
      stream.progress(e.attempt === 1
        ? (verb === 'write' ? vscode.l10n.t('Writing the caption and the lyrics with the songwriting guide…') : vscode.l10n.t('Reviewing the song against the guide…'))
        : vscode.l10n.t('Asking the model to fix the problems…'));
    } else if (e.kind === 'plan') {
      if (plannedSummary === undefined) stream.markdown(`${vscode.l10n.t('**Plan:** {0}', e.summary)}\n\n`);
      else if (e.summary !== plannedSummary) stream.markdown(`${vscode.l10n.t('**Revised:** {0}', e.summary)}\n\n`);
      plannedSummary = e.summary;
      stream.progress(vscode.l10n.t('Checking it with the editor\'s rules…'));
    } else if (e.kind === 'problems') {
      const shown = e.errors.slice(0, 5).map(x => `- ${x}`);
      if (e.errors.length > shown.length) shown.push(`- ${vscode.l10n.t('… and {0} more', e.errors.length - shown.length)}`);
      const heading = e.errors.length === 1
        ? vscode.l10n.t('The draft has 1 problem; sending it back once:')
        : vscode.l10n.t('The draft has {0} problems; sending them back once:', e.errors.length);
      stream.markdown(`${heading}\n${shown.join('\n')}\n\n`);
    }
  };
}

export interface FlowFailure { ok: false; result: Result }
interface FlowSuccess { ok: true; song: WriteSongSuccess }

/** Runs writeSong or improveSong with the request's model; a failure is already reported on the stream. */
export async function runFlow(
  deps: ChatDeps, request: vscode.ChatRequest, command: ChatCommandName, stream: Stream, token: vscode.CancellationToken,
  run: (common: Omit<WriteSongOptions, 'request'>) => Promise<WriteSongResult>,
  verb: 'write' | 'improve',
): Promise<FlowSuccess | FlowFailure> {
  const model = await chatModel(request.model);
  if (!model) {
    stream.markdown(NO_MODEL_MESSAGE);
    return { ok: false, result: result({ command, ok: false, reason: 'no-model' }) };
  }
  let guide = '';
  try {
    guide = await deps.skill.guide();
  } catch (e) {
    deps.log?.warn(`the songwriting guide could not be read: ${errorMessage(e)}`);
    stream.markdown(`*${vscode.l10n.t('(The songwriting guide is missing from the extension; writing with the format rules only.)')}*\n\n`);
  }
  const abort = abortOnCancel(token);
  const chat = languageModelFn(model, token);
  try {
    const outcome = await run({
      guide, model: chat.fn, validate: editorValidator(), autofix: chatAutofix, signal: abort.signal,
      maxChars: promptBudget(model), onProgress: progressReporter(stream, verb),
    });
    if (outcome.ok) return { ok: true, song: outcome };
    if (outcome.reason === 'cancelled' || token.isCancellationRequested) {
      return { ok: false, result: result({ command, ok: false, reason: 'cancelled' }) };
    }
    if (outcome.reason === 'model-error') {
      const failure = describeModelFailure(chat.lastError(), outcome.message);
      deps.log?.warn(`@acestep: language model error (${failure.kind}): ${String((chat.lastError() as Error | undefined)?.message ?? outcome.message)}`);
      return { ok: false, result: result({ command, ok: false, reason: failure.kind }, failure.message) };
    }
    stream.markdown(outcome.message);
    return { ok: false, result: result({ command, ok: false, reason: outcome.reason }) };
  } finally {
    abort.dispose();
  }
}

function songReport(song: WriteSongSuccess, doc: vscode.TextDocument, deps: ChatDeps): string {
  const analysis = deps.analyzer.analyze(doc);
  const p = analysis.parsed.params;
  const est = analysis.estimate;
  const parts: string[] = [];
  const name = p.title ? `"${p.title}"` : vscode.l10n.t('Your song');
  parts.push(typeof p.duration === 'number'
    ? vscode.l10n.t('**{0}** is open in a new editor ({1}). Length: {2} (the lyrics need about {3}).', name, songName(doc), formatSeconds(p.duration), formatSeconds(est.seconds))
    : vscode.l10n.t('**{0}** is open in a new editor ({1}). Length: auto (the lyrics need about {2}).', name, songName(doc), formatSeconds(est.seconds)));
  if (song.remainingErrors.length === 0) {
    parts.push(song.attempts > 1 ? vscode.l10n.t('It passes the editor\'s checks after one round of fixes.') : vscode.l10n.t('It passes the editor\'s checks.'));
  } else {
    const list = song.remainingErrors.slice(0, 8).map(x => `- ${x}`).join('\n');
    const heading = song.remainingErrors.length === 1
      ? vscode.l10n.t('1 problem left (see the Problems panel; `/improve` can fix it):')
      : vscode.l10n.t('{0} problems left (see the Problems panel; `/improve` can fix them):', song.remainingErrors.length);
    parts.push(`${heading}\n${list}`);
  }
  const notes = song.notes.filter(n => !/asked the model to fix/.test(n)).slice(0, 4);
  if (notes.length) parts.push(`_${vscode.l10n.t('Repairs: {0}.', notes.join('; '))}_`);
  return parts.join('\n\n') + '\n\n';
}

export async function writeAndOpen(deps: ChatDeps, request: vscode.ChatRequest, prompt: string, command: ChatCommandName, stream: Stream, token: vscode.CancellationToken): Promise<{ ok: true; doc: vscode.TextDocument; song: WriteSongSuccess } | FlowFailure> {
  stream.progress(vscode.l10n.t('Planning the song…'));
  const flow = await runFlow(deps, request, command, stream, token, common => writeSong({ ...common, request: prompt }), 'write');
  if (!flow.ok) return flow;
  if (token.isCancellationRequested) return { ok: false, result: result({ command, ok: false, reason: 'cancelled' }) };
  const editor = await openNewSong(flow.song.text);
  stream.markdown(songReport(flow.song, editor.document, deps));
  return { ok: true, doc: editor.document, song: flow.song };
}
