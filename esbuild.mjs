// Builds the extension, the CLI and the webview scripts; `--tests` also transpiles the tests.
//   node esbuild.mjs               development build (source maps, not minified)
//   node esbuild.mjs --production  minified bundles with source maps (what `npm run package` ships)
//   node esbuild.mjs --watch       rebuild on change
//   node esbuild.mjs --tests       also transpile src/ and test/ file by file into out/ for node:test and mocha
import * as esbuild from 'esbuild';
import { globSync } from 'glob';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const tests = args.has('--tests');

/** Prints esbuild's problems the way VS Code's problem matchers read them. */
const reportProblems = {
  name: 'report-problems',
  setup(build) {
    build.onEnd(result => {
      for (const { text, location } of [...result.errors, ...result.warnings]) {
        console.error(`✘ ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}`);
      }
    });
  },
};

const common = {
  bundle: true,
  sourcemap: true,
  minify: production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [reportProblems],
};

// Lean activation. VS Code loads dist/extension.js to activate, on every window that opens a .song, so it holds
// only what activation registers: the language features' providers, the commands (as stubs), the participant,
// the tools, the Generations view and the audio editor. The rest are bundles of their own, loaded with require()
// on first use (src/vscode/lazy.ts): the song engine (the parser and the YAML parser: the largest part of the
// language features, loaded with the first analysis), generation (with undici), server control, the chat, the player.
// Why separate CommonJS bundles and not ESM code splitting: esbuild splits only ESM output; ESM extensions are
// recent in VS Code (1.100, Node extension host only) and not a given in its forks; and an ESM main needs
// "type": "module" or .mjs, which would change how the CLI and the CommonJS test build (out/) load. A require()
// boundary works in every host, and unbundled (out/) it is the same code. What splitting would do for free is
// done here by hand: a module with state of its own (the core's
// translator, the record of loaded bundles) is bundled once, into dist/extension.js, and the lazy bundles take
// it from there (SHARED_MODULES); checkBundles() fails the build when a lazy bundle holds a copy.
const LAZY_BUNDLES = {
  song: 'src/vscode/song/bundle.ts',
  generation: 'src/vscode/generate/bundle.ts',
  server: 'src/vscode/server/bundle.ts',
  chat: 'src/vscode/chat/bundle.ts',
  player: 'src/vscode/player/bundle.ts',
};
/** Modules with state: one copy, in dist/extension.js, which exports them as `shared.<name>`. */
const SHARED_MODULES = { 'src/core/l10n.ts': 'coreL10n', 'src/vscode/lazy.ts': 'lazy' };

const abs = f => path.resolve(f);
const CORE = abs('src/core') + path.sep;
const lazyByPath = new Map(Object.entries(LAZY_BUNDLES).map(([name, f]) => [abs(f), name]));
const sharedByPath = new Map(Object.entries(SHARED_MODULES).map(([f, name]) => [abs(f), name]));

/** The source file a relative import names (the .ts file or the folder's index.ts). */
function sourceOf(resolveDir, request) {
  const base = path.resolve(resolveDir, request);
  return [base, `${base}.ts`, path.join(base, 'index.ts')].find(f => existsSync(f) && !f.endsWith(path.sep)) ?? base;
}

/**
 * The bundle boundaries: require() of a lazy bundle's entry becomes a require of its output beside this one;
 * in the lazy bundles, a shared module becomes the instance dist/extension.js exports.
 */
function bundleBoundaries({ lazyBundle }) {
  return {
    name: 'bundle-boundaries',
    setup(build) {
      build.onResolve({ filter: /^\./ }, args => {
        if (args.namespace === 'shared') return { path: args.path, external: true };
        const file = sourceOf(args.resolveDir, args.path);
        const lazy = lazyByPath.get(file);
        if (lazy && args.kind === 'require-call') return { path: `./${lazy}.js`, external: true };
        const shared = sharedByPath.get(file);
        if (lazyBundle && shared) return { path: shared, namespace: 'shared' };
        // The core is side-effect free: a module none of whose exports is used is left out (a barrel's
        // re-exports do not drag in the job manager and undici where only a type guard is wanted).
        if (file.startsWith(CORE) && file.endsWith('.ts')) return { path: file, sideEffects: false };
        return undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'shared' }, args => ({
        contents: `module.exports = require('./extension.js').shared.${args.path};`,
        loader: 'js',
      }));
    },
  };
}

