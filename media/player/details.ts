// Below the takes: the actions on the current take and its details (facts, caption, lyrics).
import type { JobView, PlayerAction, TakeView } from '../../src/core/player/protocol';
import { h } from './dom';
import { l10n } from './l10n';
import { renderMeta } from './meta';

// Texts are functions: they are looked up in the display language when the page is built.
const ACTION_BUTTONS: { action: PlayerAction; text: () => string; label: (take: string) => string; cls?: string }[] = [
  { action: 'reveal', text: () => l10n.t('Reveal'), label: t => l10n.t('Reveal take {0} in the file explorer', t) },
  { action: 'copyPath', text: () => l10n.t('Copy Path'), label: t => l10n.t('Copy the file path of take {0}', t) },
  { action: 'openSidecar', text: () => l10n.t('Open Sidecar'), label: t => l10n.t('Open the metadata sidecar of take {0}', t) },
  { action: 'useSettings', text: () => l10n.t('Use These Settings'), label: t => l10n.t('Use the settings of take {0} in the song file', t) },
  { action: 'regenerate', text: () => l10n.t('Regenerate'), label: t => l10n.t('Generate again with the settings of take {0}', t) },
  { action: 'timeLyrics', text: () => l10n.t('Time the Lyrics'), label: t => l10n.t('Time the lyrics of take {0} on the server (karaoke, .lrc)', t) },
  { action: 'deleteTake', text: () => l10n.t('Delete Take'), label: t => l10n.t('Delete take {0}', t), cls: 'danger' },
];

export class TakeDetails {
  readonly actions = h('div', { class: 'actions', role: 'group', 'aria-label': l10n.t('Take actions') });
  readonly meta = h('section', { class: 'meta', 'aria-label': l10n.t('Take details') });

  /** `onAction` runs on a click and acts on whatever take is current then. */
  constructor(private readonly onAction: (action: PlayerAction) => void) {}

  /** Shows the actions and details of `take` (nothing without one). */
  show(job: JobView | null, take: TakeView | undefined): void {
    if (!take || !job) {
      this.actions.replaceChildren();
      this.meta.replaceChildren();
      return;
    }
    // Only the actions that work for this take (the host says which).
    const offered = take.actions ? ACTION_BUTTONS.filter(a => take.actions!.includes(a.action)) : ACTION_BUTTONS;
    this.actions.replaceChildren(...offered.map(a => {
      const b = h('button', { type: 'button', class: `action ${a.cls ?? ''}`.trim(), 'data-action': a.action, 'aria-label': a.label(take.label) }, a.text());
      b.addEventListener('click', () => this.onAction(a.action));
      return b;
    }));
    this.meta.replaceChildren(renderMeta(job, take));
  }
}
