// Which Docker mode would serve a URL that did not answer. Generation asks (through the server endpoint) when a
// job found no server: if the URL is the port of the mode .env does not select, switching the mode makes it answer.
import { readConfiguredMode, resolvePorts, serverUrlForMode, type AcestepMode } from '../../core/server';
import type { ComposeLocator } from './locate';

/** The mode whose port `url` is, if the setup's .env selects the other mode. Reads files only. */
export async function modeServing(locator: ComposeLocator, url: string): Promise<AcestepMode | undefined> {
  const found = await locator.locate(false);
  if ('reason' in found) return undefined;
  const configured = await readConfiguredMode(found.dir);
  const { ports } = await resolvePorts({ dir: found.dir, env: process.env });
  const other: AcestepMode = configured === 'api' ? 'gradio' : 'api';
  const otherUrl = serverUrlForMode(other, ports);
  return otherUrl && sameServer(url, otherUrl) ? other : undefined;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1', '0.0.0.0']);

/** Same port on the same host, all loopback names counting as one. */
export function sameServer(a: string, b: string): boolean {
  try {
    const x = new URL(a), y = new URL(b);
    const port = (u: URL): string => u.port || (u.protocol === 'https:' ? '443' : '80');
    const host = (u: URL): string => (LOOPBACK.has(u.hostname) ? 'loopback' : u.hostname);
    return port(x) === port(y) && host(x) === host(y);
  } catch {
    return false;
  }
}
