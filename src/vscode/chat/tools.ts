// Language model tools for agents (Copilot's agent mode and any participant): check a song, generate one,
// read the jobs, switch the server mode. Every input is checked here (VS Code does not validate it against
// the schema); a bad call answers with a message the model can act on instead of throwing.
import * as vscode from 'vscode';
import { formatDiagnostic } from '../../core/ai';
import { formatValidation, gpuCostText } from '../../core/ai/assistant';
import {
  checkDescribeInput, checkGenerateInput, checkJobStatusInput, checkSwitchModeInput, checkValidateInput, songFromFields, type GenerateSongInput, type InputCheck,
} from '../../core/ai/tool-input';
import { describedOutcomeText } from './describe';
import type { DescribeOutcome } from '../generate/describe-song';
import type { JobSnapshot } from '../../core/jobs';
import { analyzeSong } from '../../core/song';
import type { GenerationService } from '../generate';
import { SONG_LANGUAGE, type SongAnalyzer } from '../song/analyzer';
import { modeSwitchAvailable, type SwitchModeResultLike } from './actions';
import { followJob, jobText, nextStepFor, takeFiles } from './jobs';
import { modeResultText } from './commands/mode';
import { TOOL_NAMES } from './names';
import { editorLintOptions, exists, findSongDocument, generationCost, resolveSongPath, songName } from './songs';
import { findJob, statusReport } from './status-report';
import { COMMANDS } from '../commands';
import { WRAPPER_PORTS } from '../../core/server/types';
import { errorMessage } from '../../core/util/error-message';

export interface ToolDeps {
  generation: GenerationService;
  analyzer: SongAnalyzer;
  log?: vscode.LogOutputChannel;
}

const text = (s: string) => new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(s)]);
const bad = (tool: string, problem: string, example: string) => text(`${tool} was called with invalid input: ${problem}. Example of a valid call: ${example}`);

type Resolved = { ok: true; doc: vscode.TextDocument } | { ok: false; error: string };

/** The document a path names (opened, so unsaved edits count). */
async function documentAt(input: string): Promise<Resolved> {
  const uri = resolveSongPath(input);
  if (!uri) return { ok: false, error: `"${input}" is a relative path and no workspace folder is open: give an absolute path` };
  if (!(await exists(uri))) return { ok: false, error: `there is no file at ${uri.scheme === 'file' ? uri.fsPath : uri.toString()}` };
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.languageId !== SONG_LANGUAGE && !/\.song$/i.test(uri.path)) return { ok: false, error: `${songName(doc)} is not a .song file` };
  return { ok: true, doc };
}

/** A tool whose input is checked before anything else: a bad call is answered with the problem and an example. */
interface CheckedTool<V> {
  check: (input: unknown) => InputCheck<V>;
  /** A valid call, shown to the model after an invalid one. */
  example: string;
  /** What VS Code shows while the tool runs (and the confirmation), from the checked input (undefined: invalid). */
  prepare: (value: V | undefined) => vscode.PreparedToolInvocation | Promise<vscode.PreparedToolInvocation>;
  run: (value: V, token: vscode.CancellationToken) => Promise<vscode.LanguageModelToolResult>;
}

function checkedTool<V>(name: string, tool: CheckedTool<V>): vscode.LanguageModelTool<unknown> {
  return {
    prepareInvocation: options => {
      const c = tool.check(options.input);
      return tool.prepare(c.ok ? c.value : undefined);
    },
    invoke: (options, token) => {
      const c = tool.check(options.input);
      return c.ok ? tool.run(c.value, token) : Promise.resolve(bad(name, c.error, tool.example));
    },
  };
}

// ---------------------------------------------------------------------------------------------

function validateTool(deps: ToolDeps): vscode.LanguageModelTool<unknown> {
  const name = TOOL_NAMES.validate;
  return checkedTool(name, {
    check: checkValidateInput,
    example: '{"path": "songs/night-drive.song"} or {"text": "---\\ncaption: …\\n---\\n[Verse 1]\\n…"}',
    prepare: () => ({ invocationMessage: vscode.l10n.t('Checking the song with the ACE-Step linter') }),
    async run(input) {
      if (input.text !== undefined) return text(formatValidation(analyzeSong(input.text, editorLintOptions()), 'The song text'));
      let doc: vscode.TextDocument | undefined;
      if (input.path !== undefined) {
        const r = await documentAt(input.path);
        if (!r.ok) return bad(name, r.error, '{"path": "<an existing .song file>"}');
        doc = r.doc;
      } else {
        doc = await findSongDocument();
        if (!doc) return bad(name, 'no "path" or "text" was given and no .song file is open in the editor', '{"path": "songs/night-drive.song"}');
      }
      return text(formatValidation(deps.analyzer.analyze(doc), songName(doc)));
    },
  });
}

// ---------------------------------------------------------------------------------------------

