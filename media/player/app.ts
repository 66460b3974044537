// The player page. It wires the model (state and rules), the deck (the <audio> elements), the components
// (page frame, header, transport bar, take list, details), the peak queue, the keys and the reporter.
// All host input goes through parseToWebview and every command (host, key, button) through run(); all
// output goes through the reporter.
import {
  DEFAULT_PEAK_BUCKETS, parseToWebview,
  type JobView, type LoopMode, type StateReason, type ToWebview,
} from '../../src/core/player/protocol';
import { connectToHost, type HostBridge } from './api';
import { Clock } from './clock';
import type { Command } from './command';
import { Deck } from './deck';
import { EditBar } from './edit-bar';
import { takePeaks } from './decode';
import { TakeDetails } from './details';
import { Karaoke } from './karaoke';
import { h } from './dom';
import { formatTime, spokenTime } from './format';
import { PlayerHeader } from './header';
import { describeKey, keyCommand } from './keyboard';
import { l10n } from './l10n';
import { PlayerModel, regionFromDrag, takeKey, type Region } from './model';
import { PlayerPage } from './page';
import { PeakQueue } from './peak-queue';
import { Reporter } from './reporter';
import { TakeList, type MediaEvent, type TakeSlot } from './take-list';
import { readPalette, watchTheme, type Palette } from './theme';
import { TransportBar } from './transport';
import { errorMessage } from '../../src/core/util/error-message';

export class Player {
  private readonly host: HostBridge = connectToHost();
  private readonly reporter = new Reporter(m => this.host.post(m));
  private readonly model = new PlayerModel(this.host.loadSettings());
  private palette: Palette = readPalette();

  private readonly header = new PlayerHeader(jobId => this.selectJob(jobId, null));
  private readonly transport = new TransportBar(c => this.run(c), this.model.muted);
  private readonly takes: TakeList = new TakeList({
    select: slot => this.switchTake(this.takes.slots.indexOf(slot)),
    seek: (slot, t, phase) => this.onWaveSeek(slot, t, phase),
    region: (start, end, phase) => this.onWaveRegion(start, end, phase),
    view: slot => this.deck.waveView(slot, this.palette),
    drawn: slot => { if (this.current() === slot) this.report('drawn'); },
    media: (slot, event) => this.onMedia(slot, event),
    section: (slot, mark) => this.selectSection(slot, mark.start, mark.end),
    sectionsMoved: (slot, marks) => this.reporter.sections(slot.take.id, marks),
  });
  private readonly edits = new EditBar(kind => {
    const slot = this.current(), r = this.model.region;
    if (!slot) return;
    this.reporter.edit(slot.take.id, kind === 'repaint' && r ? { kind, start: r.start, end: r.end } : { kind });
  });
  private readonly deck: Deck = new Deck(this.model, this.takes, why => {
    this.reporter.error(`playback failed: ${why}`);
    this.syncControls();
  });
  private readonly details = new TakeDetails(action => {
    const slot = this.current();
    if (slot) this.reporter.action(action, slot.take.id);
  });
  private readonly peakQueue = new PeakQueue<TakeSlot>({
    listed: slot => this.takes.slots.includes(slot),
    queued: slot => slot.setStatus(l10n.t('Computing waveform…')),
    computed: (slot, peaks) => this.reporter.peaks(slot.take.id, peaks),
    failed: (slot, why, error) => {
      // Audio the browser cannot decode cannot be played either: say so and offer no Play.
      if (error instanceof DOMException && error.name === 'EncodingError') slot.markUnplayable();
      else slot.setStatus(l10n.t('Could not draw the waveform: {0}', why));
      this.reporter.error(`take ${slot.take.id}: could not compute the waveform: ${why}`);
      if (slot === this.current()) this.syncControls();
    },
  }, takePeaks, DEFAULT_PEAK_BUCKETS);
  private readonly clock = new Clock({
    playing: () => this.deck.isPlaying(),
    tick: () => this.onTick(),
    frame: () => {
      if (this.deck.isPlaying()) this.checkLoop();
      this.syncTime();
      for (const s of this.takes.slots) s.wave.draw();
    },
  });
  private readonly page: PlayerPage;
  private readonly karaoke = new Karaoke(t => this.seek(t, 'seek'));

  constructor(root: HTMLElement) {
    this.page = new PlayerPage(root, {
      header: this.header.element, transport: this.transport.element, takes: this.takes.element, actions: this.details.actions, edits: this.edits.element, details: this.details.meta,
    });
    this.details.actions.after(this.karaoke.element);
    this.syncControls();
    window.addEventListener('message', e => this.onMessage(e.data));
    window.addEventListener('keydown', this.onKey);
    window.addEventListener('resize', () => this.takes.slots.forEach(s => s.wave.resize()));
    window.addEventListener('error', e => this.reporter.error(`script error: ${e.message}`));
    window.addEventListener('unhandledrejection', e => this.reporter.error(`unhandled rejection: ${String((e as PromiseRejectionEvent).reason)}`));
    watchTheme(() => this.onThemeChange());
    this.reporter.ready();
  }

