// Where a hosted chat completions endpoint answers: the one decision whether a URL names that route, kept apart from
// the call itself (chat.ts) so that server profiles, read at activation, can ask it without loading the HTTP client.
// No vscode import.

export const CHAT_PATH = '/v1/chat/completions';

/** Whether a URL is a chat completions endpoint itself (its path ends in /v1/chat/completions). */
export function isChatUrl(url: string): boolean {
  try {
    return new URL(url).pathname.replace(/\/+$/, '').endsWith(CHAT_PATH);
  } catch {
    return false;
  }
}

/** The chat completions URL of a server: the URL itself when it names the route, else the route under it. */
export const chatUrlOf = (baseUrl: string): string => (isChatUrl(baseUrl) ? baseUrl.replace(/\/+$/, '') : baseUrl.replace(/\/+$/, '') + CHAT_PATH);
