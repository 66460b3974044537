// Localisation: the English bundles come from the sources, the Dutch ones are written by hand, and `check` keeps
// all of them complete.
//   node scripts/l10n.mjs extract   write l10n/bundle.l10n.json from every vscode.l10n.t('…') call under src/
//   node scripts/l10n.mjs nls       turn package.json's user-facing strings into %key% references (package.nls.json)
//   node scripts/l10n.mjs check     exit 1, listing each problem, when a bundle is incomplete, stale or inconsistent
// Every command takes `--root DIR` (default: the repository) so the unit test can run it on a copy.
//
// Rules the code must follow: the first argument of l10n.t is a string literal (a template literal without ${}),
// arguments go through {0}, {1}, … placeholders, and l10n.t is only ever called directly. In src/core the same
// holds for msg() and translatable() (src/core/l10n.ts), and literal `doc:` texts of its tables are extracted too.
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const BUNDLE = 'l10n/bundle.l10n.json';
/** Hands the core's templates to vscode.l10n.t: the one call whose first argument is not a literal. */
const BRIDGE = 'src/vscode/core-l10n.ts';
const LOCALES = ['nl'];
const bundleFor = locale => `l10n/bundle.l10n.${locale}.json`;
const nlsFor = locale => `package.nls.${locale}.json`;

// ---------------------------------------------------------------------------------------------------------------
// Code strings

function walk(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out.sort();
}

/** `l10n.t` or `<anything>.l10n.t` (vscode.l10n.t). */
function isL10nT(node) {
  return ts.isPropertyAccessExpression(node) && node.name.text === 't'
    && ((ts.isIdentifier(node.expression) && node.expression.text === 'l10n')
      || (ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'l10n'));
}

const placeholders = s => [...new Set([...s.matchAll(/\{(\d+)\}/g)].map(m => Number(m[1])))].sort((a, b) => a - b);

/** A template's {n} that no argument fills, and arguments it never shows. */
function placeholderProblems(message, argCount, at) {
  const used = placeholders(message);
  const extra = used.filter(i => i >= argCount);
  const missing = Array.from({ length: argCount }, (_, i) => i).filter(i => !used.includes(i));
  return [
    ...(extra.length ? [`${at}: "${message}" uses ${extra.map(i => `{${i}}`).join(', ')} but gets ${argCount} argument(s)`] : []),
    ...(missing.length ? [`${at}: "${message}" never shows argument(s) ${missing.map(i => `{${i}}`).join(', ')}`] : []),
  ];
}

/**
 * Every message passed to l10n.t under `<root>/src`, in file order, plus the calls that break the rules
 * (a first argument that is not a literal, l10n.t used as a value, placeholders that do not match the arguments).
 */
