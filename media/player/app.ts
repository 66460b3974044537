// The player: jobs → takes → one <audio> and one waveform per take, a shared transport, details and
// actions. All host input goes through parseToWebview; all output is a FromWebview message.
import {
  DEFAULT_PEAK_BUCKETS, parseToWebview,
  type JobView, type LoopMode, type PlayerAction, type PlayerCommand, type PlayerState, type StateReason, type TakeView, type ToWebview,
} from '../../src/core/player/protocol';
import { connectToHost, type HostBridge } from './api';
import { takePeaks } from './decode';
import { h, icon, setIcon } from './dom';
import { formatBytes, formatDate, formatTime, spokenTime } from './format';
import { l10n } from './l10n';
import { renderMeta } from './meta';
import { readPalette, watchTheme, type Palette } from './theme';
import { Waveform, type Region, type WaveView } from './waveform';

const SKIP_SECONDS = 5;
const FINE_SKIP_SECONDS = 1;
/** Minimum gap between two "tick" state reports while playing (≤ 4 a second). */
const TICK_MS = 250;
const RATES = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];
const MAX_ERROR_REPORTS = 5;
/** A region shorter than this is ignored (seconds). */
const MIN_REGION = 0.05;

// Texts are functions: they are looked up in the display language when the page is built.
const ACTION_BUTTONS: { action: PlayerAction; text: () => string; label: (take: string) => string; cls?: string }[] = [
  { action: 'reveal', text: () => l10n.t('Reveal'), label: t => l10n.t('Reveal take {0} in the file explorer', t) },
  { action: 'copyPath', text: () => l10n.t('Copy Path'), label: t => l10n.t('Copy the file path of take {0}', t) },
  { action: 'openSidecar', text: () => l10n.t('Open Sidecar'), label: t => l10n.t('Open the metadata sidecar of take {0}', t) },
  { action: 'useSettings', text: () => l10n.t('Use These Settings'), label: t => l10n.t('Use the settings of take {0} in the song file', t) },
  { action: 'regenerate', text: () => l10n.t('Regenerate'), label: t => l10n.t('Generate again with the settings of take {0}', t) },
  { action: 'deleteTake', text: () => l10n.t('Delete Take'), label: t => l10n.t('Delete take {0}', t), cls: 'danger' },
];

export const keyboardHelp = (): string => l10n.t('Keys: Space play/pause · ←/→ 5 s (Shift: 1 s) · Home/End start/end · PageUp/PageDown 10% · 1–9 switch take · L loop · M mute · Esc clear region · Shift+drag the waveform (or drag its top strip) to select a loop region');

interface Slot {
  key: string;
  take: TakeView;
  audio: HTMLAudioElement;
  wave: Waveform;
  item: HTMLLIElement;
  select: HTMLButtonElement;
  info: HTMLElement;
  status: HTMLElement;
  decoding: AbortController | null;
  failed: boolean;
}

const slotKey = (take: TakeView) => `${take.id}\n${take.src}`;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}

export class Player {
  private readonly host: HostBridge;
  private jobs: JobView[] = [];
  private job: JobView | null = null;
  private slots: Slot[] = [];
  private active = -1;
  private loop: LoopMode = 'off';
  private region: Region | null = null;
  private rate = 1;
  private volume = 1;
  private muted = false;
  private palette: Palette;
  /** Peaks computed here, by slot key, so a reload of the same takes does not decode again. */
  private readonly computedPeaks = new Map<string, number[]>();
  private decodeChain: Promise<void> = Promise.resolve();
  private malformedReported = false;
  private errorReports = 0;
  private lastReport = 0;
  private lastPosition = 0;
  private frame = 0;
  private tickTimer = 0;

