// The JSON file written next to every take (`<take>.json`): what was asked, what the server answered, when.
// One versioned type, built here and read back here; what is read comes from disk and is checked, never trusted.
// Sidecars written before the version field existed (no `version`) have the same shape and read as version 1.
// Fields added since (`lineage`, `sections`, the server's `name` and `label`) are optional within version 1: a
// sidecar without them reads as null.
import { CAPABILITIES } from '../api/capabilities';
import type { Flavour, ReleaseRequest, ResultItem, ResultMetas } from '../api/types';
import { checkSections, type SectionMark } from '../player/protocol-edit';
import type { JobLineage, JobRecord } from './types';

export const SIDECAR_VERSION = 1;
export const SIDECAR_GENERATOR = 'ACE-Step Studio';

export interface SidecarResult {
  /** The caption and lyrics the model used (after any LM rewrite). */
  caption: string | null;
  lyrics: string | null;
  /** This take's seed, when the batch's seeds line up with the takes. */
  seed: number | null;
  seeds: number[];
  dit_model: string | null;
  lm_model: string | null;
  metas: ResultMetas;
  generation_info: string | null;
  /** The server's result item exactly as it came (untyped server JSON). */
  item: Record<string, unknown>;
}

export interface Sidecar {
  generator: string;
  version: typeof SIDECAR_VERSION;
  /** Song title. */
  title: string;
  /** The .song file, when the job came from one. */
  song: string | null;
  /** The take number in the file name. */
  take: number | null;
  /** Position in the server's result list (0-based). */
  index: number | null;
  /** The audio file's name (same folder). */
  file: string | null;
  bytes: number | null;
  content_type: string | null;
  task_id: string | null;
  /**
   * The server that made the take: its URL, generation, profile name (`acestep.servers`; null when it had none) and
   * kind in English words ("upstream standalone API (current)").
   */
  server: { url: string; flavour: Flavour | null; name: string | null; label: string | null };
  request: ReleaseRequest;
  result: SidecarResult;
  /** ISO times. */
  timings: { created: string | null; submitted: string | null; finished_on_server: string | null; downloaded: string | null };
  warnings: string[];
  /** An edited take: the take it came from and the operation; null for a take made from a song. */
  lineage: JobLineage | null;
  /** The style adapter loaded for the job (path on the server, scale); null when the song named none. */
  lora: { path: string; scale: number | null } | null;
  /** A take of a song the server's LM wrote from this sentence (New Song from a Description); else absent. */
  description?: string;
  /** The song's sections on this take (seconds), as the user placed them in the player; null: not placed. */
  sections: SectionMark[] | null;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export interface DownloadedTake {
  index: number;
  takeNumber?: number;
  /** The audio file's name. */
  file: string;
  bytes: number;
  contentType?: string;
  downloadedAt: number;
}

/** The sidecar of one downloaded take. */
export function buildSidecar(rec: JobRecord, item: ResultItem, take: DownloadedTake): Sidecar {
  return {
    generator: SIDECAR_GENERATOR,
    version: SIDECAR_VERSION,
    title: rec.title,
    song: rec.songPath ?? null,
    take: take.takeNumber ?? null,
    index: take.index,
    file: take.file,
    bytes: take.bytes,
    content_type: take.contentType ?? null,
    task_id: rec.taskId ?? null,
    server: {
      url: rec.serverUrl, flavour: rec.flavour ?? null, name: rec.serverName ?? null,
      label: rec.flavour && isFlavour(rec.flavour) ? CAPABILITIES[rec.flavour].label : null,
    },
    request: rec.request,
    result: {
      caption: item.prompt ?? null,
      lyrics: item.lyrics ?? null,
      seed: item.seed ?? null,
      seeds: item.seeds,
      dit_model: item.ditModel ?? null,
      lm_model: item.lmModel ?? null,
      metas: item.metas,
      generation_info: item.generationInfo ?? null,
      item: item.raw,
    },
    timings: {
      created: iso(rec.createdAt),
      submitted: iso(rec.submittedAt),
      finished_on_server: iso(rec.serverFinishedAt),
      downloaded: iso(take.downloadedAt),
    },
    warnings: rec.warnings ?? [],
    lineage: rec.lineage ?? null,
    lora: rec.loraLoaded ? { path: rec.loraLoaded.path, scale: rec.loraLoaded.scale } : null,
    ...(rec.description ? { description: rec.description } : {}),
    sections: null,
  };
}

/** The text written to disk. */
export function sidecarText(s: Sidecar): string {
  return JSON.stringify(s, null, 2) + '\n';
}

// ---- reading --------------------------------------------------------------------------------------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const isLora = (v: unknown): v is Sidecar['lora'] => isObj(v) && typeof v.path === 'string'
  && (v.scale === null || (typeof v.scale === 'number' && Number.isFinite(v.scale)));

const isLineage = (v: unknown): v is JobLineage => isObj(v) && isObj(v.parent) && typeof v.parent.file === 'string'
  && (v.parent.sidecar === undefined || typeof v.parent.sidecar === 'string') && isObj(v.operation) && typeof v.operation.kind === 'string';

const isSections = (v: unknown): v is SectionMark[] => checkSections(v) !== undefined;

/** Thrown inside readSidecar for a field of the wrong type; never escapes. */
class Garbage extends Error {}

/** A field that may be missing or null (→ null) but otherwise must pass `ok`. */
function opt<T>(o: Obj, key: string, ok: (v: unknown) => v is T): T | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (!ok(v)) throw new Garbage(key);
  return v;
}
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isFlavour = (v: unknown): v is Flavour => typeof v === 'string' && Object.prototype.hasOwnProperty.call(CAPABILITIES, v);
const isNumList = (v: unknown): v is number[] => Array.isArray(v) && v.every(isNum);
const isStrList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);

