// Composition root: creates the shared services and registers each feature. Nothing slow happens here:
// no process spawn, no network, no file scan (each feature detects what it needs lazily).
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { registerChat, type ChatApi } from './vscode/chat';
import { registerGeneration, type GenerationService } from './vscode/generate';
import { registerPlayer, type PlayerHost } from './vscode/player/panel';
import { registerServerControl, type ServerControlApi } from './vscode/server';
import { registerSongLanguage } from './vscode/song';
import { registerWalkthrough } from './vscode/walkthrough';
import { installCoreTranslator } from './vscode/core-l10n';

export interface ExtensionApi {
  /** How long activate() took, for `npm run bench`. */
  activation: { activateMs: number };
  /** For tests and other extensions: the generation service (jobs, history). */
  generation: GenerationService;
  /** What the jobs status bar item shows (tests read it). */
  jobsStatus: { text(): string; shown(): boolean };
  /** The player (tests query its state). */
  player: PlayerHost;
  /** The @acestep participant's handler and the tools (tests call them). */
  chat: ChatApi;
  /** Server control (tests read the status bar text and the URL generation uses). */
  server: ServerControlApi;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const t0 = performance.now();
  installCoreTranslator(context);
  const log = vscode.window.createOutputChannel('ACE-Step', { log: true });
  context.subscriptions.push(log, vscode.commands.registerCommand('acestep.showOutput', () => log.show()));
  const analyzer = registerSongLanguage(context);
  const generation = registerGeneration(context, analyzer, log);
  const player = registerPlayer(context, generation.service, log);
  registerWalkthrough(context);
  const chat = registerChat(context, { generation: generation.service, analyzer, log });
  const server = registerServerControl(context, { generation: generation.service, log });
  return { activation: { activateMs: performance.now() - t0 }, generation: generation.service, jobsStatus: generation.statusBar, player, server, chat };
}

export function deactivate(): void {}
