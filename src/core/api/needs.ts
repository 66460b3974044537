// What a job needs of its server (source or reference audio, a task other than text to music, a fixed seed) and
// whether the server can do it: decided from the capability table before anything is sent, so every surface
// (VS Code, the CLI, the chat) refuses the same way, naming the server kind and the way out. Never a silent
// downgrade: a cover sent to a server that drops the source audio would come back as an unrelated song.
// No vscode import.
import { capabilitiesOf, serverKindLabel, type TaskType } from './capabilities';
import { msg } from '../l10n';
import type { Flavour, ReleaseRequest } from './types';

/** The upload fields of /release_task, and the JSON field naming the same audio as a path on the server. */
export const AUDIO_PATH_FIELD: Readonly<Record<string, string>> = { src_audio: 'src_audio_path', reference_audio: 'reference_audio_path' };

export interface JobNeeds {
  /** Upload fields that carry a file. */
  audio: string[];
  taskType: string;
  /** A fixed seed asked for (`use_random_seed: false` and a seed ≥ 0). */
  seed?: number;
  /** The job needs the server's 5 Hz LM: thinking, the LM's formatting, or a song written from a description. */
  lm: boolean;
}

const LM_PARAMS = ['thinking', 'use_format', 'sample_mode'];

export function needsOf(req: ReleaseRequest): JobNeeds {
  const params = req.params ?? {};
  const audio = Object.entries(req.files ?? {}).filter(([, v]) => typeof v === 'string' && v !== '').map(([k]) => k);
  const taskType = typeof params.task_type === 'string' && params.task_type ? params.task_type : 'text2music';
  const random = params.use_random_seed;
  const fixed = random === false || random === 'false';
  const seed = typeof params.seed === 'number' ? params.seed : typeof params.seed === 'string' && /^\d+$/.test(params.seed) ? Number(params.seed) : undefined;
  const lm = LM_PARAMS.some(k => params[k] === true || params[k] === 'true') || (typeof params.sample_query === 'string' && !!params.sample_query.trim());
  return { audio, taskType, lm, ...(fixed && seed !== undefined && seed >= 0 ? { seed } : {}) };
}

/** How this server can be given the job's audio: uploaded, as a path the caller can place (hand-off), or not at all. */
export type AudioRoute = 'upload' | 'server-path' | 'none';

export function audioRouteOf(flavour: Flavour, handOffAvailable: boolean): AudioRoute {
  const c = capabilitiesOf(flavour);
  if (c.uploads) return 'upload';
  if (c.serverPaths && handOffAvailable) return 'server-path';
  return 'none';
}

export interface Refusal {
  message: string;
  /** The Docker server can do it in its other mode (the Gradio API → the standalone API). */
  switchToApi: boolean;
}

/**
 * Why this server cannot carry out the job, or undefined when it can. `handOffAvailable`: the caller can put a
 * file where the server reads it (a folder bind-mounted into the user's Docker container).
 */
export function refusalFor(req: ReleaseRequest, flavour: Flavour, handOffAvailable = false): Refusal | undefined {
  const c = capabilitiesOf(flavour);
  const kind = serverKindLabel(flavour);
  const needs = needsOf(req);
  const editing = needs.audio.length > 0 || needs.taskType !== 'text2music';
  if (editing && (!c.fullParameters || !c.taskTypes.includes(needs.taskType as TaskType))) {
    if (!c.fullParameters) {
      return {
        message: msg('Editing needs the standalone API: the server is the {0}, which drops source audio and task fields, so a {1} would come back as plain text to music. Switch the Docker server to API mode (ACESTEP_MODE=api) and try again.', kind, needs.taskType),
        switchToApi: true,
      };
    }
    return { message: msg('The {0} cannot do the task "{1}".', kind, needs.taskType), switchToApi: false };
  }
  if (!c.referenceAlone && needs.audio.length && (needs.taskType === 'text2music' || !needs.audio.includes('src_audio'))) {
    return {
      message: msg('The {0} takes audio only as the source of a cover or a repaint (with an optional reference beside it): other audio would be used as something else. Remove the audio, or make the song a cover or repaint with src_audio.', kind),
      switchToApi: false,
    };
  }
  if (needs.audio.length && audioRouteOf(flavour, handOffAvailable) === 'none') {
    if (c.serverPaths) {
      return {
        message: msg('The {0} cannot take audio files from this machine: its /release_task answers HTTP 500 to every upload (a bug in that server version: it passes the file paths twice), and it reads only paths on its own machine. Run that server in the Docker setup made by ACE-Step: Create Docker Setup (files are handed over through its inputs folder), or use a newer ACE-Step server or the Docker wrapper\'s.', kind),
        switchToApi: false,
      };
    }
    return { message: msg('The {0} takes no audio files, so {1} cannot be sent.', kind, needs.audio.join(', ')), switchToApi: false };
  }
  return undefined;
}

/** The one-time note for a job that asks a fixed seed of a server that ignores seeds; undefined otherwise. */
export function seedNote(req: ReleaseRequest, flavour: Flavour): string | undefined {
  const { seed } = needsOf(req);
  if (seed === undefined || capabilitiesOf(flavour).seedsHonoured) return undefined;
  return msg('The {0} ignores seed {1}: each take gets a random seed (its sidecar records the real one), so the take cannot be made again from its seed.', serverKindLabel(flavour), seed);
}

/**
 * The seed the server reports (`seed_value`) against the seed asked: a note when a fixed seed was asked and the
 * takes were made with other seeds, unless `seedNote` said so already (a server that ignores seeds).
 */
export function seedMismatch(req: ReleaseRequest, flavour: Flavour | undefined, reported: readonly number[]): string | undefined {
  const { seed } = needsOf(req);
  if (seed === undefined || !reported.length || reported.includes(seed)) return undefined;
  if (flavour && !capabilitiesOf(flavour).seedsHonoured) return undefined;
  return msg('Seed {0} was asked, and the server made the takes with seed {1}: they cannot be made again from the seed asked.', seed, reported.join(', '));
}

/** What a server kind cannot do that users expect, a sentence each (Check Server, the CLI's status): seeds, editing. */
export function limitsOf(flavour: Flavour): { seeds?: string; editing?: string } {
  const c = capabilitiesOf(flavour);
  const out: { seeds?: string; editing?: string } = {};
  if (!c.seedsHonoured) out.seeds = msg('This server ignores seed: every take gets a random seed, so a take cannot be made again from its seed.');
  if (!c.fullParameters) out.editing = msg('Editing takes (repaint, cover, extract…) needs the standalone API: this server drops the source audio and the task.');
  else if (!c.uploads && c.serverPaths) out.editing = msg('This server takes no uploads (HTTP 500): takes to edit reach it only through the inputs folder of a Docker setup made by ACE-Step: Create Docker Setup.');
  return out;
}
