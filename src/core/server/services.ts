// The ACE-Step services of a compose project and where each one's mode lives in .env.
//
// A project made for one GPU has the service `acestep`, whose mode is ACESTEP_MODE in .env (the wrapper's way).
// A project made for several GPUs has `acestep-gpu0`, `acestep-gpu1`…: all read the same .env, and each passes
// its own key to the container (`ACESTEP_MODE: "${ACESTEP_MODE_GPU1:-gradio}"` in its environment), so one
// service's mode changes by editing one value in .env. That key is read from the compose file, not guessed from
// the service name: a project written by hand that maps its own key works the same way.
import { parse as parseYaml } from 'yaml';
import { parseEnv } from './env-file';
import { chainLookup, interpolate } from './interpolate';
import { ACESTEP_SERVICE, MODE_KEY, type AcestepMode } from './types';

/** Services named `acestep` or `acestep-…`, in the file's order. */
export function acestepServicesIn(yamlText: string): string[] {
  return servicesOf(yamlText).filter(isAcestepServiceName);
}

export function isAcestepServiceName(name: string): boolean {
  return name === ACESTEP_SERVICE || /^acestep-[\w.-]+$/.test(name);
}

function servicesOf(yamlText: string): string[] {
  const services = docOf(yamlText)?.services;
  return services && typeof services === 'object' && !Array.isArray(services) ? Object.keys(services) : [];
}

interface ComposeDoc { services?: Record<string, { environment?: unknown } | null> }

function docOf(yamlText: string): ComposeDoc | undefined {
  try {
    const doc = parseYaml(yamlText) as unknown;
    return doc && typeof doc === 'object' ? (doc as ComposeDoc) : undefined;
  } catch {
    return undefined;
  }
}

/** The raw (not interpolated) ACESTEP_MODE the compose file gives the service's container, if it gives one. */
function rawModeEntry(yamlText: string, service: string): string | undefined {
  const env = docOf(yamlText)?.services?.[service]?.environment;
  if (Array.isArray(env)) {
    const e = env.map(String).find(x => x === MODE_KEY || x.startsWith(`${MODE_KEY}=`));
    return e?.includes('=') ? e.slice(e.indexOf('=') + 1) : undefined;
  }
  if (env && typeof env === 'object') {
    const v = (env as Record<string, unknown>)[MODE_KEY];
    return v === null || v === undefined ? undefined : String(v);
  }
  return undefined;
}

const VARIABLE = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::?-[^}]*)?\}?$/;

/**
 * The .env key that sets the service's mode: the variable its ACESTEP_MODE is taken from
 * (`${ACESTEP_MODE_GPU1:-gradio}` → ACESTEP_MODE_GPU1), else ACESTEP_MODE (env_file passes it as it is).
 */
export function modeKeyOf(yamlText: string, service = ACESTEP_SERVICE): string {
  const raw = rawModeEntry(yamlText, service)?.trim();
  const m = raw === undefined ? undefined : VARIABLE.exec(raw);
  return m ? m[1]! : MODE_KEY;
}

/**
 * The mode the service's next start runs, from the compose file and the .env text: the .env key modeKeyOf names,
 * with the compose file's default when .env does not set it. (A compose file that fixes the mode itself is
 * reported by the mode switch, not hidden here.)
 */
export function configuredModeOf(yamlText: string, envText: string, service = ACESTEP_SERVICE): AcestepMode {
  const dotenv = parseEnv(envText);
  const raw = rawModeEntry(yamlText, service)?.trim();
  let value = dotenv[MODE_KEY];
  if (raw !== undefined && VARIABLE.test(raw)) {
    try { value = interpolate(raw, chainLookup(dotenv)); } catch { /* keep ACESTEP_MODE */ }
  }
  return value === 'api' ? 'api' : 'gradio';
}
