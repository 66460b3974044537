// Generation, loaded on first use (dist/generation.js; see src/vscode/lazy.ts): the service with its job manager
// and the ACE-Step client, the generate and server commands, the API key commands, the jobs status bar and the
// Generations view's data. Its commands replace the stubs registered at activation (./index.ts).
import * as vscode from 'vscode';
import { ApiKeyStore, registerApiKeyCommands } from '../secrets';
import type { ServerEndpoint } from '../server/endpoint';
import type { ServerProfiles } from '../server/profiles';
import { generationSettings } from '../settings';
import { ServersStatus } from './servers-status';
import type { SongAnalyzer } from '../song/analyzer';
import { COMMANDS } from '../commands';
import { newSongFromDescription, type DescribeArgs } from './describe-song';
import { registerGenerate } from './generate';
import { registerGenerationsView } from './generations-view';
import { registerLoraCommand } from './lora-command';
import { registerServerCommands } from './server-commands';
import { GenerationService } from './service';
import { registerJobsStatusBar } from './status-bar';

export interface GenerationDeps {
  analyzer: SongAnalyzer;
  log: vscode.LogOutputChannel;
  endpoint: ServerEndpoint;
  profiles: ServerProfiles;
}

export interface Generation {
  service: GenerationService;
  /** What the jobs status bar item shows. */
  statusBar: { text(): string; shown(): boolean };
  /** The Generations view's data (the view is created at activation). */
  tree: vscode.TreeDataProvider<unknown>;
  /** The servers status bar item (shown with several servers). */
  servers: ServersStatus;
}

export function loadGeneration(context: vscode.ExtensionContext, deps: GenerationDeps): Generation {
  const owners = {
    profiles: () => deps.profiles.list(),
    // The default server's other addresses: the setting, the Gradio UI, the Docker setup's server.
    defaultUrls: () => { const s = generationSettings(); return [s.serverUrl, s.gradioUrl, deps.endpoint.dockerUrl()].filter((u): u is string => !!u); },
  };
  const apiKeys = new ApiKeyStore(context.secrets, owners);
  const service = new GenerationService(context, apiKeys, deps.log, deps.endpoint, deps.profiles);
  const servers = new ServersStatus(service, deps.profiles);
  context.subscriptions.push(apiKeys, service, servers);
  registerApiKeyCommands(context, apiKeys, owners);
  registerGenerate(context, service, deps.analyzer);
  context.subscriptions.push(vscode.commands.registerCommand(COMMANDS.newSongFromDescription, (args?: DescribeArgs) =>
    newSongFromDescription(service, args && typeof args === 'object' ? args : {})));
  const statusBar = registerJobsStatusBar(context, service);
  const tree = registerGenerationsView(context, service);
  registerServerCommands(context, service, deps.log, servers);
  registerLoraCommand(context, service);
  // Jobs a previous window left pending resume shortly after start-up, never inside activate().
  if (service.hasPendingInStorage()) {
    const timer = setTimeout(() => service.jobs(), 1000);
    context.subscriptions.push({ dispose: () => clearTimeout(timer) });
  }
  return { service, statusBar, tree, servers };
}
