// Style adapters (LoRA) on the server: /v1/lora/status, load, unload, toggle and scale, which only current
// upstream servers have (capabilities: lora). Elsewhere the call is refused before it is sent, naming the
// server kind. The adapter path is a path on the SERVER's machine. No vscode import.
import { capabilitiesOf, serverKindLabel } from './capabilities';
import { softError } from './classify';
import { AceStepError } from './errors';
import { isObj } from './parse';
import type { CallOptions, Transport } from './transport';
import type { Flavour } from './types';
import { msg } from '../l10n';

export interface LoraStatus {
  /** An adapter is loaded. */
  loaded: boolean;
  /** The loaded adapter is used for generation (toggle). */
  active: boolean;
  scale: number;
  adapterType: string | null;
  adapters: string[];
  scales: Record<string, number>;
  activeAdapter: string | null;
}

export interface LoraCallOptions extends CallOptions {
  /** The server generation, as detectFlavour() found it: servers without the routes are refused here. */
  flavour: Flavour;
}

/** The highest scale the server accepts (its request model checks 0 ≤ scale ≤ 1). */
export const LORA_MAX_SCALE = 1;

/** Why this server cannot take style adapters, or undefined when it can. */
export function loraRefusal(flavour: Flavour): string | undefined {
  if (capabilitiesOf(flavour).lora) return undefined;
  return msg('The {0} has no style adapter (LoRA) routes: LoRA needs a current upstream ACE-Step server (its standalone API, acestep-api).', serverKindLabel(flavour));
}

function refuse(flavour: Flavour, endpoint: string): void {
  const why = loraRefusal(flavour);
  if (why) throw new AceStepError('not-found', why, { endpoint });
}

async function call(t: Transport, endpoint: string, opts: LoraCallOptions, body?: Record<string, unknown>): Promise<unknown> {
  refuse(opts.flavour, endpoint);
  const env = body === undefined && endpoint.endsWith('/status')
    ? await t.enveloped('GET', endpoint, opts, t.timeouts.requestMs)
    : await t.enveloped('POST', endpoint, opts, t.timeouts.formatInputMs, { json: body ?? {} }, false);
  if (env.code !== 200) throw softError(t, endpoint, env);
  return env.data;
}

const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
const str = (v: unknown) => (typeof v === 'string' ? v : null);

export async function loraStatus(t: Transport, opts: LoraCallOptions): Promise<LoraStatus> {
  const d = await call(t, '/v1/lora/status', opts);
  const o = isObj(d) ? d : {};
  const scales: Record<string, number> = {};
  if (isObj(o.scales)) for (const [k, v] of Object.entries(o.scales)) if (typeof v === 'number' && Number.isFinite(v)) scales[k] = v;
  return {
    loaded: o.lora_loaded === true,
    active: o.use_lora === true,
    scale: num(o.lora_scale, 1),
    adapterType: str(o.adapter_type),
    adapters: Array.isArray(o.adapters) ? o.adapters.filter((a): a is string => typeof a === 'string') : [],
    scales,
    activeAdapter: str(o.active_adapter),
  };
}

/** Loads an adapter (replacing the loaded one); the server's message on success. */
export async function loraLoad(t: Transport, lora: { path: string; adapterName?: string }, opts: LoraCallOptions): Promise<string> {
  const body: Record<string, unknown> = { lora_path: lora.path };
  if (lora.adapterName) body.adapter_name = lora.adapterName;
  return messageOf(await call(t, '/v1/lora/load', opts, body));
}

export async function loraUnload(t: Transport, opts: LoraCallOptions): Promise<string> {
  return messageOf(await call(t, '/v1/lora/unload', opts, {}));
}

export async function loraToggle(t: Transport, use: boolean, opts: LoraCallOptions): Promise<string> {
  return messageOf(await call(t, '/v1/lora/toggle', opts, { use_lora: use }));
}

export async function loraScale(t: Transport, scale: number, opts: LoraCallOptions, adapterName?: string): Promise<string> {
  if (!(scale >= 0 && scale <= LORA_MAX_SCALE)) {
    throw new AceStepError('bad-request', msg('The LoRA scale must be between 0 and {0} (got {1}).', LORA_MAX_SCALE, scale), { endpoint: '/v1/lora/scale' });
  }
  const body: Record<string, unknown> = { scale };
  if (adapterName) body.adapter_name = adapterName;
  return messageOf(await call(t, '/v1/lora/scale', opts, body));
}

function messageOf(d: unknown): string {
  return isObj(d) && typeof d.message === 'string' ? d.message : '';
}
