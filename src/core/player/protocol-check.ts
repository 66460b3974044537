// The checks every protocol message goes through: each returns the cleaned value or throws `Invalid` (caught by the
// parsers in protocol.ts). No vscode, no Node: the webview imports them too.
/** Size limits enforced by the validators. Chosen well above real use and well below "hangs the page". */
export const LIMITS = {
  /** ids, labels, formats, models, keys, servers… */
  shortString: 512,
  /** titles, captions */
  mediumString: 8_000,
  /** lyrics */
  longString: 100_000,
  /** webview resource URIs */
  uri: 8_192,
  /** error messages */
  message: 2_000,
  jobs: 200,
  takesPerJob: 32,
  /** numbers in one peaks array (= 2 × buckets) */
  peakValues: 2 * 16_384,
} as const;

export class Invalid extends Error {}

export function fail(what: string): never { throw new Invalid(what); }
export type Obj = Record<string, unknown>;

export function obj(x: unknown, what: string): Obj {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) fail(`${what}: not an object`);
  return x as Obj;
}

export function str(x: unknown, max: number, what: string): string {
  if (typeof x !== 'string') fail(`${what}: not a string`);
  if (x.length > max) fail(`${what}: longer than ${max}`);
  return x;
}

export function id(x: unknown, what: string): string {
  const s = str(x, LIMITS.shortString, what);
  return s.length ? s : fail(`${what}: empty`);
}

export function num(x: unknown, what: string, min = -Infinity, max = Infinity): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${what}: not a finite number`);
  if (x < min || x > max) fail(`${what}: out of range`);
  return x;
}

export function bool(x: unknown, what: string): boolean {
  return typeof x === 'boolean' ? x : fail(`${what}: not a boolean`);
}

export function optional<T>(o: Obj, key: string, check: (v: unknown, what: string) => T): T | undefined {
  const v = o[key];
  return v === undefined ? undefined : check(v, key);
}

export function array(x: unknown, max: number, what: string): unknown[] {
  if (!Array.isArray(x)) fail(`${what}: not an array`);
  if (x.length > max) fail(`${what}: more than ${max} items`);
  return x;
}

export function oneOf<T extends string>(x: unknown, values: readonly T[], what: string): T {
  if (typeof x !== 'string' || !(values as readonly string[]).includes(x)) fail(`${what}: unexpected value`);
  return x as T;
}

/** Validates a peaks array (even length, values in [-1, 1]); returns a copy. */
export function peaksArray(x: unknown, what: string): number[] {
  const a = array(x, LIMITS.peakValues, what);
  if (a.length % 2 !== 0) fail(`${what}: odd length`);
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (typeof v !== 'number' || !(v >= -1 && v <= 1)) fail(`${what}[${i}]: not in [-1, 1]`);
    out[i] = v;
  }
  return out;
}

/** Sets `key` on `target` only when the value is defined (keeps optional fields absent, not undefined). */
export function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

