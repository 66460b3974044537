// Builds what the player shows (JobView/TakeView) from job records, or from an audio file and its sidecar.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { capabilitiesOf, serverKindLabel } from '../../core/api/capabilities';
import { parseSeeds } from '../../core/api/parse';
import type { ResultItem, ResultMetas } from '../../core/api/types';
import { readSidecar, type JobSnapshot, type SidecarResult, type TakeRecord } from '../../core/jobs';
import { takeSong, type TakeSongInput } from '../../core/jobs/take-song';
import type { Flavour } from '../../core/api/types';
import { ACTIONS, type JobView, type PlayerAction, type SectionMark, type TakeMeta, type TakeView } from '../../core/player/protocol';
import { estimateSectionMarks } from '../../core/player/sections';
import type { JobLineage } from '../../core/jobs/types';

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
  /** The song that made the take: the job's own, or a sidecar's that passed `takeSong`. */
  songPath?: string;
  /** A song a sidecar names but that did not pass `takeSong` (never edited without asking). */
  claimedSong?: string;
  /** The actions that work for this take (absent: all). */
  actions?: PlayerAction[];
  /** The request that made the take (what an edit starts from), when known. */
  params?: Record<string, unknown>;
  /** The take was edited from another take: which, and how. */
  lineage?: JobLineage;
  /** The song's sections on the take: as the user placed them (the sidecar's), else estimated. */
  sections?: SectionMark[];
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

/** What the server made for one take, typed: from the job's parsed result item or from the sidecar's result. */
export interface TakeResult {
  caption?: string;
  lyrics?: string;
  metas: ResultMetas;
  /** This take's own seed (not the batch's first), when the server's seeds line up with the takes. */
  seed?: number;
  ditModel?: string;
  lmModel?: string;
}

const fromItem = (item: ResultItem | undefined): TakeResult | undefined => item && {
  caption: item.prompt, lyrics: item.lyrics, metas: item.metas, seed: item.seed, ditModel: item.ditModel, lmModel: item.lmModel,
};

/** A sidecar's seed: this take's own; an older sidecar may only have the item's seed list, trusted when it is one seed. */
function sidecarSeed(r: SidecarResult): number | undefined {
  if (r.seed !== null) return r.seed;
  const seeds = r.seeds.length ? r.seeds : parseSeeds(r.item.seed_value);
  return seeds.length === 1 ? seeds[0] : undefined;
}

const fromSidecar = (r: SidecarResult | undefined): TakeResult | undefined => r && {
  caption: r.caption ?? undefined, lyrics: r.lyrics ?? undefined, metas: r.metas, seed: sidecarSeed(r),
  ditModel: r.dit_model ?? undefined, lmModel: r.lm_model ?? undefined,
};

/** The metadata of one take: what the server reports, else what was asked for. */
export function metaFromResult(result: TakeResult | undefined, request: Record<string, unknown>, extra: Partial<TakeMeta>): TakeMeta {
  const metas: ResultMetas = result?.metas ?? {};
  const caption = str(result?.caption) ?? str(metas.prompt) ?? str(request.prompt) ?? '';
  const lyrics = str(result?.lyrics) ?? str(metas.lyrics) ?? str(request.lyrics) ?? '';
  const userCaption = str(metas.prompt) ?? str(request.prompt);
  const userLyrics = str(metas.lyrics) ?? str(request.lyrics);
  return clean({
    caption,
    lyrics,
    userCaption: userCaption && userCaption.trim() !== caption.trim() ? userCaption : undefined,
    userLyrics: userLyrics && userLyrics.trim() !== lyrics.trim() ? userLyrics : undefined,
    bpm: num(metas.bpm) ?? num(request.bpm),
    key: str(metas.keyscale) ?? str(request.key_scale),
    timeSignature: str(metas.timesignature) ?? (request.time_signature !== undefined ? String(request.time_signature) : undefined),
    duration: num(metas.duration) ?? num(request.audio_duration),
    seed: num(result?.seed),
    ditModel: str(result?.ditModel),
    lmModel: str(result?.lmModel),
    ...extra,
  });
}

/** Time the Lyrics is offered where the server that made the take can transcribe (unknown kind: offered, it says). */
const canTranscribe = (flavour: Flavour | undefined): boolean => !flavour || capabilitiesOf(flavour).transcribe;

async function size(file: string): Promise<number | undefined> {
  try { return (await fs.stat(file)).size; } catch { return undefined; }
}

const formatOf = (file: string) => path.extname(file).slice(1).toLowerCase() || 'mp3';

