// acestep-song status [--server URL] [--json]
// What the ACE-Step server is: flavour, version, models, whether the 5 Hz LM is loaded, the queue and the
// average job time. The server comes from --server, else $ACESTEP_URL, else http://localhost:8501;
// the key from $ACESTEP_API_KEY. Exit: 0 reachable, 1 not reachable / error, 2 usage error.
import { AceStepClient, AceStepError, capabilitiesOf, limitsOf, serverKindLabel, type ServerInfo, type ServerStats } from '../core/api';
import { usageLine, type CliIO } from './io';
import { parseArgs } from './args';
import { serverUrlFor } from './server-url';

const USAGE = `usage: acestep-song status [--server URL] [--json]

What the ACE-Step server is: its generation (flavour), version, models, whether the 5 Hz LM is loaded, the queue
and the average job time. Exit 1 when it does not answer.

options:
  --server URL   the server (default: $ACESTEP_URL, else http://localhost:8501); the key comes from $ACESTEP_API_KEY.
                 A URL ending in /v1/chat/completions is a hosted (OpenAI-style) endpoint: asked without generating
  --json         print it as JSON

example:
  acestep-song status --server http://localhost:8501 --json`;

export async function run(args: string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) { io.out(USAGE); return 0; }
  const p = parseArgs(args, ['json'], { server: 'a URL' });
  const problem = typeof p === 'string' ? p : p.words.length ? `unexpected ${p.words[0]}` : undefined;
  if (typeof p === 'string' || problem) { io.err(`acestep-song status: ${problem}\n${usageLine(USAGE)}`); return 2; }
  const json = p.flags.has('json');
  const server = p.values.server;
  const url = serverUrlFor(server, io, 'status');
  let client: AceStepClient;
  try {
    client = new AceStepClient({ baseUrl: url, apiKey: io.env.ACESTEP_API_KEY || undefined });
  } catch (e) {
    io.err(`acestep-song status: ${(e as Error).message}`);
    return 2;
  }
  let info: ServerInfo;
  let stats: ServerStats | null = null;
  let statsError: string | undefined;
  try {
    info = await client.detectFlavour();
    if (info.hasStats) {
      try {
        stats = await client.stats();
      } catch (e) {
        statsError = e instanceof AceStepError ? e.message : String(e);
      }
    }
  } catch (e) {
    await client.close();
    const err = e instanceof AceStepError ? e : new AceStepError('unreachable', String(e));
    if (json) io.out(JSON.stringify({ server: client.baseUrl, reachable: false, error: err.toJSON() }, null, 2));
    io.err(`acestep-song status: ${err.message}`);
    return 1;
  }
  await client.close();
  if (json) {
    io.out(JSON.stringify({
      server: client.baseUrl,
      reachable: true,
      flavour: info.flavour,
      flavour_label: serverKindLabel(info.flavour),
      service: info.service,
      version: info.version,
      models: info.models,
      default_model: info.defaultModel,
      lm_loaded: info.lmLoaded ?? null,
      lm_model: info.lmModel ?? null,
      models_initialized: info.modelsInitialized ?? null,
      auth_required: info.authRequired ?? false,
      stats,
      ...(statsError ? { stats_error: statsError } : {}),
    }, null, 2));
    return 0;
  }
  const lm = info.lmLoaded === undefined
    ? (capabilitiesOf(info.flavour).lazyModelLoad && info.modelsInitialized === false ? 'not yet (models load on the first job)' : 'unknown (this server does not say)')
    : info.lmLoaded ? `yes${info.lmModel ? ` (${info.lmModel})` : ''}` : 'no';
  const models = info.models.length
    ? info.models.map(m => `${m.name}${m.isDefault || m.name === info.defaultModel ? ' (default)' : ''}`).join(', ')
    : info.authRequired ? 'unknown (needs ACESTEP_API_KEY)' : 'none listed';
  const rows: [string, string][] = [
    ['server', client.baseUrl],
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
  if (stats) {
    rows.push(['queue', `${stats.jobs.queued} queued, ${stats.jobs.running} running (queue ${stats.queueSize}/${stats.queueMaxsize})`]);
    rows.push(['jobs', `${stats.jobs.succeeded} succeeded, ${stats.jobs.failed} failed since start`]);
    rows.push(['avg job time', `${stats.avgJobSeconds.toFixed(1)} s`]);
  } else if (!info.hasStats) {
    rows.push(['queue', 'not reported (no /v1/stats on this flavour)']);
  } else if (statsError) {
    rows.push(['queue', `unavailable: ${statsError}`]);
  }
  for (const [k, v] of rows) io.out(`${k.padEnd(13)}${v}`);
  return 0;
}
