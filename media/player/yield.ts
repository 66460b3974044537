// Giving the event loop a turn between slices of long work.

interface SchedulerWithYield {
  yield(): Promise<void>;
}

/** Lets pending input, rendering and messages run, then continues. */
export function yieldToEventLoop(): Promise<void> {
  const s = (globalThis as { scheduler?: Partial<SchedulerWithYield> }).scheduler;
  if (s && typeof s.yield === 'function') return s.yield();
  return new Promise(resolve => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { ch.port1.close(); resolve(); };
    ch.port2.postMessage(null);
  });
}