export function extractMessages(root) {
  const messages = [];
  const problems = [];
  // The extension (src/) and the player webview (media/, whose l10n.t reads the bundle the host embeds).
  for (const file of [...walk(path.join(root, 'src')), ...walk(path.join(root, 'media'))]) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const where = node => `${rel}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
    const inCore = rel.startsWith('src/core/');
    const isLiteral = n => n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n));
    const visit = node => {
      // The core's sentences (src/core/l10n.ts): msg('template', …args), translatable('text'), and the literal
      // `doc:` texts of its tables.
      if (inCore && ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ['msg', 'translatable'].includes(node.expression.text)) {
        const [first, ...rest] = node.arguments;
        const name = node.expression.text;
        if (!isLiteral(first)) problems.push(`${where(node)}: the first argument of ${name} must be a string literal (found ${first ? first.getText(source).slice(0, 60) : 'nothing'})`);
        else {
          messages.push({ message: first.text, where: where(node) });
          const used = placeholders(first.text);
          if (name === 'msg') {
            problems.push(...placeholderProblems(first.text, rest.length, where(node)));
          } else if (used.length) problems.push(`${where(node)}: a translatable text has no arguments, so it cannot use ${used.map(i => `{${i}}`).join(', ')}`);
        }
      }
      if (inCore && ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'doc' && isLiteral(node.initializer)) {
        messages.push({ message: node.initializer.text, where: where(node) });
      }
      if (isL10nT(node) && rel === BRIDGE) {
        // The one call that passes the core's templates on (their literals are checked above).
      } else if (isL10nT(node)) {
        const call = node.parent;
        if (!call || !ts.isCallExpression(call) || call.expression !== node) {
          problems.push(`${where(node)}: l10n.t is used other than as a direct call, so its strings cannot be extracted`);
        } else {
          const [first, ...rest] = call.arguments;
          if (!first || !(ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
            problems.push(`${where(call)}: the first argument of l10n.t must be a string literal (found ${first ? first.getText(source).slice(0, 60) : 'nothing'})`);
          } else {
            const message = first.text;
            messages.push({ message, where: where(call) });
            const named = rest.length === 1 && ts.isObjectLiteralExpression(rest[0]);
            if (!named) {
              problems.push(...placeholderProblems(message, rest.length, where(call)));
            }
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { messages, problems };
}

/** The English bundle as VS Code reads it: `{ "message": "message" }`, first occurrence order. */
export function englishBundle(messages) {
  const bundle = {};
  for (const { message } of messages) bundle[message] ??= message;
  return bundle;
}

// ---------------------------------------------------------------------------------------------------------------
// package.json strings

const stripPrefix = id => String(id).replace(/^acestep\./, '');
const isRef = v => typeof v === 'string' && /^%[^%\s]+%$/.test(v);

/**
 * Every user-facing string in package.json, as `{ key, get, set }` with a stable readable key. Strings the model
 * reads (languageModelTools' modelDescription, chat disambiguation) and the "ACE-Step" command category stay out.
 */
export function packageStrings(pkg) {
  const found = [];
  const add = (obj, prop, key) => {
    if (obj && typeof obj[prop] === 'string') found.push({ key, get: () => obj[prop], set: v => { obj[prop] = v; } });
  };
  const addArray = (arr, keyOf) => {
    if (!Array.isArray(arr)) return;
    arr.forEach((v, i) => { if (typeof v === 'string') found.push({ key: keyOf(i), get: () => arr[i], set: x => { arr[i] = x; } }); });
  };
  add(pkg, 'displayName', 'displayName');
  add(pkg, 'description', 'description');
  const c = pkg.contributes ?? {};

  for (const cmd of c.commands ?? []) {
    const id = stripPrefix(cmd.command);
    add(cmd, 'title', `command.${id}.title`);
    add(cmd, 'shortTitle', `command.${id}.shortTitle`);
  }
  for (const sub of c.submenus ?? []) add(sub, 'label', `submenu.${stripPrefix(sub.id)}.label`);

  const sections = Array.isArray(c.configuration) ? c.configuration : c.configuration ? [c.configuration] : [];
  sections.forEach((section, i) => {
    add(section, 'title', sections.length > 1 ? `config.section${i + 1}.title` : 'config.title');
    for (const [name, prop] of Object.entries(section.properties ?? {})) {
      const base = `config.${stripPrefix(name)}`;
      for (const field of ['description', 'markdownDescription', 'deprecationMessage', 'markdownDeprecationMessage']) add(prop, field, `${base}.${field}`);
      for (const field of ['enumDescriptions', 'markdownEnumDescriptions']) {
        addArray(prop[field], j => `${base}.${field}.${Array.isArray(prop.enum) && prop.enum[j] !== undefined ? String(prop.enum[j]) : j}`);
      }
    }
  });

  for (const [where, list] of Object.entries(c.viewsContainers ?? {})) {
    for (const container of list ?? []) add(container, 'title', `viewsContainer.${where}.${stripPrefix(container.id)}.title`);
  }
  for (const list of Object.values(c.views ?? {})) {
    for (const view of list ?? []) {
      add(view, 'name', `view.${stripPrefix(view.id)}.name`);
      add(view, 'contextualTitle', `view.${stripPrefix(view.id)}.contextualTitle`);
    }
  }
  const welcomeCount = {};
  for (const welcome of c.viewsWelcome ?? []) {
    const id = stripPrefix(welcome.view);
    const n = welcomeCount[id] = (welcomeCount[id] ?? 0) + 1;
    add(welcome, 'contents', `viewsWelcome.${id}${n > 1 ? `.${n}` : ''}.contents`);
  }
  for (const editor of c.customEditors ?? []) add(editor, 'displayName', `customEditor.${stripPrefix(editor.viewType)}.displayName`);

  for (const walkthrough of c.walkthroughs ?? []) {
    const base = `walkthrough.${stripPrefix(walkthrough.id)}`;
    add(walkthrough, 'title', `${base}.title`);
    add(walkthrough, 'description', `${base}.description`);
    for (const step of walkthrough.steps ?? []) {
      add(step, 'title', `${base}.step.${step.id}.title`);
      add(step, 'description', `${base}.step.${step.id}.description`);
      if (step.media && typeof step.media.altText === 'string') add(step.media, 'altText', `${base}.step.${step.id}.altText`);
    }
  }

  for (const participant of c.chatParticipants ?? []) {
    const base = `chat.${participant.name ?? stripPrefix(participant.id)}`;
    add(participant, 'fullName', `${base}.fullName`);
    add(participant, 'description', `${base}.description`);
    for (const command of participant.commands ?? []) add(command, 'description', `${base}.command.${command.name}.description`);
  }
  for (const tool of c.languageModelTools ?? []) {
    const base = `tool.${stripPrefix(tool.name)}`;
    add(tool, 'displayName', `${base}.displayName`);
    add(tool, 'userDescription', `${base}.userDescription`);
  }
  return found;
}

/** Every `%key%` anywhere in package.json. */
function references(value, out = new Set()) {
  if (isRef(value)) out.add(value.slice(1, -1));
  else if (Array.isArray(value)) value.forEach(v => references(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach(v => references(v, out));
  return out;
}

/** package.json with `"l10n": "./l10n"` right after `main` (or at the end) when it is missing. */
function withL10nField(pkg) {
  if (pkg.l10n) return pkg;
  const next = {};
  for (const [k, v] of Object.entries(pkg)) {
    next[k] = v;
    if (k === 'main') next.l10n = './l10n';
  }
  next.l10n ??= './l10n';
  return next;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared helpers

const readJson = (root, rel) => JSON.parse(readFileSync(path.join(root, rel), 'utf8'));
const readJsonIf = (root, rel) => (existsSync(path.join(root, rel)) ? readJson(root, rel) : undefined);
function writeJson(root, rel, value) {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), JSON.stringify(value, null, 2) + '\n');
}
/** The targets of markdown links (`[label](command:…)`): a translation must keep them all. */
const linkTargets = s => [...new Set([...s.matchAll(/\]\(([^)\s]+)\)/g)].map(m => m[1]))].sort();
const sameList = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const short = s => JSON.stringify(s.length > 70 ? s.slice(0, 67) + '…' : s);

/** Compares one translation file with its English source; pushes a line per problem. */
function compareTranslation(english, translated, file, problems, hint) {
  if (!translated) { problems.push(`${file} is missing`); return; }
  for (const [key, text] of Object.entries(english)) {
    const t = translated[key];
    if (typeof t !== 'string' || !t.trim()) { problems.push(`${file}: no translation for ${short(key)}${hint ? ` (${hint})` : ''}`); continue; }
    const want = placeholders(text), got = placeholders(t);
    if (!sameList(want, got)) problems.push(`${file}: the translation of ${short(key)} has placeholders ${JSON.stringify(got.map(i => `{${i}}`))}, the English ${JSON.stringify(want.map(i => `{${i}}`))}`);
    const wantLinks = linkTargets(text), gotLinks = linkTargets(t);
    if (!sameList(wantLinks, gotLinks)) problems.push(`${file}: the translation of ${short(key)} links to ${JSON.stringify(gotLinks)}, the English to ${JSON.stringify(wantLinks)}`);
  }
  for (const key of Object.keys(translated)) if (!(key in english)) problems.push(`${file}: stale entry ${short(key)} (no longer in the English)`);
}

// ---------------------------------------------------------------------------------------------------------------
// Commands

function extract(root) {
  const { messages, problems } = extractMessages(root);
  if (problems.length) return fail(problems);
  const bundle = englishBundle(messages);
  writeJson(root, BUNDLE, bundle);
  console.log(`l10n: wrote ${BUNDLE} (${Object.keys(bundle).length} strings from ${messages.length} calls)`);
  return 0;
}

function nls(root) {
  const original = readFileSync(path.join(root, 'package.json'), 'utf8');
  let pkg = JSON.parse(original);
  const table = readJsonIf(root, 'package.nls.json') ?? {};
  let converted = 0, updated = 0;
  for (const s of packageStrings(pkg)) {
    const value = s.get();
    if (isRef(value)) continue;
    if (table[s.key] !== undefined && table[s.key] !== value) updated++;
    table[s.key] = value;
    s.set(`%${s.key}%`);
    converted++;
  }
  pkg = withL10nField(pkg);
  const text = JSON.stringify(pkg, null, 2) + '\n';
  if (text !== original) writeFileSync(path.join(root, 'package.json'), text);
  writeJson(root, 'package.nls.json', table);
  console.log(`l10n: ${converted} package.json string(s) converted${updated ? ` (${updated} changed English text)` : ''}; package.nls.json has ${Object.keys(table).length} entries`);
  return 0;
}

function check(root) {
  const problems = [];

  // Code strings: the committed English bundle is exactly what the sources hold.
  const { messages, problems: callProblems } = extractMessages(root);
  problems.push(...callProblems);
  const english = englishBundle(messages);
  const committed = readJsonIf(root, BUNDLE);
  if (!committed) problems.push(`${BUNDLE} is missing: run node scripts/l10n.mjs extract`);
  else {
    const reported = new Set();
    for (const { message, where } of messages) {
      if (committed[message] === message || reported.has(message)) continue;
      reported.add(message);
      problems.push(`${BUNDLE}: ${short(message)} (${where}) is missing: run node scripts/l10n.mjs extract`);
    }
    for (const key of Object.keys(committed)) if (!(key in english)) problems.push(`${BUNDLE}: stale entry ${short(key)} (no l10n.t call uses it): run node scripts/l10n.mjs extract`);
  }
  for (const locale of LOCALES) compareTranslation(english, readJsonIf(root, bundleFor(locale)), bundleFor(locale), problems);

  // package.json strings.
  const pkg = readJson(root, 'package.json');
  const table = readJsonIf(root, 'package.nls.json');
  const unconverted = packageStrings(pkg).filter(s => !isRef(s.get()));
  for (const s of unconverted) problems.push(`package.json: ${s.key} is plain text (${short(s.get())}): run node scripts/l10n.mjs nls`);
  if (!pkg.l10n) problems.push('package.json: no "l10n" field: run node scripts/l10n.mjs nls');
  const refs = references(pkg);
  if (!table) problems.push('package.nls.json is missing: run node scripts/l10n.mjs nls');
  else {
    for (const key of refs) if (typeof table[key] !== 'string') problems.push(`package.nls.json: no entry for %${key}%`);
    for (const key of Object.keys(table)) if (!refs.has(key)) problems.push(`package.nls.json: stale entry ${key} (package.json does not use it)`);
    // Every reference needs a translation, even one the English table lacks (reported above as well).
    const used = Object.fromEntries([...refs].map(k => [k, typeof table[k] === 'string' ? table[k] : '']));
    for (const locale of LOCALES) compareTranslation(used, readJsonIf(root, nlsFor(locale)), nlsFor(locale), problems);
  }

  // Walkthrough pages: VS Code shows <page>.nls.<locale>.md when it exists.
  for (const walkthrough of pkg.contributes?.walkthroughs ?? []) {
    for (const step of walkthrough.steps ?? []) {
      const page = step.media?.markdown;
      if (typeof page !== 'string' || !existsSync(path.join(root, page))) continue;
      for (const locale of LOCALES) {
        const localized = page.replace(/\.md$/, `.nls.${locale}.md`);
        const full = path.join(root, localized);
        if (!existsSync(full) || !statSync(full).size) problems.push(`${localized} is missing (the ${locale} page of walkthrough step "${step.id}")`);
      }
    }
  }

  if (problems.length) return fail(problems);
  console.log(`l10n: ok (${Object.keys(english).length} code strings, ${refs.size} package.json strings, locales: ${LOCALES.join(', ')})`);
  return 0;
}

function fail(problems) {
  console.error(`l10n: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  ${p}`);
  return 1;
}

// ---------------------------------------------------------------------------------------------------------------

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const rootAt = args.indexOf('--root');
  const root = path.resolve(rootAt >= 0 ? args[rootAt + 1] ?? '.' : path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  const command = args.find((a, i) => !a.startsWith('--') && (rootAt < 0 || i !== rootAt + 1));
  const commands = { extract, nls, check };
  if (!commands[command]) {
    console.error('usage: node scripts/l10n.mjs extract|nls|check [--root DIR]');
    process.exit(2);
  }
  process.exit(commands[command](root));
}