  private readonly root: HTMLElement;
  private readonly title = h('h1', { class: 'song-title' });
  private readonly jobSelect = h('select', { class: 'job-select', 'aria-label': l10n.t('Generation job') });
  private readonly jobLabel = h('label', { class: 'job-picker' }, h('span', { class: 'label-text' }, l10n.t('Job')), this.jobSelect);
  private readonly takeList = h('ul', { class: 'take-list', 'aria-label': l10n.t('Takes') });
  private readonly playButton = h('button', { class: 'icon-button play', type: 'button', 'aria-label': l10n.t('Play') });
  private readonly backButton = h('button', { class: 'icon-button', type: 'button', 'aria-label': l10n.t('Back {0} seconds', SKIP_SECONDS), title: l10n.t('Back {0} s (←)', SKIP_SECONDS) });
  private readonly forwardButton = h('button', { class: 'icon-button', type: 'button', 'aria-label': l10n.t('Forward {0} seconds', SKIP_SECONDS), title: l10n.t('Forward {0} s (→)', SKIP_SECONDS) });
  private readonly startButton = h('button', { class: 'icon-button', type: 'button', 'aria-label': l10n.t('Go to the start'), title: l10n.t('Start (Home)') });
  private readonly time = h('span', { class: 'time', 'aria-label': l10n.t('Position') }, '0:00 / 0:00');
  private readonly loopButton = h('button', { class: 'toggle loop', type: 'button', 'aria-pressed': 'false', 'aria-label': l10n.t('Loop'), title: l10n.t('Loop (L)') });
  private readonly clearRegionButton = h('button', { class: 'toggle clear-region', type: 'button', 'aria-label': l10n.t('Clear the loop region'), title: l10n.t('Clear region (Esc)'), hidden: true }, l10n.t('Clear region'));
  private readonly rateSelect = h('select', { class: 'rate', 'aria-label': l10n.t('Playback speed') });
  private readonly muteButton = h('button', { class: 'icon-button mute', type: 'button', 'aria-pressed': 'false', 'aria-label': l10n.t('Mute'), title: l10n.t('Mute (M)') });
  private readonly volumeInput = h('input', { class: 'volume', type: 'range', min: 0, max: 100, step: 1, value: 100, 'aria-label': l10n.t('Volume') });
  private readonly actions = h('div', { class: 'actions', role: 'group', 'aria-label': l10n.t('Take actions') });
  private readonly meta = h('section', { class: 'meta', 'aria-label': l10n.t('Take details') });
  private readonly empty = h('p', { class: 'player-empty' }, l10n.t('Loading takes…'));
  private readonly content = h('div', { class: 'player-content', hidden: true });
  private readonly announcer = h('div', { class: 'sr-only', role: 'status', 'aria-live': 'polite' });

  constructor(root: HTMLElement) {
    this.root = root;
    this.host = connectToHost();
    const saved = this.host.loadSettings();
    this.volume = saved.volume ?? 1;
    this.muted = saved.muted ?? false;
    this.rate = saved.rate ?? 1;
    this.palette = readPalette();
    this.build();
    window.addEventListener('message', e => this.onMessage(e.data));
    window.addEventListener('keydown', this.onKey);
    window.addEventListener('resize', () => this.slots.forEach(s => s.wave.resize()));
    window.addEventListener('error', e => this.reportError(`script error: ${e.message}`));
    window.addEventListener('unhandledrejection', e => this.reportError(`unhandled rejection: ${String((e as PromiseRejectionEvent).reason)}`));
    watchTheme(() => this.onThemeChange());
    this.host.post({ type: 'ready' });
  }

  // -------------------------------------------------------------------------------------------
  // Page structure

  private build(): void {
    setIcon(this.playButton, 'play');
    setIcon(this.backButton, 'back');
    setIcon(this.forwardButton, 'forward');
    setIcon(this.startButton, 'start');
    this.loopButton.append(icon('loop'), h('span', { class: 'loop-text' }, l10n.t('Loop')));
    setIcon(this.muteButton, this.muted ? 'muted' : 'volume');
    for (const r of RATES) this.rateSelect.append(h('option', { value: String(r) }, `${r}×`));

    const help = h('p', { class: 'help', id: 'player-keyboard-help' }, keyboardHelp());
    const transport = h('div', { class: 'transport', role: 'group', 'aria-label': l10n.t('Playback') },
      this.startButton, this.backButton, this.playButton, this.forwardButton, this.time,
      h('span', { class: 'spacer' }),
      this.loopButton, this.clearRegionButton,
      h('label', { class: 'rate-picker' }, h('span', { class: 'label-text' }, l10n.t('Speed')), this.rateSelect),
      h('span', { class: 'volume-group' }, this.muteButton, this.volumeInput));
    this.content.append(
      h('header', { class: 'player-header' }, this.title, this.jobLabel),
      transport,
      this.takeList,
      help,
      this.actions,
      this.meta);
    this.root.replaceChildren(this.empty, this.content, this.announcer);

    this.playButton.addEventListener('click', () => this.togglePlay());
    this.backButton.addEventListener('click', () => this.skip(-SKIP_SECONDS));
    this.forwardButton.addEventListener('click', () => this.skip(SKIP_SECONDS));
    this.startButton.addEventListener('click', () => this.seek(0, 'seek'));
    this.loopButton.addEventListener('click', () => this.toggleLoop());
    this.clearRegionButton.addEventListener('click', () => this.setRegion(null));
    this.rateSelect.addEventListener('change', () => this.setRate(Number(this.rateSelect.value)));
    this.muteButton.addEventListener('click', () => this.setMuted(!this.muted));
    this.volumeInput.addEventListener('input', () => this.setVolume(Number(this.volumeInput.value) / 100));
    this.jobSelect.addEventListener('change', () => this.selectJob(this.jobSelect.value, null));
    this.syncControls();
  }

