// The AI features, registered together: the @acestep chat participant, the language model tools, the
// confirmation buttons, /improve's proposals and "Add AI Skill to Workspace". Editors without the chat or
// language model API (forks, older builds) get everything that does not need it; activation never fails.
import * as vscode from 'vscode';
import type { GenerationService } from '../generate';
import type { SongAnalyzer } from '../song/analyzer';
import { ActionBroker, registerActionCommands } from './actions';
import { createChatHandler, followupProvider, PARTICIPANT_ID } from './participant';
import { registerProposals } from './proposals';
import { registerAddSkill, SkillFiles } from './skill';
import { registerTools } from './tools';

export interface ChatApi {
  /** The participant's request handler (tests call it with fake requests). */
  handler: vscode.ChatRequestHandler;
  followups: vscode.ChatFollowupProvider;
  /** False when this editor has no chat API. */
  participantRegistered: boolean;
  /** The language model tools registered. */
  tools: string[];
  skill: SkillFiles;
}

export interface ChatRegistration {
  generation: GenerationService;
  analyzer: SongAnalyzer;
  log?: vscode.LogOutputChannel;
}

export function registerChat(context: vscode.ExtensionContext, deps: ChatRegistration): ChatApi {
  const skill = new SkillFiles(context.extensionUri);
  const broker = new ActionBroker();
  registerActionCommands(context, broker);
  const proposals = registerProposals(context);
  registerAddSkill(context, skill);
  const handler = createChatHandler({ ...deps, skill, broker, proposals });

  let participantRegistered = false;
  const chat = (vscode as { chat?: typeof vscode.chat }).chat;
  if (typeof chat?.createChatParticipant === 'function') {
    try {
      const participant = chat.createChatParticipant(PARTICIPANT_ID, handler);
      participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icons', 'acestep.svg');
      participant.followupProvider = followupProvider;
      context.subscriptions.push(participant);
      participantRegistered = true;
    } catch (e) {
      deps.log?.warn(`the @acestep chat participant could not be registered: ${e instanceof Error ? e.message : String(e)}`);
    }
  } else {
    deps.log?.info('this editor has no chat API: @acestep is not available (the tools and commands still are)');
  }
  const tools = registerTools(context, deps);
  return { handler, followups: followupProvider, participantRegistered, tools, skill };
}
