// Builds what the player shows (JobView/TakeView) from job records, or from an audio file and its sidecar.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { readSidecar, type JobSnapshot, type TakeRecord } from '../../core/jobs';
import type { JobView, TakeMeta, TakeView } from '../../core/player/protocol';

/** Where a take's audio lives and what the player needs to know about it, before webview URIs exist. */
export interface TakeSource {
  id: string;
  file: string;
  label: string;
  format: string;
  sizeBytes: number;
  meta: TakeMeta;
  jobId?: string;
  sidecar?: string;
  songPath?: string;
}

export interface JobSource {
  id: string;
  title: string;
  createdAt: number;
  server: string;
  songPath?: string;
  takes: TakeSource[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() && v !== 'N/A' ? v : undefined);
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

function clean<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** The metadata of one take from the server's result item (raw JSON as the sidecar or the job keeps it). */
export function metaFromItem(item: Record<string, unknown> | undefined, request: Record<string, unknown>, extra: Partial<TakeMeta>): TakeMeta {
  const metas = (item?.metas && typeof item.metas === 'object' ? item.metas : {}) as Record<string, unknown>;
  const caption = str(item?.prompt) ?? str(metas.prompt) ?? str(request.prompt) ?? '';
  const lyrics = str(item?.lyrics) ?? str(metas.lyrics) ?? str(request.lyrics) ?? '';
  const userCaption = str(metas.prompt) ?? str(request.prompt);
  const userLyrics = str(metas.lyrics) ?? str(request.lyrics);
  const seeds = String(item?.seed_value ?? '').split(',').map(s => Number(s.trim())).filter(Number.isFinite);
  return clean({
    caption,
    lyrics,
    userCaption: userCaption && userCaption.trim() !== caption.trim() ? userCaption : undefined,
    userLyrics: userLyrics && userLyrics.trim() !== lyrics.trim() ? userLyrics : undefined,
    bpm: num(metas.bpm) ?? num(request.bpm),
    key: str(metas.keyscale) ?? str(request.key_scale),
    timeSignature: str(metas.timesignature) ?? (request.time_signature !== undefined ? String(request.time_signature) : undefined),
    duration: num(metas.duration) ?? num(request.audio_duration),
    seed: seeds[0],
    ditModel: str(item?.dit_model),
    lmModel: str(item?.lm_model),
    ...extra,
  });
}

async function size(file: string): Promise<number | undefined> {
  try { return (await fs.stat(file)).size; } catch { return undefined; }
}

const formatOf = (file: string) => path.extname(file).slice(1).toLowerCase() || 'mp3';

export async function jobSource(job: JobSnapshot): Promise<JobSource> {
  const takes: TakeSource[] = [];
  const present = (job.takes ?? []).filter((t): t is TakeRecord & { file: string } => !!t.file);
  for (const [i, take] of present.entries()) {
    const bytes = await size(take.file);
    if (bytes === undefined) continue; // deleted since
    const generationSeconds = job.serverFinishedAt && job.submittedAt ? Math.round((job.serverFinishedAt - job.submittedAt) / 100) / 10 : undefined;
    takes.push(clean({
      id: `${job.id}:${take.index}`,
      file: take.file,
      label: present.length > 1 ? String.fromCharCode(65 + i) : 'Take',
      format: formatOf(take.file),
      sizeBytes: bytes,
      meta: metaFromItem(job.items?.[take.index]?.raw, job.request.params, clean({ server: job.serverUrl, flavour: job.flavour, generationSeconds })),
      jobId: job.id,
      sidecar: take.sidecar,
      songPath: job.songPath,
    }));
  }
  return clean({ id: job.id, title: job.title, createdAt: job.createdAt, server: job.serverUrl, songPath: job.songPath, takes });
}

/** An audio file opened from the explorer: its sidecar (`<name>.json`), when there is one, supplies the metadata. */
export async function fileSource(file: string): Promise<JobSource> {
  const sidecarPath = file.replace(/\.[^.\\/]+$/, '.json');
  let json: unknown;
  try { json = JSON.parse(await fs.readFile(sidecarPath, 'utf8')); } catch { json = undefined; }
  // A JSON file that is not a sidecar (or one from a newer version) supplies nothing, but can still be opened.
  const sidecar = json === undefined ? undefined : readSidecar(json);
  const stat = await fs.stat(file);
  const title = str(sidecar?.title) ?? path.basename(file, path.extname(file));
  const serverUrl = str(sidecar?.server.url) ?? '';
  const song = str(sidecar?.song);
  return {
    id: `file:${file}`,
    title,
    createdAt: stat.mtimeMs,
    server: serverUrl,
    ...(song ? { songPath: song } : {}),
    takes: [clean({
      id: `file:${file}`, file, label: 'Take', format: formatOf(file), sizeBytes: stat.size,
      meta: metaFromItem(sidecar?.result.item, sidecar?.request.params ?? {}, clean({ server: serverUrl || undefined, flavour: str(sidecar?.server.flavour) })),
      sidecar: json ? sidecarPath : undefined,
      songPath: song,
    })],
  };
}

/** The webview's view of the sources: same data with webview URIs and (when known) peaks. */
export function toJobView(job: JobSource, src: (file: string) => string, peaks: (take: TakeSource) => { peaks: number[]; durationSec?: number } | undefined): JobView {
  return {
    id: job.id, title: job.title.slice(0, 500), createdAt: Math.round(job.createdAt), server: job.server,
    takes: job.takes.map((t): TakeView => {
      const p = peaks(t);
      return clean({ id: t.id, label: t.label, src: src(t.file), format: t.format, sizeBytes: t.sizeBytes, peaks: p?.peaks, durationSec: p?.durationSec, meta: t.meta });
    }),
  };
}
