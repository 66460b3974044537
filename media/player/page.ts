// The page's frame: the "Loading takes…" / "No takes yet." line, the content (the parts in order, with the
// keyboard help after the take list) and the screen-reader announcer.
import { h } from './dom';
import { l10n } from './l10n';

export const keyboardHelp = (): string => l10n.t('Keys: Space play/pause · ←/→ 5 s (Shift: 1 s) · Home/End start/end · PageUp/PageDown 10% · 1–9 switch take · L loop · M mute · Esc clear region · Shift+drag the waveform (or drag its top strip) to select a loop region');

export interface PageParts {
  header: HTMLElement;
  transport: HTMLElement;
  takes: HTMLElement;
  actions: HTMLElement;
  /** The edit bar (edit-bar.ts). */
  edits: HTMLElement;
  details: HTMLElement;
}

export class PlayerPage {
  private readonly empty = h('p', { class: 'player-empty' }, l10n.t('Loading takes…'));
  private readonly content = h('div', { class: 'player-content', hidden: true });
  private readonly announcer = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });

  constructor(root: HTMLElement, parts: PageParts) {
    this.content.append(
      parts.header,
      parts.transport,
      parts.takes,
      h('p', { class: 'help', id: 'player-keyboard-help' }, keyboardHelp()),
      parts.actions,
      parts.edits,
      parts.details);
    root.replaceChildren(this.empty, this.content, this.announcer);
  }

  /** There is no job to show. */
  showEmpty(): void {
    this.empty.textContent = l10n.t('No takes yet.');
    this.empty.hidden = false;
    this.content.hidden = true;
  }

  showContent(): void {
    this.empty.hidden = true;
    this.content.hidden = false;
  }

  /** Says `text` to screen readers (a polite live region). */
  announce(text: string): void {
    this.announcer.textContent = text;
  }
}
