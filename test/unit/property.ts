// Property tests (fast-check) that can be replayed. Each property runs twice: with a fixed seed, so every run
// covers the same cases, and with a fresh seed, so the runs together cover more. A failure names its seed;
// FUZZ_SEED=<seed> npm run test:unit -- <file> runs the properties with that seed only, which replays it.
import fc from 'fast-check';

export const FIXED_SEED = 42;

/** The seeds to run with: FUZZ_SEED alone when set, else the fixed seed and a fresh one. */
export function fuzzSeeds(env: NodeJS.ProcessEnv = process.env): Array<{ seed: number; kind: string }> {
  const given = env.FUZZ_SEED?.trim();
  if (given) {
    const seed = Number(given);
    if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, not "${given}"`);
    return [{ seed: seed | 0, kind: 'FUZZ_SEED' }];
  }
  return [{ seed: FIXED_SEED, kind: 'fixed' }, { seed: (Math.random() * 2 ** 32) | 0, kind: 'fresh' }];
}

/** The unit test file that called, as `npm run test:unit -- <filter>` takes it (song/fuzz.test). */
function callerFilter(stack = new Error().stack ?? ''): string {
  const m = /test[\\/]unit[\\/]([\w.\\/-]+?\.test)\.[jt]s/.exec(stack);
  return m ? m[1].replace(/\\/g, '/') : '<file>';
}

/** Puts the seed and how to replay it in front of fast-check's report (and prints it at once). */
function withSeed(e: unknown, seed: number, kind: string): unknown {
  const note = `fuzz seed ${seed} (${kind}): replay with FUZZ_SEED=${seed} npm run test:unit -- ${callerFilter()}`;
  console.error(note);
  if (e instanceof Error) e.message = `${note}\n${e.message}`;
  return e;
}

/** fc.assert for a synchronous property, once per seed. */
export function assertProperty<Ts>(property: fc.IProperty<Ts>, params: fc.Parameters<Ts> = {}): void {
  for (const { seed, kind } of fuzzSeeds()) {
    try {
      fc.assert(property, { ...params, seed });
    } catch (e) {
      throw withSeed(e, seed, kind);
    }
  }
}

/** fc.assert for an asynchronous property, once per seed. */
export async function assertAsyncProperty<Ts>(property: fc.IAsyncProperty<Ts>, params: fc.Parameters<Ts> = {}): Promise<void> {
  for (const { seed, kind } of fuzzSeeds()) {
    try {
      await fc.assert(property, { ...params, seed });
    } catch (e) {
      throw withSeed(e, seed, kind);
    }
  }
}
