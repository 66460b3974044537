// The details panel of the current take: facts, caption and lyrics (with the LM's rewrite as a diff).
import { diffLines, textsDiffer } from '../../src/core/player/diff';
import type { JobView, TakeView } from '../../src/core/player/protocol';
import { h } from './dom';
import { formatBytes, formatDate, formatSeconds, formatTime } from './format';
import { l10n } from './l10n';

function facts(job: JobView, take: TakeView): HTMLElement {
  const m = take.meta;
  const rows: [string, string | undefined][] = [
    [l10n.t('BPM'), m.bpm !== undefined ? String(m.bpm) : undefined],
    [l10n.t('Key'), m.key],
    [l10n.t('Time signature'), m.timeSignature],
    [l10n.t('Duration'), take.durationSec !== undefined ? formatTime(take.durationSec) : m.duration !== undefined ? formatTime(m.duration) : undefined],
    [l10n.t('Seed'), m.seed !== undefined ? String(m.seed) : undefined],
    [l10n.t('DiT model'), m.ditModel],
    [l10n.t('LM model'), m.lmModel],
    [l10n.t('Generation time'), m.generationSeconds !== undefined ? formatSeconds(m.generationSeconds) : undefined],
    [l10n.t('Server'), m.server ?? (job.server || undefined)],
    [l10n.t('Server kind'), m.serverKind],
    [l10n.t('File'), `${take.format.toUpperCase()} · ${formatBytes(take.sizeBytes)}`],
    [l10n.t('Created'), formatDate(job.createdAt) || undefined],
  ];
  const dl = h('dl', { class: 'facts' });
  for (const [k, v] of rows) {
    if (v === undefined || v === '') continue;
    dl.append(h('div', { class: 'fact' }, h('dt', {}, k), h('dd', {}, v)));
  }
  return dl;
}

/** A line diff from what the user wrote to what was sung. */
function diffBlock(before: string, after: string, what: string): HTMLElement {
  const box = h('div', { class: 'diff', role: 'list', 'aria-label': l10n.t('{0}: your text compared with the text used', what) });
  for (const line of diffLines(before, after)) {
    const mark = line.kind === 'added' ? '+' : line.kind === 'removed' ? '−' : ' ';
    const spoken = line.kind === 'added' ? l10n.t('added: ') : line.kind === 'removed' ? l10n.t('removed: ') : '';
    box.append(h('div', { class: `diff-line diff-${line.kind}`, role: 'listitem' },
      h('span', { class: 'diff-mark', 'aria-hidden': 'true' }, mark),
      spoken ? h('span', { class: 'sr-only' }, spoken) : null,
      h('span', { class: 'diff-text' }, line.text || '\u00a0')));
  }
  return box;
}

function textSection(title: string, used: string, userText: string | undefined, cls: string): HTMLElement {
  const section = h('section', { class: `text-section ${cls}`, 'aria-label': title });
  const rewritten = textsDiffer(userText, used);
  section.append(h('h3', {}, title, rewritten ? h('span', { class: 'badge' }, l10n.t('rewritten by the LM')) : null));
  if (rewritten && userText !== undefined) {
    section.append(h('p', { class: 'diff-legend' },
      h('span', { class: 'diff-removed-key' }, l10n.t('− your text')), ' ', h('span', { class: 'diff-added-key' }, l10n.t('+ as sung'))));
    section.append(diffBlock(userText, used, title));
  } else if (used.trim()) {
    section.append(h('pre', { class: 'text-block' }, used));
  } else {
    section.append(h('p', { class: 'muted' }, cls === 'lyrics' ? l10n.t('Instrumental (no lyrics).') : l10n.t('No caption.')));
  }
  return section;
}

export function renderMeta(job: JobView, take: TakeView): HTMLElement {
  if (take.meta.unknown) {
    // An audio file without a sidecar: say so, rather than show a made-up seed or "instrumental".
    return h('div', { class: 'meta-body' },
      h('h2', { class: 'meta-title' }, `${job.title || l10n.t('Untitled')} — ${take.label}`),
      facts(job, take),
      h('p', { class: 'muted unknown-origin' }, l10n.t('No sidecar beside this file, so how it was made is unknown: no caption, lyrics or settings to show or reuse.')));
  }
  return h('div', { class: 'meta-body' },
    h('h2', { class: 'meta-title' }, `${job.title || l10n.t('Untitled')} — ${take.label}`),
    facts(job, take),
    textSection(l10n.t('Caption'), take.meta.caption, take.meta.userCaption, 'caption'),
    textSection(l10n.t('Lyrics as sung'), take.meta.lyrics, take.meta.userLyrics, 'lyrics'));
}
