// Composition root: creates the shared services and registers each feature. Nothing slow happens here: no process
// spawn, no network, no file scan, and only this bundle is loaded. The language features register now (the song
// engine, dist/song.js, loads with the first analysis); generation, server control, the chat and the player are
// bundles of their own, loaded on first use (src/vscode/lazy.ts): their commands, the participant, the tools, the
// Generations view and the audio editor are registered now and load their part when first used.
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import * as coreL10n from './core/l10n';
import { registerChat, type ChatApi, CHAT_COMMANDS } from './vscode/chat';
import { COMMANDS } from './vscode/commands';
import { installCoreTranslator } from './vscode/core-l10n';
import { GENERATION_COMMANDS, hasPendingJobs, registerGenerationView, type GenerationService } from './vscode/generate';
import * as lazy from './vscode/lazy';
import { bundles, loadedBundles, onFirstUse, type BundleName, type OnFirstUse } from './vscode/lazy';
import type { Generation } from './vscode/generate/bundle';
import type { ServerControl } from './vscode/server/bundle';
import { PLAYER_COMMANDS, registerPlayerEditor, type PlayerHost } from './vscode/player';
import { registerServerWake, SERVER_COMMANDS, type ServerControlApi } from './vscode/server';
import { ServerEndpoint } from './vscode/server/endpoint';
import { ServerProfiles } from './vscode/server/profiles';
import { registerSongLanguage } from './vscode/song';
import { registerWalkthrough } from './vscode/walkthrough';

/**
 * The modules with state that the lazy bundles take from this bundle instead of bundling a copy of their own
 * (esbuild.mjs, SHARED_MODULES): one core translator and one record of what is loaded for the window.
 */
export const shared = { coreL10n, lazy };

export interface ExtensionApi {
  /** How long activate() took and what it loaded, for `npm run bench` and the tests. */
  activation: { activateMs: number; bundlesLoaded: BundleName[] };
  /** The lazily loaded bundles loaded so far (src/vscode/lazy.ts). */
  bundles: { loaded(): BundleName[] };
  /** For tests and other extensions: the generation service (jobs, history). Reading it loads generation. */
  readonly generation: GenerationService;
  /** What the jobs status bar item shows (tests read it). Reading it loads generation. */
  readonly jobsStatus: { text(): string; shown(): boolean };
  /** The player (tests query its state). Reading it loads the player. */
  readonly player: PlayerHost;
  /** The Generations view's data (tests click its items). Reading it loads generation. */
  readonly generationsTree: vscode.TreeDataProvider<unknown>;
  /** The Servers view's data (servers and the songs of the current render). */
  readonly serversTree: vscode.TreeDataProvider<unknown>;
  /** The @acestep participant's handler and the tools (tests call them); they load the chat when called. */
  chat: ChatApi;
  /** Server control (tests read the status bar text and the URL generation uses). Reading it loads server control. */
  readonly server: ServerControlApi;
  /** The servers status bar item, shown with several servers (tests read it). Reading it loads generation. */
  readonly servers: { text(): string; tooltip(): string; shown(): boolean; refresh(): Promise<unknown> };
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const t0 = performance.now();
  installCoreTranslator(context);
  const log = vscode.window.createOutputChannel('ACE-Step', { log: true });
  context.subscriptions.push(log, vscode.commands.registerCommand(COMMANDS.showOutput, () => log.show()));
  const analyzer = registerSongLanguage(context);
  registerWalkthrough(context);

  const server: OnFirstUse<ServerControl> = onFirstUse(context, SERVER_COMMANDS, () =>
    bundles.server().loadServerControl(context, { jobs: () => generation.loaded()?.service.list() ?? [], log }));
  const endpoint = new ServerEndpoint({ loaded: () => server.loaded()?.facts, load: () => server().facts });
  const profiles = new ServerProfiles(endpoint);
  context.subscriptions.push(profiles, analyzer.useServerNames(() => profiles.list().map(p => p.name), profiles.onDidChange));
  const generation: OnFirstUse<Generation> = onFirstUse(context, GENERATION_COMMANDS, () => bundles.generation().loadGeneration(context, { analyzer, log, endpoint, profiles }));
  const player = onFirstUse(context, PLAYER_COMMANDS, () => bundles.player().loadPlayer(context, generation().service, log));
  const chat = onFirstUse(context, CHAT_COMMANDS, () => bundles.chat().loadChat(context, { generation: generation().service, analyzer, log }));

  registerGenerationView(context, 'acestep.generations', () => generation().tree);
  registerGenerationView(context, 'acestep.serversView', () => generation().serversTree);
  registerPlayerEditor(context, () => player().customEditor);
  // With several servers the first .song editor also wakes the servers status bar item (it loads generation).
  registerServerWake(context, () => { server().wake(); if (profiles.several()) generation().servers.wake(); });
  const chatApi = registerChat(context, chat, log);
  // Jobs a previous window left pending resume after start-up and show in the jobs status bar: generation loads now.
  if (hasPendingJobs(context.globalState)) generation();

  return {
    activation: { activateMs: performance.now() - t0, bundlesLoaded: loadedBundles() },
    bundles: { loaded: loadedBundles },
    get generation() { return generation().service; },
    get jobsStatus() { return generation().statusBar; },
    get player() { return player().host; },
    get generationsTree() { return generation().tree; },
    get serversTree() { return generation().serversTree; },
    get server() { return server().api; },
    get servers() { return generation().servers; },
    chat: chatApi,
  };
}

export function deactivate(): void {}
