// The bundles loaded on first use. Activation loads only dist/extension.js; each part below is its own CommonJS
// bundle (dist/<name>.js, built by esbuild.mjs from LAZY_BUNDLES there, which turns each require() below into a
// require of that file). Unbundled (out/, the tests) each require() is a plain require of the module.
// One instance for the window: esbuild.mjs hands this module (like the core's translator) to the lazy bundles
// from dist/extension.js instead of bundling a second copy into them.
import * as vscode from 'vscode';
import type * as SongBundle from './song/bundle';
import type * as GenerationBundle from './generate/bundle';
import type * as ServerBundle from './server/bundle';
import type * as ChatBundle from './chat/bundle';
import type * as PlayerBundle from './player/bundle';

export type BundleName = 'song' | 'generation' | 'server' | 'chat' | 'player';

const loaded: BundleName[] = [];

/** Loads a bundle the first time it is asked for; afterwards returns the same module. */
function once<T>(name: BundleName, load: () => T): () => T {
  let mod: T | undefined;
  return () => {
    if (mod === undefined) {
      mod = load();
      loaded.push(name);
    }
    return mod;
  };
}

export const bundles = {
  /** The song engine: the core's parser, linter and editor data, with the YAML parser. */
  song: once('song', () => require('./song/bundle') as typeof SongBundle),
  /** Generation: the job manager, the ACE-Step client (undici), the jobs status bar and the Generations view. */
  generation: once('generation', () => require('./generate/bundle') as typeof GenerationBundle),
  /** Server control: Docker compose, the server status bar and the setup wizard. */
  server: once('server', () => require('./server/bundle') as typeof ServerBundle),
  /** The @acestep chat participant and the language model tools. */
  chat: once('chat', () => require('./chat/bundle') as typeof ChatBundle),
  /** The player webview host. */
  player: once('player', () => require('./player/bundle') as typeof PlayerBundle),
};

/** The bundles loaded so far, in load order (tests and `npm run bench` read it). */
export function loadedBundles(): BundleName[] {
  return [...loaded];
}

/** A part loaded on first use: calling it loads the part (once); `loaded()` answers without loading. */
export interface OnFirstUse<T> {
  (): T;
  loaded(): T | undefined;
}

/**
 * A part of the extension that loads on first use. Its `commands` are registered now as cheap stubs; the first
 * call of any of them, or of the returned function, removes the stubs and loads the part, which registers the real
 * commands; a stub then hands its call on to the real command.
 */
export function onFirstUse<T>(context: vscode.ExtensionContext, commands: readonly string[], load: () => T): OnFirstUse<T> {
  let part: T | undefined;
  const get = (): T => {
    if (part === undefined) {
      stubs.forEach(s => s.dispose());
      part = load();
    }
    return part;
  };
  const stubs = commands.map(id => vscode.commands.registerCommand(id, (...args: unknown[]) => {
    get();
    return vscode.commands.executeCommand(id, ...args);
  }));
  context.subscriptions.push({ dispose: () => stubs.forEach(s => s.dispose()) });
  return Object.assign(get, { loaded: () => part });
}
