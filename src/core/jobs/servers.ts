// One client per server and what each server said about itself (cached for a minute). No vscode import.
import { AceStepClient } from '../api/client';
import type { ServerInfo } from '../api/types';
import type { Clock } from './types';

export interface ServersOptions {
  clock: Clock;
  /** The API key for a server (only ever sent to that server). */
  apiKey?: string | ((serverUrl: string) => string | undefined);
  /** Overrides client creation (tests, custom dispatchers). */
  clientFor?: (serverUrl: string) => AceStepClient;
}

const INFO_TTL_MS = 60_000;

export class Servers {
  private readonly clients = new Map<string, AceStepClient>();
  private readonly infos = new Map<string, { info: ServerInfo; at: number }>();

  constructor(private readonly o: ServersOptions) {}

  client(url: string): AceStepClient {
    let c = this.clients.get(url);
    if (!c) {
      if (this.o.clientFor) c = this.o.clientFor(url);
      else {
        const k = this.o.apiKey;
        const apiKey = typeof k === 'function' ? k(url) : k;
        c = new AceStepClient({ baseUrl: url, ...(apiKey ? { apiKey } : {}) });
      }
      this.clients.set(url, c);
    }
    return c;
  }

  /** What the server said about itself, however old (undefined if it was never asked). */
  cachedInfo(url: string): ServerInfo | undefined {
    return this.infos.get(url)?.info;
  }

  /** What the server says about itself (asked again after a minute). */
  async info(url: string, signal: AbortSignal): Promise<ServerInfo> {
    const cached = this.infos.get(url);
    if (cached && this.o.clock.now() - cached.at < INFO_TTL_MS) return cached.info;
    const info = await this.client(url).detectFlavour({ signal });
    this.infos.set(url, { info, at: this.o.clock.now() });
    return info;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.clients.values()].map(c => c.close()));
  }
}
