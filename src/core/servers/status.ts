// What every server profile is right now: up or not, its kind, models, LM, queue. One look per server, all at
// once, each with a short deadline, so a server that does not answer never slows the report on the others.
// Used by "ACE-Step: Check Server", the servers status bar item and `acestep-song status --servers`. No vscode.
import { AceStepClient } from '../api/client';
import { AceStepError } from '../api/errors';
import type { ServerInfo, ServerStats } from '../api/types';
import { errorMessage } from '../util/error-message';
import type { ServerProfile } from './profiles';

/** How long one server's look may take in all (health, models, stats) before it counts as not answering. */
export const STATUS_TIMEOUT_MS = 4_000;

export interface ServerStatus {
  profile: ServerProfile;
  /** true: it answered; false: it did not (see `error`). */
  up: boolean;
  info?: ServerInfo;
  /** The queue, where the server has /v1/stats and it answered. */
  stats?: ServerStats;
  /** Why /v1/stats did not answer on a server that has it. */
  statsError?: string;
  /** Why the server is not up: the client's classified error (already cleaned of secrets and escapes). */
  error?: AceStepError;
  /** How long the look took. */
  ms: number;
}

export interface StatusOptions {
  /** The profile's own key (only ever sent to that profile's URL). */
  apiKey?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Clock for `ms` (tests). */
  now?: () => number;
}

/** One server's status. Never throws: a failure is `up: false` with the error. */
export async function checkServerStatus(profile: ServerProfile, options: StatusOptions = {}): Promise<ServerStatus> {
  const now = options.now ?? Date.now;
  const start = now();
  // A hosted chat endpoint's URL names its route (profiles.ts): detectFlavour asks it without generating.
  const timeoutMs = options.timeoutMs ?? STATUS_TIMEOUT_MS;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const onAbort = () => deadline.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let client: AceStepClient | undefined;
  try {
    client = new AceStepClient({
      baseUrl: profile.url,
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      timeouts: { connectMs: timeoutMs, healthMs: timeoutMs, requestMs: timeoutMs },
    });
    const info = await client.detectFlavour({ signal: deadline.signal });
    const status: ServerStatus = { profile, up: true, info, ms: 0 };
    if (info.hasStats) {
      try {
        const stats = await client.stats({ signal: deadline.signal });
        if (stats) status.stats = stats;
      } catch (e) {
        status.statsError = errorMessage(e);
      }
    }
    status.ms = now() - start;
    return status;
  } catch (e) {
    const error = e instanceof AceStepError ? e : new AceStepError('unreachable', errorMessage(e));
    // Our own deadline reads as a timeout, not as a cancellation by the user.
    const timedOut = deadline.signal.aborted && !options.signal?.aborted;
    return { profile, up: false, error: timedOut ? new AceStepError('timeout', `no answer within ${Math.round(timeoutMs / 1000)} s`) : error, ms: now() - start };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    void client?.close().catch(() => undefined);
  }
}

/** Every profile's status, asked in parallel, in the profiles' order. `keyOf` gives each profile its own key. */
export function checkServers(
  profiles: readonly ServerProfile[],
  keyOf: (profile: ServerProfile) => string | undefined,
  options: Omit<StatusOptions, 'apiKey'> = {},
): Promise<ServerStatus[]> {
  return Promise.all(profiles.map(p => {
    const apiKey = keyOf(p);
    return checkServerStatus(p, { ...options, ...(apiKey ? { apiKey } : {}) });
  }));
}

/** How many of the servers answered, of how many were asked ("2/3"). */
export function upCount(statuses: readonly ServerStatus[]): { up: number; checked: number } {
  return { up: statuses.filter(s => s.up).length, checked: statuses.length };
}
