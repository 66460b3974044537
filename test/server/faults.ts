// Fault injection: the ways a test can make the fake misbehave beyond what a healthy server does.
// Garbage answers, cut, trickling and non-audio downloads, too many result items and failing jobs live here;
// refusals (down, queue full, plain-text 500, latency) are single checks where the request is handled.
import type { CutOption, FakeOptions, GarbageKind, GarbageOption, TrickleOption } from './options';
import { PyFloat } from './pyjson';

/** What a 'html' garbage answer is: some other web server's welcome page. */
export const NOT_THE_API_HTML = '<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body><h1>It works!</h1><p>This is not the API you are looking for.</p></body></html>\n';

/** The escape sequences a hostile server puts in its texts. */
export const HOSTILE_ESCAPES = '\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x1b[0m \x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\\r\u009b1A';

/** What an 'echo' garbage answer is: a debugging page that repeats the request's headers. */
export const echoBody = (authorization: string | undefined) => `Unhandled request. Headers: authorization: ${authorization ?? '(none)'}\n`;

/** Turns every value into one of the wrong type (for the 'wrong-types' garbage). */
export function wrongTypes(v: unknown): unknown {
  if (v === null || v === undefined) return 17;
  if (v instanceof PyFloat) return String(v.value);
  if (Array.isArray(v)) return { items: v.length };
  switch (typeof v) {
    case 'string': return 42;
    case 'number': return String(v);
    case 'boolean': return 'yes';
    case 'object': return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, wrongTypes(x)]));
    default: return null;
  }
}

/** 'wrong-types': an envelope keeps its shape but its `data` gets values of the wrong types. */
export function spoilValue(kind: GarbageKind | null, value: unknown): unknown {
  if (kind === 'wrong-types' && value && typeof value === 'object' && 'data' in (value as object)) {
    return { ...(value as object), data: wrongTypes((value as { data: unknown }).data) };
  }
  return value;
}

/** 'truncated': the first half of the JSON text. */
export function spoilText(kind: GarbageKind | null, text: string): string {
  return kind === 'truncated' ? text.slice(0, Math.max(1, Math.floor(text.length / 2))) : text;
}

/** The faults that count: how many garbage answers went out, which download is cut, which job fails. */
export class Faults {
  private garbageUsed = 0;
  /** The Authorization header of the request being answered (what 'echo' and 'echo-key' repeat). */
  authorization: string | undefined;

  constructor(private readonly opts: FakeOptions) {}

  /** The garbage to send instead of this endpoint's JSON answer, if any (and counts it). */
  garbageFor(endpoint: string): GarbageKind | null {
    const g = this.opts.garbage;
    if (!g) return null;
    const spec: GarbageOption = typeof g === 'string' ? { kind: g } : g;
    if (spec.endpoints && !spec.endpoints.includes(endpoint)) return null;
    if (spec.times !== undefined && this.garbageUsed >= spec.times) return null;
    this.garbageUsed++;
    return spec.kind;
  }

  /** A text the server sends, as a hostile server spoils it. */
  hostileText(text: string): string {
    const h = this.opts.hostile ?? [];
    let out = text;
    if (h.includes('escapes')) out += HOSTILE_ESCAPES;
    if (h.includes('echo-key')) out += ` [debug: authorization=${this.authorization ?? '(none)'}]`;
    return out;
  }

  /** A new garbage option starts its count again. */
  resetGarbage(): void {
    this.garbageUsed = 0;
  }

  /** Where this download is cut (Infinity: not at all); a one-off cut is used up. */
  takeCut(): number {
    const cut = this.opts.cutDownloadAt;
    if (cut === null || cut === undefined) return Infinity;
    const spec: CutOption = typeof cut === 'number' ? { bytes: cut } : cut;
    if (!spec.always) this.opts.cutDownloadAt = null;
    return spec.bytes;
  }

  /** How this download trickles, if it does; a one-off trickle is used up. */
  takeTrickle(): TrickleOption | null {
    const tr = this.opts.trickleDownloads;
    if (!tr) return null;
    if (!tr.always) this.opts.trickleDownloads = null;
    return tr;
  }

  /** How many result items a finished job of this batch size lists. */
  itemCount(batchSize: number): number {
    const n = this.opts.resultItems;
    return n === null || n === undefined ? batchSize : Math.max(0, Math.floor(n));
  }

  /** Whether the job being created is one of the `failNext` ones (and counts it down). */
  takeFailure(): boolean {
    const { failNext } = this.opts;
    if (!failNext) return false;
    this.opts.failNext = typeof failNext === 'number' && failNext > 1 ? failNext - 1 : false;
    return true;
  }
}
