// What a generation job is before it is submitted: the request, the title and the output folder, decided in
// one place for the editor command, the chat, the language model tools and the CLI. No vscode import.
import * as path from 'node:path';
import { estimateDuration } from '../song/estimate';
import { parseLora } from '../song/lora';
import { toReleaseRequest } from '../song/request';
import type { AudioFormat, ParsedSong } from '../song/types';
import { slugify } from './files';
import type { DispatchInput } from './dispatch-types';
import type { SubmitInput } from './manager';
import type { JobRecord } from './types';

/** Request parameters a caller may set over the song's own (under the server's names). */
export interface RequestOverrides {
  /** false: generate without the LM's thinking (the retry when the server's LM is off). */
  thinking?: boolean;
  batch_size?: number;
  audio_format?: AudioFormat;
}

/** The settings that shape a job (`acestep.outputDirectory`, `acestep.defaultBatchSize`, …); all optional. */
export interface PlanSettings {
  /** A folder template: ${songDir}, ${songName} and ${workspaceFolder}; relative paths start at the song's folder. */
  outputDirectory?: string;
  batchSize?: number;
  audioFormat?: AudioFormat;
}

export interface PlanInput {
  song: ParsedSong;
  /** The song's file, when it is one (absolute). */
  songPath?: string;
  serverUrl: string;
  settings?: PlanSettings;
  /** The first workspace folder (the editor), for ${workspaceFolder} and songs that are not files. */
  workspaceFolder?: string;
  /** Where relative paths start when nothing else says (default: the process's). */
  cwd?: string;
  /** An explicit output folder (the CLI's --out), over the setting; relative to `cwd`. */
  outputDir?: string;
  overrides?: RequestOverrides;
}

/** What to submit: exactly what JobManager.submit() takes. */
export type JobPlan = SubmitInput;

/** The song's title, else its file name without the extension; undefined for an untitled unsaved song. */
export function songTitle(song: ParsedSong, songPath?: string): string | undefined {
  return song.params.title?.trim() || (songPath ? path.basename(songPath, path.extname(songPath)) : undefined);
}

export function planJob(input: PlanInput): JobPlan {
  const { song, songPath, settings = {} } = input;
  const cwd = input.cwd ?? process.cwd();
  const baseDir = songPath ? path.dirname(songPath) : (input.workspaceFolder ?? cwd);
  const request = toReleaseRequest(song, {
    baseDir,
    ...(settings.batchSize !== undefined ? { batchSize: settings.batchSize } : {}),
    ...(settings.audioFormat !== undefined ? { audioFormat: settings.audioFormat } : {}),
  });
  Object.assign(request.params, input.overrides ?? {});
  const title = songTitle(song, songPath) ?? 'untitled song';
  const outputDir = input.outputDir !== undefined
    ? path.resolve(cwd, input.outputDir)
    : outputDirFor(settings.outputDirectory ?? '', { songPath, title, workspaceFolder: input.workspaceFolder, cwd });
  const lora = song.params.lora ? parseLora(song.params.lora) : undefined;
  return { serverUrl: input.serverUrl, request, title, ...(songPath ? { songPath } : {}), outputDir, ...(lora && !('error' in lora) ? { lora } : {}) };
}

/** The same job again (re-run from the history, or the retry without thinking), with `overrides` on top. */
export function replanJob(job: Pick<JobRecord, 'serverUrl' | 'request' | 'title' | 'songPath' | 'outputDir' | 'lora'>, overrides: RequestOverrides = {}): JobPlan {
  return {
    serverUrl: job.serverUrl,
    request: { params: { ...job.request.params, ...overrides }, files: { ...job.request.files } },
    title: job.title,
    ...(job.songPath ? { songPath: job.songPath } : {}),
    outputDir: job.outputDir,
    ...(job.lora ? { lora: { ...job.lora } } : {}),
  };
}

/**
 * Where the takes go. The template may use ${songDir}, ${songName} and ${workspaceFolder}; a relative path is
 * taken from the song's folder. Empty: `acestep-output/<song name>/` beside the song (or in the workspace
 * folder, else in `cwd`, for a song that is not a file).
 */
export function outputDirFor(template: string, where: { songPath?: string; title: string; workspaceFolder?: string; cwd?: string }): string {
  const { songPath, title, workspaceFolder } = where;
  const cwd = where.cwd ?? process.cwd();
  const songDir = songPath ? path.dirname(songPath) : workspaceFolder;
  const songName = songPath ? path.basename(songPath, path.extname(songPath)) : title.replace(/[^\w.-]+/g, '-').toLowerCase();
  if (!template) return songDir ? path.join(songDir, 'acestep-output', songName) : path.resolve(cwd, 'acestep-output', slugify(title));
  const expanded = template
    .replace(/\$\{songDir\}/g, songDir ?? '')
    .replace(/\$\{songName\}/g, songName)
    .replace(/\$\{workspaceFolder\}/g, workspaceFolder ?? '');
  return path.isAbsolute(expanded) ? expanded : path.resolve(songDir ?? cwd, expanded);
}

/** How long the song will be (s): its `duration`, else what its lyrics need. The job's size when dispatching. */
export function songAudioSeconds(song: ParsedSong): number {
  const d = song.params.duration;
  return typeof d === 'number' && d > 0 ? d : estimateDuration(song).seconds;
}

/** A planned song as the dispatcher takes it: no server yet, its size, and the server it names (`server:`), if any. */
export function dispatchInputOf(plan: JobPlan, song: ParsedSong): DispatchInput {
  const { serverUrl: _chosenLater, ...rest } = plan;
  const pin = song.params.server?.trim();
  return { ...rest, audioSeconds: songAudioSeconds(song), ...(pin ? { pin } : {}) };
}

/** Songs in the order a render sends them: longest first, so the short ones at the end fill the gaps between servers. */
export function longestFirst<T>(songs: readonly T[], audioSecondsOf: (song: T) => number): T[] {
  return [...songs].sort((a, b) => audioSecondsOf(b) - audioSecondsOf(a));
}
