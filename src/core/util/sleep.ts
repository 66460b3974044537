// One way to wait: for a time, on an injectable timer (tests pass a fake clock), cut short by an abort signal.
export interface Timer {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimer: Timer = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: h => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Waits `ms`. Resolves `true` when the time has passed, `false` at once when `signal` aborts (before or during the
 * wait): callers decide whether an abort is an error. Never rejects; leaves no timer or listener behind.
 */
export function sleep(ms: number, signal?: AbortSignal, timer: Timer = systemTimer): Promise<boolean> {
  return new Promise(resolve => {
    if (signal?.aborted) { resolve(false); return; }
    const onAbort = () => { timer.clearTimeout(handle); resolve(false); };
    const handle = timer.setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(true); }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
