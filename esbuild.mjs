// Builds the extension, the CLI and the webview scripts; `--tests` also transpiles the tests.
//   node esbuild.mjs               development build (source maps, not minified)
//   node esbuild.mjs --production  minified bundles with source maps (what `npm run package` ships)
//   node esbuild.mjs --watch       rebuild on change
//   node esbuild.mjs --tests       also transpile src/ and test/ file by file into out/ for node:test and mocha
import * as esbuild from 'esbuild';
import { globSync } from 'glob';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
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

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension.ts', cli: 'src/cli.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
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

const contexts = await Promise.all(builds.filter(b => b.entryPoints && Object.keys(b.entryPoints).length).map(b => esbuild.context(b)));
if (watch) {
  await Promise.all(contexts.map(c => c.watch()));
  console.log('[esbuild] watching for changes');
} else {
  try {
    const results = await Promise.all(contexts.map(c => c.rebuild()));
    if (results.some(r => r.errors.length)) process.exitCode = 1;
    // out/ is overwritten in place (parallel runs keep working); files whose source is gone are removed.
    const produced = results.find(r => r.metafile)?.metafile;
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
