// The one bridge to the host: `acquireVsCodeApi()` may be called once per page, so it is called here.
import type { FromWebview } from '../../src/core/player/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** What the webview keeps across reloads (webview state survives the panel being hidden). */
export interface SavedSettings {
  volume: number;
  muted: boolean;
  rate: number;
}

export interface HostBridge {
  post(message: FromWebview): void;
  loadSettings(): Partial<SavedSettings>;
  saveSettings(settings: SavedSettings): void;
}

function fromApi(api: VsCodeApi): HostBridge {
  return {
    post: message => api.postMessage(message),
    loadSettings() {
      const s = api.getState();
      if (typeof s !== 'object' || s === null) return {};
      const o = s as Record<string, unknown>;
      const out: Partial<SavedSettings> = {};
      if (typeof o.volume === 'number' && o.volume >= 0 && o.volume <= 1) out.volume = o.volume;
      if (typeof o.muted === 'boolean') out.muted = o.muted;
      if (typeof o.rate === 'number' && o.rate >= 0.5 && o.rate <= 2) out.rate = o.rate;
      return out;
    },
    saveSettings: settings => api.setState(settings),
  };
}

/** The host bridge, or a silent stand-in when the page runs outside a webview (opened directly). */
export function connectToHost(): HostBridge {
  if (typeof acquireVsCodeApi === 'function') return fromApi(acquireVsCodeApi());
  return { post: () => undefined, loadSettings: () => ({}), saveSettings: () => undefined };
}
