// The take list: one row per take with its select button, facts, status line, waveform and <audio>.
// The row of a take that stays across a reload is kept (its audio and its peaks with it).
import type { SectionMark, TakeView } from '../../src/core/player/protocol';
import { h } from './dom';
import { formatBytes, formatTime } from './format';
import { l10n } from './l10n';
import { takeKey } from './model';
import type { PeakTarget } from './peak-queue';
import { SectionLane } from './sections';
import { Waveform, type WaveInput, type WaveView } from './waveform';

const MEDIA_EVENTS = ['play', 'pause', 'ended', 'timeupdate', 'seeked', 'durationchange', 'error'] as const;
export type MediaEvent = typeof MEDIA_EVENTS[number];

/** What a row reports to the page. */
export interface SlotEvents {
  /** The take's select button was clicked. */
  select(slot: TakeSlot): void;
  seek(slot: TakeSlot, seconds: number, phase: Parameters<WaveInput['seek']>[1]): void;
  region: WaveInput['region'];
  /** What the waveform shows (position, region…). */
  view(slot: TakeSlot): WaveView;
  /** The waveform is drawn from peaks. */
  drawn(slot: TakeSlot): void;
  media(slot: TakeSlot, event: MediaEvent): void;
  /** A section was clicked (select its range on this take). */
  section(slot: TakeSlot, mark: SectionMark): void;
  /** The user moved this take's sections. */
  sectionsMoved(slot: TakeSlot, marks: SectionMark[]): void;
}

export class TakeSlot implements PeakTarget {
  readonly key: string;
  take: TakeView;
  readonly audio = document.createElement('audio');
  readonly wave: Waveform;
  readonly sections: SectionLane;
  readonly item = h('li', { class: 'take' });
  readonly select = h('button', { class: 'take-select', type: 'button', 'aria-pressed': 'false' });
  private readonly info = h('span', { class: 'take-info' });
  private readonly status = h('span', { class: 'take-status', role: 'status' });
  decoding: AbortController | null = null;
  failed = false;
  /** Why this take cannot be played (shown in its row; Play is not offered), or null. */
  unplayable: string | null = null;

  constructor(take: TakeView, events: SlotEvents) {
    this.key = takeKey(take);
    this.take = take;
    this.audio.preload = 'metadata';
    this.audio.src = take.src;
    this.wave = new Waveform(l10n.t('Position in take {0}', take.label), {
      seek: (t, phase) => events.seek(this, t, phase),
      region: (start, end, phase) => events.region(start, end, phase),
    }, () => events.view(this), () => events.drawn(this));
    this.wave.canvas.setAttribute('aria-describedby', 'player-keyboard-help');
    this.sections = new SectionLane({
      select: mark => events.section(this, mark),
      moved: marks => { this.take = { ...this.take, sections: marks }; events.sectionsMoved(this, marks); },
      duration: () => events.view(this).duration,
    });
    this.audio.addEventListener('durationchange', () => this.sections.layout());
    this.item.append(h('div', { class: 'take-head' }, this.select, this.info, this.status), h('div', { class: 'wave-wrap' }, this.wave.canvas), this.sections.element, this.audio);
    this.select.addEventListener('click', () => events.select(this));
    for (const type of MEDIA_EVENTS) this.audio.addEventListener(type, () => events.media(this, type));
  }

  get hasPeaks(): boolean {
    return this.wave.hasPeaks;
  }

  /** Shows `take` as the take at `index` in the list (1–9 have a key). */
  show(take: TakeView, index: number): void {
    this.take = take;
    const n = index + 1;
    this.select.textContent = '';
    this.select.append(h('span', { class: 'take-key', 'aria-hidden': 'true' }, n <= 9 ? String(n) : ''), h('span', { class: 'take-label' }, take.label));
    this.select.setAttribute('aria-label', n <= 9 ? l10n.t('Take {0} (key {1})', take.label, n) : l10n.t('Take {0}', take.label));
    this.wave.canvas.setAttribute('aria-label', l10n.t('Position in take {0}', take.label));
    const dur = take.durationSec ?? take.meta.duration;
    this.sections.set(take.sections);
    this.info.textContent = [dur !== undefined ? formatTime(dur) : '', take.format.toUpperCase(), formatBytes(take.sizeBytes)].filter(Boolean).join(' · ');
  }

  showPeaks(peaks: number[]): void {
    this.setStatus('');
    this.wave.setPeaks(peaks);
  }

  /** Peaks from the host: kept with the take and shown. */
  receivePeaks(peaks: number[]): void {
    this.take = { ...this.take, peaks };
    this.showPeaks(peaks);
  }

  /** The audio did not load: returns what to report, the first time only (null after, or after failed peaks). */
  audioFailed(): string | null {
    if (this.unplayable) return null;
    this.markUnplayable();
    return `take ${this.take.id}: the audio did not load (media error ${this.audio.error?.code ?? 0})`;
  }

  /** The audio cannot be decoded: say so in the row, draw no waveform, and let the page offer no Play. */
  markUnplayable(): void {
    this.failed = true;
    this.unplayable = l10n.t('Cannot play this file: the player cannot decode it (the file is damaged, empty or not in an audio format it reads).');
    this.item.classList.add('unplayable');
    this.setStatus(this.unplayable);
  }

  setStatus(text: string): void {
    if (this.status.textContent !== text) this.status.textContent = text;
  }

  /** Marks the row as the current take (or not); only the current take preloads its whole audio. */
  setActive(on: boolean): void {
    this.item.classList.toggle('active', on);
    this.select.setAttribute('aria-pressed', String(on));
    if (on && this.audio.preload !== 'auto') this.audio.preload = 'auto';
  }

  dispose(): void {
    this.decoding?.abort();
    this.audio.pause();
    this.audio.removeAttribute('src');
    this.audio.load();
    this.wave.destroy();
    this.item.remove();
  }
}

export class TakeList {
  readonly element = h('ul', { class: 'take-list', 'aria-label': l10n.t('Takes') });
  slots: TakeSlot[] = [];

  constructor(private readonly events: SlotEvents) {}

  /**
   * Shows `takes`: rows of takes no longer listed go, kept ones are reused, new ones are made
   * (`created` sets them up); `placed` runs for every row, in order, before the list is replaced.
   */
  show(takes: TakeView[], created: (slot: TakeSlot) => void, placed: (slot: TakeSlot) => void): void {
    this.keepOnly(takes);
    this.slots = takes.map((take, i) => {
      const key = takeKey(take);
      let slot = this.slots.find(s => s.key === key);
      if (!slot) {
        slot = new TakeSlot(take, this.events);
        created(slot);
      }
      slot.show(take, i);
      placed(slot);
      return slot;
    });
    this.element.replaceChildren(...this.slots.map(s => s.item));
  }

  /** Removes every row. */
  clear(): void {
    this.keepOnly([]);
  }

  private keepOnly(takes: TakeView[]): void {
    const keys = new Set(takes.map(takeKey));
    for (const s of this.slots) if (!keys.has(s.key)) s.dispose();
    this.slots = this.slots.filter(s => keys.has(s.key));
  }
}
