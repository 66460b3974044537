// The audio side of the player: the current take's <audio> element, read (position, duration, playing)
// and moved (play, pause, seek, A/B activation, loop jumps) as the model's rules answer. It reports
// nothing itself: the page decides what to sync and to tell the host.
import type { PlayerState, StateReason } from '../../src/core/player/protocol';
import { takeDuration, type Media, type PlayerModel } from './model';
import type { TakeList, TakeSlot } from './take-list';
import type { Palette } from './theme';
import type { WaveView } from './waveform';
import { errorMessage } from '../../src/core/util/error-message';

export class Deck {
  constructor(private readonly model: PlayerModel, private readonly takes: TakeList,
    /** Playback could not start (other than a pause() coming first). */
    private readonly playFailed: (why: string) => void) {}

  current(): TakeSlot | undefined {
    return this.takes.slots[this.model.active];
  }

  durationOf(slot: TakeSlot | undefined): number {
    return slot ? takeDuration(slot.take, slot.audio.duration) : 0;
  }

  position(): number {
    const a = this.current()?.audio;
    return a ? a.currentTime : 0;
  }

  isPlaying(): boolean {
    const a = this.current()?.audio;
    return !!a && !a.paused && !a.ended;
  }

  media(): Media {
    return { position: this.position(), duration: this.durationOf(this.current()), playing: this.isPlaying() };
  }

  /** What `slot`'s waveform shows: the shared position on its own take's length, the region, and whether it is current. */
  waveView(slot: TakeSlot, palette: Palette): WaveView {
    return {
      position: this.position(),
      duration: this.durationOf(slot),
      region: this.model.region,
      regionLooping: this.model.loop === 'region',
      active: slot === this.current(),
      palette,
    };
  }

  /** The state message for the host. */
  state(reason: StateReason): PlayerState {
    const slot = this.current();
    return this.model.state(reason, {
      takeId: slot?.take.id ?? null, position: this.position(), duration: this.durationOf(slot), playing: this.isPlaying(), drawn: slot?.wave.drawn ?? false,
    });
  }

  /** Volume, mute, speed and take looping from the model, on one take or on all. */
  applySettings(slots: readonly TakeSlot[] = this.takes.slots): void {
    for (const { audio: a } of slots) {
      a.volume = this.model.volume;
      a.muted = this.model.muted;
      a.defaultPlaybackRate = this.model.rate;
      a.playbackRate = this.model.rate;
      a.loop = this.model.mediaLoops;
    }
  }

  /** Take looping from the model, on all takes. */
  applyLoop(): void {
    for (const s of this.takes.slots) s.audio.loop = this.model.mediaLoops;
  }

  start(audio: HTMLAudioElement): void {
    audio.play().catch((e: unknown) => {
      // An AbortError only means a pause() came first.
      if (e instanceof DOMException && e.name === 'AbortError') return;
      this.playFailed(errorMessage(e));
    });
  }

  play(): void {
    const slot = this.current();
    if (!slot || slot.unplayable) return;
    const from = this.model.playFrom({ position: slot.audio.currentTime, duration: this.durationOf(slot), ended: slot.audio.ended });
    if (from !== null) slot.audio.currentTime = from;
    this.start(slot.audio);
  }

  pause(): void {
    this.current()?.audio.pause();
  }

  togglePlay(): void {
    if (this.isPlaying()) this.pause(); else this.play();
  }

  /** Moves the playhead (clamped to the take); false when there is no take. */
  seek(seconds: number): boolean {
    const slot = this.current();
    if (!slot) return false;
    slot.audio.currentTime = this.model.seekTarget(seconds, this.durationOf(slot));
    return true;
  }

  /** Makes take `index` the one that plays, at `position`, playing or not; false when there is no such take. */
  activate(index: number, position: number, playing: boolean): boolean {
    const next = this.takes.slots[index];
    if (!next) return false;
    const t = this.model.activate(index, position, this.durationOf(next));
    for (const s of this.takes.slots) {
      if (s !== next) s.audio.pause(); // events of inactive takes are ignored, so this reports nothing
      s.setActive(s === next);
    }
    if (Math.abs(next.audio.currentTime - t) > 0.001) next.audio.currentTime = t;
    if (playing) this.start(next.audio);
    return true;
  }

  /** Region looping: jumps back when playback crossed the region's end; true when it did. */
  loopJump(): boolean {
    const a = this.current()?.audio;
    if (!a) return false;
    const jump = this.model.loopJump(a.currentTime, !a.paused);
    if (jump === null) return false;
    a.currentTime = jump;
    return true;
  }

  /** The take ended: a looped region running to its end plays again; true when it does. */
  restartAfterEnd(slot: TakeSlot): boolean {
    const restart = this.model.restartAfterEnd(this.durationOf(slot));
    if (restart === null) return false;
    slot.audio.currentTime = restart;
    this.start(slot.audio);
    return true;
  }
}
