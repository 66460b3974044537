import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { globSync } from 'glob';
import { COMMANDS, INTERNAL_COMMANDS } from '../../src/vscode/commands';

interface Contributes {
  commands: { command: string }[];
  menus: Record<string, { command?: string }[]>;
  keybindings: { command: string }[];
}
const contributes = (JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: Contributes }).contributes;
const contributed = contributes.commands.map(c => c.command);
const ours = Object.values(COMMANDS) as string[];
const internal = Object.values(INTERNAL_COMMANDS) as string[];

test('src/vscode/commands.ts holds every command package.json contributes, and only those', () => {
  assert.deepEqual(contributed.filter(c => !ours.includes(c)), [], 'contributed in package.json but missing from COMMANDS');
  assert.deepEqual(ours.filter(c => !contributed.includes(c)), [], 'in COMMANDS but not contributed in package.json');
  assert.equal(new Set(contributed).size, contributed.length, 'package.json contributes each command once');
  assert.equal(new Set(ours).size, ours.length, 'COMMANDS names each ID once');
});

test('the internal commands are not contributed and do not clash with the contributed ones', () => {
  assert.deepEqual(internal.filter(c => contributed.includes(c) || ours.includes(c)), []);
  assert.equal(new Set(internal).size, internal.length);
  for (const id of [...ours, ...internal]) assert.match(id, /^acestep\.[a-zA-Z.]+$/);
});

test('menus and keybindings name contributed commands', () => {
  const named = [...Object.values(contributes.menus).flat().map(m => m.command), ...contributes.keybindings.map(k => k.command)]
    .filter((c): c is string => !!c && c.startsWith('acestep.'));
  assert.ok(named.length > 0);
  assert.deepEqual([...new Set(named.filter(c => !ours.includes(c)))], []);
});

test('the sources use the constants, never a command ID as a string literal', () => {
  const files = globSync('src/**/*.ts').filter(f => !f.replace(/\\/g, '/').endsWith('src/vscode/commands.ts'));
  assert.ok(files.length > 0);
  const offenders = files.flatMap(f => readFileSync(f, 'utf8').split('\n')
    .map((line, i) => ({ where: `${f}:${i + 1}`, line }))
    .filter(({ line }) => /(?:registerCommand|executeCommand(?:<[^>]*>)?)\(\s*'acestep\.|command:\s*'acestep\./.test(line))
    .map(({ where, line }) => `${where}: ${line.trim()}`));
  assert.deepEqual(offenders, []);
});
