// The AI features, loaded on first use (dist/chat.js; see src/vscode/lazy.ts): the @acestep participant's
// handler, the language model tools, the confirmation buttons, /improve's proposals and "Add AI Skill to
// Workspace". The participant and the tools are registered at activation (./index.ts) and hand their calls on
// to what this returns; its commands replace the stubs registered there.
import * as vscode from 'vscode';
import type { GenerationService } from '../generate';
import type { SongAnalyzer } from '../song/analyzer';
import { ActionBroker, registerActionCommands } from './actions';
import { createChatHandler, followupProvider } from './participant';
import { registerProposals } from './proposals';
import { registerAddSkill, SkillFiles } from './skill';
import { createTools } from './tools';

export interface ChatDeps {
  generation: GenerationService;
  analyzer: SongAnalyzer;
  log?: vscode.LogOutputChannel;
}

export interface Chat {
  handler: vscode.ChatRequestHandler;
  followups: vscode.ChatFollowupProvider;
  /** The language model tools by name. */
  tools: Map<string, vscode.LanguageModelTool<never>>;
  skill: SkillFiles;
}

export function loadChat(context: vscode.ExtensionContext, deps: ChatDeps): Chat {
  const skill = new SkillFiles(context.extensionUri);
  const broker = new ActionBroker();
  registerActionCommands(context, broker);
  const proposals = registerProposals(context);
  registerAddSkill(context, skill);
  const handler = createChatHandler({ ...deps, skill, broker, proposals });
  return { handler, followups: followupProvider, tools: createTools(deps), skill };
}
