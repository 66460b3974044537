// The player's state without the page: the jobs, which take is current, the loop mode and region, the
// rate and volume, and the rules that move between them. No DOM: what only the <audio> element knows
// (position, duration, playing) is passed in where a rule needs it, and the rules answer with where the
// playhead should go. The page (app.ts) applies the answers to the media elements.
import type { JobView, LoopMode, PlayerState, StateReason, TakeView } from '../../src/core/player/protocol';

export interface Region {
  start: number;
  end: number;
}

/** What the webview keeps across reloads. */
export interface Settings {
  volume: number;
  muted: boolean;
  rate: number;
}

/** The current take's media, as the page reads it from its <audio> element. */
export interface Media {
  /** Seconds into the take. */
  position: number;
  /** Seconds; 0 while unknown. */
  duration: number;
  playing: boolean;
}

/** The speeds offered in the speed picker. */
export const RATES = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];
export const MIN_RATE = 0.5;
export const MAX_RATE = 2;
/** A region shorter than this is ignored (seconds). */
export const MIN_REGION = 0.05;
/** A region ending this close to the end of the take loops through the media's 'ended' event (seconds). */
const END_SLACK = 0.1;

export function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}

/** A position within a take: clamped to [0, duration], or only to ≥ 0 while the duration is unknown. */
export function clampToTake(seconds: number, duration: number): number {
  return duration > 0 ? clamp(seconds, 0, duration) : Math.max(0, seconds);
}

/** A take's length: the media's once it knows it, else what the host said, else 0. */
export function takeDuration(take: TakeView, mediaDuration: number): number {
  if (Number.isFinite(mediaDuration) && mediaDuration > 0) return mediaDuration;
  return take.durationSec ?? take.meta.duration ?? 0;
}

/** Identifies a take's audio: the same id with another file is another take. */
export const takeKey = (take: TakeView): string => `${take.id}\n${take.src}`;

export const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** A region dragged on the waveform, or null when the drag was too short to be one. */
export function regionFromDrag(start: number, end: number): Region | null {
  return end - start >= MIN_REGION ? { start, end } : null;
}

/** The job and take to show after a job was selected, and how playback carries over. */
export interface JobSelection {
  job: JobView;
  /** The take to make current (0 when the job has takes but none was asked for). */
  takeIndex: number;
  /** Where to continue: the same job keeps its position and play state, another one starts at 0, paused. */
  position: number;
  playing: boolean;
  sameJob: boolean;
}

export class PlayerModel {
  jobs: JobView[] = [];
  job: JobView | null = null;
  /** Index of the current take in `job.takes`, or -1. */
  active = -1;
  loop: LoopMode = 'off';
  /** The selected region (kept while looping is off or on the whole take). */
  region: Region | null = null;
  rate = 1;
  volume = 1;
  muted = false;
  /** The position at the last loop check: region looping jumps back when playback crosses the region's end. */
  private lastPosition = 0;

  constructor(saved: Partial<Settings> = {}) {
    this.volume = saved.volume ?? 1;
    this.muted = saved.muted ?? false;
    this.rate = saved.rate ?? 1;
  }

  get take(): TakeView | undefined {
    return this.job?.takes[this.active];
  }

  get settings(): Settings {
    return { volume: this.volume, muted: this.muted, rate: this.rate };
  }

  /** Whether the media element itself loops (the whole take); a region loops by jumping back. */
  get mediaLoops(): boolean {
    return this.loop === 'take';
  }

  // -------------------------------------------------------------------------------------------
  // Jobs and takes

  /**
   * New jobs from the host. Returns the job to show: the one asked for, else the one shown, else the
   * first; null when there is none (then no job or take is current).
   */
  load(jobs: JobView[], selectedJobId: string | null): string | null {
    this.jobs = jobs;
    const jobId = (selectedJobId && jobs.some(j => j.id === selectedJobId)) ? selectedJobId
      : (this.job && jobs.some(j => j.id === this.job!.id)) ? this.job.id
        : jobs[0]?.id ?? null;
    if (jobId === null) {
      this.job = null;
      this.active = -1;
    }
    return jobId;
  }

  /**
   * Shows job `jobId` (null when unknown). The take to make current is `takeId` if the job has it, else
   * the take shown before (same job), else the first. Another job drops the region (and region looping).
   * The page then builds the job's takes and calls `activate` (or `deactivate` when it has none).
   */
  selectJob(jobId: string, takeId: string | null, media: Media): JobSelection | null {
    const job = this.jobs.find(j => j.id === jobId);
    if (!job) return null;
    const sameJob = this.job?.id === job.id;
    const prevTakeId = sameJob ? this.take?.id ?? null : null;
    if (!sameJob) {
      this.region = null;
      if (this.loop === 'region') this.loop = 'off';
    }
    this.job = job;
    const wanted = [takeId, prevTakeId].find(id => id && job.takes.some(t => t.id === id));
    return {
      job,
      takeIndex: wanted ? job.takes.findIndex(t => t.id === wanted) : 0,
      position: sameJob ? media.position : 0,
      playing: sameJob && media.playing,
      sameJob,
    };
  }

