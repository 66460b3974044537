// The server profiles as the CLI finds them: in a workspace's .vscode/settings.json, the file the extension's
// settings live in, so one list serves both. VS Code writes that file as JSONC (comments, trailing commas).
// No vscode import; the file is found in src/cli/profiles.ts.

/** The JSONC text without comments and trailing commas (strings are kept as they are). */
function stripJsonc(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
      out += ' ';
    } else if (c === ',' && closesNext(text, i + 1)) {
      // a trailing comma: dropped
    } else out += c;
  }
  return out;
}

const CLOSES = /(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*[}\]]/y;

/** Whether only blanks and comments stand between `from` and a closing bracket. */
function closesNext(text: string, from: number): boolean {
  CLOSES.lastIndex = from;
  return CLOSES.test(text);
}

/**
 * `acestep.servers` and `acestep.serverUrl` of a settings file's text. `baseDir` is where the file's relative
 * compose folders start (the workspace folder); it is passed on to readProfiles by the caller.
 */
export function parseSettingsText(text: string, baseDir: string): { servers: unknown; serverUrl?: string; problems: string[] } {
  void baseDir;
  let settings: unknown;
  try {
    settings = JSON.parse(stripJsonc(text.replace(/^\uFEFF/, '')) || '{}');
  } catch {
    return { servers: undefined, problems: ['the settings file is not valid JSON (with comments)'] };
  }
  if (!settings || typeof settings !== 'object' || Array.isArray(settings)) return { servers: undefined, problems: ['the settings file does not hold an object'] };
  const s = settings as Record<string, unknown>;
  const url = s['acestep.serverUrl'];
  return { servers: s['acestep.servers'], ...(typeof url === 'string' && url.trim() ? { serverUrl: url.trim() } : {}), problems: [] };
}
