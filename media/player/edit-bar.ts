// The edit bar under the take actions: Repaint Region… (needs a selected region), Extend…, Restyle…, Add a
// Part…, Extract Stem…, Complete…. A click only says which edit; the host asks for the rest.
import type { PlayerEditKind } from '../../src/core/player/protocol-edit';
import { h } from './dom';
import { formatTime } from './format';
import { l10n } from './l10n';
import type { Region } from './model';

const EDITS: { kind: PlayerEditKind; text: () => string; label: () => string }[] = [
  { kind: 'repaint', text: () => l10n.t('Repaint Region…'), label: () => l10n.t('Generate the selected region again') },
  { kind: 'extend', text: () => l10n.t('Extend…'), label: () => l10n.t('Add time before or after the take') },
  { kind: 'restyle', text: () => l10n.t('Restyle…'), label: () => l10n.t('The same take in another style') },
  { kind: 'add', text: () => l10n.t('Add a Part…'), label: () => l10n.t('Add an instrument or voice to the take') },
  { kind: 'extract', text: () => l10n.t('Extract Stem…'), label: () => l10n.t('Extract one part of the take') },
  { kind: 'complete', text: () => l10n.t('Complete…'), label: () => l10n.t('Complete the take with more parts') },
];

export class EditBar {
  readonly element = h('div', { class: 'edits', role: 'group', 'aria-label': l10n.t('Edit the take') });
  private readonly buttons = new Map<PlayerEditKind, HTMLButtonElement>();
  private readonly hint = h('span', { class: 'edit-hint muted' });

  constructor(onEdit: (kind: PlayerEditKind) => void) {
    for (const e of EDITS) {
      const b = h('button', { type: 'button', class: 'edit', 'data-edit': e.kind, title: e.label() }, e.text());
      b.addEventListener('click', () => onEdit(e.kind));
      this.buttons.set(e.kind, b);
      this.element.append(b);
    }
    this.element.append(this.hint);
  }

  /** Enables the edits for the current take; Repaint needs a region (the hint says how to select one). */
  sync(hasTake: boolean, region: Region | null): void {
    for (const b of this.buttons.values()) b.disabled = !hasTake;
    const repaint = this.buttons.get('repaint')!;
    repaint.disabled = !hasTake || !region;
    repaint.setAttribute('aria-label', region
      ? l10n.t('Repaint {0} to {1}', formatTime(region.start), formatTime(region.end))
      : l10n.t('Repaint Region (select a region first)'));
    const hint = hasTake && !region ? l10n.t('Select a region (drag the top strip, or click a section) to repaint it.') : '';
    if (this.hint.textContent !== hint) this.hint.textContent = hint;
  }
}