function objOrEmpty(o: Obj, key: string): Obj {
  const v = o[key];
  if (v === undefined || v === null) return {};
  if (!isObj(v)) throw new Garbage(key);
  return v;
}

function readMetas(v: Obj): ResultMetas {
  const m: ResultMetas = {};
  for (const k of ['bpm', 'duration'] as const) if (k in v) m[k] = opt(v, k, isNum);
  for (const k of ['genres', 'keyscale', 'timesignature'] as const) if (k in v) m[k] = opt(v, k, isStr);
  for (const k of ['prompt', 'lyrics'] as const) {
    const s = opt(v, k, isStr);
    if (s !== null) m[k] = s;
  }
  return m;
}

function readRequest(v: Obj): ReleaseRequest {
  const files = objOrEmpty(v, 'files');
  const out: ReleaseRequest = { params: objOrEmpty(v, 'params'), files: {} };
  const src = opt(files, 'src_audio', isStr);
  const ref = opt(files, 'reference_audio', isStr);
  if (src !== null) out.files.src_audio = src;
  if (ref !== null) out.files.reference_audio = ref;
  return out;
}

/**
 * A sidecar read from disk (parsed JSON), or undefined when it is not one: not an object, a version this code
 * does not know, no title, or a known field of the wrong type. Missing fields read as null (or empty).
 */
export function readSidecar(json: unknown): Sidecar | undefined {
  if (!isObj(json)) return undefined;
  if (json.version !== undefined && json.version !== SIDECAR_VERSION) return undefined;
  if (typeof json.title !== 'string') return undefined;
  try {
    const server = objOrEmpty(json, 'server');
    const result = objOrEmpty(json, 'result');
    const timings = objOrEmpty(json, 'timings');
    const time = (k: string) => opt(timings, k, isStr);
    return {
      generator: opt(json, 'generator', isStr) ?? SIDECAR_GENERATOR,
      version: SIDECAR_VERSION,
      title: json.title,
      song: opt(json, 'song', isStr),
      take: opt(json, 'take', isNum),
      index: opt(json, 'index', isNum),
      file: opt(json, 'file', isStr),
      bytes: opt(json, 'bytes', isNum),
      content_type: opt(json, 'content_type', isStr),
      task_id: opt(json, 'task_id', isStr),
      server: { url: opt(server, 'url', isStr) ?? '', flavour: opt(server, 'flavour', isFlavour), name: opt(server, 'name', isStr), label: opt(server, 'label', isStr) },
      request: readRequest(objOrEmpty(json, 'request')),
      result: {
        caption: opt(result, 'caption', isStr),
        lyrics: opt(result, 'lyrics', isStr),
        seed: opt(result, 'seed', isNum),
        seeds: opt(result, 'seeds', isNumList) ?? [],
        dit_model: opt(result, 'dit_model', isStr),
        lm_model: opt(result, 'lm_model', isStr),
        metas: readMetas(objOrEmpty(result, 'metas')),
        generation_info: opt(result, 'generation_info', isStr),
        item: objOrEmpty(result, 'item'),
      },
      timings: { created: time('created'), submitted: time('submitted'), finished_on_server: time('finished_on_server'), downloaded: time('downloaded') },
      warnings: opt(json, 'warnings', isStrList) ?? [],
      lineage: opt(json, 'lineage', isLineage),
      lora: opt(json, 'lora', isLora),
      ...(typeof json.description === 'string' ? { description: json.description } : {}),
      sections: opt(json, 'sections', isSections),
    };
  } catch (e) {
    if (e instanceof Garbage) return undefined;
    throw e;
  }
}

/**
 * The text of a sidecar (parsed JSON as read from disk) with its `sections` set: every other field stays as it
 * was, also ones this version does not know. Undefined when `json` is not a sidecar this code reads.
 */
export function sidecarWithSections(json: unknown, sections: SectionMark[]): string | undefined {
  if (!readSidecar(json)) return undefined;
  const checked = checkSections(sections);
  if (!checked) return undefined;
  return JSON.stringify({ ...(json as Obj), sections: checked }, null, 2) + '\n';
}