/** The song a generate call is about, without side effects (prepareInvocation must have none). */
async function previewSong(input: GenerateSongInput): Promise<{ ok: true; doc?: vscode.TextDocument; text?: string } | { ok: false; error: string }> {
  if (input.kind === 'path') return documentAt(input.path);
  if (input.kind === 'fields') return { ok: true, text: songFromFields(input.fields) };
  const doc = await findSongDocument();
  return doc ? { ok: true, doc } : { ok: false, error: 'no "path" or song fields were given and no .song file is open in the editor' };
}

function generateTool(deps: ToolDeps): vscode.LanguageModelTool<unknown> {
  const name = TOOL_NAMES.generate;
  const example = '{"path": "songs/night-drive.song"} or {"title": "Night Drive", "caption": "synthwave, driving bass, airy female vocals", "lyrics": "[Verse 1]\\n…\\n\\n[Chorus]\\n…", "duration": 150, "bpm": 110}';
  return checkedTool(name, {
    check: checkGenerateInput,
    example,
    async prepare(input) {
      const checking = { invocationMessage: vscode.l10n.t('Checking the song') };
      if (!input) return checking;
      const song = await previewSong(input);
      if (!song.ok) return checking;
      const analysis = song.doc ? deps.analyzer.analyze(song.doc) : analyzeSong(song.text!, editorLintOptions());
      if (analysis.diagnostics.some(d => d.severity === 'error')) return checking;
      const cost = generationCost(song.doc, analysis, deps.generation);
      const where = song.doc ? vscode.l10n.t('Song: {0}', songName(song.doc)) : vscode.l10n.t('The song opens in a new unsaved editor.');
      return {
        invocationMessage: cost.title ? vscode.l10n.t('Generating "{0}" with ACE-Step', cost.title) : vscode.l10n.t('Generating the song with ACE-Step'),
        confirmationMessages: {
          title: vscode.l10n.t('Generate with ACE-Step?'),
          message: new vscode.MarkdownString(`${gpuCostText(cost)}\n\n${where}`),
        },
      };
    },
    async run(input, token) {
      let doc: vscode.TextDocument;
      if (input.kind === 'fields') {
        doc = await vscode.workspace.openTextDocument({ language: SONG_LANGUAGE, content: songFromFields(input.fields) });
        await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: true });
      } else {
        const song = await previewSong(input);
        if (!song.ok || !song.doc) return bad(name, song.ok ? 'no song' : song.error, example);
        doc = song.doc;
      }
      const analysis = deps.analyzer.analyze(doc);
      const errors = analysis.diagnostics.filter(d => d.severity === 'error');
      if (errors.length) {
        return text(`Not submitted: ${songName(doc)} has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${errors.map(d => `- ${formatDiagnostic(d)}`).join('\n')}\n`
          + `Fix ${errors.length === 1 ? 'it' : 'them'} and call ${name} again (${TOOL_NAMES.validate} checks a song without generating it).`);
      }
      if (token.isCancellationRequested) return text('Cancelled before submitting; nothing was generated.');
      let job: JobSnapshot | undefined;
      try {
        job = await vscode.commands.executeCommand<JobSnapshot | undefined>(COMMANDS.generateSong, doc.uri, { quiet: true });
      } catch (e) {
        return text(`Not submitted: ${errorMessage(e)}`);
      }
      if (!job?.id) return text(`Not submitted: ${songName(doc)} could not be saved or checked (see VS Code's message).`);
      const final = await followJob(deps.generation, job.id, token);
      const song = `Song: ${doc.isUntitled ? `${songName(doc)} (not saved yet)` : doc.uri.fsPath}.`;
      if (!final) {
        return text(`Stopped waiting. Job ${job.id} ("${job.title}") goes on in the background on ${job.serverUrl}; the takes are downloaded when it finishes. ${TOOL_NAMES.jobStatus} with {"jobId": "${job.id}"} reports it. ${song}`);
      }
      if (final.state === 'succeeded') {
        const files = takeFiles(final);
        return text(`Generated "${final.title}": ${files.length} take${files.length === 1 ? '' : 's'}:\n${files.map(f => `- ${f}`).join('\n')}\nOutput folder: ${final.outputDir}. ${song} Job id: ${final.id}.`);
      }
      return text(`Generation of "${final.title}" ${final.state === 'lost' ? 'was lost' : final.state}: ${final.error?.message ?? 'unknown error'}${final.error?.serverMessage ? ` (server: ${final.error.serverMessage})` : ''}. ${nextStepFor(final)} ${song} Job id: ${final.id}.`);
    },
  });
}

// ---------------------------------------------------------------------------------------------

