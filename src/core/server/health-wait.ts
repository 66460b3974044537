// Waiting for a freshly (re)started ACE-Step server to answer GET /health.
// The first start downloads 10–20 GB of models, so the default deadline is generous (30 min). The wait ends
// early when the container stops (its last log lines go into the result), and on an AbortSignal.
// Everything that touches the outside world is injected, so this is testable without network or docker.
import { describeProgressLine } from './docker-errors';
import type { AcestepMode } from './types';
import { sleep } from '../util/sleep';
import { stripControl } from '../util/server-text';

export interface HealthInfo {
  status: string;
  /** "ACE-Step API" (standalone) or "ACE-Step Gradio API" (mounted on the Gradio UI). */
  service?: string;
  version?: string;
  /** Which server answered, from `service`. */
  serverMode?: AcestepMode;
  /** Newer servers report whether the models are loaded yet. */
  modelsInitialized?: boolean;
  raw: unknown;
}

/** Reads a /health body: the usual envelope `{data: {status: "ok", service, version}}` or a bare object. */
export function parseHealth(body: unknown): HealthInfo | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const outer = body as Record<string, unknown>;
  const data = (outer.data && typeof outer.data === 'object' ? outer.data : outer) as Record<string, unknown>;
  if (typeof data.status !== 'string' || data.status.toLowerCase() !== 'ok') return undefined;
  const service = typeof data.service === 'string' ? stripControl(data.service) : undefined;
  return {
    status: data.status,
    service,
    version: typeof data.version === 'string' ? stripControl(data.version) : undefined,
    serverMode: service ? (/gradio/i.test(service) ? 'gradio' : 'api') : undefined,
    modelsInitialized: typeof data.models_initialized === 'boolean' ? data.models_initialized : undefined,
    raw: body,
  };
}

/** Fetches a /health URL and resolves with the parsed JSON body; rejects when there is no good answer. */
export type FetchHealth = (healthUrl: string, signal: AbortSignal) => Promise<unknown>;

function anySignal(signals: AbortSignal[]): AbortSignal {
  const any = (AbortSignal as unknown as { any?: (s: AbortSignal[]) => AbortSignal }).any;
  if (any) return any(signals);
  const c = new AbortController();
  for (const s of signals) {
    if (s.aborted) { c.abort(s.reason); break; }
    s.addEventListener('abort', () => c.abort(s.reason), { once: true });
  }
  return c.signal;
}