const node = { platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] };

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...common,
    ...node,
    metafile: true,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    plugins: [reportProblems, bundleBoundaries({ lazyBundle: false })],
  },
  {
    ...common,
    ...node,
    metafile: true,
    entryPoints: LAZY_BUNDLES,
    outdir: 'dist',
    plugins: [reportProblems, bundleBoundaries({ lazyBundle: true })],
  },
  { ...common, ...node, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist' },
  {
    ...common,
    entryPoints: globSync('media/*.ts').map(f => f.replace(/\\/g, '/')),
    outdir: 'dist/media',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
  },
];

if (tests) {
  builds.push({
    metafile: true,
    entryPoints: globSync(['src/**/*.ts', 'test/**/*.ts', 'media/**/*.ts'], { ignore: ['**/*.d.ts'] }),
    outdir: 'out',
    outbase: '.',
    bundle: false,
    // Plain require() for import(): the transpiled files are loaded by Node's CommonJS loader.
    supported: { 'dynamic-import': false },
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'silent',
    plugins: [reportProblems],
  });
}

// The chat skill (contributes.chatSkills) needs a folder named like the skill: copy our docs there.
const SKILL_DIR = 'dist/skills/acestep';
mkdirSync(SKILL_DIR, { recursive: true });
for (const f of ['SKILL.md', 'music-creation-guide.md', 'API.md']) copyFileSync(path.join('docs/ai-integration', f), path.join(SKILL_DIR, f));
// The transpiled tests load the data the sources import (the bundles inline it): copy it beside them.
if (tests) {
  for (const f of ['snippets/song.json', ...globSync('src/**/*.json')]) {
    mkdirSync(path.dirname(path.join('out', f)), { recursive: true });
    copyFileSync(f, path.join('out', f));
  }
}

/**
 * The split holds: dist/extension.js bundles no lazy bundle's entry (each loads only through its require()), and
 * no lazy bundle holds its own copy of a shared module.
 */
function checkBundles(metafiles) {
  const problems = [];
  for (const meta of metafiles) {
    for (const [out, { inputs }] of Object.entries(meta.outputs)) {
      if (!out.endsWith('.js')) continue;
      const files = Object.keys(inputs).map(abs);
      const own = path.basename(out, '.js');
      for (const f of files) {
        if (lazyByPath.has(f) && lazyByPath.get(f) !== own) problems.push(`${out} bundles ${path.relative('.', f)}, which must load lazily as dist/${lazyByPath.get(f)}.js`);
        if (sharedByPath.has(f) && own !== 'extension') problems.push(`${out} bundles its own copy of ${path.relative('.', f)}, which must be taken from dist/extension.js`);
      }
    }
  }
  for (const p of problems) console.error(`✘ ${p}`);
  if (problems.length) process.exitCode = 1;
}

const contexts = await Promise.all(builds.filter(b => b.entryPoints && Object.keys(b.entryPoints).length).map(b => esbuild.context(b)));
if (watch) {
  await Promise.all(contexts.map(c => c.watch()));
  console.log('[esbuild] watching for changes');
} else {
  try {
    const results = await Promise.all(contexts.map(c => c.rebuild()));
    if (results.some(r => r.errors.length)) process.exitCode = 1;
    else checkBundles(results.map(r => r.metafile).filter(m => m && Object.keys(m.outputs).some(o => o.startsWith('dist/'))));
    // out/ is overwritten in place (parallel runs keep working); files whose source is gone are removed.
    const produced = results.find(r => r.metafile && Object.keys(r.metafile.outputs).some(o => o.startsWith('out/')))?.metafile;
    if (produced) {
      const keep = new Set(Object.keys(produced.outputs).map(f => path.resolve(f)));
      for (const f of globSync('out/{src,test,media}/**/*.js')) if (!keep.has(path.resolve(f))) rmSync(f);
    }
  } catch {
    process.exitCode = 1;
  } finally {
    await Promise.all(contexts.map(c => c.dispose()));
  }
}
