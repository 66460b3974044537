// The message protocol between the "ACE-Step Player" webview and its VS Code host.
// Imported by both sides, so it must stay free of `vscode` and of Node-only modules.
//
// Every message that crosses the boundary is checked with `parseToWebview` / `parseFromWebview`:
// they return a fresh, well-typed copy holding only the known fields, or null when anything is
// malformed (unknown type tag, wrong field type, non-finite number, string or array over its limit).
//
// Peaks: `number[]` of min/max pairs, `[min0, max0, min1, max1, …]`, one pair per bucket, in time
// order, every value in [-1, 1] (full scale). A bucket's min/max are taken over all channels, so a
// stereo take yields one combined envelope. The number of buckets is free (usually ~2000); the
// webview stretches or squeezes them to the canvas width.

import { parseLyricsTiming, type LyricsTiming } from './lyrics-timing';
import { array, bool, fail, id, LIMITS, num, obj, oneOf, optional, peaksArray, put, str, type Obj } from './protocol-check';
import { checkEdit, checkSections, type PlayerEdit, type SectionMark } from './protocol-edit';
export type { PlayerEdit, SectionMark } from './protocol-edit';

export { LIMITS } from './protocol-check';

/** Default number of min/max buckets the host and the webview compute for one take. */
export const DEFAULT_PEAK_BUCKETS = 2000;

// ---------------------------------------------------------------------------------------------
// Shapes

export interface TakeMeta {
  /** The caption the model actually used (after the LM rewrite, if any). */
  caption: string;
  /** The lyrics as sung (after the LM rewrite, if any). */
  lyrics: string;
  /** What the user wrote, when the LM rewrote it. Shown as a line diff against caption/lyrics. */
  userCaption?: string;
  userLyrics?: string;
  bpm?: number;
  key?: string;
  timeSignature?: string;
  /** The requested duration in seconds. */
  duration?: number;
  seed?: number;
  ditModel?: string;
  lmModel?: string;
  /** Wall-clock seconds the server spent generating. */
  generationSeconds?: number;
  server?: string;
  /** The kind of server in words ("upstream standalone API (current)"), never the one-letter tag. */
  serverKind?: string;
  /** Nothing is known of how the take was made (an audio file without a sidecar): no caption, lyrics or settings. */
  unknown?: boolean;
}

export interface TakeView {
  id: string;
  /** Short label shown on the take switcher ("A", "B", "Take 1"…). */
  label: string;
  /** Webview resource URI of the audio file (`webview.asWebviewUri(...)` as a string). */
  src: string;
  /** Actual audio length in seconds, when the host knows it. */
  durationSec?: number;
  /** "wav", "mp3", "flac"… */
  format: string;
  sizeBytes: number;
  /** Min/max pairs (see the file header). Absent: the webview decodes the audio and posts them back. */
  peaks?: number[];
  meta: TakeMeta;
  /** The actions that work for this take (absent: all of them). */
  actions?: PlayerAction[];
  /** The song's sections on this take's waveform (the sidecar's, else estimated), in seconds. */
  sections?: SectionMark[];
}

export interface JobView {
  id: string;
  /** The song's title. */
  title: string;
  /** Creation time, milliseconds since the Unix epoch. */
  createdAt: number;
  /** Server (name or base URL) the job ran on. */
  server: string;
  takes: TakeView[];
}

export type PlayerCommand =
  | { command: 'playPause' }
  | { command: 'play' }
  | { command: 'pause' }
  /** Absolute position in seconds (clamped to the take). */
  | { command: 'seek'; seconds: number }
  /** Relative move in seconds (negative: back). */
  | { command: 'skip'; seconds: number }
  | { command: 'selectTake'; takeId: string }
  | { command: 'selectJob'; jobId: string }
  /** 0..1 */
  | { command: 'setVolume'; volume: number }
  /** 0.5..2 */
  | { command: 'setRate'; rate: number }
  /** Loop the whole take, a region (seconds), or nothing. */
  | { command: 'setLoop'; loop: 'off' | 'take' }
  | { command: 'setLoop'; loop: 'region'; start: number; end: number }
  /** Ask the webview to post a `state` message now. */
  | { command: 'reportState' };

export type ToWebview =
  | { type: 'load'; jobs: JobView[]; selectedJobId: string | null; selectedTake: string | null }
  | { type: 'peaks'; takeId: string; peaks: number[] }
  /** The colour theme changed: re-read the CSS variables and redraw. */
  | { type: 'theme' }
  | LyricsTiming
  | ({ type: 'command' } & PlayerCommand);

export const ACTIONS = ['reveal', 'copyPath', 'openSidecar', 'useSettings', 'regenerate', 'timeLyrics', 'deleteTake'] as const;
export type PlayerAction = typeof ACTIONS[number];

export type LoopMode = 'off' | 'take' | 'region';

/** Why a state message was sent. */
export type StateReason = 'ready' | 'load' | 'drawn' | 'play' | 'pause' | 'ended' | 'switch' | 'seek' | 'tick' | 'loop' | 'settings' | 'request';

