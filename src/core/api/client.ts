// The ACE-Step 1.5 REST client (no vscode import: the CLI uses it too): a façade over the modules that do
// the work. transport.ts: the HTTP exchange (one keep-alive undici Agent per client; every call takes an
// AbortSignal and has its own timeout). classify.ts: every failure becomes an AceStepError (errors.ts).
// detect.ts: which server generation answers. request-shape.ts: what a request looks like for it, from
// capabilities.ts. downloads.ts: the takes. Every answer is validated (parse.ts).
//
// The client holds no flavour: calls whose request depends on the server generation (releaseTask,
// formatInput) are told it by the caller, who got it from detectFlavour().
import { capabilitiesOf } from './capabilities';
import { cleanValue, softError } from './classify';
import { chatComplete, type ChatAnswer, type ChatCallOptions } from './chat';
import { detectFlavour, health, listModels, modelInventory } from './detect';
import { download, linkUrl, saveTake, type DownloadOptions } from './downloads';
import { AceStepError } from './errors';
import { multipartBody } from './multipart';
import { AUDIO_PATH_FIELD, audioRouteOf, refusalFor } from './needs';
import { parseFormat, parseQueryResult, parseRandomSample, parseRelease, parseStats } from './parse';
import { formatInputBody, shapeRelease } from './request-shape';
import { loraLoad, loraScale, loraStatus, loraToggle, loraUnload, type LoraCallOptions, type LoraStatus } from './lora';
import { transcribe, type TranscribeOptions, type Transcription } from './transcribe';
import { Transport, type CallOptions, type ClientTimeouts, type RequestBody, type TransportOptions } from './transport';
import type {
  DownloadResult, Flavour, FormatInputRequest, FormatResult, HealthInfo, ModelInfo, ModelInventory,
  RandomSample, ReleaseAnswer, ReleaseRequest, ResultItem, ServerInfo, ServerStats, TaskStatus,
} from './types';

export type AceStepClientOptions = TransportOptions;
// Re-exported where callers have always found them.
export { audioExtension } from './downloads';
export { DEFAULT_TIMEOUTS } from './transport';
export type { CallOptions, ClientTimeouts } from './transport';
export type { DownloadOptions } from './downloads';

/** Options of a call whose request depends on the server generation. */
export interface ReleaseOptions extends CallOptions {
  /** The server generation, as detectFlavour() found it. */
  flavour: Flavour;
  /**
   * Puts a local file where the server can read it and answers its path there (a folder bind-mounted into the
   * user's Docker container): how audio reaches a server that reads paths but takes no uploads (S).
   */
  handOff?: HandOff;
}

/** Places `file` (the `field` upload) where the server reads it; answers the path on the server's machine. */
export type HandOff = (field: string, file: string, signal?: AbortSignal) => Promise<string>;

export class AceStepClient {
  readonly baseUrl: string;
  readonly timeouts: ClientTimeouts;
  private readonly t: Transport;

  constructor(options: AceStepClientOptions) {
    this.t = new Transport(options);
    this.baseUrl = this.t.baseUrl;
    this.timeouts = this.t.timeouts;
  }

  /** Closes the keep-alive connections (only those of a dispatcher the client created). */
  async close(): Promise<void> {
    await this.t.close();
  }

  // ---- the server ---------------------------------------------------------------------------------

  async health(opts: CallOptions = {}): Promise<HealthInfo> {
    return health(this.t, opts);
  }

  /** Which server generation answers (W, S, U, G), with its models and what it has loaded. See detect.ts. */
  async detectFlavour(opts: CallOptions = {}): Promise<ServerInfo> {
    return detectFlavour(this.t, opts);
  }

  /** The DiT models, whatever shape the server lists them in. */
  async models(opts: CallOptions = {}): Promise<ModelInfo[]> {
    return (await listModels(this.t, opts)).models;
  }

  /** U only (null elsewhere): DiT and LM models with their load state. */
  async modelInventory(opts: CallOptions = {}): Promise<ModelInventory | null> {
    return modelInventory(this.t, opts);
  }

  /** Queue and timing figures; null where the server has no /v1/stats (G). */
  async stats(opts: CallOptions = {}): Promise<ServerStats | null> {
    try {
      const env = await this.t.enveloped('GET', '/v1/stats', opts, this.timeouts.requestMs);
      return parseStats(env.data);
    } catch (e) {
      if (e instanceof AceStepError && e.kind === 'not-found') return null;
      throw e;
    }
  }

  // ---- jobs ---------------------------------------------------------------------------------------

