// Where generation sends its requests. One object for the window, made in src/extension.ts and given to
// generation and to server control: server control is its source for the Docker server it knows (the mode that
// runs, else the configured one, and which mode would serve a URL that did not answer); generation asks it for the
// URL. The rule is the core's chooseEndpoint: a URL the user set in acestep.serverUrl always wins; the Docker setup
// decides only when the setting was left alone.
import * as vscode from 'vscode';
// The files, not the index: activation loads this module, and the rest of server control must stay out of it.
import { chooseEndpoint, endpointReason, type EndpointChoice } from '../../core/server/endpoint-choice';
import { WRAPPER_PORTS, type AcestepMode } from '../../core/server/types';
import type { KnownServer } from './types';
import { withoutCredentials } from '../../core/util/server-text';

/** What server control knows about the server, as the endpoint asks for it. */
export interface ServerFacts {
  /** The known Docker setup's server (running mode, else configured); undefined while none is known. */
  docker(): KnownServer | undefined;
  /** The mode whose port `url` is, when the setup's .env selects the other one (reads files only). */
  modeServing(url: string): Promise<AcestepMode | undefined>;
  /** How a local file reaches the Docker setup's server at `url` (a bind-mounted folder); undefined when it cannot. */
  handOff(url: string): Promise<((field: string, file: string) => Promise<string>) | undefined>;
}

export interface ServerFactsSource {
  /** Server control when it is loaded (nothing known otherwise). */
  loaded(): ServerFacts | undefined;
  /** Server control, loaded now when it was not. */
  load(): ServerFacts;
}

// A user name or password in the URL is never used, shown or stored (keys belong in "ACE-Step: Set API Key").
const clean = (url: string): string => withoutCredentials(url.trim()).replace(/\/+$/, '');

/** `acestep.serverUrl` when the user set it (user, workspace or folder settings); undefined at its default. */
export function explicitServerUrl(): string | undefined {
  const i = vscode.workspace.getConfiguration('acestep').inspect<string>('serverUrl');
  const set = i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
  return typeof set === 'string' && set.trim() ? clean(set) : undefined;
}

/** Which URL generation uses and why, from the settings and what server control knows (`docker`). */
export function endpointChoice(docker: KnownServer | undefined): EndpointChoice {
  const defaultUrl = clean(vscode.workspace.getConfiguration('acestep').inspect<string>('serverUrl')?.defaultValue ?? `http://localhost:${WRAPPER_PORTS.api}`);
  const explicitUrl = explicitServerUrl();
  return chooseEndpoint({ defaultUrl, ...(explicitUrl ? { explicitUrl } : {}), ...(docker ? { docker } : {}) });
}

/** "Generation uses <url>: <why>." in one sentence. */
export function describeEndpoint(choice: EndpointChoice): string {
  return vscode.l10n.t('Generation uses {0}. {1}', choice.url, endpointReason(choice));
}

export class ServerEndpoint {
  constructor(private readonly source: ServerFactsSource) {}

  /** URL of the Docker mode that runs (else is configured), when server control knows it. */
  dockerUrl(): string | undefined {
    return this.source.loaded()?.docker()?.url;
  }

  /** Which URL jobs go to, and why (see chooseEndpoint). */
  choice(): EndpointChoice {
    return endpointChoice(this.source.loaded()?.docker());
  }

  /** The URL jobs go to: acestep.serverUrl when the user set it, else the known Docker server's, else the default. */
  url(): string {
    return this.choice().url;
  }

  /**
   * After `url` did not answer: the Docker mode whose port it is, when the setup's .env selects the other mode
   * (so switching the mode would make it answer). Undefined when there is no such setup, or on any failure.
   */
  /** How audio reaches the Docker setup's server at `url` (server/hand-off.ts); undefined on any failure. */
  async handOff(url: string): Promise<((field: string, file: string) => Promise<string>) | undefined> {
    try {
      return await this.source.load().handOff(url);
    } catch {
      return undefined;
    }
  }

  async modeServing(url: string): Promise<AcestepMode | undefined> {
    try {
      return await this.source.load().modeServing(url);
    } catch {
      return undefined;
    }
  }
}
