// A job whose song names a style adapter (`lora`): the adapter is loaded on the server before /release_task, and
// what was loaded goes into the job record (and so into each take's sidecar). Servers without the LoRA routes
// refuse the job before anything is sent. No vscode import.
import type { AceStepClient } from '../api/client';
import { AceStepError, isAceStepError } from '../api/errors';
import { loraRefusal } from '../api/lora';
import type { Flavour } from '../api/types';
import { msg } from '../l10n';
import type { LoraSetting } from '../song/lora';
import type { JobRecord } from './types';

/** What the server loaded for a job: the adapter, its scale (null: the server's default) and the server's words. */
export interface LoadedLora {
  path: string;
  scale: number | null;
  message: string;
}

/** Loads the job's adapter (and scale) before the job is released; throws an AceStepError the user can act on. */
export async function loadJobLora(rec: JobRecord, client: AceStepClient, flavour: Flavour, signal: AbortSignal): Promise<void> {
  const lora: LoraSetting | undefined = rec.lora;
  if (!lora) return;
  const refusal = loraRefusal(flavour);
  if (refusal) throw new AceStepError('bad-request', msg('{0} Remove `lora` from the song or use such a server.', refusal), { endpoint: '/v1/lora/load' });
  rec.stage = `loading the style adapter ${lora.path}`;
  try {
    const message = await client.loraLoad({ path: lora.path }, { flavour, signal });
    if (lora.scale !== undefined) await client.loraScale(lora.scale, { flavour, signal });
    rec.loraLoaded = { path: lora.path, scale: lora.scale ?? null, message };
  } catch (e) {
    if (isAceStepError(e) && e.status === 500 && /Model not initiali[sz]ed/i.test(e.serverMessage ?? '')) {
      throw new AceStepError('server', msg('The server has not loaded its models yet (it loads them on its first job), so it cannot load the style adapter {0}. Generate once without `lora`, then again.', lora.path), { endpoint: e.endpoint, status: e.status, serverMessage: e.serverMessage });
    }
    throw e;
  }
}
