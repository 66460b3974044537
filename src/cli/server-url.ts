// The server a CLI command talks to: --server, else $ACESTEP_URL, else the default. A user and password written
// into the URL are never printed, stored or sent (ACE-Step servers take an API key, not basic auth): the URL is
// used without them, and the user is told once where a key belongs.
import { hasCredentials, withoutCredentials } from '../core/util/server-text';
import type { CliIO } from './io';

export const DEFAULT_SERVER = 'http://localhost:8501';

/** The server URL to use (without credentials); says once on stderr when credentials were dropped. */
export function serverUrlFor(flag: string | undefined, io: CliIO, command: string): string {
  const given = flag ?? io.env.ACESTEP_URL ?? DEFAULT_SERVER;
  if (!hasCredentials(given)) return given;
  io.err(`acestep-song ${command}: the user and password in the server URL are not used (an ACE-Step server takes an API key): set ACESTEP_API_KEY instead.`);
  return withoutCredentials(given);
}