/** The sections the user placed on a take, kept in its sidecar (undefined: none, or no readable sidecar). */
async function placedSections(sidecarPath: string): Promise<SectionMark[] | undefined> {
  try { return readSidecar(JSON.parse(await fs.readFile(sidecarPath, 'utf8')))?.sections ?? undefined; } catch { return undefined; }
}

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
      meta: metaFromResult(fromItem(job.items?.[take.index]), job.request.params, clean({ server: job.serverUrl, serverKind: kind(job.flavour), generationSeconds })),
      actions: ACTIONS.filter(a => (a !== 'openSidecar' || take.sidecar) && (a !== 'timeLyrics' || canTranscribe(job.flavour))),
      jobId: job.id,
      sidecar: take.sidecar,
      songPath: job.songPath,
      params: job.request.params,
      lineage: job.lineage,
      sections: take.sidecar ? await placedSections(take.sidecar) : undefined,
    }));
  }
  return clean({ id: job.id, title: job.title, createdAt: job.createdAt, server: job.serverUrl, songPath: job.songPath, takes });
}

const kind = (flavour: string | undefined) => (flavour ? serverKindLabel(flavour as Flavour) : undefined);

/** What a sidecar's song is checked against (see `takeSong`), for the song it names. */
export type SongCheck = (claimed: string | undefined) => Omit<TakeSongInput, 'takeFile' | 'claimed'>;

/**
 * An audio file opened from the explorer: its sidecar (`<name>.json`), when there is one, supplies the
 * metadata; the song it names is believed only when `takeSong` says that song made this take.
 */
export async function fileSource(file: string, check: SongCheck): Promise<JobSource> {
  const sidecarPath = file.replace(/\.[^.\\/]+$/, '.json');
  let json: unknown;
  try { json = JSON.parse(await fs.readFile(sidecarPath, 'utf8')); } catch { json = undefined; }
  // A JSON file that is not a sidecar (or one from a newer version) supplies nothing, but can still be opened.
  const sidecar = json === undefined ? undefined : readSidecar(json);
  const stat = await fs.stat(file);
  const title = str(sidecar?.title) ?? path.basename(file, path.extname(file));
  const serverUrl = str(sidecar?.server.url) ?? '';
  const claimed = str(sidecar?.song);
  const song = takeSong({ ...check(claimed), takeFile: file, claimed });
  const songPath = song.trusted ? song.songPath : undefined;
  // Without a sidecar nothing is known of the take: no settings to use, nothing to generate again.
  const actions: PlayerAction[] = sidecar
    ? ACTIONS.filter(a => a !== 'timeLyrics' || canTranscribe(sidecar.server.flavour ?? undefined))
    : ['reveal', 'copyPath', 'deleteTake'];
  return {
    id: `file:${file}`,
    title,
    createdAt: stat.mtimeMs,
    server: serverUrl,
    ...(songPath ? { songPath } : {}),
    takes: [clean({
      id: `file:${file}`, file, label: 'Take', format: formatOf(file), sizeBytes: stat.size,
      meta: sidecar
        ? metaFromResult(fromSidecar(sidecar.result), sidecar.request.params ?? {}, clean({ server: serverUrl || undefined, serverKind: kind(str(sidecar.server.flavour)) }))
        : { caption: '', lyrics: '', unknown: true },
      sidecar: json ? sidecarPath : undefined,
      songPath,
      params: sidecar?.request.params,
      lineage: sidecar?.lineage ?? undefined,
      sections: sidecar?.sections ?? undefined,
      claimedSong: song.trusted ? undefined : song.claimed,
      actions,
    })],
  };
}

/** The webview's view of the sources: same data with webview URIs and (when known) peaks. */
export function toJobView(job: JobSource, src: (file: string) => string, peaks: (take: TakeSource) => { peaks: number[]; durationSec?: number } | undefined): JobView {
  return {
    id: job.id, title: job.title.slice(0, 500), createdAt: Math.round(job.createdAt), server: job.server,
    takes: job.takes.map((t): TakeView => {
      const p = peaks(t);
      const sections = t.sections ?? (t.meta.lyrics ? estimateSectionMarks(t.meta.lyrics, { bpm: t.meta.bpm, durationSec: p?.durationSec ?? t.meta.duration }) : undefined);
      return clean({
        id: t.id, label: t.label, src: src(t.file), format: t.format, sizeBytes: t.sizeBytes, peaks: p?.peaks, durationSec: p?.durationSec, meta: t.meta, actions: t.actions,
        sections: sections?.length ? sections : undefined,
      });
    }),
  };
}
