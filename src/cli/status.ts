// acestep-song status [--server URL | --servers A,B | --all-servers] [--config FILE] [--json]
// What the ACE-Step server is: flavour, version, models, whether the 5 Hz LM is loaded, the queue and the
// average job time. One server: --server, else $ACESTEP_URL, else http://localhost:8501, the key from
// $ACESTEP_API_KEY. Several: profile names (or URLs) from the workspace's settings (profiles.ts), each with its
// own key, all asked at once (status-table.ts). Exit: 0 every server answered, 1 one did not / error, 2 usage error.
import { capabilitiesOf, limitsOf, lmState, serverKindLabel } from '../core/api';
import { enabledProfiles, pickServers, readProfiles, validUrl, type ServerProfile } from '../core/servers/profiles';
import { checkServerStatus, checkServers, type ServerStatus } from '../core/servers/status';
import { usageLine, type CliIO } from './io';
import { parseArgs } from './args';
import { keyFor, loadProfiles } from './profiles';
import { serverUrlFor } from './server-url';
import { statusJson, statusTable } from './status-table';

const USAGE = `usage: acestep-song status [--server URL | --servers NAME-OR-URL,… | --all-servers] [--config FILE] [--json]

What the ACE-Step server is: its generation (flavour), version, models, whether the 5 Hz LM is loaded, the queue
and the average job time. With --servers or --all-servers: one line per server, all asked at once. Exit 1 when a
server does not answer.

options:
  --server URL      the server (default: $ACESTEP_URL, else http://localhost:8501); the key comes from $ACESTEP_API_KEY;
                    a URL ending in /v1/chat/completions is a hosted (OpenAI-style) endpoint, asked without generating
  --servers LIST    server profiles by name (acestep.servers in .vscode/settings.json) or URLs, comma-separated;
                    each profile's key comes from $ACESTEP_API_KEY_<NAME> ($ACESTEP_API_KEY for "default")
  --all-servers     every enabled server profile
  --config FILE     the settings file with the profiles (default: the nearest .vscode/settings.json upwards);
                    given alone, like --all-servers
  --json            print it as JSON (an array with --servers / --all-servers)

examples:
  acestep-song status --server http://localhost:8501 --json
  acestep-song status --all-servers`;

/** How long the one-server report waits for its server (the several-server one uses STATUS_TIMEOUT_MS each). */
const ONE_SERVER_TIMEOUT_MS = 30_000;

export async function run(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) { io.out(USAGE); return 0; }
  const p = parseArgs(args, ['json', 'all-servers'], { server: 'a URL', servers: 'a list of server names or URLs', config: 'a settings file' });
  let problem = typeof p === 'string' ? p : p.words.length ? `unexpected ${p.words[0]}` : undefined;
  if (!problem && typeof p !== 'string' && [p.values.server, p.values.servers, p.flags.has('all-servers') || undefined].filter(Boolean).length > 1) {
    problem = 'give one of --server, --servers and --all-servers';
  }
  if (typeof p === 'string' || problem) { io.err(`acestep-song status: ${problem}\n${usageLine(USAGE)}`); return 2; }
  const json = p.flags.has('json');
  if (p.values.servers || p.flags.has('all-servers') || p.values.config) return several(io, json, p.values.servers, p.values.config);

  const url = serverUrlFor(p.values.server, io, 'status');
  if (!validUrl(url)) { io.err(`acestep-song status: "${url}" is not a valid server URL (expected e.g. http://localhost:8501)`); return 2; }
  const [profile] = readProfiles({ servers: [], defaultUrl: url }).profiles;
  const apiKey = io.env.ACESTEP_API_KEY || undefined;
  const s = await checkServerStatus(profile, { ...(apiKey ? { apiKey } : {}), timeoutMs: ONE_SERVER_TIMEOUT_MS });
  if (!s.up || !s.info) {
    if (json) io.out(JSON.stringify(statusJson(s), null, 2));
    io.err(`acestep-song status: ${s.error?.message ?? 'no answer'}`);
    return 1;
  }
  if (json) { io.out(JSON.stringify(statusJson(s), null, 2)); return 0; }
  for (const [k, v] of detailRows(s)) io.out(`${k.padEnd(13)}${v}`);
  return 0;
}

/** --servers / --all-servers: every server asked at once; a table, or a JSON array. */
async function several(io: CliIO, json: boolean, spec: string | undefined, config: string | undefined): Promise<number> {
  const loaded = await loadProfiles(io, config);
  if (loaded.fatal) { io.err(`acestep-song status: ${loaded.fatal}`); return 2; }
  const { profiles, problems } = loaded;
  for (const problem of problems) io.err(`acestep-song status: ${problem}`);
  let chosen: ServerProfile[];
  if (spec) {
    const picked = pickServers(spec, profiles);
    if (picked.problems.length) { io.err(`acestep-song status: ${picked.problems.join('; ')}`); return 2; }
    chosen = picked.servers;
  } else chosen = enabledProfiles(profiles);
  // A profile's key goes only to its own server; a URL given as it is gets $ACESTEP_API_KEY, as --server does.
  const key = keyFor(io, profiles, chosen.filter(c => !profiles.includes(c)));
  const statuses: ServerStatus[] = await checkServers(chosen, profile => key(profile.url));
  if (json) io.out(JSON.stringify(statuses.map(statusJson), null, 2));
  else for (const line of statusTable(statuses)) io.out(line);
  return statuses.every(s => s.up !== false) ? 0 : 1;
}

/** The one-server report, one row per fact. */
function detailRows(s: ServerStatus): [string, string][] {
  const info = s.info!;
  const lm = { 'loaded': `yes${info.lmModel ? ` (${info.lmModel})` : ''}`, 'not-loaded': 'no', 'loads-on-first-job': 'not yet (models load on the first job)', 'unreported': 'unknown (this server does not say)' }[lmState(info)];
  const models = info.models.length
    ? info.models.map(m => `${m.name}${m.isDefault || m.name === info.defaultModel ? ' (default)' : ''}`).join(', ')
    : info.authRequired ? 'unknown (needs ACESTEP_API_KEY)' : 'none listed';
  const rows: [string, string][] = [
    ['server', s.profile.url],
    ['flavour', `${info.flavour} (${serverKindLabel(info.flavour)})`],
    ['service', `${info.service} ${info.version}`.trim()],
    ['models', models],
    ['LM loaded', lm],
  ];
  if (info.modelsInitialized !== undefined) rows.push(['DiT loaded', info.modelsInitialized ? 'yes' : 'no (the first job loads it; that takes a while)']);
  // Issue 13: say where seeds do nothing and where editing cannot work, before a user counts on it.
  rows.push(['seeds', capabilitiesOf(info.flavour).seedsHonoured ? 'honoured (seed with use_random_seed: false makes a take again)' : 'ignored (every take gets a random seed)']);
  const { editing } = limitsOf(info.flavour);
  if (editing) rows.push(['editing', editing]);
  const stats = s.stats;
  if (stats) {
    rows.push(['queue', `${stats.jobs.queued} queued, ${stats.jobs.running} running (queue ${stats.queueSize}/${stats.queueMaxsize})`]);
    rows.push(['jobs', `${stats.jobs.succeeded} succeeded, ${stats.jobs.failed} failed since start`]);
    rows.push(['avg job time', `${stats.avgJobSeconds.toFixed(1)} s`]);
  } else if (!info.hasStats) {
    rows.push(['queue', 'not reported (no /v1/stats on this flavour)']);
  } else if (s.statsError) {
    rows.push(['queue', `unavailable: ${s.statsError}`]);
  }
  return rows;
}