  // -------------------------------------------------------------------------------------------
  // Messages and commands

  private onMessage(data: unknown): void {
    const msg = parseToWebview(data);
    if (!msg) {
      this.reporter.malformed(data);
      return;
    }
    try {
      this.handle(msg);
    } catch (e) {
      this.reporter.error(`handling "${msg.type}": ${errorMessage(e)}`);
    }
  }

  private handle(msg: ToWebview): void {
    switch (msg.type) {
      case 'load': return this.load(msg.jobs, msg.selectedJobId, msg.selectedTake);
      case 'peaks': return this.receivePeaks(msg.takeId, msg.peaks);
      case 'theme': return this.onThemeChange();
      case 'command': return this.run(msg);
      case 'lyricsTiming': this.karaoke.set(msg.takeId, msg.lines); return this.syncTime();
    }
  }

  /** Runs a command from the host, a key or the transport bar. */
  private run(c: Command): void {
    switch (c.command) {
      case 'playPause': return this.deck.togglePlay();
      case 'play': return this.deck.play();
      case 'pause': return this.deck.pause();
      case 'seek': return this.seek(c.seconds, 'seek');
      case 'skip': return this.skip(c.seconds);
      case 'selectTake': {
        const i = this.takes.slots.findIndex(s => s.take.id === c.takeId);
        if (i >= 0) this.switchTake(i);
        return;
      }
      case 'selectTakeAt': return this.switchTake(c.index);
      case 'selectJob': return this.selectJob(c.jobId, null);
      case 'setVolume': this.model.setVolume(c.volume); return this.settingsChanged();
      case 'setRate': if (this.model.setRate(c.rate)) this.settingsChanged(); return;
      case 'setLoop':
        if (c.loop === 'region') { this.setRegion({ start: c.start, end: c.end }); return; }
        return this.setLoop(c.loop);
      case 'toggleLoop': return this.setLoop(this.model.nextLoop());
      case 'toggleMute': this.model.setMuted(!this.model.muted); return this.settingsChanged();
      case 'clearRegion': return this.setRegion(null);
      case 'reportState': return this.report('request');
    }
  }

  private readonly onKey = (e: KeyboardEvent) => {
    const command = keyCommand(describeKey(e), { hasJob: this.model.job !== null, duration: this.deck.durationOf(this.current()), hasRegion: this.model.region !== null });
    if (!command) return;
    this.run(command);
    e.preventDefault();
  };

  // -------------------------------------------------------------------------------------------
  // Jobs and takes

  private load(jobs: JobView[], selectedJobId: string | null, selectedTake: string | null): void {
    this.peakQueue.keepOnly(new Set(jobs.flatMap(j => j.takes.map(takeKey))));
    this.header.setJobs(jobs);
    const jobId = this.model.load(jobs, selectedJobId);
    if (jobId === null) {
      this.takes.clear();
      this.page.showEmpty();
      this.report('load');
      return;
    }
    this.selectJob(jobId, selectedTake);
  }

  private selectJob(jobId: string, takeId: string | null): void {
    const prev = this.current();
    const sel = this.model.selectJob(jobId, takeId, this.deck.media());
    if (!sel) return;
    if (!sel.sameJob) prev?.audio.pause();
    this.header.show(sel.job);
    this.page.showContent();

    this.takes.show(sel.job.takes, slot => this.deck.applySettings([slot]), slot => this.peakQueue.place(slot));
    this.model.deactivate();
    if (this.takes.slots.length) this.activate(sel.takeIndex, sel.position, sel.playing);
    else this.renderTakeDetails();
    this.takes.slots.forEach(s => s.wave.resize());
    this.peakQueue.schedule(this.takes.slots, this.current());
    this.clock.requestDraw();
    this.report('load');
  }

  private receivePeaks(takeId: string, peaks: number[]): void {
    const slot = this.takes.slots.find(s => s.take.id === takeId);
    if (!slot) return;
    this.peakQueue.cancel(slot);
    slot.receivePeaks(peaks);
  }

  private current(): TakeSlot | undefined {
    return this.deck.current();
  }

  /** Makes take `index` the one that plays, at `position`, playing or not. */
  private activate(index: number, position: number, playing: boolean): void {
    if (!this.deck.activate(index, position, playing)) return;
    this.renderTakeDetails();
    this.syncControls();
    this.clock.requestDraw();
  }

  /** A/B switching: take `index` continues where the current one is, playing or not. */
  private switchTake(index: number): void {
    const carry = this.model.switchTake(index, this.deck.media());
    if (!carry) return;
    this.activate(index, carry.position, carry.playing);
    this.page.announce(l10n.t('Take {0}', this.takes.slots[index].take.label));
    this.report('switch');
  }

  private renderTakeDetails(): void {
    this.details.show(this.model.job, this.current()?.take);
  }

  // -------------------------------------------------------------------------------------------
  // Media

