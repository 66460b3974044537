// User-facing sentences of the core (lint messages, quick-fix titles, hover and completion texts) in one
// form that the editor can translate and the CLI prints in English.
//
//   msg('{0} must be at most {1}', key, max)   a sentence built from an English template
//   translatable('…')                           marks a data text (a doc string in a table) for the bundles
//   text(spec.doc)                              that text, translated where a translation exists
//
// The VS Code side installs vscode.l10n as the translator at activation (src/vscode/core-l10n.ts); the CLI
// and the unit tests keep the English default. Templates and marked texts must be string literals:
// scripts/l10n.mjs extracts them from src/core into the bundles, as it does vscode.l10n.t calls elsewhere.
// The same goes for the literal `doc:` properties of the core's tables.

export type Translator = (template: string, args: readonly (string | number)[]) => string;

/** Fills {0}, {1}, … with `args`; a placeholder without an argument stays as written. */
export function formatTemplate(template: string, args: readonly (string | number)[]): string {
  return args.length ? template.replace(/\{(\d+)\}/g, (whole, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : whole)) : template;
}

const english: Translator = formatTemplate;

let current: Translator = english;

/** Installs the translator (undefined: back to English). */
export function setTranslator(translator?: Translator): void {
  current = translator ?? english;
}

/** A sentence from an English template with {0}, {1}, … placeholders. */
export function msg(template: string, ...args: (string | number)[]): string {
  return current(template, args);
}

/** A text marked with `translatable` (or a literal `doc:` of a table), translated when a translation exists. */
export function text(s: string): string {
  return current(s, []);
}

/** Marks a data text for extraction; returns it unchanged. */
export function translatable(s: string): string {
  return s;
}

/** "a or b or c", in the display language. */
export function orList(items: readonly string[]): string {
  return items.length ? items.reduce((a, b) => msg('{0} or {1}', a, b)) : '';
}
