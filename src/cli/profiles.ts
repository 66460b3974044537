// The server profiles a CLI command can name: the `acestep.servers` of the workspace's .vscode/settings.json (the
// nearest one up from the current folder, or --config FILE), beside the default profile. The default profile's URL
// is $ACESTEP_URL, else the file's acestep.serverUrl, else http://localhost:8501 (a command's own --server wins
// over all of them and is applied by the command). Keys come from the environment: envKeyName(profile).
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseSettingsText } from '../core/servers/config';
import { envKeyName, readProfiles, type ServerProfile } from '../core/servers/profiles';
import { errorMessage } from '../core/util/error-message';
import type { CliIO } from './io';
import { DEFAULT_SERVER } from './server-url';

/** The nearest .vscode/settings.json from `dir` upwards; undefined when there is none. */
export function findSettingsFile(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const file = path.join(d, '.vscode', 'settings.json');
    if (existsSync(file)) return file;
    if (path.dirname(d) === d) return undefined;
  }
}

/** The folder a settings file belongs to: the workspace folder for .vscode/settings.json, else its own folder. */
function baseDirOf(file: string): string {
  const dir = path.dirname(file);
  return path.basename(dir) === '.vscode' ? path.dirname(dir) : dir;
}

export async function loadCliProfiles(io: CliIO, configFlag?: string): Promise<{ profiles: ServerProfile[]; problems: string[] }> {
  const problems: string[] = [];
  const file = configFlag ? path.resolve(io.cwd, configFlag) : findSettingsFile(io.cwd);
  let servers: unknown;
  let fileUrl: string | undefined;
  if (file) {
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      problems.push(`${file}: ${errorMessage(e)}`);
    }
    if (text !== undefined) {
      const parsed = parseSettingsText(text, baseDirOf(file));
      servers = parsed.servers;
      fileUrl = parsed.serverUrl;
      problems.push(...parsed.problems.map(p => `${file}: ${p}`));
    }
  }
  const read = readProfiles({ servers, defaultUrl: io.env.ACESTEP_URL || fileUrl || DEFAULT_SERVER, ...(file ? { baseDir: baseDirOf(file) } : {}) });
  problems.push(...read.problems.map(p => (file ? `${file}: ${p}` : p)));
  return { profiles: read.profiles, problems };
}

/** A profile's key in a terminal ($ACESTEP_API_KEY for the default, $ACESTEP_API_KEY_<NAME> for the others). */
export function cliKeyOf(io: CliIO, profile: ServerProfile): string | undefined {
  return io.env[envKeyName(profile.name)] || undefined;
}
