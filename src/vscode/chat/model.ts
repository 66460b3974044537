// VS Code's language model as the core's ModelFn: the prompt's system message folded into the first user
// message (the API has no system role), the chat's cancellation token and the flow's AbortSignal both
// stop the request, and the last error is kept so a LanguageModelError can be explained in plain words.
import * as vscode from 'vscode';
import { flattenSystem, type ModelFn } from '../../core/ai';
import { explainModelError, NO_MODEL_MESSAGE, type ModelErrorKind } from '../../core/ai/assistant';

export interface ChatModel {
  fn: ModelFn;
  /** The error the last request failed with, if any. */
  lastError(): unknown;
}


export function languageModelFn(model: vscode.LanguageModelChat, token: vscode.CancellationToken): ChatModel {
  let last: unknown;
  const fn: ModelFn = (messages, signal) => ({
    async *[Symbol.asyncIterator]() {
      const source = new vscode.CancellationTokenSource();
      const onAbort = () => source.cancel();
      const sub = token.onCancellationRequested(onAbort);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (token.isCancellationRequested || signal?.aborted) source.cancel();
      try {
        const chat = flattenSystem(messages).map(m => m.role === 'assistant'
          ? vscode.LanguageModelChatMessage.Assistant(m.content)
          : vscode.LanguageModelChatMessage.User(m.content));
        const justification = vscode.l10n.t('ACE-Step Studio uses the language model to write and review songs (.song files) for you.');
        const response = await model.sendRequest(chat, { justification }, source.token);
        for await (const chunk of response.text) yield chunk;
      } catch (e) {
        last = e;
        throw e;
      } finally {
        sub.dispose();
        signal?.removeEventListener('abort', onAbort);
        source.dispose();
      }
    },
  });
  return { fn, lastError: () => last };
}

/** A prompt budget in characters for a model: about three characters a token, with room to spare. */
export function promptBudget(model: vscode.LanguageModelChat): number {
  const tokens = Number(model.maxInputTokens) > 0 ? Number(model.maxInputTokens) : 32_000;
  return Math.max(8_000, Math.floor(tokens * 3 * 0.8));
}

/** The model to use: the chat's own, else any model VS Code has (undefined when there is none). */
export async function chatModel(requestModel: vscode.LanguageModelChat | undefined): Promise<vscode.LanguageModelChat | undefined> {
  if (requestModel) return requestModel;
  const lm = (vscode as { lm?: typeof vscode.lm }).lm;
  if (typeof lm?.selectChatModels !== 'function') return undefined;
  try { return (await lm.selectChatModels())[0]; } catch { return undefined; }
}

/** A model failure in words, from a LanguageModelError (or anything thrown by a request). */
export function describeModelFailure(e: unknown, fallback?: string): { kind: ModelErrorKind; message: string } {
  if (e && typeof e === 'object') {
    const { code, message, name } = e as { code?: unknown; message?: unknown; name?: unknown };
    return explainModelError({ code: typeof code === 'string' ? code : undefined, message: typeof message === 'string' ? message : fallback, name: typeof name === 'string' ? name : undefined });
  }
  return explainModelError({ message: e === undefined ? fallback : String(e) });
}

export { NO_MODEL_MESSAGE };
