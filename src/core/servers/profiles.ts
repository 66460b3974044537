// Server profiles: the named ACE-Step servers a user renders on (`acestep.servers`), read the same way by the
// extension (from its settings) and the CLI (from the workspace's .vscode/settings.json, config.ts). No vscode import.
//
// The single URL of the first release (`acestep.serverUrl`, or the Docker setup's server) is always the profile
// named "default", so existing settings keep working; an entry named "default" in `acestep.servers` changes it
// (e.g. disables it). Keys never live here: each profile's key is in secret storage under secretKeyName(name),
// and in a terminal in the environment variable envKeyName(name).
import { msg } from '../l10n';
import { chatUrlOf, isChatUrl } from '../api/chat-url';
import { withoutCredentials } from '../util/server-text';

/** 'acestep': an ACE-Step REST server (W, S, U or G, detected); 'chat': an OpenAI-style /v1/chat/completions endpoint (hosted). */
export type ServerKind = 'acestep' | 'chat';

export interface ServerProfile {
  /** Unique, 1–40 of letters, digits, `.`, `_`, `-`; what songs (`server:`) and `--servers` name. */
  name: string;
  /** Without credentials and trailing slashes. */
  url: string;
  kind: ServerKind;
  /** The Docker compose project that runs it (folder holding compose file and .env), when there is one. */
  compose?: { folder: string; service?: string };
  /** Disabled profiles are shown but get no jobs. */
  enabled: boolean;
  /** The profile made from the single URL (acestep.serverUrl / the Docker setup), or the named one at its address. */
  isDefault: boolean;
}

export const DEFAULT_PROFILE = 'default';

const NAME = /^[A-Za-z0-9._-]{1,40}$/;

/**
 * A hosted endpoint is reached at its route, and a URL that names the route is a hosted endpoint: the URL and the
 * kind agree, so everything after reads the kind off either.
 */
function chatAware(url: string, kind: ServerKind): { url: string; kind: ServerKind } {
  return kind === 'chat' || isChatUrl(url) ? { url: chatUrlOf(url), kind: 'chat' } : { url, kind };
}

/** The URL as profiles keep it: trimmed, without user and password, without trailing slashes. */
export const cleanServerUrl = (url: string): string => withoutCredentials(url.trim()).replace(/\/+$/, '');

