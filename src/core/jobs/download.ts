// A finished job's takes, streamed to disk: named from the song title, time and take number (later jobs in the
// same minute continue the count; names are claimed exclusively, so runs sharing a folder never share a name),
// each with its sidecar. At most the takes asked for, a few at a time. If downloading fails the job keeps its
// result items, so the download can be retried. No vscode import.
import * as path from 'node:path';
import { promises as fsp } from 'node:fs';
import { audioExtension } from '../api/client';
import { CHAT_PATH } from '../api/chat';
import { AceStepError } from '../api/errors';
import type { ResultItem, TaskStatus } from '../api/types';
import { claimTakeNumber, ensureDir, publishClaim, releaseClaim, safeExtension, takePrefix, type TakeClaim } from './files';

import type { Servers } from './servers';
import { buildSidecar, sidecarText } from './sidecar';
import type { JobStore } from './store';
import { toJobError } from './verdict';
import type { Clock, JobRecord, TakeRecord } from './types';

const isClaim = (c: unknown): c is TakeClaim => typeof c === 'object' && c !== null && 'number' in c && 'file' in c;

export interface DownloaderOptions {
  store: JobStore;
  servers: Servers;
  clock: Clock;
  /** Tries per take download. */
  attempts: number;
  /** Aborted when the manager shuts down. */
  disposed: AbortSignal;
  /** The slowest pace a take may arrive at, after the grace period (bytes per second; 0: no limit). */
  minBytesPerSecond?: number;
  /** How long a take may be slower than that at first (ms). */
  slowGraceMs?: number;
}

/** The file extension of a take: from the server's path when it has one, else from the requested format. */
export function extensionFor(rec: JobRecord, item: ResultItem): string {
  const fromPath = audioExtension(item);
  const hasPathExt = /\.[A-Za-z0-9]{2,5}$/.test(item.serverPath ?? '');
  if (hasPathExt) return safeExtension(fromPath);
  const fmt = String(rec.request.params.audio_format ?? 'mp3').toLowerCase();
  return safeExtension(fmt === 'wav32' ? 'wav' : fmt);
}

/** `<take>.json` next to `<take>.<ext>`. */
export const sidecarPathOf = (audioFile: string): string => audioFile.replace(/\.[^.\\/]+$/, '') + '.json';

/** Takes downloaded at once, over all jobs of a manager: a server listing hundreds of items gets a few at a time. */
export const MAX_PARALLEL_DOWNLOADS = 3;

/** What a server makes when the request names no batch size. */
export const SERVER_DEFAULT_BATCH_SIZE = 2;

/** How many takes the job asked for (its batch size, else the server's default). */
export function takesAsked(rec: JobRecord): number {
  const n = Number(rec.request.params.batch_size);
  return Number.isInteger(n) && n >= 1 ? n : SERVER_DEFAULT_BATCH_SIZE;
}