function describeTool(): vscode.LanguageModelTool<unknown> {
  const name = TOOL_NAMES.describe;
  return checkedTool(name, {
    check: checkDescribeInput,
    example: '{"description": "a creative black metal song with good lyrics, in English, with cool guitar solos", "duration": 180}',
    prepare(input) {
      if (!input) return { invocationMessage: vscode.l10n.t('Checking the description') };
      return {
        invocationMessage: vscode.l10n.t('ACE-Step\'s LM writes and generates "{0}"', input.description),
        confirmationMessages: {
          title: vscode.l10n.t('Let ACE-Step\'s LM write and generate this song?'),
          message: new vscode.MarkdownString(vscode.l10n.t('"{0}": the server\'s own LM writes the caption, lyrics and length, then generates (GPU time); a .song with what it wrote is saved in the workspace folder.', input.description)),
        },
      };
    },
    async run(input, token) {
      if (token.isCancellationRequested) return text('Cancelled before submitting; nothing was generated.');
      try {
        const outcome = await vscode.commands.executeCommand<DescribeOutcome | undefined>(COMMANDS.newSongFromDescription, { ...input, quiet: true });
        return text(outcome ? describedOutcomeText(outcome) : 'Not submitted.');
      } catch (e) {
        return text(`Not submitted: ${errorMessage(e)}`);
      }
    },
  });
}

// ---------------------------------------------------------------------------------------------

function jobStatusTool(deps: ToolDeps): vscode.LanguageModelTool<unknown> {
  return checkedTool(TOOL_NAMES.jobStatus, {
    check: checkJobStatusInput,
    example: '{} for all pending jobs and the last one, or {"jobId": "<id from acestep_generate_song>"}',
    prepare: () => ({ invocationMessage: vscode.l10n.t('Reading the ACE-Step jobs') }),
    async run(input) {
      const report = await statusReport(deps.generation);
      if (input.jobId) {
        const job = findJob(report, input.jobId);
        if (!job) {
          const known = report.jobs.slice(0, 5).map(j => `${j.id} ("${j.title}", ${j.state})`).join('; ');
          return text(`No job with id ${input.jobId}.${known ? ` Recent jobs: ${known}.` : ' There are no jobs yet.'}`);
        }
        return text(jobText(job));
      }
      const { pending, last } = report;
      const parts = [pending.length ? `Pending jobs (${pending.length}):\n${pending.map(jobText).join('\n')}` : 'No pending jobs.'];
      parts.push(last ? `Last finished job:\n${jobText(last)}` : 'No finished jobs yet.');
      parts.push(`Server: ${report.serverUrl}.`);
      return text(parts.join('\n\n'));
    },
  });
}

// ---------------------------------------------------------------------------------------------

function switchModeTool(): vscode.LanguageModelTool<unknown> {
  return checkedTool(TOOL_NAMES.switchMode, {
    check: checkSwitchModeInput,
    example: '{"mode": "api"}',
    prepare(input) {
      if (!input) return { invocationMessage: vscode.l10n.t('Checking the mode') };
      const api = input.mode === 'api';
      return {
        invocationMessage: api ? vscode.l10n.t('Switching the ACE-Step server to API mode') : vscode.l10n.t('Switching the ACE-Step server to Gradio mode'),
        confirmationMessages: {
          title: api ? vscode.l10n.t('Switch ACE-Step to API mode?') : vscode.l10n.t('Switch ACE-Step to Gradio mode?'),
          message: new vscode.MarkdownString(api
            ? vscode.l10n.t('The ACE-Step container is recreated in API mode (REST API on port {0}, what VS Code generates with): a generation in progress is lost and the models load again (a minute or more).', WRAPPER_PORTS.api)
            : vscode.l10n.t('The ACE-Step container is recreated in Gradio mode (web UI on port {0}): a generation in progress is lost and the models load again (a minute or more).', WRAPPER_PORTS.gradio)),
        },
      };
    },
    async run(input, token) {
      if (!(await modeSwitchAvailable())) {
        return text('Switching the mode is not available in this VS Code window (the ACE-Step server controls are missing). The user can run `acestep-song mode api` (or gradio) in the ACE-Step folder.');
      }
      if (token.isCancellationRequested) return text('Cancelled; the mode was not changed.');
      try {
        const r = await vscode.commands.executeCommand<SwitchModeResultLike | undefined>(COMMANDS.switchMode, input.mode, { confirm: false, quiet: true });
        return text(modeResultText(r, input.mode));
      } catch (e) {
        return text(`The switch failed: ${errorMessage(e)}`);
      }
    },
  });
}

/** The tools by name (registered at activation by ./index.ts, which hands each call on to them). */
export function createTools(deps: ToolDeps): Map<string, vscode.LanguageModelTool<never>> {
  return new Map<string, vscode.LanguageModelTool<never>>([
    [TOOL_NAMES.validate, validateTool(deps)],
    [TOOL_NAMES.generate, generateTool(deps)],
    [TOOL_NAMES.jobStatus, jobStatusTool(deps)],
    [TOOL_NAMES.switchMode, switchModeTool()],
    [TOOL_NAMES.describe, describeTool()],
  ]);
}