  indexOfTake(takeId: string): number {
    return this.job ? this.job.takes.findIndex(t => t.id === takeId) : -1;
  }

  /**
   * A/B switching: the position and play state to carry over to take `index`, or null when `index` is
   * not another take of this job.
   */
  switchTake(index: number, media: Media): { position: number; playing: boolean } | null {
    const count = this.job?.takes.length ?? 0;
    if (index < 0 || index >= count || index === this.active) return null;
    return { position: media.position, playing: media.playing };
  }

  /** No take is current. */
  deactivate(): void {
    this.active = -1;
  }

  /** Makes take `index` current at `position` (clamped to its `duration`); returns the position. */
  activate(index: number, position: number, duration: number): number {
    this.active = index;
    const t = clampToTake(position, duration);
    this.lastPosition = t;
    return t;
  }

  // -------------------------------------------------------------------------------------------
  // Position, play, end

  /** Where a seek lands: clamped to the take. */
  seekTarget(seconds: number, duration: number): number {
    const t = clampToTake(seconds, duration);
    this.lastPosition = t;
    return t;
  }

  /** Where play starts over, or null to play on from here: at the end it restarts at the region (when looping one) or at 0. */
  playFrom(media: Pick<Media, 'position' | 'duration'> & { ended: boolean }): number | null {
    if (!media.ended && !(media.duration > 0 && media.position >= media.duration)) return null;
    return this.loop === 'region' && this.region ? this.region.start : 0;
  }

  /** The take ended: a looped region that runs to its end starts again (returns where), else null. */
  restartAfterEnd(duration: number): number | null {
    if (this.loop !== 'region' || !this.region || this.region.end < duration - END_SLACK) return null;
    this.lastPosition = this.region.start;
    return this.region.start;
  }

  /**
   * Region looping, checked while playing: when playback crossed the region's end since the last check,
   * returns the region start to jump to; else null.
   */
  loopJump(position: number, playing: boolean): number | null {
    const r = this.region;
    if (this.loop === 'region' && r && playing && position >= r.end && this.lastPosition < r.end) {
      this.lastPosition = r.start;
      return r.start;
    }
    this.lastPosition = position;
    return null;
  }

  // -------------------------------------------------------------------------------------------
  // Loop and region

  /** The loop button and L: off → the region when there is one, else the whole take; on → off. */
  nextLoop(): LoopMode {
    return this.loop !== 'off' ? 'off' : this.region ? 'region' : 'take';
  }

  /** Sets the loop mode ('region' without a region loops the take); returns the mode set. */
  setLoop(loop: LoopMode, position: number): LoopMode {
    if (loop === 'region' && !this.region) loop = 'take';
    this.loop = loop;
    this.lastPosition = position;
    return loop;
  }

  /** A region being dragged: shown, not yet looping. */
  previewRegion(start: number, end: number): void {
    this.region = { start, end };
  }

  /**
   * Sets (or clears) the loop region, clamped to the take; one shorter than MIN_REGION clears it. A
   * region turns region looping on, and returns its start when the position is outside it (to move
   * there); clearing turns region looping off. Returns null when the position stays.
   */
  setRegion(region: Region | null, media: Pick<Media, 'position' | 'duration'>): number | null {
    const dur = media.duration;
    if (region && dur > 0) region = { start: clamp(region.start, 0, dur), end: clamp(region.end, 0, dur) };
    if (region && region.end - region.start < MIN_REGION) region = null;
    this.region = region;
    if (region) {
      this.setLoop('region', media.position);
      return media.position < region.start || media.position >= region.end ? region.start : null;
    }
    if (this.loop === 'region') this.setLoop('off', media.position);
    return null;
  }

  // -------------------------------------------------------------------------------------------
  // Rate and volume

  /** Sets the speed; false (and nothing changes) outside MIN_RATE..MAX_RATE. */
  setRate(rate: number): boolean {
    if (!(rate >= MIN_RATE && rate <= MAX_RATE)) return false;
    this.rate = rate;
    return true;
  }

  setVolume(volume: number): void {
    this.volume = clamp(volume, 0, 1);
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
  }

  /** The speed picker's value: the rate when it is one of RATES, else 1. */
  get pickerRate(): number {
    return RATES.includes(this.rate) ? this.rate : 1;
  }

  // -------------------------------------------------------------------------------------------
  // State for the host

  /** The state message: `shown` is what the page shows (its current take, its media, whether it is drawn). */
  state(reason: StateReason, shown: Media & { takeId: string | null; drawn: boolean }): PlayerState {
    return {
      jobId: this.job?.id ?? null,
      takeId: shown.takeId,
      currentTime: round3(shown.position),
      duration: round3(shown.duration),
      playing: shown.playing,
      drawn: shown.drawn,
      loop: this.loop,
      region: this.region ? { start: round3(this.region.start), end: round3(this.region.end) } : null,
      rate: this.rate,
      volume: this.volume,
      muted: this.muted,
      reason,
    };
  }
}