/** A small counting semaphore: `run` waits for one of `size` slots. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) { this.free = size; }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>(resolve => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

export class Downloader {
  private readonly slots = new Slots(MAX_PARALLEL_DOWNLOADS);

  constructor(private readonly o: DownloaderOptions) {}

  /** The server has the job's result: keep it (no more takes than asked for), then download it. */
  async accept(rec: JobRecord, st: TaskStatus): Promise<void> {
    const { store } = this.o;
    rec.progress = 1;
    const asked = takesAsked(rec);
    rec.items = st.items.slice(0, asked);
    if (st.items.length > asked) {
      const extra = st.items.length - asked;
      rec.warnings = [...(rec.warnings ?? []), `The server listed ${st.items.length} takes where ${asked} ${asked === 1 ? 'was' : 'were'} asked for; downloaded the first ${asked}, left ${extra} on the server.`];
    }
    if (!rec.items.length) {
      store.finish(rec, 'failed', { kind: 'bad-response', message: 'The server reports the job done but lists no audio file.', endpoint: '/query_result' });
      return;
    }
    rec.state = 'downloading';
    rec.stage = 'downloading';
    store.changed(rec, 'now');
    await this.downloadAll(rec);
  }

  /** Downloads the takes still missing, then finishes the job (succeeded, or failed with the result kept). */
  async downloadAll(rec: JobRecord): Promise<void> {
    const { store } = this.o;
    const items = rec.items ?? [];
    const takes: TakeRecord[] = items.map((_, i) => rec.takes?.find(t => t.index === i) ?? { index: i });
    rec.takes = takes;
    const signal = store.rt(rec).abort.signal;
    const missing = takes.filter(t => !t.file);
    if (missing.length) {
      await ensureDir(rec.outputDir);
      const prefix = takePrefix(rec.title, rec.submittedAt ?? rec.createdAt);
      const received = new Map<number, { received: number; total?: number }>();
      // Numbers are claimed one after the other in take order, so they follow the server's order whatever
      // download ends first; the downloads then share the slots.
      const claims = new Map<number, TakeClaim | unknown>();
      for (const t of missing) {
        try {
          const claim = await claimTakeNumber(rec.outputDir, prefix, t.takeNumber);
          t.takeNumber = claim.number;
          claims.set(t.index, claim);
        } catch (e) {
          claims.set(t.index, e);
        }
      }
      const outcomes = await Promise.allSettled(missing.map(t => this.slots.run(async () => {
        const claim = claims.get(t.index);
        if (!isClaim(claim)) throw claim;
        if (signal.aborted) {
          await releaseClaim(claim);
          throw new AceStepError('cancelled', 'The download was cancelled.');
        }
        return this.downloadTake(rec, items[t.index], t, prefix, claim, signal, received);
      })));
      outcomes.forEach((o, i) => {
        if (o.status === 'rejected') missing[i].error = toJobError(o.reason);
        else delete missing[i].error;
      });
    }
    if (signal.aborted && this.o.disposed.aborted) throw new AceStepError('cancelled', 'Shutting down.');
    const failed = takes.filter(t => !t.file);
    if (!failed.length) {
      rec.stage = 'done';
      store.finish(rec, 'succeeded');
      return;
    }
    const first = failed.find(t => t.error)?.error ?? { kind: 'server' as const, message: 'The download failed.' };
    if (first.kind === 'cancelled') {
      store.finish(rec, 'cancelled', first);
      return;
    }
    store.finish(rec, 'failed', {
      ...first,
      message: `Downloaded ${takes.length - failed.length} of ${takes.length} take(s). ${first.message} The result is kept: retry the download.`,
    });
  }

  /**
   * One take under its claimed number (claimed exclusively, so another run writing into the folder at the same
   * time has another): downloads the audio under that name, then publishes the sidecar, which ends the claim.
   */
  private async downloadTake(
    rec: JobRecord, item: ResultItem, take: TakeRecord, prefix: string, claim: TakeClaim, signal: AbortSignal,
    received: Map<number, { received: number; total?: number }>,
  ): Promise<void> {
    const { store } = this.o;
    const dest = path.join(rec.outputDir, `${prefix}${claim.number}.${extensionFor(rec, item)}`);
    let placed = false;
    const client = this.o.servers.client(rec.serverUrl);
    const inline = store.rt(rec).inlineAudio;
    try {
      const bytes = inline?.get(take.index);
      if (!bytes && !item.link && !item.file) {
        throw new AceStepError('bad-response', 'This take came inside the server\'s answer, which is no longer in memory (a reload or exit since): generate the song again.', { endpoint: CHAT_PATH });
      }
      const result = bytes ? await client.saveTake(bytes, dest, { endpoint: CHAT_PATH }) : await client.download(item, dest, {
        signal,
        attempts: this.o.attempts,
        ...(this.o.minBytesPerSecond !== undefined ? { minBytesPerSecond: this.o.minBytesPerSecond } : {}),
        ...(this.o.slowGraceMs !== undefined ? { slowGraceMs: this.o.slowGraceMs } : {}),
        onProgress: p => {
          received.set(take.index, p);
          let got = 0;
          let total = 0;
          for (const v of received.values()) { got += v.received; total += v.total ?? 0; }
          rec.stage = `downloading ${(got / 1e6).toFixed(1)}${total ? ` of ${(total / 1e6).toFixed(1)}` : ''} MB`;
          store.changed(rec, 'none');
        },
      });
      placed = true;
      inline?.delete(take.index);
      const downloadedAt = this.o.clock.now();
      const sidecar = sidecarPathOf(dest);
      const content = buildSidecar(rec, item, {
        index: take.index, takeNumber: take.takeNumber, file: path.basename(dest), bytes: result.bytes,
        ...(result.contentType !== undefined ? { contentType: result.contentType } : {}), downloadedAt,
      });
      await publishClaim(claim, sidecar, sidecarText(content));
      take.file = dest;
      take.sidecar = sidecar;
      take.bytes = result.bytes;
      take.downloadedAt = downloadedAt;
      store.changed(rec, 'now');
    } catch (e) {
      if (placed) await fsp.rm(dest, { force: true }).catch(() => undefined);
      await releaseClaim(claim);
      throw e;
    }
  }
}
