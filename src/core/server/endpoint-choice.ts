// Which URL generation talks to, and why: the one rule, shared by the endpoint (what jobs use), the status bar
// and Check Server (what they tell the user). A URL the user set on purpose always wins; a known Docker setup
// decides only when the user left `acestep.serverUrl` alone.
import { msg } from '../l10n';
import { modeLabel, type AcestepMode } from './types';

export type EndpointSource = 'setting' | 'docker-running' | 'docker-configured' | 'default';

export interface EndpointInputs {
  /** `acestep.serverUrl` as the user set it (user, workspace or folder settings); undefined when left at its default. */
  explicitUrl?: string;
  /** The setting's default URL. */
  defaultUrl: string;
  /** The Docker setup server control knows: the mode it runs (else the .env's), its URL, and whether it runs. */
  docker?: { mode: AcestepMode; url?: string; running: boolean };
}

export interface EndpointChoice {
  url: string;
  source: EndpointSource;
  /** The Docker mode, when the Docker setup decided. */
  mode?: AcestepMode;
}

/** The URL jobs go to: the user's explicit setting, else the Docker setup's (running or configured), else the default. */
export function chooseEndpoint(inputs: EndpointInputs): EndpointChoice {
  if (inputs.explicitUrl) return { url: inputs.explicitUrl, source: 'setting' };
  const d = inputs.docker;
  if (d?.url) return { url: d.url, source: d.running ? 'docker-running' : 'docker-configured', mode: d.mode };
  return { url: inputs.defaultUrl, source: 'default' };
}

/** Why that URL, in one sentence for people (translated). */
export function endpointReason(choice: EndpointChoice): string {
  const mode = choice.mode ? modeLabel(choice.mode) : '';
  switch (choice.source) {
    case 'setting': return msg('It is the acestep.serverUrl you set.');
    case 'docker-running': return msg('It is the Docker server that runs ({0} mode); set acestep.serverUrl to use another server.', mode);
    case 'docker-configured': return msg('It is the Docker setup\'s {0} mode, which is not running; start it, or set acestep.serverUrl to use another server.', mode);
    default: return msg('It is the default of acestep.serverUrl (no Docker setup found); set it to your server\'s address.');
  }
}
