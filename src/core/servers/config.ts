// The server profiles of a workspace as the CLI reads them: the text of a `.vscode/settings.json` (JSON with
// comments and trailing commas, as VS Code writes it) → what readProfiles takes. Pure: the file is found and read
// by the caller (src/cli/profiles.ts). No vscode import.
import type { ProfilesInput } from './profiles';

/** JSON with `//` and block comments and trailing commas (VS Code's settings files): the value, or what is wrong. */
export function parseJsonc(text: string): { value: unknown } | { error: string } {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '"') {
      // A string, copied as it is (escapes included), so comment marks inside it stay.
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return { error: 'a comment is not closed' };
      out += ' ';
      i = end + 2;
    } else {
      out += c;
      i++;
    }
  }
  // Trailing commas: a comma followed (after blanks) by } or ]. Strings are intact, so look past them.
  const noTrailing = out.replace(/("(?:[^"\\]|\\.)*")|,(\s*[}\]])/g, (whole, str: string | undefined, close: string | undefined) => str ?? close ?? whole);
  if (!noTrailing.trim()) return { value: {} };
  try {
    return { value: JSON.parse(noTrailing) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/**
 * The profiles' input from a settings file's text: `acestep.servers` and `acestep.serverUrl` (else `fallbackUrl`);
 * `baseDir`: the workspace folder (relative compose folders start there). Problems in words, never a throw.
 */
export function profilesFromSettings(text: string, fallbackUrl: string, baseDir?: string): { input: ProfilesInput; problems: string[] } {
  const parsed = parseJsonc(text.replace(/^\uFEFF/, ''));
  const base: ProfilesInput = { servers: [], defaultUrl: fallbackUrl, ...(baseDir ? { baseDir } : {}) };
  if ('error' in parsed) return { input: base, problems: [`the settings file is not valid JSON (${parsed.error}); its servers are not used.`] };
  const v = parsed.value;
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { input: base, problems: ['the settings file is not a JSON object; its servers are not used.'] };
  const o = v as Record<string, unknown>;
  const problems: string[] = [];
  const url = o['acestep.serverUrl'];
  if (url !== undefined && (typeof url !== 'string' || !url.trim())) problems.push('acestep.serverUrl must be a URL; the default is used.');
  return {
    input: { ...base, servers: o['acestep.servers'] ?? [], ...(typeof url === 'string' && url.trim() ? { defaultUrl: url.trim() } : {}) },
    problems,
  };
}
