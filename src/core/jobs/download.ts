// A finished job's takes, streamed to disk: named from the song title, time and take number (later jobs in the
// same minute continue the count), each with its sidecar. If downloading fails the job keeps its result items,
// so the download can be retried. No vscode import.
import * as path from 'node:path';
import { promises as fsp } from 'node:fs';
import { audioExtension } from '../api/client';
import { AceStepError } from '../api/errors';
import type { ResultItem, TaskStatus } from '../api/types';
import { allocateTakeNumbers, ensureDir, safeExtension, takePrefix, writeJobFile } from './files';
import type { Servers } from './servers';
import { buildSidecar, sidecarText } from './sidecar';
import type { JobStore } from './store';
import { toJobError } from './verdict';
import type { Clock, JobRecord, TakeRecord } from './types';

export interface DownloaderOptions {
  store: JobStore;
  servers: Servers;
  clock: Clock;
  /** Tries per take download. */
  attempts: number;
  /** Aborted when the manager shuts down. */
  disposed: AbortSignal;
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

export class Downloader {
  /** Names handed out but not yet on disk (jobs downloading into one folder at once). */
  private readonly reserved = new Set<string>();

  constructor(private readonly o: DownloaderOptions) {}

  /** The server has the job's result: keep it, then download it. */
  async accept(rec: JobRecord, st: TaskStatus): Promise<void> {
    const { store } = this.o;
    rec.progress = 1;
    rec.items = st.items;
    if (!st.items.length) {
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
      const needNumbers = missing.filter(t => t.takeNumber === undefined);
      const numbers = await allocateTakeNumbers(rec.outputDir, prefix, needNumbers.length, this.reserved);
      needNumbers.forEach((t, i) => { t.takeNumber = numbers[i]; });
      const mine: string[] = [];
      for (const t of missing) {
        const name = path.join(rec.outputDir, `${prefix}${t.takeNumber}.${extensionFor(rec, items[t.index])}`);
        this.reserved.add(name);
        mine.push(name);
      }
      try {
        const received = new Map<number, { received: number; total?: number }>();
        const outcomes = await Promise.allSettled(missing.map(t => this.downloadTake(rec, items[t.index], t, prefix, signal, received)));
        outcomes.forEach((o, i) => {
          if (o.status === 'rejected') missing[i].error = toJobError(o.reason);
          else delete missing[i].error;
        });
      } finally {
        for (const n of mine) this.reserved.delete(n);
      }
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

  private async downloadTake(
    rec: JobRecord, item: ResultItem, take: TakeRecord, prefix: string, signal: AbortSignal,
    received: Map<number, { received: number; total?: number }>,
  ): Promise<void> {
    const { store } = this.o;
    const dest = path.join(rec.outputDir, `${prefix}${take.takeNumber}.${extensionFor(rec, item)}`);
    const result = await this.o.servers.client(rec.serverUrl).download(item, dest, {
      signal,
      attempts: this.o.attempts,
      onProgress: p => {
        received.set(take.index, p);
        let got = 0;
        let total = 0;
        for (const v of received.values()) { got += v.received; total += v.total ?? 0; }
        rec.stage = `downloading ${(got / 1e6).toFixed(1)}${total ? ` of ${(total / 1e6).toFixed(1)}` : ''} MB`;
        store.changed(rec, 'none');
      },
    });
    const downloadedAt = this.o.clock.now();
    const sidecar = sidecarPathOf(dest);
    const content = buildSidecar(rec, item, {
      index: take.index, takeNumber: take.takeNumber, file: path.basename(dest), bytes: result.bytes,
      ...(result.contentType !== undefined ? { contentType: result.contentType } : {}), downloadedAt,
    });
    try {
      await writeJobFile(sidecar, sidecarText(content));
    } catch (e) {
      await fsp.rm(dest, { force: true }).catch(() => undefined);
      throw e;
    }
    take.file = dest;
    take.sidecar = sidecar;
    take.bytes = result.bytes;
    take.downloadedAt = downloadedAt;
    store.changed(rec, 'now');
  }
}
