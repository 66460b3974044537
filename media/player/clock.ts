// The player's clock: animation frames draw the playhead; while playing, a timer keeps loop checks and
// state reports going when frames are throttled (a hidden or background webview).
const TICK_INTERVAL_MS = 40;

export interface ClockHooks {
  playing(): boolean;
  /** Every TICK_INTERVAL_MS while playing. */
  tick(): void;
  /** Every frame while playing, and once per requestDraw. */
  frame(): void;
}

export class Clock {
  private frame = 0;
  private tickTimer = 0;

  constructor(private readonly hooks: ClockHooks) {}

  /** Playback started: frames and ticks until it stops. */
  start(): void {
    this.requestDraw();
    if (!this.tickTimer) {
      this.tickTimer = window.setInterval(() => {
        if (!this.hooks.playing()) { window.clearInterval(this.tickTimer); this.tickTimer = 0; return; }
        this.hooks.tick();
      }, TICK_INTERVAL_MS);
    }
  }

  /** One frame soon (if none is pending). */
  requestDraw(): void {
    if (!this.frame) this.frame = requestAnimationFrame(this.onFrame);
  }

  private readonly onFrame = () => {
    this.frame = 0;
    this.hooks.frame();
    if (this.hooks.playing()) this.frame = requestAnimationFrame(this.onFrame);
  };
}
