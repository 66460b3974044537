// The core's advice (src/core/jobs/advice.ts) as the buttons of an error notification: one label per step,
// and the command each step runs. Steps that need the caller (resubmitting a job) come as handlers.
import * as vscode from 'vscode';
import type { Advice, AdviceId } from '../../core/jobs/advice';
import { COMMANDS } from '../commands';

const ADVICE_COMMANDS: Partial<Record<AdviceId, () => Thenable<unknown>>> = {
  'switch-to-api': () => vscode.commands.executeCommand(COMMANDS.switchMode, 'api'),
  'switch-to-gradio': () => vscode.commands.executeCommand(COMMANDS.switchMode, 'gradio'),
  'start-server': () => vscode.commands.executeCommand(COMMANDS.startServer),
  'open-settings': () => vscode.commands.executeCommand('workbench.action.openSettings', 'acestep.serverUrl'),
  'set-api-key': () => vscode.commands.executeCommand(COMMANDS.setApiKey),
  'check-log': () => vscode.commands.executeCommand(COMMANDS.showOutput),
};

/** Shows `message` with a button per step that has one; runs the chosen step. Resolves with its id. */
export async function showErrorWithAdvice(
  message: string, advice: readonly Advice[], handlers: Partial<Record<AdviceId, () => void>> = {},
): Promise<AdviceId | undefined> {
  const buttons = advice.filter(a => a.label && (handlers[a.id] || ADVICE_COMMANDS[a.id]));
  const label = await vscode.window.showErrorMessage(message, ...buttons.map(a => a.label!));
  const id = buttons.find(a => a.label === label)?.id;
  if (!id) return undefined;
  const handler = handlers[id];
  if (handler) handler();
  else void ADVICE_COMMANDS[id]?.();
  return id;
}
