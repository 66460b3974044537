// Confirmation buttons in chat answers. An answer that costs GPU time or restarts the server ends with a
// button; the handler keeps the answer open and waits for it. The button's command performs the action
// (submits the song, switches the mode) and hands the result to the waiting answer, which reports progress
// and the outcome. A button clicked after its answer stopped waiting still performs the action, with
// VS Code's usual notifications instead of the chat.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { JobSnapshot } from '../../core/jobs';
import type { ServerMode } from '../../core/ai/tool-input';
import { COMMANDS, INTERNAL_COMMANDS } from '../commands';

export type ChatAction =
  | { kind: 'generate'; uri: string }
  | { kind: 'mode'; mode: ServerMode };

export type ActionOutcome =
  | { kind: 'ran'; action: ChatAction; result: Promise<unknown> }
  | { kind: 'dismissed' }
  | { kind: 'cancelled' }
  | { kind: 'timeout' };

/** The result of acestep.switchMode as far as the chat reads it. */
export interface SwitchModeResultLike {
  ok?: boolean;
  mode?: string;
  url?: string;
  warning?: string;
  problem?: { message?: string; nextStep?: string };
}

export class ActionBroker {
  private readonly waiting = new Map<string, (outcome: ActionOutcome) => void>();

  newTicket(): string {
    return randomUUID();
  }

  /** Waits for the button of `ticket` (or its dismissal, the chat's cancellation, the time limit). */
  wait(ticket: string, token: vscode.CancellationToken, timeoutMs: number): Promise<ActionOutcome> {
    return new Promise(resolve => {
      const finish = (o: ActionOutcome) => {
        if (!this.waiting.has(ticket)) return;
        this.waiting.delete(ticket);
        clearTimeout(timer);
        sub.dispose();
        resolve(o);
      };
      const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
      const sub = token.onCancellationRequested(() => finish({ kind: 'cancelled' }));
      this.waiting.set(ticket, finish);
      if (token.isCancellationRequested) finish({ kind: 'cancelled' });
    });
  }

  /** True while an answer waits for `ticket`. */
  isWaiting(ticket: string): boolean {
    return this.waiting.has(ticket);
  }

  settle(ticket: string, outcome: ActionOutcome): boolean {
    const waiter = this.waiting.get(ticket);
    waiter?.(outcome);
    return !!waiter;
  }

  dispose(): void {
    for (const ticket of [...this.waiting.keys()]) this.settle(ticket, { kind: 'cancelled' });
  }
}

function isAction(a: unknown): a is ChatAction {
  if (!a || typeof a !== 'object') return false;
  const x = a as Record<string, unknown>;
  return (x.kind === 'generate' && typeof x.uri === 'string') || (x.kind === 'mode' && (x.mode === 'api' || x.mode === 'gradio'));
}

export async function modeSwitchAvailable(): Promise<boolean> {
  return (await vscode.commands.getCommands(true)).includes(COMMANDS.switchMode);
}

/** Performs an action; `inChat` means an answer reports the outcome (no notifications, no second question). */
function perform(action: ChatAction, inChat: boolean): Promise<unknown> {
  if (action.kind === 'generate') {
    return Promise.resolve(vscode.commands.executeCommand<JobSnapshot | undefined>(COMMANDS.generateSong, vscode.Uri.parse(action.uri, true), { quiet: inChat }));
  }
  return Promise.resolve(vscode.commands.executeCommand<SwitchModeResultLike | undefined>(COMMANDS.switchMode, action.mode, { confirm: !inChat, quiet: inChat }));
}

export function registerActionCommands(context: vscode.ExtensionContext, broker: ActionBroker): void {
  context.subscriptions.push(
    { dispose: () => broker.dispose() },
    vscode.commands.registerCommand(INTERNAL_COMMANDS.chatRunAction, async (ticket: unknown, action: unknown) => {
      if (!isAction(action)) return undefined;
      const inChat = typeof ticket === 'string' && broker.isWaiting(ticket);
      const result = perform(action, inChat);
      // Errors reach whoever awaits: the waiting answer reports them, the command's caller sees them.
      result.catch(() => undefined);
      if (inChat) broker.settle(ticket as string, { kind: 'ran', action, result });
      return result;
    }),
    vscode.commands.registerCommand(INTERNAL_COMMANDS.chatDismissAction, (ticket: unknown) => typeof ticket === 'string' && broker.settle(ticket, { kind: 'dismissed' })),
  );
}
