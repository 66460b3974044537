// The server profiles a CLI command may name: from --config FILE, else the nearest `.vscode/settings.json` up from
// the working folder (the same settings the extension reads), else just the default server. The parsing is the
// core's (src/core/servers/config.ts, profiles.ts); this file only finds and reads the file. Keys come from the
// environment: ACESTEP_API_KEY for the default profile, ACESTEP_API_KEY_<NAME> for the others (envKeyName).
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { profilesFromSettings } from '../core/servers/config';
import { envKeyName, readProfiles, type ServerProfile } from '../core/servers/profiles';
import { hasCredentials } from '../core/util/server-text';
import type { CliIO } from './io';
import { DEFAULT_SERVER } from './server-url';

/** The nearest `.vscode/settings.json` from `cwd` up to the root, if any. */
export function findSettingsFile(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const file = path.join(dir, '.vscode', 'settings.json');
    if (existsSync(file)) return file;
    if (path.dirname(dir) === dir) return undefined;
  }
}

export interface CliProfiles {
  profiles: ServerProfile[];
  /** Where they came from (a file), if not only the default. */
  source?: string;
  problems: string[];
}

/**
 * The profiles for a command. The default profile's URL: $ACESTEP_URL, else the settings' acestep.serverUrl, else
 * the default. `config`: a settings file given with --config (relative to the working folder); unreadable → a problem.
 */
export async function loadProfiles(io: CliIO, config?: string): Promise<CliProfiles & { fatal?: string }> {
  const file = config ? path.resolve(io.cwd, config) : findSettingsFile(io.cwd);
  let text = '{}';
  if (file) {
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (config) return { profiles: [], problems: [], fatal: `cannot read ${config}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}` };
    }
  }
  // The workspace folder: the parent of .vscode, or the config file's folder.
  const baseDir = file ? (path.basename(path.dirname(file)) === '.vscode' ? path.dirname(path.dirname(file)) : path.dirname(file)) : undefined;
  const { input, problems } = profilesFromSettings(text, DEFAULT_SERVER, baseDir);
  if (io.env.ACESTEP_URL) input.defaultUrl = io.env.ACESTEP_URL;
  const read = readProfiles(input);
  const all = [...problems, ...read.problems].map(p => (file ? `${path.relative(io.cwd, file) || file}: ${p}` : p));
  const rawUrls = [input.defaultUrl, ...(Array.isArray(input.servers) ? input.servers.map(e => (e as { url?: unknown } | null)?.url) : [])];
  if (rawUrls.some(u => typeof u === 'string' && hasCredentials(u))) all.push('a user and password in a server URL are not used (an ACE-Step server takes an API key): set its ACESTEP_API_KEY… variable instead.');
  return { profiles: read.profiles, ...(file ? { source: file } : {}), problems: all };
}

/**
 * The key for a server URL: the environment variable of the profile with that URL (ACESTEP_API_KEY for the default,
 * ACESTEP_API_KEY_GPU1 for gpu1); a URL given as it is on the command line gets ACESTEP_API_KEY, as
 * `generate --server` always did. Each key goes only to its own server.
 */
export function keyFor(io: CliIO, named: readonly ServerProfile[], adHoc: readonly ServerProfile[]): (url: string) => string | undefined {
  return url => {
    const p = named.find(x => x.url === url);
    if (p) return io.env[envKeyName(p.name)] || undefined;
    return adHoc.some(x => x.url === url) ? io.env.ACESTEP_API_KEY || undefined : undefined;
  };
}
