// Which ACE-Step server generation answers (W, S, U or G), told from /health and the shape of /v1/models,
// with what it has loaded. The endpoints detection needs live here too; the client exposes them.
import { capabilitiesOf } from './capabilities';
import { CHAT_PATH, chatUrlOf, isChatUrl } from './chat';
import { httpError } from './classify';
import { AceStepError } from './errors';
import { parseHealth, parseInventory, parseModels } from './parse';
import type { Transport, CallOptions } from './transport';
import type { HealthInfo, ModelInfo, ModelInventory, ServerInfo } from './types';

export async function health(t: Transport, opts: CallOptions = {}): Promise<HealthInfo> {
  const env = await t.enveloped('GET', '/health', opts, t.timeouts.healthMs);
  return parseHealth(env.data);
}

/** /v1/models as listed, and in which shape (W: wrapped; S, U, G: an OpenAI list). */
export async function listModels(t: Transport, opts: CallOptions = {}, where = '/v1/models'): Promise<ReturnType<typeof parseModels>> {
  return parseModels(await t.json('GET', where, opts, t.timeouts.requestMs), '/v1/models');
}

/** U only (null elsewhere): DiT and LM models with their load state. */
export async function modelInventory(t: Transport, opts: CallOptions = {}): Promise<ModelInventory | null> {
  try {
    const env = await t.enveloped('GET', '/v1/model_inventory', opts, t.timeouts.requestMs);
    return parseInventory(env.data);
  } catch (e) {
    if (e instanceof AceStepError && (e.kind === 'not-found' || (e.kind === 'bad-request' && e.status === 405))) return null;
    throw e;
  }
}

/** Connection trouble and cancellation end detection; other failures of an optional call do not. */
const fatal = (e: unknown): boolean => !(e instanceof AceStepError) || ['cancelled', 'unreachable', 'timeout'].includes(e.kind);

/**
 * Tells the server flavour from /health's `service` (G), U's extra /health fields, then the shape of
 * /v1/models (W: wrapped; S: OpenAI list; open on S/U, so a 401 there also means W).
 */
export async function detectFlavour(t: Transport, opts: CallOptions = {}): Promise<ServerInfo> {
  if (isChatUrl(t.baseUrl)) return detectChat(t, opts);
  const h = await health(t, opts);
  const base = { service: h.service, version: h.version, health: h };
  if (/gradio/i.test(h.service)) return detectG(t, opts, base);
  if (h.modelsInitialized !== undefined || h.llmInitialized !== undefined) return detectU(t, opts, base, h);
  try {
    const m = await listModels(t, opts);
    const flavour = m.shape === 'openai' ? 'S' : 'W';
    return { ...base, flavour, models: m.models, defaultModel: m.defaultModel, hasStats: capabilitiesOf(flavour).stats };
  } catch (e) {
    if (e instanceof AceStepError && e.kind === 'auth') {
      return { ...base, flavour: 'W', models: [], defaultModel: null, hasStats: capabilitiesOf('W').stats, authRequired: true };
    }
    throw e;
  }
}

type Base = Pick<ServerInfo, 'service' | 'version' | 'health'>;

async function detectG(t: Transport, opts: CallOptions, base: Base): Promise<ServerInfo> {
  let models: ModelInfo[] = [];
  let defaultModel: string | null = null;
  let authRequired: boolean | undefined;
  try {
    ({ models, defaultModel } = await listModels(t, opts));
  } catch (e) {
    if (e instanceof AceStepError && e.kind === 'auth') authRequired = true;
    else if (!(e instanceof AceStepError) || !['not-found', 'bad-response'].includes(e.kind)) throw e;
  }
  return { ...base, flavour: 'G', models, defaultModel, hasStats: capabilitiesOf('G').stats, ...(authRequired ? { authRequired } : {}) };
}

async function detectU(t: Transport, opts: CallOptions, base: Base, h: HealthInfo): Promise<ServerInfo> {
  let models: ModelInfo[] = [];
  let defaultModel: string | null = h.loadedModel ?? null;
  let lmModel: string | null = h.loadedLmModel ?? null;
  try {
    const inv = await modelInventory(t, opts);
    if (inv) {
      models = inv.models;
      defaultModel = inv.defaultModel ?? defaultModel;
      lmModel = inv.loadedLmModel ?? lmModel;
    }
  } catch (e) {
    if (fatal(e)) throw e;
  }
  if (!models.length) {
    try {
      ({ models } = await listModels(t, opts));
    } catch (e) {
      if (fatal(e)) throw e;
    }
  }
  return {
    ...base, flavour: 'U', models, defaultModel, hasStats: capabilitiesOf('U').stats,
    // Before its first job U has loaded nothing, the LM included: unknown rather than "not loaded".
    lmLoaded: h.modelsInitialized === false ? undefined : h.llmInitialized,
    lmModel, modelsInitialized: h.modelsInitialized,
  };
}

/**
 * A chat completions endpoint (its URL ends in /v1/chat/completions): no /health to ask, and nothing is generated
 * to find out. A GET of the route answers 405 where it exists (FastAPI answers a route's wrong method before any
 * key check) and 404 where it does not; the models come from the /v1/models beside it when there is one.
 */
export async function detectChat(t: Transport, opts: CallOptions = {}): Promise<ServerInfo> {
  const url = chatUrlOf(t.baseUrl);
  const ans = await t.exchange('GET', url, opts, t.timeouts.healthMs, undefined, true);
  if (ans.status === 404) {
    throw new AceStepError('not-found', `There is no chat completions endpoint at ${t.baseUrl} (HTTP 404 on ${CHAT_PATH}).`, { endpoint: CHAT_PATH, status: 404 });
  }
  if (ans.status >= 500) throw httpError(t, CHAT_PATH, ans);
  let models: ModelInfo[] = [];
  let defaultModel: string | null = null;
  try {
    ({ models, defaultModel } = await listModels(t, opts, url.replace(/\/chat\/completions$/, '/models')));
  } catch (e) {
    if (fatal(e)) throw e;
  }
  const service = 'chat completions endpoint';
  return {
    flavour: 'C', service, version: '', models, defaultModel, hasStats: false,
    ...(ans.status === 401 || ans.status === 403 ? { authRequired: true } : {}),
    health: { status: 'ok', service, version: '' },
  };
}
