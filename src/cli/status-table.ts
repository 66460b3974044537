// How `acestep-song status` prints servers: the JSON object of one server (also the items of the --servers array)
// and the table of several, one line each, with why a server did not answer underneath.
import { lmState, serverKindLabel } from '../core/api';
import type { ServerStatus } from '../core/servers/status';
import { lmWords, modelsWords, queueWords } from '../core/servers/status-words';

/** One server as JSON: the profile, whether it answered, and what it is. */
export function statusJson(s: ServerStatus): Record<string, unknown> {
  const base = { name: s.profile.name, kind: s.profile.kind, server: s.profile.url, enabled: s.profile.enabled };
  if (!s.up || !s.info) return { ...base, reachable: false, error: s.error?.toJSON() ?? { kind: 'unreachable', message: 'no answer' } };
  const info = s.info;
  return {
    ...base,
    reachable: true,
    flavour: info.flavour,
    flavour_label: serverKindLabel(info.flavour),
    service: info.service,
    version: info.version,
    models: info.models,
    default_model: info.defaultModel,
    lm_state: lmState(info),
    lm_loaded: info.lmLoaded ?? null,
    lm_model: info.lmModel ?? null,
    models_initialized: info.modelsInitialized ?? null,
    auth_required: info.authRequired ?? false,
    stats: s.stats ?? null,
    ...(s.statsError ? { stats_error: s.statsError } : {}),
  };
}

/** The table of several servers: a header, one line per server, then why each server that is down is down. */
export function statusTable(statuses: readonly ServerStatus[]): string[] {
  const rows = statuses.map(s => {
    const info = s.info;
    if (!s.up || !info) return [s.profile.name, 'down', '-', '-', '-', '-', s.profile.url];
    return [s.profile.name + (s.profile.enabled ? '' : ' (disabled)'), 'up', serverKindLabel(info.flavour), modelsWords(info), lmWords(info), queueWords(s), s.profile.url];
  });
  const header = ['SERVER', 'STATE', 'KIND', 'MODELS', 'LM', 'QUEUE', 'URL'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const why = statuses.filter(s => s.up === false).map(s => `${s.profile.name}: ${s.error?.message ?? 'no answer'}`);
  return [line(header), ...rows.map(line), ...(why.length ? ['', ...why] : [])];
}
