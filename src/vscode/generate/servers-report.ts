// Every server in words: one line each for the servers status bar item's tooltip and for Check Server's report
// when there are several servers. The kind in words (serverKindLabel), the LM as lmState says it.
import * as vscode from 'vscode';
import { serverKindLabel } from '../../core/api';
import { lmWords, modelsWords, queueWords } from '../../core/servers/status-words';
import { upCount, type ServerStatus } from '../../core/servers/status';

/** What a server is, after its name: up with kind, models, LM and queue; or why not. */
export function serverFacts(s: ServerStatus): string {
  if (!s.up || !s.info) return vscode.l10n.t('not reachable: {0}', s.error?.message ?? '');
  const info = s.info;
  return [vscode.l10n.t('up, {0}', serverKindLabel(info.flavour)), vscode.l10n.t('models: {0}', modelsWords(info)),
    vscode.l10n.t('LM {0}', lmWords(info)), vscode.l10n.t('queue: {0}', queueWords(s))].join(' · ');
}

/** "2/3 up" in words. */
export function upSummary(statuses: readonly ServerStatus[]): string {
  const { up, checked } = upCount(statuses);
  return vscode.l10n.t('{0}/{1} up', up, checked);
}

/** Text a server gave, made plain for Markdown (no links, no formatting). */
const plain = (text: string): string => text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, c => `\\${c}`);

/** The status bar item's tooltip: every server, one line each. */
export function serversTooltip(statuses: readonly ServerStatus[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${plain(vscode.l10n.t('ACE-Step servers: {0}', upSummary(statuses)))}**\n\n`);
  for (const s of statuses) {
    const icon = s.up ? '$(pass)' : '$(error)';
    md.appendMarkdown(`- ${icon} **${plain(s.profile.name)}** ${plain(s.profile.url)}: ${plain(serverFacts(s))}\n`);
  }
  md.appendMarkdown(`\n${plain(vscode.l10n.t('Click to check every server'))}`);
  return md;
}

/** Check Server's report on several servers: one sentence for the count, one per server. */
export function serversReport(statuses: readonly ServerStatus[]): string {
  return [
    vscode.l10n.t('ACE-Step servers: {0}.', upSummary(statuses)),
    ...statuses.map(s => vscode.l10n.t('{0} ({1}): {2}.', s.profile.name, s.profile.url, serverFacts(s))),
  ].join(' ');
}
