// Timed lyrics under the take: the sung line lights up as the take plays (karaoke style), and clicking a line
// seeks there. The lines come from the host's `lyricsTiming` message (the server's transcription of the take).
import { activeLineAt, type TimedLine } from '../../src/core/player/lyrics-timing';
import { h } from './dom';
import { l10n } from './l10n';

export class Karaoke {
  readonly element = h('ol', { class: 'karaoke', hidden: '', 'aria-label': l10n.t('Timed lyrics') });
  private readonly byTake = new Map<string, TimedLine[]>();
  private shownTake: string | undefined;
  private active = -1;

  /** `seek` runs with a line's start when the line is clicked. */
  constructor(private readonly seek: (seconds: number) => void) {}

  /** Keeps the timed lines of a take (shown while that take is current). */
  set(takeId: string, lines: TimedLine[]): void {
    this.byTake.set(takeId, lines);
    if (this.shownTake === takeId) this.shownTake = undefined; // rebuilt on the next update
  }

  /** Shows the current take's lines with the one sung at `t` highlighted. */
  update(takeId: string | undefined, t: number): void {
    const lines = takeId ? this.byTake.get(takeId) : undefined;
    if (takeId !== this.shownTake) this.build(takeId, lines);
    if (!lines) return;
    const now = activeLineAt(lines, t);
    if (now === this.active) return;
    this.element.children[this.active]?.classList.remove('sung');
    this.element.children[this.active]?.removeAttribute('aria-current');
    const li = this.element.children[now];
    li?.classList.add('sung');
    li?.setAttribute('aria-current', 'true');
    (li as HTMLElement | undefined)?.scrollIntoView?.({ block: 'nearest' });
    this.active = now;
  }

  private build(takeId: string | undefined, lines: TimedLine[] | undefined): void {
    this.shownTake = takeId;
    this.active = -1;
    this.element.hidden = !lines?.length;
    this.element.replaceChildren(...(lines ?? []).map(line => {
      const li = h('li', { class: 'line', 'data-start': String(line.start) });
      const b = h('button', { type: 'button', 'aria-label': l10n.t('Play from "{0}"', line.text) }, line.text);
      b.addEventListener('click', () => this.seek(line.start));
      li.append(b);
      return li;
    }));
  }
}
