// The song's sections under a take's waveform: one button per section at its (estimated or placed) time;
// clicking one selects its range. The boundaries between sections are handles: drag them (or focus one and
// press ←/→) to move where one section ends and the next starts; the result goes to the host, which keeps it.
import type { SectionMark } from '../../src/core/player/protocol-edit';
import { h } from './dom';
import { formatTime } from './format';
import { l10n } from './l10n';

export interface SectionEvents {
  /** A section was clicked: select its range. */
  select(mark: SectionMark): void;
  /** The user moved a boundary (after the drag, or a key press). */
  moved(marks: SectionMark[]): void;
  /** The take's length in seconds (0 while unknown). */
  duration(): number;
}

/** Sections stay at least this long (seconds) when a boundary moves. */
const MIN_SECTION = 0.5;
/** ←/→ on a handle moves it this far (seconds); with Shift, 0.1 s. */
const KEY_STEP = 0.5;

const round = (x: number) => Math.round(x * 100) / 100;

export class SectionLane {
  readonly element = h('div', { class: 'sections', role: 'group', 'aria-label': l10n.t('Sections'), hidden: true });
  private marks: SectionMark[] = [];
  private buttons: HTMLButtonElement[] = [];
  private handles: HTMLElement[] = [];
  private drag: { index: number; pointerId: number } | null = null;

  constructor(private readonly events: SectionEvents) {}

  /** Shows `marks` (none: the lane is hidden). */
  set(marks: SectionMark[] | undefined): void {
    if (this.drag) return;
    this.marks = (marks ?? []).map(m => ({ ...m }));
    this.element.hidden = this.marks.length === 0;
    this.buttons = this.marks.map(m => {
      const b = h('button', { type: 'button', class: 'section' }, m.name);
      b.addEventListener('click', () => this.events.select({ ...m }));
      return b;
    });
    this.handles = this.marks.slice(1).map((_, i) => {
      const handle = h('div', { class: 'section-handle', role: 'slider', tabindex: 0, 'aria-orientation': 'horizontal' });
      handle.addEventListener('pointerdown', e => this.down(e, i));
      handle.addEventListener('pointermove', e => this.move(e));
      handle.addEventListener('pointerup', e => this.up(e));
      handle.addEventListener('pointercancel', e => this.up(e));
      handle.addEventListener('keydown', e => this.key(e, i));
      return handle;
    });
    this.element.replaceChildren(...this.buttons, ...this.handles);
    this.layout();
  }

  /** The length the lane spans: the take's, else where the last section ends. */
  private span(): number {
    const d = this.events.duration();
    return d > 0 ? d : this.marks[this.marks.length - 1]?.end ?? 0;
  }

  /** Places the sections and handles (after a change, or when the take's length becomes known). */
  layout(): void {
    const d = this.span();
    if (!(d > 0)) return;
    const pct = (t: number) => `${Math.max(0, Math.min(100, (t / d) * 100))}%`;
    this.marks.forEach((m, i) => {
      const b = this.buttons[i];
      b.style.left = pct(m.start);
      b.style.width = `calc(${pct(Math.min(m.end, d))} - ${pct(m.start)})`;
      b.setAttribute('aria-label', l10n.t('{0}, {1} to {2}: select this range', m.name, formatTime(m.start), formatTime(m.end)));
    });
    this.handles.forEach((handle, i) => {
      const t = this.marks[i].end;
      handle.style.left = pct(t);
      handle.setAttribute('aria-label', l10n.t('Boundary between {0} and {1}', this.marks[i].name, this.marks[i + 1].name));
      handle.setAttribute('aria-valuemin', '0');
      handle.setAttribute('aria-valuemax', String(round(d)));
      handle.setAttribute('aria-valuenow', String(round(t)));
      handle.setAttribute('aria-valuetext', formatTime(t));
    });
  }

  /** Moves the boundary after section `i` to `t`, kept inside its neighbours. */
  private place(i: number, t: number): void {
    const lo = this.marks[i].start + MIN_SECTION, hi = this.marks[i + 1].end - MIN_SECTION;
    if (hi < lo) return;
    const x = round(Math.max(lo, Math.min(hi, t)));
    this.marks[i].end = x;
    this.marks[i + 1].start = x;
    this.layout();
  }

  private timeAt(clientX: number): number {
    const rect = this.element.getBoundingClientRect();
    return rect.width > 0 ? ((clientX - rect.left) / rect.width) * this.span() : 0;
  }

  private down(e: PointerEvent, index: number): void {
    if (e.button !== 0 || this.drag) return;
    this.drag = { index, pointerId: e.pointerId };
    try { (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId); } catch { /* synthetic events have no capture */ }
    e.preventDefault();
  }

  private move(e: PointerEvent): void {
    if (this.drag?.pointerId === e.pointerId) this.place(this.drag.index, this.timeAt(e.clientX));
  }

  private up(e: PointerEvent): void {
    if (this.drag?.pointerId !== e.pointerId) return;
    if (e.type === 'pointerup') this.place(this.drag.index, this.timeAt(e.clientX));
    this.drag = null;
    this.events.moved(this.marks.map(m => ({ ...m })));
  }

  private key(e: KeyboardEvent, index: number): void {
    const step = e.shiftKey ? 0.1 : KEY_STEP;
    const delta = e.key === 'ArrowLeft' ? -step : e.key === 'ArrowRight' ? step : 0;
    if (!delta) return;
    e.preventDefault();
    e.stopPropagation(); // not the player's seek keys
    this.place(index, this.marks[index].end + delta);
    this.events.moved(this.marks.map(m => ({ ...m })));
  }
}
