// @acestep /write: a new song from a request, opened in an editor.
import * as vscode from 'vscode';
import { COMMANDS } from '../../commands';
import { result, type ChatDeps, type Result, type Stream } from './common';
import { writeAndOpen } from './flow';

export async function handleWrite(deps: ChatDeps, request: vscode.ChatRequest, prompt: string, stream: Stream, token: vscode.CancellationToken): Promise<Result> {
  const written = await writeAndOpen(deps, request, prompt, 'write', stream, token);
  offerServerLm(prompt, stream);
  if (!written.ok) return written.result;
  return result({ command: 'write', ok: true, song: written.doc.uri.toString(), ...(written.song.remainingErrors.length ? { reason: 'problems-left' } : {}) });
}

/** The other route: the ACE-Step server's own LM writes (and generates) the song from the same sentence, no chat model. */
function offerServerLm(prompt: string, stream: Stream): void {
  if (!prompt.trim()) return;
  stream.button({
    command: COMMANDS.newSongFromDescription, title: `$(sparkle) ${vscode.l10n.t('Let ACE-Step\'s LM Write It')}`,
    arguments: [{ description: prompt.trim().slice(0, 1000) }],
  });
}
