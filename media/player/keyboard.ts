// The player's keys: a key press, described without the DOM, becomes a player command (or none, when
// the key is not ours or the focused control handles it itself). No DOM: app.ts describes the event.
import type { Command } from './command';

export const SKIP_SECONDS = 5;
export const FINE_SKIP_SECONDS = 1;

/** What has the focus, as far as keys go. */
export type KeyTarget =
  /** A text field, a select or a text area: it keeps its keys (except Escape). */
  | 'field'
  /** A slider (range input): it keeps arrows, Home/End and PageUp/PageDown. */
  | 'range'
  /** A button: it clicks on Space itself. */
  | 'button'
  | 'other';

export interface KeyPress {
  /** KeyboardEvent.key */
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Someone already handled the event. */
  defaultPrevented: boolean;
  target: KeyTarget;
}

export interface KeyContext {
  /** A job is shown (without one, no key does anything). */
  hasJob: boolean;
  /** The current take's length in seconds (0 while unknown). */
  duration: number;
  hasRegion: boolean;
}

/** What a key asks for. */
export type KeyCommand = Extract<Command, { command: 'playPause' | 'seek' | 'skip' | 'selectTakeAt' | 'toggleLoop' | 'toggleMute' | 'clearRegion' }>;

/** Describes what has the focus from its tag name ('INPUT', 'BUTTON'…) and, for inputs, its type. */
export function keyTarget(tagName: string, inputType?: string): KeyTarget {
  if (tagName === 'INPUT') return inputType === 'range' ? 'range' : 'field';
  if (tagName === 'SELECT' || tagName === 'TEXTAREA') return 'field';
  if (tagName === 'BUTTON') return 'button';
  return 'other';
}

/** Describes a keyboard event (what has the focus: by its tag name, and its type for an input). */
export function describeKey(e: Omit<KeyPress, 'target'> & { target: EventTarget | null }): KeyPress {
  const el = e.target as { tagName?: unknown; type?: unknown } | null;
  const tag = typeof el?.tagName === 'string' ? el.tagName : '';
  return {
    key: e.key, shiftKey: e.shiftKey, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, defaultPrevented: e.defaultPrevented,
    target: keyTarget(tag, typeof el?.type === 'string' ? el.type : undefined),
  };
}

/** The command for a key press, or null: then the page leaves the event alone (no preventDefault). */
export function keyCommand(e: KeyPress, ctx: KeyContext): KeyCommand | null {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || !ctx.hasJob) return null;
  const inField = e.target === 'field';
  const native = inField || e.target === 'range'; // the control handles arrows/Home/End itself
  switch (e.key) {
    case ' ':
      return inField || e.target === 'button' ? null : { command: 'playPause' };
    case 'ArrowLeft':
    case 'ArrowRight':
      if (native) return null;
      return { command: 'skip', seconds: (e.key === 'ArrowLeft' ? -1 : 1) * (e.shiftKey ? FINE_SKIP_SECONDS : SKIP_SECONDS) };
    case 'Home':
      return native ? null : { command: 'seek', seconds: 0 };
    case 'End':
      return native ? null : { command: 'seek', seconds: ctx.duration };
    case 'PageUp':
    case 'PageDown':
      if (native) return null;
      return { command: 'skip', seconds: (e.key === 'PageDown' ? -1 : 1) * Math.max(SKIP_SECONDS, ctx.duration / 10) };
    case 'l':
    case 'L':
      return inField ? null : { command: 'toggleLoop' };
    case 'm':
    case 'M':
      return inField ? null : { command: 'toggleMute' };
    case 'Escape':
      return ctx.hasRegion ? { command: 'clearRegion' } : null;
    default:
      return /^[1-9]$/.test(e.key) && !inField ? { command: 'selectTakeAt', index: Number(e.key) - 1 } : null;
  }
}
