// What the server is doing right now, from three sources: the mode .env asks for, the container state from
// `compose ps`, and whether /health answers (and which server answers it). Plus a small TTL cache so the
// status bar can ask lazily and often without spawning docker every time.
import type { PsEntry } from './compose';
import type { HealthInfo } from './health-wait';
import { serverUrlForMode, type AcestepPorts } from './ports';
import { ACESTEP_SERVICE, modeLabel, type AcestepMode } from './types';

export type ContainerState = 'running' | 'restarting' | 'exited' | 'absent' | 'unknown';

export type ServerStateKind = 'up' | 'starting' | 'down' | 'unknown';

export interface ServerState {
  /** The mode .env selects (what the next (re)start runs). */
  configuredMode: AcestepMode;
  /** The mode of the server that answered /health, when one did. */
  runningMode?: AcestepMode;
  state: ServerStateKind;
  /** Base URL of the running server, else of the configured mode; undefined when that port is not published. */
  url?: string;
  container: ContainerState;
  health?: HealthInfo;
  /** Something the user should know (mode mismatch, restart loop, unpublished port). */
  note?: string;
}

/** The `acestep` container's state from `compose ps --all` entries. */
export function containerStateFromPs(entries: PsEntry[], service = ACESTEP_SERVICE): ContainerState {
  const mine = entries.filter(e => e.service === service);
  if (mine.length === 0) return 'absent';
  const states = mine.map(e => e.state);
  if (states.includes('running')) return 'running';
  if (states.includes('restarting')) return 'restarting';
  return 'exited'; // created, exited, paused, dead, removing: nothing serves
}

export interface CombineInput {
  configuredMode: AcestepMode;
  container: ContainerState;
  ports: AcestepPorts;
  /** Health answers by the mode whose port was probed; a mode missing here did not answer (or was not probed). */
  health: Partial<Record<AcestepMode, HealthInfo>>;
}

export function combineServerState(input: CombineInput): ServerState {
  const { configuredMode, container, ports, health } = input;
  const answeredMode: AcestepMode | undefined = health[configuredMode] ? configuredMode
    : health[configuredMode === 'api' ? 'gradio' : 'api'] ? (configuredMode === 'api' ? 'gradio' : 'api') : undefined;
  const info = answeredMode ? health[answeredMode] : undefined;
  const runningMode = info ? info.serverMode ?? answeredMode : undefined;
  const state: ServerStateKind = info ? 'up'
    : container === 'running' || container === 'restarting' ? 'starting'
      : container === 'exited' || container === 'absent' ? 'down'
        : 'unknown';
  const urlMode = answeredMode ?? configuredMode;
  const url = serverUrlForMode(urlMode, ports);
  let note: string | undefined;
  if (runningMode && runningMode !== configuredMode) {
    note = `The server runs in ${modeLabel(runningMode)} mode, but .env asks for ${modeLabel(configuredMode)} mode: recreate the container to switch.`;
  } else if (container === 'restarting' && !info) {
    note = 'The container keeps restarting: read its log.';
  } else if (!url) {
    note = `The compose file does not publish the ${modeLabel(configuredMode)} server's port (${configuredMode === 'api' ? 8001 : 7860}).`;
  }
  return { configuredMode, runningMode, state, url, container, health: info, note };
}

/**
 * Gathers the state: container state and a /health probe of the configured mode run side by side; when that
 * probe fails while a container runs, the other mode's port is probed too (the container may still run the
 * previous mode).
 */
export async function probeServerState(d: {
  configuredMode: AcestepMode;
  ports: AcestepPorts;
  containerState: () => Promise<ContainerState>;
  /** Resolves the server's health at a base URL, or undefined when it does not answer. */
  probe: (baseUrl: string) => Promise<HealthInfo | undefined>;
}): Promise<ServerState> {
  const other: AcestepMode = d.configuredMode === 'api' ? 'gradio' : 'api';
  const safeProbe = async (mode: AcestepMode): Promise<HealthInfo | undefined> => {
    const url = serverUrlForMode(mode, d.ports);
    if (!url) return undefined;
    try { return await d.probe(url); } catch { return undefined; }
  };
  const [container, first] = await Promise.all([
    d.containerState().catch((): ContainerState => 'unknown'),
    safeProbe(d.configuredMode),
  ]);
  const health: Partial<Record<AcestepMode, HealthInfo>> = {};
  if (first) health[d.configuredMode] = first;
  else if (container === 'running' || container === 'unknown') {
    const second = await safeProbe(other);
    if (second) health[other] = second;
  }
  return combineServerState({ configuredMode: d.configuredMode, container, ports: d.ports, health });
}

/** Caches one async value for `ttlMs`; concurrent callers share one load; a failed load is not kept. */
export class TtlCache<T> {
  private value: { v: T; at: number } | undefined;
  private pending: Promise<T> | undefined;
  private generation = 0;

  constructor(private readonly ttlMs: number, private readonly now: () => number = Date.now) {}

  get(load: () => Promise<T>): Promise<T> {
    if (this.value && this.now() - this.value.at < this.ttlMs) return Promise.resolve(this.value.v);
    if (this.pending) return this.pending;
    const gen = this.generation;
    const p = load().then(
      v => {
        if (gen === this.generation) { this.value = { v, at: this.now() }; this.pending = undefined; }
        return v;
      },
      e => {
        if (gen === this.generation) this.pending = undefined;
        throw e;
      },
    );
    this.pending = p;
    return p;
  }

  /** The cached value if still fresh. */
  peek(): T | undefined {
    return this.value && this.now() - this.value.at < this.ttlMs ? this.value.v : undefined;
  }

  /** Forgets the value (after a start, stop or mode switch); a load in flight will not be stored. */
  invalidate(): void {
    this.value = undefined;
    this.pending = undefined;
    this.generation++;
  }
}
