// Where generation sends its requests. One object for the window, made in src/extension.ts and given to
// generation and to server control: server control is its source for the Docker server it knows (the URL of the
// mode that really runs, and which mode would serve a URL that did not answer); generation asks it for the URL.
// Before server control has loaded and checked anything, the settings decide, as they always did.
import type { AcestepMode } from '../../core/server';
import { generationSettings } from '../settings';

/** What server control knows about the server, as the endpoint asks for it. */
export interface ServerFacts {
  /** URL of the running (else configured) mode of the known Docker setup; undefined while none is known. */
  serverUrl(): string | undefined;
  /** The mode whose port `url` is, when the setup's .env selects the other one (reads files only). */
  modeServing(url: string): Promise<AcestepMode | undefined>;
}

export interface ServerFactsSource {
  /** Server control when it is loaded (nothing known otherwise). */
  loaded(): ServerFacts | undefined;
  /** Server control, loaded now when it was not. */
  load(): ServerFacts;
}

export class ServerEndpoint {
  constructor(private readonly source: ServerFactsSource) {}

  /** URL of the Docker mode that runs (else is configured), when server control knows it; undefined: the settings decide. */
  dockerUrl(): string | undefined {
    return this.source.loaded()?.serverUrl();
  }

  /** The URL jobs go to: the running Docker mode's when known, else the `acestep.serverUrl` setting. */
  url(): string {
    return this.dockerUrl() ?? generationSettings().serverUrl;
  }

  /**
   * After `url` did not answer: the Docker mode whose port it is, when the setup's .env selects the other mode
   * (so switching the mode would make it answer). Undefined when there is no such setup, or on any failure.
   */
  async modeServing(url: string): Promise<AcestepMode | undefined> {
    try {
      return await this.source.load().modeServing(url);
    } catch {
      return undefined;
    }
  }
}
