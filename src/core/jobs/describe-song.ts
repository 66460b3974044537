// "New Song from a Description": the server's own 5 Hz LM writes the caption, lyrics and metadata from one
// sentence (`sample_query` on /release_task), then generates. This plans that job (the request, the title,
// the .song it will be written to and the takes' folder) for the editor command, the chat tool and the CLI.
// No vscode import. The .song body is made from the result by src/core/ai/sample-song.ts.
import * as path from 'node:path';
import { msg } from '../l10n';
import { LANGUAGES } from '../song/schema';
import type { AudioFormat } from '../song/types';
import { slugify } from './files';
import { outputDirFor, type JobPlan, type PlanSettings } from './plan';

/** What the user asks for: the sentence and the few hints the server's LM takes. */
export interface Description {
  description: string;
  /** A vocal language code (`en`, `de`, …); absent: the LM (or the sentence) decides. */
  language?: string;
  /** No vocals. The server reads this from the sentence ("instrumental"), so it is added there. */
  instrumental?: boolean;
  /** Seconds. The server's LM picks the length itself; this becomes a hint in the sentence. */
  duration?: number;
}

export const DESCRIPTION_MAX_CHARS = 1000;
export const DESCRIBED_DURATION = { min: 10, max: 600 } as const;

/** Why a description cannot be sent (a sentence), or undefined. */
export function descriptionProblem(d: Description): string | undefined {
  const text = d.description.trim();
  if (!text) return msg('Describe the song in a sentence.');
  if (text.length > DESCRIPTION_MAX_CHARS) return msg('The description is longer than {0} characters.', DESCRIPTION_MAX_CHARS);
  if (d.language !== undefined && !LANGUAGES.includes(d.language)) return msg('"{0}" is not a language code the server knows (en, de, ja, …).', d.language);
  if (d.duration !== undefined && !(Number.isFinite(d.duration) && d.duration >= DESCRIBED_DURATION.min && d.duration <= DESCRIBED_DURATION.max)) {
    return msg('The duration must be {0} to {1} seconds.', DESCRIBED_DURATION.min, DESCRIBED_DURATION.max);
  }
  return undefined;
}

/**
 * The sentence sent as `sample_query`. The server takes "instrumental" only from the sentence itself, and its LM
 * chooses the length, so both go in as words; the language also goes as `vocal_language` (see describedRequest).
 */
export function sampleQuery(d: Description): string {
  let q = d.description.trim().replace(/\s+/g, ' ');
  const end = () => (/[.!?]$/.test(q) ? ' ' : '. ');
  if (d.instrumental && !/\binstrumental\b/i.test(q)) q += `${end()}Instrumental, no vocals.`;
  if (d.duration !== undefined) q += `${end()}About ${Math.round(d.duration)} seconds long.`;
  return q;
}

const TRAILING = new Set(['a', 'an', 'the', 'and', 'or', 'with', 'in', 'of', 'for', 'about', 'to', 'by', 'on', 'at', 'from', 'kind', 'like']);

/** A title from the first words of the sentence ("A creative black metal song"). */
export function describedTitle(description: string): string {
  const words = description.trim().replace(/[^\p{L}\p{N}'\s-]+/gu, ' ').split(/\s+/).filter(Boolean).slice(0, 6);
  // Not ending on a small word ("… song with").
  while (words.length > 2 && TRAILING.has(words[words.length - 1].toLowerCase())) words.pop();
  const title = words.join(' ');
  return title ? title[0].toUpperCase() + title.slice(1) : 'Described song';
}

export interface DescribedPlanInput extends Description {
  serverUrl: string;
  /** The folder the .song goes to (absolute). */
  songDir: string;
  /** Whether a path exists already: the .song never replaces a file (a number is added instead). */
  exists: (file: string) => boolean;
  settings?: PlanSettings;
  workspaceFolder?: string;
  cwd?: string;
  /** An explicit folder for the takes (the CLI's --out), relative to `cwd`. */
  outputDir?: string;
}

export interface DescribedPlan {
  plan: JobPlan;
  /** Where the .song is to be written once the LM's answer is in. */
  songPath: string;
  /** The sentence as sent. */
  query: string;
}

/**
 * The job: `sample_query` (the server's LM writes and then generates), thinking on (the LM is needed anyway),
 * the user's language as `vocal_language`. The takes go where the .song's own takes would, so "Regenerate"
 * and "Use These Settings" know the song later.
 */
export function planDescribedSong(input: DescribedPlanInput): DescribedPlan {
  const problem = descriptionProblem(input);
  if (problem) throw new Error(problem);
  const title = describedTitle(input.description);
  const base = slugify(title, 48) || 'described-song';
  let songPath = path.join(input.songDir, `${base}.song`);
  for (let n = 2; input.exists(songPath) || input.exists(outputDirFor(input.settings?.outputDirectory ?? '', { songPath, title })); n++) {
    songPath = path.join(input.songDir, `${base}-${n}.song`);
  }
  const query = sampleQuery(input);
  const settings = input.settings ?? {};
  const params: Record<string, unknown> = {
    sample_query: query,
    thinking: true,
    batch_size: settings.batchSize ?? 1,
    audio_format: (settings.audioFormat ?? 'mp3') satisfies AudioFormat,
  };
  if (input.language) params.vocal_language = input.language;
  const cwd = input.cwd ?? process.cwd();
  const outputDir = input.outputDir !== undefined
    ? path.resolve(cwd, input.outputDir)
    : outputDirFor(settings.outputDirectory ?? '', { songPath, title, workspaceFolder: input.workspaceFolder, cwd });
  return {
    plan: { serverUrl: input.serverUrl, request: { params, files: {} }, title, songPath, outputDir, description: input.description.trim() },
    songPath,
    query,
  };
}

/** The description a job was planned from (its `sample_query`), if it was. */
export function describedQuery(params: Record<string, unknown> | undefined): string | undefined {
  const q = params?.sample_query;
  return typeof q === 'string' && q.trim() ? q : undefined;
}