  private onMedia(slot: TakeSlot, event: MediaEvent): void {
    if (event === 'error') {
      const why = slot.audioFailed();
      if (why) this.reporter.error(why);
      if (slot === this.current()) this.syncControls();
      return;
    }
    if (this.current() !== slot) return;
    switch (event) {
      case 'play': this.syncControls(); this.clock.start(); this.report('play'); return;
      case 'pause': if (!slot.audio.ended) this.refresh('pause'); return;
      case 'ended': return this.onEnded(slot);
      case 'timeupdate': return this.onTick();
      case 'seeked': return this.clock.requestDraw();
      case 'durationchange': this.syncTime(); this.clock.requestDraw(); return;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Transport

  private seek(seconds: number, reason: StateReason, throttled = false): void {
    if (!this.deck.seek(seconds)) return;
    this.syncTime();
    this.clock.requestDraw();
    this.report(reason, throttled);
  }

  private skip(delta: number): void {
    this.seek(this.deck.position() + delta, 'seek');
  }

  private onWaveSeek(slot: TakeSlot, t: number, phase: 'start' | 'move' | 'end'): void {
    const index = this.takes.slots.indexOf(slot);
    if (index !== this.model.active && phase === 'start') {
      // Clicking another take's waveform switches to it there.
      this.activate(index, t, this.deck.isPlaying());
      this.report('switch');
      return;
    }
    if (index !== this.model.active) return;
    this.seek(t, 'seek', phase === 'move');
  }

  private onWaveRegion(start: number, end: number, phase: 'move' | 'end'): void {
    if (phase === 'move') {
      this.model.previewRegion(start, end);
      this.clock.requestDraw();
      return;
    }
    this.setRegion(regionFromDrag(start, end));
  }

  /** A section clicked on a take: that take becomes current and the section's range the region. */
  private selectSection(slot: TakeSlot, start: number, end: number): void {
    const index = this.takes.slots.indexOf(slot);
    if (index !== this.model.active) this.switchTake(index);
    this.setRegion({ start, end });
  }

  /** Sets (or clears) the loop region; a new region turns region looping on and moves into it. */
  private setRegion(region: Region | null): void {
    const moveTo = this.model.setRegion(region, { position: this.deck.position(), duration: this.deck.durationOf(this.current()) });
    this.deck.applyLoop();
    if (moveTo !== null) this.seek(moveTo, 'loop');
    const r = this.model.region;
    if (r) this.page.announce(l10n.t('Loop region {0} to {1}', formatTime(r.start), formatTime(r.end)));
    this.refresh('loop');
  }

  private setLoop(loop: LoopMode): void {
    this.model.setLoop(loop, this.deck.position());
    this.deck.applyLoop();
    this.refresh('loop');
  }

  private settingsChanged(): void {
    this.deck.applySettings();
    this.host.saveSettings(this.model.settings);
    this.syncControls();
    this.report('settings');
  }

  private onEnded(slot: TakeSlot): void {
    // A region that runs to the end of the take loops through 'ended'.
    if (this.deck.restartAfterEnd(slot)) {
      this.report('loop');
      return;
    }
    this.refresh('ended');
  }

  /** Region looping: jump back when playback crosses the region's end. */
  private checkLoop(): void {
    if (this.deck.loopJump()) this.report('loop');
  }

  /** While playing: loop checks, the time display, the slider value and throttled state reports. */
  private onTick(): void {
    this.checkLoop();
    this.syncTime();
    if (this.deck.isPlaying()) this.report('tick', true);
  }

  // -------------------------------------------------------------------------------------------
  // View sync and reporting

  private onThemeChange(): void {
    this.palette = readPalette();
    for (const s of this.takes.slots) s.wave.invalidate();
    this.clock.requestDraw();
  }

  private syncTime(): void {
    const slot = this.current();
    const t = this.deck.position(), d = this.deck.durationOf(slot);
    this.transport.setTime(`${formatTime(t)} / ${formatTime(d)}`);
    slot?.wave.updateAria(t, d, l10n.t('{0} of {1}', spokenTime(t), spokenTime(d)));
    this.karaoke.update(slot?.take.id, t);
  }

  private syncControls(): void {
    const m = this.model;
    this.edits.sync(!!this.current(), m.region);
    this.transport.sync({ playing: this.deck.isPlaying(), playable: !this.current()?.unplayable, loop: m.loop, hasRegion: m.region !== null, rate: m.pickerRate, volume: m.volume, muted: m.muted });
    this.syncTime();
  }

  /** After a change: the controls, a redraw, and the state to the host. */
  private refresh(reason: StateReason): void {
    this.syncControls();
    this.clock.requestDraw();
    this.report(reason);
  }

  /** Posts the state; `throttled` reports (ticks, drags) are dropped right after another report. */
  private report(reason: StateReason, throttled = false): void {
    this.reporter.state(reason, r => this.deck.state(r), throttled);
  }
}

export function startPlayer(): Player {
  const root = document.getElementById('player') ?? document.body.appendChild(h('main', { id: 'player', class: 'player' }));
  return new Player(root);
}
