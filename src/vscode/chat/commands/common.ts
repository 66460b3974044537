// What every @acestep command shares: its dependencies, the result's metadata, and the answer when a confirmation
// button was not pressed.
import * as vscode from 'vscode';
import type { ChatCommandName } from '../../../core/ai/assistant';
import type { GenerationService } from '../../generate';
import type { SongAnalyzer } from '../../song/analyzer';
import type { ActionBroker, ActionOutcome } from '../actions';
import type { ProposalStore } from '../proposals';
import type { SkillFiles } from '../skill';

export interface ChatDeps {
  generation: GenerationService;
  analyzer: SongAnalyzer;
  skill: SkillFiles;
  broker: ActionBroker;
  proposals: ProposalStore;
  log?: vscode.LogOutputChannel;
  /** How long an answer waits for its confirmation button (default 10 minutes). */
  confirmTimeoutMs?: number;
}

/** What a result's metadata holds (the follow-ups read it). */
export interface AceStepChatMetadata {
  command: ChatCommandName;
  ok: boolean;
  /** Why it did not work: no-model, no-song, lint-errors, not-confirmed, model error kinds, … */
  reason?: string;
  /** The song written or worked on. */
  song?: string;
  jobId?: string;
  proposal?: string;
}

export type Stream = vscode.ChatResponseStream;
export type Result = vscode.ChatResult & { metadata: AceStepChatMetadata };

export const result = (metadata: AceStepChatMetadata, errorMessage?: string): Result =>
  errorMessage ? { metadata, errorDetails: { message: errorMessage } } : { metadata };

export function notConfirmed(command: ChatCommandName, outcome: Exclude<ActionOutcome, { kind: 'ran' }>, stream: Stream, song: string | undefined, what: string): Result {
  if (outcome.kind === 'timeout') stream.markdown(vscode.l10n.t('{0} (no answer for a while). The button above still works; the result then shows in a notification.', what));
  else if (outcome.kind === 'dismissed') stream.markdown(what);
  return result({ command, ok: false, reason: outcome.kind === 'cancelled' ? 'cancelled' : 'not-confirmed', ...(song ? { song } : {}) });
}

/** How long an answer waits for its confirmation button unless the deps say otherwise. */
export const CONFIRM_TIMEOUT_MS = 10 * 60_000;
