// Everything the player tells the host goes through here: it throttles state reports while playing,
// caps error reports, and reports a malformed host message once. No DOM: it is given the post function.
import type { FromWebview, PlayerAction, PlayerEdit, PlayerState, SectionMark, StateReason } from '../../src/core/player/protocol';

/** Minimum gap between two throttled state reports (ticks, drags): at most 4 a second. */
export const TICK_MS = 250;
export const MAX_ERROR_REPORTS = 5;
const MAX_ERROR_LENGTH = 1000;

/** How a malformed message is named in the report: its type tag when it has one, else what it is. */
export function describeMalformed(data: unknown): string {
  if (typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string') {
    return `"${String((data as { type: string }).type).slice(0, 40)}"`;
  }
  return data === null ? 'null' : typeof data;
}

export class Reporter {
  private malformedReported = false;
  private errorReports = 0;
  private lastReport = 0;

  constructor(private readonly post: (message: FromWebview) => void, private readonly now: () => number = () => performance.now()) {}

  ready(): void {
    this.post({ type: 'ready' });
  }

  /** Posts the state; `throttled` reports are dropped within TICK_MS of the last report. */
  state(reason: StateReason, state: (reason: StateReason) => PlayerState, throttled = false): void {
    const now = this.now();
    if (throttled && now - this.lastReport < TICK_MS) return;
    this.lastReport = now;
    this.post({ type: 'state', state: state(reason) });
  }

  peaks(takeId: string, peaks: number[]): void {
    this.post({ type: 'peaks', takeId, peaks });
  }

  action(action: PlayerAction, takeId: string): void {
    this.post({ type: 'action', action, takeId });
  }

  edit(takeId: string, edit: PlayerEdit): void {
    this.post({ type: 'edit', takeId, edit });
  }

  sections(takeId: string, sections: SectionMark[]): void {
    this.post({ type: 'sections', takeId, sections });
  }

  /** Reports an error, up to MAX_ERROR_REPORTS of them. */
  error(message: string): void {
    if (this.errorReports >= MAX_ERROR_REPORTS) return;
    this.errorReports++;
    this.post({ type: 'error', message: message.slice(0, MAX_ERROR_LENGTH) });
  }

  /** The first malformed message from the host is reported; later ones are ignored silently. */
  malformed(data: unknown): void {
    if (this.malformedReported) return;
    this.malformedReported = true;
    this.post({ type: 'error', message: `ignored a malformed message from the host (${describeMalformed(data)}); later ones are ignored silently` });
  }
}