  /**
   * Submits a job: JSON, or multipart when the request has src_audio/reference_audio files and the server takes
   * uploads; where it reads only paths on its own machine (S) the files go through `opts.handOff` and their paths
   * in JSON. A job the server cannot carry out is refused before anything is sent (needs.ts). Where the server
   * generates inside the request (blockingRelease) the call waits for it (long timeout); where it reads only the
   * basic fields (no fullParameters) only those are sent, with warnings for the rest.
   */
  async releaseTask(req: ReleaseRequest, opts: ReleaseOptions): Promise<ReleaseAnswer> {
    const refusal = refusalFor(req, opts.flavour, !!opts.handOff);
    if (refusal) throw new AceStepError('unsupported', refusal.message, { endpoint: '/release_task' });
    const { params, files, warnings } = shapeRelease(req, opts.flavour);
    let body: RequestBody;
    const unreadable = (field: string, file: string, e: unknown) =>
      new AceStepError('disk', `Cannot read the ${field} file ${file}: ${(e as Error).message}`, { endpoint: '/release_task', cause: e });
    if (files.length && audioRouteOf(opts.flavour, !!opts.handOff) === 'server-path') {
      for (const [field, file] of files) {
        try {
          params[AUDIO_PATH_FIELD[field] ?? `${field}_path`] = await opts.handOff!(field, file, opts.signal);
        } catch (e) {
          throw e instanceof AceStepError ? e : unreadable(field, file, e);
        }
      }
      body = { json: params };
    } else if (files.length) {
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries(params)) fields[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
      try {
        body = { multipart: await multipartBody(fields, files) };
      } catch (e) {
        const bad = files.find(([, f]) => (e as { path?: string }).path === f) ?? files[0];
        throw unreadable(bad[0], bad[1], e);
      }
    } else {
      body = { json: params };
    }
    const timeout = capabilitiesOf(opts.flavour).blockingRelease ? this.timeouts.blockingReleaseMs : this.timeouts.releaseMs;
    const env = await this.t.enveloped('POST', '/release_task', opts, timeout, body, false);
    if (env.code !== 200) throw softError(this.t, '/release_task', env);
    return { ...parseRelease(env.data), warnings };
  }

  /** Status of several jobs in one call. */
  async queryResult(ids: string[], opts: CallOptions = {}): Promise<TaskStatus[]> {
    if (!ids.length) return [];
    const env = await this.t.enveloped('POST', '/query_result', opts, this.timeouts.requestMs, { json: { task_id_list: ids } }, true);
    if (env.code !== 200) throw softError(this.t, '/query_result', env);
    // `result` is JSON inside a JSON string: its texts are cleaned once more after that inner parse.
    return cleanValue(this.t, parseQueryResult(env.data));
  }

  // ---- the LM -------------------------------------------------------------------------------------

  /** The LM's caption, lyrics and metadata for a song; the musical hints go in param_obj where the server takes it. */
  async formatInput(input: FormatInputRequest, opts: ReleaseOptions): Promise<FormatResult> {
    const body = formatInputBody(input, opts.flavour);
    const env = await this.t.enveloped('POST', '/format_input', opts, this.timeouts.formatInputMs, { json: body }, false);
    if (env.code !== 200) throw softError(this.t, '/format_input', env);
    return parseFormat(env.data);
  }

  async createRandomSample(sampleType: 'simple_mode' | 'custom_mode' = 'simple_mode', opts: CallOptions = {}): Promise<RandomSample> {
    const env = await this.t.enveloped('POST', '/create_random_sample', opts, this.timeouts.requestMs, { json: { sample_type: sampleType } }, true);
    if (env.code !== 200) throw softError(this.t, '/create_random_sample', env);
    return parseRandomSample(env.data);
  }

  // ---- style adapters and lyrics timing (lora.ts, transcribe.ts; refused where the server has no route) ------

  async loraStatus(opts: LoraCallOptions): Promise<LoraStatus> { return loraStatus(this.t, opts); }
  async loraLoad(lora: { path: string; adapterName?: string }, opts: LoraCallOptions): Promise<string> { return loraLoad(this.t, lora, opts); }
  async loraUnload(opts: LoraCallOptions): Promise<string> { return loraUnload(this.t, opts); }
  async loraToggle(use: boolean, opts: LoraCallOptions): Promise<string> { return loraToggle(this.t, use, opts); }
  async loraScale(scale: number, opts: LoraCallOptions, adapterName?: string): Promise<string> { return loraScale(this.t, scale, opts, adapterName); }
  async transcribe(req: { audioPath: string; language?: string }, opts: TranscribeOptions): Promise<Transcription> { return transcribe(this.t, req, opts); }

  // ---- takes --------------------------------------------------------------------------------------

  /** The absolute URL a result item (or link) downloads from. */
  linkUrl(ref: ResultItem | string): string {
    return linkUrl(this.t, ref);
  }

  /**
   * One OpenAI-style chat completions request (a hosted ACE-Step, flavour C; the body from chat-request.ts): the song
   * is generated inside it and comes back in the answer. See chat.ts.
   */
  async chat(body: Record<string, unknown>, opts: ChatCallOptions = {}): Promise<ChatAnswer> {
    return chatComplete(this.t, body, opts);
  }

  /** Writes a take that came inside an answer (chat) the way a download is written; see downloads.ts. */
  async saveTake(bytes: Uint8Array, destPath: string, opts: { endpoint: string; format?: string }): Promise<DownloadResult> {
    return saveTake(this.t, bytes, destPath, opts);
  }

  /** Streams one take to `destPath`; see downloads.ts. */
  async download(ref: ResultItem | string, destPath: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
    return download(this.t, ref, destPath, opts);
  }
}
