// The AI features at activation: VS Code needs the @acestep participant and the language model tools registered
// from the start, so they are, with handlers that load the chat (./bundle, dist/chat.js) on their first call and
// hand it on. Editors without the chat or language model API (forks, older builds) get everything that does not
// need it; activation never fails.
import * as vscode from 'vscode';
import { COMMANDS, INTERNAL_COMMANDS } from '../commands';
import type { Chat } from './bundle';
import { PARTICIPANT_ID, TOOL_NAMES } from './names';
import type { SkillFiles } from './skill';
import { errorMessage } from '../../core/util/error-message';

/** The commands the chat registers when it loads (stubs until then). */
export const CHAT_COMMANDS: readonly string[] = [
  INTERNAL_COMMANDS.chatRunAction, INTERNAL_COMMANDS.chatDismissAction, INTERNAL_COMMANDS.chatApplyProposal, COMMANDS.addSkillToWorkspace,
];

export interface ChatApi {
  /** The participant's request handler (tests call it with fake requests). */
  handler: vscode.ChatRequestHandler;
  followups: vscode.ChatFollowupProvider;
  /** False when this editor has no chat API. */
  participantRegistered: boolean;
  /** The language model tools registered. */
  tools: string[];
  readonly skill: SkillFiles;
}

export function registerChat(context: vscode.ExtensionContext, chat: () => Chat, log?: vscode.LogOutputChannel): ChatApi {
  const handler: vscode.ChatRequestHandler = (request, chatContext, stream, token) => chat().handler(request, chatContext, stream, token);
  const followups: vscode.ChatFollowupProvider = {
    provideFollowups: (result, chatContext, token) => chat().followups.provideFollowups(result, chatContext, token),
  };

  let participantRegistered = false;
  const api = (vscode as { chat?: typeof vscode.chat }).chat;
  if (typeof api?.createChatParticipant === 'function') {
    try {
      const participant = api.createChatParticipant(PARTICIPANT_ID, handler);
      participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icons', 'acestep.svg');
      participant.followupProvider = followups;
      context.subscriptions.push(participant);
      participantRegistered = true;
    } catch (e) {
      log?.warn(`the @acestep chat participant could not be registered: ${errorMessage(e)}`);
    }
  } else {
    log?.info('this editor has no chat API: @acestep is not available (the tools and commands still are)');
  }
  const tools = registerTools(context, chat, log);
  return { handler, followups, participantRegistered, tools, get skill() { return chat().skill; } };
}

/** Registers the tools; returns the names registered (none when this VS Code has no tool API). */
function registerTools(context: vscode.ExtensionContext, chat: () => Chat, log?: vscode.LogOutputChannel): string[] {
  const lm = (vscode as { lm?: typeof vscode.lm }).lm;
  if (typeof lm?.registerTool !== 'function') {
    log?.info('language model tools are not available in this editor; the ACE-Step tools are not registered');
    return [];
  }
  const registered: string[] = [];
  for (const name of Object.values(TOOL_NAMES)) {
    const tool = (): vscode.LanguageModelTool<never> => chat().tools.get(name)!;
    try {
      context.subscriptions.push(lm.registerTool<never>(name, {
        prepareInvocation: (options, token) => tool().prepareInvocation?.(options, token),
        invoke: (options, token) => tool().invoke(options, token),
      }));
      registered.push(name);
    } catch (e) {
      log?.warn(`the tool ${name} could not be registered: ${errorMessage(e)}`);
    }
  }
  return registered;
}