  // -------------------------------------------------------------------------------------------
  // Messages

  private onMessage(data: unknown): void {
    const msg = parseToWebview(data);
    if (!msg) {
      if (!this.malformedReported) {
        this.malformedReported = true;
        const type = typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string'
          ? `"${String((data as { type: string }).type).slice(0, 40)}"` : data === null ? 'null' : typeof data;
        this.host.post({ type: 'error', message: `ignored a malformed message from the host (${type}); later ones are ignored silently` });
      }
      return;
    }
    try {
      this.handle(msg);
    } catch (e) {
      this.reportError(`handling "${msg.type}": ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private handle(msg: ToWebview): void {
    switch (msg.type) {
      case 'load': return this.load(msg.jobs, msg.selectedJobId, msg.selectedTake);
      case 'peaks': return this.receivePeaks(msg.takeId, msg.peaks);
      case 'theme': return this.onThemeChange();
      case 'command': return this.command(msg);
    }
  }

  private command(c: PlayerCommand): void {
    switch (c.command) {
      case 'playPause': return this.togglePlay();
      case 'play': return this.play();
      case 'pause': return this.pause();
      case 'seek': return this.seek(c.seconds, 'seek');
      case 'skip': return this.skip(c.seconds);
      case 'selectTake': {
        const i = this.slots.findIndex(s => s.take.id === c.takeId);
        if (i >= 0) this.switchTake(i);
        return;
      }
      case 'selectJob': return this.selectJob(c.jobId, null);
      case 'setVolume': return this.setVolume(c.volume);
      case 'setRate': return this.setRate(c.rate);
      case 'setLoop':
        if (c.loop === 'region') { this.setRegion({ start: c.start, end: c.end }); return; }
        return this.setLoop(c.loop);
      case 'reportState': return this.report('request');
    }
  }

  private reportError(message: string): void {
    if (this.errorReports >= MAX_ERROR_REPORTS) return;
    this.errorReports++;
    this.host.post({ type: 'error', message: message.slice(0, 1000) });
  }

  // -------------------------------------------------------------------------------------------
  // Jobs and takes

  private load(jobs: JobView[], selectedJobId: string | null, selectedTake: string | null): void {
    this.jobs = jobs;
    // Peaks the host now provides replace ours; keep ours only for takes still listed.
    const keys = new Set(jobs.flatMap(j => j.takes.map(slotKey)));
    for (const k of [...this.computedPeaks.keys()]) if (!keys.has(k)) this.computedPeaks.delete(k);

    this.jobSelect.replaceChildren(...jobs.map(j => h('option', { value: j.id },
      [formatDate(j.createdAt) || j.id, j.takes.length === 1 ? l10n.t('1 take') : l10n.t('{0} takes', j.takes.length), j.server].filter(Boolean).join(' · '))));
    this.jobLabel.hidden = jobs.length < 2;

    const jobId = (selectedJobId && jobs.some(j => j.id === selectedJobId)) ? selectedJobId
      : (this.job && jobs.some(j => j.id === this.job!.id)) ? this.job.id
        : jobs[0]?.id ?? null;
    if (jobId === null) {
      this.teardownSlots([]);
      this.active = -1;
      this.job = null;
      this.empty.textContent = l10n.t('No takes yet.');
      this.empty.hidden = false;
      this.content.hidden = true;
      this.report('load');
      return;
    }
    this.selectJob(jobId, selectedTake);
  }

  private selectJob(jobId: string, takeId: string | null): void {
    const job = this.jobs.find(j => j.id === jobId);
    if (!job) return;
    const sameJob = this.job?.id === job.id;
    const prev = this.current();
    const position = sameJob ? this.position() : 0;
    const wasPlaying = sameJob && this.isPlaying();
    const prevTakeId = sameJob ? prev?.take.id ?? null : null;
    if (!sameJob) {
      prev?.audio.pause();
      this.region = null;
      if (this.loop === 'region') this.loop = 'off';
    }
    this.job = job;
    this.jobSelect.value = job.id;
    this.title.textContent = job.title || l10n.t('Untitled');
    document.title = `${job.title || l10n.t('Untitled')} — ACE-Step Player`;
    this.empty.hidden = true;
    this.content.hidden = false;

    this.teardownSlots(job.takes);
    this.slots = job.takes.map((take, i) => this.slotFor(take, i));
    this.takeList.replaceChildren(...this.slots.map(s => s.item));

    const wanted = [takeId, prevTakeId].find(id => id && this.slots.some(s => s.take.id === id));
    const index = wanted ? this.slots.findIndex(s => s.take.id === wanted) : 0;
    this.active = -1;
    if (this.slots.length) this.activate(index, position, wasPlaying);
    else this.renderTakeDetails();
    this.slots.forEach(s => s.wave.resize());
    this.scheduleDecodes();
    this.requestDraw();
    this.report('load');
  }

  /** Reuses the slot of an unchanged take (keeps its audio and peaks), or makes a new one. */
  private slotFor(take: TakeView, index: number): Slot {
    const key = slotKey(take);
    const old = this.slots.find(s => s.key === key);
    const slot = old ?? this.newSlot(take);
    slot.take = take;
    const n = index + 1;
    slot.select.textContent = '';
    slot.select.append(h('span', { class: 'take-key', 'aria-hidden': 'true' }, n <= 9 ? String(n) : ''), h('span', { class: 'take-label' }, take.label));
    slot.select.setAttribute('aria-label', n <= 9 ? l10n.t('Take {0} (key {1})', take.label, n) : l10n.t('Take {0}', take.label));
    slot.wave.canvas.setAttribute('aria-label', l10n.t('Position in take {0}', take.label));
    const dur = take.durationSec ?? take.meta.duration;
    slot.info.textContent = [dur !== undefined ? formatTime(dur) : '', take.format.toUpperCase(), formatBytes(take.sizeBytes)].filter(Boolean).join(' · ');
    const peaks = take.peaks ?? this.computedPeaks.get(key) ?? null;
    if (peaks) {
      slot.decoding?.abort();
      slot.decoding = null;
      if (!slot.wave.hasPeaks || take.peaks) slot.wave.setPeaks(peaks);
      this.setStatus(slot, '');
    }
    return slot;
  }

  private newSlot(take: TakeView): Slot {
    const audio = document.createElement('audio');
    audio.preload = 'metadata';
    audio.src = take.src;
    const select = h('button', { class: 'take-select', type: 'button', 'aria-pressed': 'false' });
    const info = h('span', { class: 'take-info' });
    const status = h('span', { class: 'take-status', role: 'status' });
    const item = h('li', { class: 'take' });
    const slot: Slot = { key: slotKey(take), take, audio, select, info, status, item, decoding: null, failed: false, wave: null as unknown as Waveform };
    slot.wave = new Waveform(l10n.t('Position in take {0}', take.label), {
      seek: (t, phase) => this.onWaveSeek(slot, t, phase),
      region: (start, end, phase) => this.onWaveRegion(start, end, phase),
    }, () => this.waveView(slot), () => { if (this.current() === slot) this.report('drawn'); });
    slot.wave.canvas.setAttribute('aria-describedby', 'player-keyboard-help');
    item.append(h('div', { class: 'take-head' }, select, info, status), h('div', { class: 'wave-wrap' }, slot.wave.canvas), audio);
    select.addEventListener('click', () => this.switchTake(this.slots.indexOf(slot)));
    this.applyAudioSettings(audio);
    const mine = () => this.current() === slot;
    audio.addEventListener('play', () => { if (mine()) { this.syncControls(); this.startClock(); this.report('play'); } });
    audio.addEventListener('pause', () => { if (mine() && !audio.ended) { this.syncControls(); this.requestDraw(); this.report('pause'); } });
    audio.addEventListener('ended', () => { if (mine()) this.onEnded(); });
    audio.addEventListener('timeupdate', () => { if (mine()) this.onTick(); });
    audio.addEventListener('seeked', () => { if (mine()) this.requestDraw(); });
    audio.addEventListener('durationchange', () => { if (mine()) { this.syncTime(); this.requestDraw(); } });
    audio.addEventListener('error', () => {
      if (slot.failed) return;
      slot.failed = true;
      const code = audio.error?.code ?? 0;
      this.setStatus(slot, l10n.t('Cannot play this file.'));
      this.reportError(`take ${take.id}: the audio did not load (media error ${code})`);
    });
    return slot;
  }

  private teardownSlots(keep: TakeView[]): void {
    const keys = new Set(keep.map(slotKey));
    for (const s of this.slots) {
      if (keys.has(s.key)) continue;
      s.decoding?.abort();
      s.audio.pause();
      s.audio.removeAttribute('src');
      s.audio.load();
      s.wave.destroy();
      s.item.remove();
    }
    this.slots = this.slots.filter(s => keys.has(s.key));
  }

  private current(): Slot | undefined {
    return this.slots[this.active];
  }

  /** Makes take `index` the one that plays, at `position`, playing or not. */
  private activate(index: number, position: number, playing: boolean): void {
    const next = this.slots[index];
    if (!next) return;
    this.active = index;
    for (const s of this.slots) {
      const on = s === next;
      if (!on) s.audio.pause(); // events of inactive takes are ignored, so this reports nothing
      s.item.classList.toggle('active', on);
      s.select.setAttribute('aria-pressed', String(on));
      if (on && s.audio.preload !== 'auto') s.audio.preload = 'auto';
    }
    const dur = this.durationOf(next);
    const t = dur > 0 ? clamp(position, 0, dur) : Math.max(0, position);
    if (Math.abs(next.audio.currentTime - t) > 0.001) next.audio.currentTime = t;
    this.lastPosition = t;
    if (playing) this.startPlayback(next.audio);
    this.renderTakeDetails();
    this.syncControls();
    this.requestDraw();
  }

  private switchTake(index: number): void {
    if (index < 0 || index >= this.slots.length || index === this.active) return;
    const position = this.position();
    const playing = this.isPlaying();
    this.activate(index, position, playing);
    this.announce(l10n.t('Take {0}', this.slots[index].take.label));
    this.report('switch');
  }

  private renderTakeDetails(): void {
    const slot = this.current();
    if (!slot || !this.job) {
      this.actions.replaceChildren();
      this.meta.replaceChildren();
      return;
    }
    const label = slot.take.label;
    this.actions.replaceChildren(...ACTION_BUTTONS.map(a => {
      const b = h('button', { type: 'button', class: `action ${a.cls ?? ''}`.trim(), 'data-action': a.action, 'aria-label': a.label(label) }, a.text());
      b.addEventListener('click', () => {
        const take = this.current();
        if (take) this.host.post({ type: 'action', action: a.action, takeId: take.take.id });
      });
      return b;
    }));
    this.meta.replaceChildren(renderMeta(this.job, slot.take));
  }

  private setStatus(slot: Slot, text: string): void {
    if (slot.status.textContent !== text) slot.status.textContent = text;
  }

  // -------------------------------------------------------------------------------------------
  // Peaks

  private receivePeaks(takeId: string, peaks: number[]): void {
    const slot = this.slots.find(s => s.take.id === takeId);
    if (!slot) return;
    slot.decoding?.abort();
    slot.decoding = null;
    slot.take = { ...slot.take, peaks };
    this.setStatus(slot, '');
    slot.wave.setPeaks(peaks);
  }

  /** Decodes, one take at a time (the current one first), every take that has no peaks. */
  private scheduleDecodes(): void {
    const cur = this.current();
    const todo = this.slots.filter(s => !s.wave.hasPeaks && !s.decoding && !s.failed)
      .sort((a, b) => Number(b === cur) - Number(a === cur));
    for (const slot of todo) {
      const ctrl = new AbortController();
      slot.decoding = ctrl;
      this.setStatus(slot, l10n.t('Computing waveform…'));
      this.decodeChain = this.decodeChain.then(() => this.decodeOne(slot, ctrl));
    }
  }

  private async decodeOne(slot: Slot, ctrl: AbortController): Promise<void> {
    if (ctrl.signal.aborted || !this.slots.includes(slot)) return;
    try {
      const peaks = await takePeaks(slot.take, DEFAULT_PEAK_BUCKETS, ctrl.signal);
      if (ctrl.signal.aborted) return;
      slot.decoding = null;
      this.computedPeaks.set(slot.key, peaks);
      this.setStatus(slot, '');
      slot.wave.setPeaks(peaks);
      this.host.post({ type: 'peaks', takeId: slot.take.id, peaks });
    } catch (e) {
      if (ctrl.signal.aborted) return;
      slot.decoding = null;
      slot.failed = true;
      const why = e instanceof Error ? e.message : String(e);
      this.setStatus(slot, l10n.t('Could not draw the waveform.'));
      this.reportError(`take ${slot.take.id}: could not compute the waveform: ${why}`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Transport

  private durationOf(slot: Slot | undefined): number {
    if (!slot) return 0;
    const d = slot.audio.duration;
    if (Number.isFinite(d) && d > 0) return d;
    return slot.take.durationSec ?? slot.take.meta.duration ?? 0;
  }

  private position(): number {
    const a = this.current()?.audio;
    return a ? a.currentTime : 0;
  }

  private isPlaying(): boolean {
    const a = this.current()?.audio;
    return !!a && !a.paused && !a.ended;
  }

  private startPlayback(audio: HTMLAudioElement): void {
    audio.play().catch((e: unknown) => {
      // An AbortError only means a pause() came first.
      if (e instanceof DOMException && e.name === 'AbortError') return;
      this.reportError(`playback failed: ${e instanceof Error ? e.message : String(e)}`);
      this.syncControls();
    });
  }

  private play(): void {
    const slot = this.current();
    if (!slot) return;
    const a = slot.audio;
    if (a.ended || (this.durationOf(slot) > 0 && a.currentTime >= this.durationOf(slot))) a.currentTime = this.loop === 'region' && this.region ? this.region.start : 0;
    this.startPlayback(a);
  }

  private pause(): void {
    this.current()?.audio.pause();
  }

  private togglePlay(): void {
    if (this.isPlaying()) this.pause(); else this.play();
  }

  private seek(seconds: number, reason: StateReason, throttled = false): void {
    const slot = this.current();
    if (!slot) return;
    const dur = this.durationOf(slot);
    const t = dur > 0 ? clamp(seconds, 0, dur) : Math.max(0, seconds);
    slot.audio.currentTime = t;
    this.lastPosition = t;
    this.syncTime();
    this.requestDraw();
    this.report(reason, throttled);
  }

  private skip(delta: number): void {
    this.seek(this.position() + delta, 'seek');
  }

  private onWaveSeek(slot: Slot, t: number, phase: 'start' | 'move' | 'end'): void {
    const index = this.slots.indexOf(slot);
    if (index !== this.active && phase === 'start') {
      // Clicking another take's waveform switches to it there.
      this.activate(index, t, this.isPlaying());
      this.report('switch');
      return;
    }
    if (index !== this.active) return;
    this.seek(t, 'seek', phase === 'move');
  }

  private onWaveRegion(start: number, end: number, phase: 'move' | 'end'): void {
    if (phase === 'move') {
      this.region = { start, end };
      this.requestDraw();
      return;
    }
    this.setRegion(end - start >= MIN_REGION ? { start, end } : null);
  }

  /** Sets (or clears) the loop region; a new region turns region looping on and moves into it. */
  private setRegion(region: Region | null): void {
    const dur = this.durationOf(this.current());
    if (region && dur > 0) region = { start: clamp(region.start, 0, dur), end: clamp(region.end, 0, dur) };
    if (region && region.end - region.start < MIN_REGION) region = null;
    this.region = region;
    if (region) {
      this.setLoop('region', false);
      const t = this.position();
      if (t < region.start || t >= region.end) this.seek(region.start, 'loop');
      this.announce(l10n.t('Loop region {0} to {1}', formatTime(region.start), formatTime(region.end)));
    } else if (this.loop === 'region') {
      this.setLoop('off', false);
    }
    this.syncControls();
    this.requestDraw();
    this.report('loop');
  }

  private toggleLoop(): void {
    this.setLoop(this.loop !== 'off' ? 'off' : this.region ? 'region' : 'take');
  }

  private setLoop(loop: LoopMode, report = true): void {
    if (loop === 'region' && !this.region) loop = 'take';
    this.loop = loop;
    for (const s of this.slots) s.audio.loop = loop === 'take';
    this.lastPosition = this.position();
    this.syncControls();
    this.requestDraw();
    if (report) this.report('loop');
  }

  private setRate(rate: number): void {
    if (!(rate >= 0.5 && rate <= 2)) return;
    this.rate = rate;
    this.slots.forEach(s => this.applyAudioSettings(s.audio));
    this.saveSettings();
    this.syncControls();
    this.report('settings');
  }

  private setVolume(volume: number): void {
    this.volume = clamp(volume, 0, 1);
    this.slots.forEach(s => this.applyAudioSettings(s.audio));
    this.saveSettings();
    this.syncControls();
    this.report('settings');
  }

  private setMuted(muted: boolean): void {
    this.muted = muted;
    this.slots.forEach(s => this.applyAudioSettings(s.audio));
    this.saveSettings();
    this.syncControls();
    this.report('settings');
  }

  private applyAudioSettings(a: HTMLAudioElement): void {
    a.volume = this.volume;
    a.muted = this.muted;
    a.defaultPlaybackRate = this.rate;
    a.playbackRate = this.rate;
    a.loop = this.loop === 'take';
  }

  private saveSettings(): void {
    this.host.saveSettings({ volume: this.volume, muted: this.muted, rate: this.rate });
  }

  private onEnded(): void {
    const slot = this.current();
    // A region that runs to the end of the take loops through 'ended'.
    if (slot && this.loop === 'region' && this.region && this.region.end >= this.durationOf(slot) - 0.1) {
      slot.audio.currentTime = this.region.start;
      this.lastPosition = this.region.start;
      this.startPlayback(slot.audio);
      this.report('loop');
      return;
    }
    this.syncControls();
    this.requestDraw();
    this.report('ended');
  }

  /** Region looping: jump back when playback crosses the region's end. */
  private checkLoop(): void {
    const a = this.current()?.audio;
    if (!a) return;
    const t = a.currentTime;
    const r = this.region;
    if (this.loop === 'region' && r && !a.paused && t >= r.end && this.lastPosition < r.end) {
      a.currentTime = r.start;
      this.lastPosition = r.start;
      this.report('loop');
      return;
    }
    this.lastPosition = t;
  }

  /** While playing: loop checks, the time display, the slider value and throttled state reports. */
  private onTick(): void {
    this.checkLoop();
    this.syncTime();
    if (this.isPlaying()) this.report('tick', true);
  }

  private startClock(): void {
    // Frames draw the playhead; a timer keeps loop checks and reports going when frames are throttled.
    if (!this.frame) this.frame = requestAnimationFrame(this.onFrame);
    if (!this.tickTimer) {
      this.tickTimer = window.setInterval(() => {
        if (!this.isPlaying()) { window.clearInterval(this.tickTimer); this.tickTimer = 0; return; }
        this.onTick();
      }, 40);
    }
  }

  private readonly onFrame = () => {
    this.frame = 0;
    if (this.isPlaying()) this.checkLoop();
    this.syncTime();
    for (const s of this.slots) s.wave.draw();
    if (this.isPlaying()) this.frame = requestAnimationFrame(this.onFrame);
  };

  private requestDraw(): void {
    if (!this.frame) this.frame = requestAnimationFrame(this.onFrame);
  }

  private onThemeChange(): void {
    this.palette = readPalette();
    for (const s of this.slots) s.wave.invalidate();
    this.requestDraw();
  }

  private waveView(slot: Slot): WaveView {
    const cur = this.current();
    return {
      position: this.position(),
      // Each waveform spans its own take; the position is shared (A/B keeps it).
      duration: this.durationOf(slot),
      region: this.region,
      regionLooping: this.loop === 'region',
      active: slot === cur,
      palette: this.palette,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Keyboard

  private readonly onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || !this.job) return;
    const target = e.target instanceof HTMLElement ? e.target : null;
    const tag = target?.tagName ?? '';
    const isRange = target instanceof HTMLInputElement && target.type === 'range';
    const inField = tag === 'SELECT' || tag === 'TEXTAREA' || (tag === 'INPUT' && !isRange);
    const native = inField || isRange; // the control handles arrows/Home/End itself
    const dur = this.durationOf(this.current());
    switch (e.key) {
      case ' ':
        if (inField || tag === 'BUTTON') return; // buttons click on Space themselves
        this.togglePlay();
        break;
      case 'ArrowLeft':
      case 'ArrowRight':
        if (native) return;
        this.skip((e.key === 'ArrowLeft' ? -1 : 1) * (e.shiftKey ? FINE_SKIP_SECONDS : SKIP_SECONDS));
        break;
      case 'Home':
        if (native) return;
        this.seek(0, 'seek');
        break;
      case 'End':
        if (native) return;
        this.seek(dur, 'seek');
        break;
      case 'PageUp':
      case 'PageDown':
        if (native) return;
        this.skip((e.key === 'PageDown' ? -1 : 1) * Math.max(SKIP_SECONDS, dur / 10));
        break;
      case 'l':
      case 'L':
        if (inField) return;
        this.toggleLoop();
        break;
      case 'm':
      case 'M':
        if (inField) return;
        this.setMuted(!this.muted);
        break;
      case 'Escape':
        if (!this.region) return;
        this.setRegion(null);
        break;
      default:
        if (/^[1-9]$/.test(e.key) && !inField) {
          this.switchTake(Number(e.key) - 1);
          break;
        }
        return;
    }
    e.preventDefault();
  };

  // -------------------------------------------------------------------------------------------
  // View sync and reporting

  private syncTime(): void {
    const slot = this.current();
    const t = this.position(), d = this.durationOf(slot);
    const text = `${formatTime(t)} / ${formatTime(d)}`;
    if (this.time.textContent !== text) this.time.textContent = text;
    slot?.wave.updateAria(t, d, l10n.t('{0} of {1}', spokenTime(t), spokenTime(d)));
  }

  private syncControls(): void {
    const playing = this.isPlaying();
    const wantIcon = playing ? 'pause' : 'play';
    if (this.playButton.dataset.icon !== wantIcon) {
      this.playButton.dataset.icon = wantIcon;
      setIcon(this.playButton, wantIcon);
      this.playButton.setAttribute('aria-label', playing ? l10n.t('Pause') : l10n.t('Play'));
      this.playButton.title = playing ? l10n.t('Pause (Space)') : l10n.t('Play (Space)');
    }
    this.loopButton.setAttribute('aria-pressed', String(this.loop !== 'off'));
    const loopText = this.loop === 'take' ? l10n.t('Loop take') : this.loop === 'region' ? l10n.t('Loop region') : l10n.t('Loop');
    this.loopButton.setAttribute('aria-label', this.loop === 'off' ? l10n.t('Loop (off)') : loopText);
    const span = this.loopButton.querySelector('.loop-text');
    if (span) span.textContent = loopText;
    this.clearRegionButton.hidden = !this.region;
    this.rateSelect.value = String(RATES.includes(this.rate) ? this.rate : 1);
    this.volumeInput.value = String(Math.round(this.volume * 100));
    this.volumeInput.setAttribute('aria-valuetext', `${Math.round(this.volume * 100)}%`);
    this.muteButton.setAttribute('aria-pressed', String(this.muted));
    this.muteButton.setAttribute('aria-label', this.muted ? l10n.t('Unmute') : l10n.t('Mute'));
    if (this.muteButton.dataset.icon !== (this.muted ? 'muted' : 'volume')) {
      this.muteButton.dataset.icon = this.muted ? 'muted' : 'volume';
      setIcon(this.muteButton, this.muteButton.dataset.icon);
    }
    this.syncTime();
  }

  private announce(text: string): void {
    this.announcer.textContent = text;
  }

  private state(reason: StateReason): PlayerState {
    const slot = this.current();
    return {
      jobId: this.job?.id ?? null,
      takeId: slot?.take.id ?? null,
      currentTime: round3(this.position()),
      duration: round3(this.durationOf(slot)),
      playing: this.isPlaying(),
      drawn: slot?.wave.drawn ?? false,
      loop: this.loop,
      region: this.region ? { start: round3(this.region.start), end: round3(this.region.end) } : null,
      rate: this.rate,
      volume: this.volume,
      muted: this.muted,
      reason,
    };
  }

  /** Posts the state; `throttled` reports (ticks, drags) are dropped within TICK_MS of the last one. */
  private report(reason: StateReason, throttled = false): void {
    const now = performance.now();
    if (throttled && now - this.lastReport < TICK_MS) return;
    this.lastReport = now;
    this.host.post({ type: 'state', state: this.state(reason) });
  }
}

export function startPlayer(): Player {
  const root = document.getElementById('player') ?? document.body.appendChild(h('main', { id: 'player', class: 'player' }));
  return new Player(root);
}
