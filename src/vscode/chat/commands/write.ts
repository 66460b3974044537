// @acestep /write: a new song from a request, opened in an editor.
import type * as vscode from 'vscode';
import { result, type ChatDeps, type Result, type Stream } from './common';
import { writeAndOpen } from './flow';

export async function handleWrite(deps: ChatDeps, request: vscode.ChatRequest, prompt: string, stream: Stream, token: vscode.CancellationToken): Promise<Result> {
  const written = await writeAndOpen(deps, request, prompt, 'write', stream, token);
  if (!written.ok) return written.result;
  return result({ command: 'write', ok: true, song: written.doc.uri.toString(), ...(written.song.remainingErrors.length ? { reason: 'problems-left' } : {}) });
}