export interface PlayerState {
  jobId: string | null;
  takeId: string | null;
  /** Seconds into the current take. */
  currentTime: number;
  /** Seconds; 0 while unknown. */
  duration: number;
  playing: boolean;
  /** The current take's waveform is on screen (from peaks, not a placeholder). */
  drawn: boolean;
  loop: LoopMode;
  /** The selected loop region, in seconds, if any (kept even while loop is not 'region'). */
  region: { start: number; end: number } | null;
  rate: number;
  volume: number;
  muted: boolean;
  reason: StateReason;
}

export type FromWebview =
  | { type: 'ready' }
  | { type: 'peaks'; takeId: string; peaks: number[] }
  | { type: 'action'; action: PlayerAction; takeId: string }
  | { type: 'edit'; takeId: string; edit: PlayerEdit } // the host asks for what is missing
  | { type: 'sections'; takeId: string; sections: SectionMark[] } // moved by the user: kept in the sidecar
  | { type: 'state'; state: PlayerState }
  | { type: 'error'; message: string };

// ---------------------------------------------------------------------------------------------
// Validation (the helpers are in protocol-check.ts).

function takeMeta(x: unknown): TakeMeta {
  const o = obj(x, 'meta');
  const m: TakeMeta = {
    caption: str(o.caption, LIMITS.mediumString, 'caption'),
    lyrics: str(o.lyrics, LIMITS.longString, 'lyrics'),
  };
  put(m, 'userCaption', optional(o, 'userCaption', (v, w) => str(v, LIMITS.mediumString, w)));
  put(m, 'userLyrics', optional(o, 'userLyrics', (v, w) => str(v, LIMITS.longString, w)));
  put(m, 'bpm', optional(o, 'bpm', (v, w) => num(v, w, 0, 1000)));
  put(m, 'key', optional(o, 'key', (v, w) => str(v, LIMITS.shortString, w)));
  put(m, 'timeSignature', optional(o, 'timeSignature', (v, w) => str(v, LIMITS.shortString, w)));
  put(m, 'duration', optional(o, 'duration', (v, w) => num(v, w, 0, 86_400)));
  put(m, 'seed', optional(o, 'seed', (v, w) => num(v, w)));
  put(m, 'ditModel', optional(o, 'ditModel', (v, w) => str(v, LIMITS.shortString, w)));
  put(m, 'lmModel', optional(o, 'lmModel', (v, w) => str(v, LIMITS.shortString, w)));
  put(m, 'generationSeconds', optional(o, 'generationSeconds', (v, w) => num(v, w, 0, 1e7)));
  put(m, 'server', optional(o, 'server', (v, w) => str(v, LIMITS.shortString, w)));
  put(m, 'serverKind', optional(o, 'serverKind', (v, w) => str(v, LIMITS.shortString, w)));
  put(m, 'unknown', optional(o, 'unknown', bool));
  return m;
}

function takeView(x: unknown): TakeView {
  const o = obj(x, 'take');
  const t: TakeView = {
    id: id(o.id, 'take.id'),
    label: str(o.label, LIMITS.shortString, 'take.label'),
    src: str(o.src, LIMITS.uri, 'take.src'),
    format: str(o.format, LIMITS.shortString, 'take.format'),
    sizeBytes: num(o.sizeBytes, 'take.sizeBytes', 0),
    meta: takeMeta(o.meta),
  };
  put(t, 'durationSec', optional(o, 'durationSec', (v, w) => num(v, w, 0, 86_400)));
  put(t, 'peaks', optional(o, 'peaks', peaksArray));
  put(t, 'actions', optional(o, 'actions', (v, w) => array(v, ACTIONS.length, w).map(a => oneOf(a, ACTIONS, w))));
  put(t, 'sections', optional(o, 'sections', (v, w) => checkSections(v) ?? fail(w)));
  return t;
}

function jobView(x: unknown): JobView {
  const o = obj(x, 'job');
  const takes = array(o.takes, LIMITS.takesPerJob, 'job.takes').map(takeView);
  if (new Set(takes.map(t => t.id)).size !== takes.length) fail('job.takes: duplicate take ids');
  return {
    id: id(o.id, 'job.id'),
    title: str(o.title, LIMITS.mediumString, 'job.title'),
    createdAt: num(o.createdAt, 'job.createdAt', 0),
    server: str(o.server, LIMITS.shortString, 'job.server'),
    takes,
  };
}

const nullableId = (x: unknown, what: string): string | null => (x === null || x === undefined ? null : id(x, what));