/** Whether a server URL can be used: http or https. */
export function validUrl(url: string): boolean {
  try {
    const u = new URL(url.trim());
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

export interface ProfilesInput {
  /** The value of `acestep.servers` (anything: it is checked here). */
  servers: unknown;
  /** The URL of the default profile (acestep.serverUrl, else the Docker setup's, else the default). */
  defaultUrl: string;
  /** Relative compose folders are taken from here (the workspace folder or the settings file's folder). */
  baseDir?: string;
}

export interface Profiles {
  /** The default profile first (left out when a listed one has its address), then the listed ones in their order. */
  profiles: ServerProfile[];
  /** What was wrong in the setting, one sentence each (the entry is skipped). */
  problems: string[];
}

/** Reads `acestep.servers` beside the default URL. Bad entries are skipped with a sentence in `problems`. */
export function readProfiles(input: ProfilesInput): Profiles {
  const problems: string[] = [];
  const base: ServerProfile = { name: DEFAULT_PROFILE, ...chatAware(cleanServerUrl(input.defaultUrl), 'acestep'), enabled: true, isDefault: true };
  const listed: ServerProfile[] = [];
  const raw = input.servers ?? [];
  if (!Array.isArray(raw)) {
    problems.push(msg('acestep.servers must be a list of servers ({ "name": …, "url": … }).'));
    return { profiles: [base], problems };
  }
  const seen = new Set<string>();
  raw.forEach((entry: unknown, i: number) => {
    const where = `acestep.servers[${i}]`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) { problems.push(msg('{0} is not an object; skipped.', where)); return; }
    const e = entry as Record<string, unknown>;
    const name = typeof e.name === 'string' ? e.name.trim() : '';
    if (!NAME.test(name)) { problems.push(msg('{0}: the name must be 1–40 letters, digits, ".", "_" or "-"; skipped.', where)); return; }
    const key = name.toLowerCase();
    if (seen.has(key)) { problems.push(msg('{0}: the name "{1}" is used twice; skipped.', where, name)); return; }
    const enabled = e.enabled === undefined ? true : e.enabled === true;
    if (key === DEFAULT_PROFILE) {
      // Changes the default profile: its URL (when given), enabled, compose.
      seen.add(key);
      if (typeof e.url === 'string' && e.url.trim()) {
        const url = cleanServerUrl(e.url);
        if (!validUrl(url)) { problems.push(msg('{0}: "{1}" needs an http(s) URL; skipped.', where, name)); return; }
        Object.assign(base, chatAware(url, 'acestep'));
      }
      base.enabled = enabled;
      const compose = composeOf(e, input.baseDir);
      if (compose) base.compose = compose;
      return;
    }
    const url = typeof e.url === 'string' ? cleanServerUrl(e.url) : '';
    if (!validUrl(url)) { problems.push(msg('{0}: "{1}" needs an http(s) URL; skipped.', where, name)); return; }
    const kind = e.kind === undefined || e.kind === 'acestep' ? 'acestep' : e.kind === 'chat' ? 'chat' : undefined;
    if (!kind) { problems.push(msg('{0}: kind must be "acestep" or "chat"; skipped.', where)); return; }
    seen.add(key);
    // A hosted endpoint is reached at its route: a base URL gets the route's path (what the URL says is what is used).
    const p: ServerProfile = { name, ...chatAware(url, kind), enabled, isDefault: false };
    const compose = composeOf(e, input.baseDir);
    if (compose) p.compose = compose;
    listed.push(p);
  });
  // A named server at the default's address stands for it (a Docker setup for several GPUs names its first
  // service "gpu0" at the port the default URL also points to): one server is listed, and given jobs, once.
  const defaultNamed = raw.some((e: unknown) => !!e && typeof e === 'object' && String((e as { name?: unknown }).name ?? '').trim().toLowerCase() === DEFAULT_PROFILE);
  const standIn = defaultNamed ? undefined : listed.find(p => p.url === base.url);
  if (standIn) {
    standIn.isDefault = true;
    return { profiles: listed, problems };
  }
  return { profiles: [base, ...listed], problems };
}

function composeOf(e: Record<string, unknown>, baseDir: string | undefined): ServerProfile['compose'] {
  const folder = typeof e.composeDirectory === 'string' ? e.composeDirectory.trim() : '';
  if (!folder) return undefined;
  const abs = baseDir && !/^([A-Za-z]:)?[\\/]/.test(folder) ? `${baseDir.replace(/[\\/]+$/, '')}/${folder}` : folder;
  const service = typeof e.composeService === 'string' && e.composeService.trim() ? e.composeService.trim() : undefined;
  return service ? { folder: abs, service } : { folder: abs };
}

/** The profile by name (case-insensitive). */
export function profileNamed(profiles: readonly ServerProfile[], name: string): ServerProfile | undefined {
  const n = name.trim().toLowerCase();
  return profiles.find(p => p.name.toLowerCase() === n);
}

/** The secret-storage key of a profile's API key (the default profile keeps the first release's key). */
export function secretKeyName(profile: string): string {
  return profile.toLowerCase() === DEFAULT_PROFILE ? 'acestep.apiKey' : `acestep.apiKey.${profile}`;
}

/** The environment variable that carries a profile's key in a terminal: ACESTEP_API_KEY, ACESTEP_API_KEY_GPU1… */
export function envKeyName(profile: string): string {
  return profile.toLowerCase() === DEFAULT_PROFILE ? 'ACESTEP_API_KEY' : `ACESTEP_API_KEY_${profile.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * `--servers NAME-OR-URL,…`: each part a profile name, or a URL as it is (an unnamed profile named after its
 * host and port). Problems name the parts that are neither.
 */
export function pickServers(spec: string, profiles: readonly ServerProfile[]): { servers: ServerProfile[]; problems: string[] } {
  const servers: ServerProfile[] = [];
  const problems: string[] = [];
  for (const part of spec.split(',').map(s => s.trim()).filter(Boolean)) {
    const named = profileNamed(profiles, part);
    let p: ServerProfile | undefined = named;
    if (!p && /^https?:\/\//i.test(part)) {
      const url = cleanServerUrl(part);
      if (validUrl(url)) {
        const u = new URL(url);
        p = profiles.find(q => q.url === url) ?? { name: u.host, ...chatAware(url, 'acestep'), enabled: true, isDefault: false };
      }
    }
    if (!p) { problems.push(`"${part}" is neither a server profile nor an http(s) URL`); continue; }
    if (!servers.some(s => s.url === p!.url)) servers.push(p);
  }
  if (!servers.length && !problems.length) problems.push('no server named');
  return { servers, problems };
}

/** The profiles that get jobs. */
export const enabledProfiles = (profiles: readonly ServerProfile[]): ServerProfile[] => profiles.filter(p => p.enabled);
