// Generation features, registered together.
import * as vscode from 'vscode';
import type { SongAnalyzer } from '../song/analyzer';
import { ApiKeyStore, registerApiKeyCommands } from '../secrets';
import { registerGenerate } from './generate';
import { registerGenerationsView } from './generations-view';
import { registerServerCommands } from './server-commands';
import { GenerationService } from './service';
import { registerJobsStatusBar } from './status-bar';

export { GenerationService } from './service';

export function registerGeneration(context: vscode.ExtensionContext, analyzer: SongAnalyzer, log: vscode.LogOutputChannel) {
  const apiKeys = new ApiKeyStore(context.secrets);
  const service = new GenerationService(context, apiKeys, log);
  context.subscriptions.push(apiKeys, service);
  registerApiKeyCommands(context, apiKeys);
  registerGenerate(context, service, analyzer);
  const statusBar = registerJobsStatusBar(context, service);
  registerGenerationsView(context, service);
  registerServerCommands(context, service, log);
  // Jobs a previous window left pending resume shortly after start-up, never inside activate().
  if (service.hasPendingInStorage()) {
    const timer = setTimeout(() => service.jobs(), 1000);
    context.subscriptions.push({ dispose: () => clearTimeout(timer) });
  }
  return { service, statusBar };
}