function command(o: Obj): PlayerCommand {
  const name = oneOf(o.command, ['playPause', 'play', 'pause', 'seek', 'skip', 'selectTake', 'selectJob',
    'setVolume', 'setRate', 'setLoop', 'reportState'] as const, 'command');
  switch (name) {
    case 'playPause': case 'play': case 'pause': case 'reportState':
      return { command: name };
    case 'seek':
      return { command: name, seconds: num(o.seconds, 'seconds', 0, 86_400) };
    case 'skip':
      return { command: name, seconds: num(o.seconds, 'seconds', -86_400, 86_400) };
    case 'selectTake':
      return { command: name, takeId: id(o.takeId, 'takeId') };
    case 'selectJob':
      return { command: name, jobId: id(o.jobId, 'jobId') };
    case 'setVolume':
      return { command: name, volume: num(o.volume, 'volume', 0, 1) };
    case 'setRate':
      return { command: name, rate: num(o.rate, 'rate', 0.5, 2) };
    case 'setLoop': {
      const loop = oneOf(o.loop, ['off', 'take', 'region'] as const, 'loop');
      if (loop !== 'region') return { command: name, loop };
      const start = num(o.start, 'start', 0, 86_400);
      const end = num(o.end, 'end', 0, 86_400);
      if (!(end > start)) fail('setLoop: end must be after start');
      return { command: name, loop, start, end };
    }
  }
}

function parseOrNull<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    // `Invalid` from the checks, or anything a hostile object (getters, proxies) might throw.
    return null;
  }
}

/** Checks a message meant for the webview. Returns a clean copy, or null when it is malformed. */
export function parseToWebview(x: unknown): ToWebview | null {
  return parseOrNull((): ToWebview => {
    const o = obj(x, 'message');
    if (o.type === 'lyricsTiming') return parseLyricsTiming(o) ?? fail('lyricsTiming');
    const type = oneOf(o.type, ['load', 'peaks', 'theme', 'command'] as const, 'type');
    switch (type) {
      case 'load': {
        const jobs = array(o.jobs, LIMITS.jobs, 'jobs').map(jobView);
        if (new Set(jobs.map(j => j.id)).size !== jobs.length) fail('jobs: duplicate job ids');
        return {
          type,
          jobs,
          selectedJobId: nullableId(o.selectedJobId, 'selectedJobId'),
          selectedTake: nullableId(o.selectedTake, 'selectedTake'),
        };
      }
      case 'peaks':
        return { type, takeId: id(o.takeId, 'takeId'), peaks: peaksArray(o.peaks, 'peaks') };
      case 'theme':
        return { type };
      case 'command':
        return { type, ...command(o) };
    }
  });
}

const STATE_REASONS: readonly StateReason[] = ['ready', 'load', 'drawn', 'play', 'pause', 'ended', 'switch', 'seek',
  'tick', 'loop', 'settings', 'request'];

function playerState(x: unknown): PlayerState {
  const o = obj(x, 'state');
  let region: PlayerState['region'] = null;
  if (o.region !== null && o.region !== undefined) {
    const r = obj(o.region, 'region');
    region = { start: num(r.start, 'region.start', 0), end: num(r.end, 'region.end', 0) };
  }
  return {
    jobId: nullableId(o.jobId, 'jobId'),
    takeId: nullableId(o.takeId, 'takeId'),
    currentTime: num(o.currentTime, 'currentTime', 0),
    duration: num(o.duration, 'duration', 0),
    playing: bool(o.playing, 'playing'),
    drawn: bool(o.drawn, 'drawn'),
    loop: oneOf(o.loop, ['off', 'take', 'region'] as const, 'loop'),
    region,
    rate: num(o.rate, 'rate', 0.5, 2),
    volume: num(o.volume, 'volume', 0, 1),
    muted: bool(o.muted, 'muted'),
    reason: oneOf(o.reason, STATE_REASONS, 'reason'),
  };
}

/** Checks a message coming from the webview. Returns a clean copy, or null when it is malformed. */
export function parseFromWebview(x: unknown): FromWebview | null {
  return parseOrNull((): FromWebview => {
    const o = obj(x, 'message');
    const type = oneOf(o.type, ['ready', 'peaks', 'action', 'edit', 'sections', 'state', 'error'] as const, 'type');
    switch (type) {
      case 'ready':
        return { type };
      case 'peaks':
        return { type, takeId: id(o.takeId, 'takeId'), peaks: peaksArray(o.peaks, 'peaks') };
      case 'action':
        return { type, action: oneOf(o.action, ACTIONS, 'action'), takeId: id(o.takeId, 'takeId') };
      case 'edit':
        return { type, takeId: id(o.takeId, 'takeId'), edit: checkEdit(o.edit) ?? fail('edit') };
      case 'sections':
        return { type, takeId: id(o.takeId, 'takeId'), sections: checkSections(o.sections) ?? fail('sections') };
      case 'state':
        return { type, state: playerState(o.state) };
      case 'error':
        return { type, message: str(o.message, LIMITS.message, 'message') };
    }
  });
}

/** Rounds peak values so a 2000-bucket array stays small on the wire (4 decimals ≈ −80 dB resolution). */
export function roundPeak(v: number): number {
  const r = Math.round(v * 10_000) / 10_000;
  return r > 1 ? 1 : r < -1 ? -1 : r === 0 ? 0 : r; // also turns -0 into 0
}