/** A FetchHealth on the global fetch, each attempt limited to `attemptTimeoutMs`. */
export function httpFetchHealth(attemptTimeoutMs = 10_000): FetchHealth {
  return async (healthUrl, signal) => {
    const res = await fetch(healthUrl, { signal: anySignal([signal, AbortSignal.timeout(attemptTimeoutMs)]), headers: { accept: 'application/json' } });
    const text = stripControl(await res.text());
    if (!res.ok) throw new Error(`HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
    try { return JSON.parse(text) as unknown; } catch { throw new Error(`not JSON: ${text.slice(0, 200)}`); }
  };
}

export interface HealthStatus {
  attempt: number;
  elapsedMs: number;
  /** Friendly text for a status line ("Loading models…"). */
  text: string;
  /** Why the last probe failed. */
  lastError?: string;
}

export interface WaitForHealthOptions {
  /** Base URL of the server (`http://localhost:8501`); `/health` is added. */
  url: string;
  fetchHealth: FetchHealth;
  /** true running, false stopped or gone, undefined when it cannot be told (docker unavailable). */
  isContainerRunning?: () => Promise<boolean | undefined>;
  /** The container's last `tail` log lines. */
  containerLogs?: (tail: number) => Promise<string[]>;
  signal?: AbortSignal;
  /** Default 30 minutes (first start downloads the models). */
  timeoutMs?: number;
  onStatus?: (status: HealthStatus) => void;
  /** Backoff between probes: starts at `initialDelayMs` (1 s), grows by half up to `maxDelayMs` (5 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** How often to read the container log for the status text (default 10 s). */
  logEveryMs?: number;
}

export type HealthWaitResult =
  | { ok: true; health: HealthInfo; elapsedMs: number; attempts: number }
  | { ok: false; reason: 'exited' | 'timeout' | 'aborted'; message: string; logLines: string[]; elapsedMs: number; attempts: number };

export const DEFAULT_HEALTH_TIMEOUT_MS = 30 * 60_000;

export function formatDuration(ms: number): string {
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  if (ms >= 1000) return `${Math.round(ms / 1000)} s`;
  return `${ms} ms`;
}

function errorText(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? e.message;
  }
  return String(e);
}

function waitingText(lastError: string | undefined): string {
  if (!lastError) return 'Waiting for the server…';
  if (/ECONNREFUSED|ECONNRESET|socket hang up|UND_ERR_SOCKET|fetch failed/i.test(lastError)) return 'Waiting for the server to listen…';
  if (/timeout|aborted|HTTP 50[234]/i.test(lastError)) return 'The server is busy (loading models?)…';
  return 'Waiting for the server…';
}

/**
 * The line to quote from a container's log: the last error-looking line, else the last line. A container with a
 * restart policy has already begun again when the log is read, so its last line is often the next start's banner.
 */
export function lastWords(logLines: readonly string[]): string | undefined {
  const lines = logLines.filter(l => l.trim());
  return [...lines].reverse().find(l => /error|exception|traceback|fatal|killed|out of memory|failed|denied/i.test(l)) ?? lines.slice(-1)[0];
}

export async function waitForHealth(o: WaitForHealthOptions): Promise<HealthWaitResult> {
  const started = Date.now();
  const timeoutMs = o.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  const maxDelay = o.maxDelayMs ?? 5000;
  const logEvery = o.logEveryMs ?? 10_000;
  const healthUrl = o.url.replace(/\/+$/, '') + '/health';
  const stopped = new AbortController();
  const signal = o.signal ? anySignal([o.signal, stopped.signal]) : stopped.signal;
  let delay = o.initialDelayMs ?? 1000;
  let attempts = 0;
  let notRunning = 0;
  let lastError: string | undefined;
  let progressText: string | undefined;
  let lastLogRead = -Infinity;
  const elapsed = (): number => Date.now() - started;
  const logs = async (n: number): Promise<string[]> => {
    try { return (await o.containerLogs?.(n)) ?? []; } catch { return []; }
  };
  const fail = async (reason: 'exited' | 'timeout' | 'aborted'): Promise<HealthWaitResult> => {
    const logLines = reason === 'aborted' ? [] : await logs(reason === 'exited' ? 40 : 20);
    const last = lastWords(logLines);
    const message = reason === 'exited'
      ? `The container stopped before the server answered ${healthUrl}.${last ? ` Its last words: ${last.trim()}` : ''}`
      : reason === 'timeout'
        ? `The server did not answer ${healthUrl} within ${formatDuration(timeoutMs)}${lastError ? ` (last error: ${lastError})` : ''}.`
        : 'Stopped waiting for the server.';
    return { ok: false, reason, message, logLines, elapsedMs: elapsed(), attempts };
  };

  try {
    for (;;) {
      if (o.signal?.aborted) return await fail('aborted');
      attempts++;
      try {
        const body = await o.fetchHealth(healthUrl, signal);
        const health = parseHealth(body);
        if (health) return { ok: true, health, elapsedMs: elapsed(), attempts };
        lastError = 'the server answered, but not with status "ok"';
      } catch (e) {
        if (o.signal?.aborted) return await fail('aborted');
        lastError = errorText(e);
      }
      if (o.isContainerRunning) {
        let running: boolean | undefined;
        try { running = await o.isContainerRunning(); } catch { running = undefined; }
        notRunning = running === false ? notRunning + 1 : 0;
        if (notRunning >= 2) return await fail('exited');
      }
      if (o.containerLogs && elapsed() - lastLogRead >= logEvery) {
        lastLogRead = elapsed();
        const recent = await logs(30);
        for (let k = recent.length - 1; k >= 0; k--) {
          const t = describeProgressLine(recent[k]!);
          if (t) { progressText = t; break; }
        }
      }
      o.onStatus?.({ attempt: attempts, elapsedMs: elapsed(), text: progressText ?? waitingText(lastError), lastError });
      if (elapsed() >= timeoutMs) return await fail('timeout');
      // the last sleep ends at the deadline, so one more probe happens right then
      await sleep(Math.min(delay, Math.max(0, timeoutMs - elapsed())), o.signal);
      delay = Math.min(maxDelay, Math.ceil(delay * 1.5));
    }
  } finally {
    stopped.abort();
  }
}
