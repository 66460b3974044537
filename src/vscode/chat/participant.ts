// The @acestep chat participant: /write, /generate, /improve, /status, /mode. The handler is exported (through
// registerChat's result) so tests can call it with fake request and stream objects and a real model.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatDiagnostic, improveSong, writeSong, type WriteProgress, type WriteSongOptions, type WriteSongResult, type WriteSongSuccess } from '../../core/ai';
import {
  diffPreview, gpuCostText, helpText, parseModeArgument, routeChatRequest, type ChatCommandName,
} from '../../core/ai/assistant';
import type { ServerMode } from '../../core/ai/tool-input';
import type { JobSnapshot } from '../../core/jobs';
import { formatSeconds } from '../../core/song';
import type { GenerationService } from '../generate';
import type { SongAnalyzer } from '../song/analyzer';
import { openNewSong } from '../song/new-song';
import { modeSwitchAvailable, type ActionBroker, type ActionOutcome, type SwitchModeResultLike } from './actions';
import { followJob, jobText, nextStepFor, takeFiles, takeLinks } from './jobs';
import { chatModel, describeModelFailure, languageModelFn, NO_MODEL_MESSAGE, promptBudget } from './model';
import { type ProposalStore } from './proposals';
import type { SkillFiles } from './skill';
import { chatAutofix, editorValidator, findSongDocument, generationCost, songName } from './songs';
import { COMMANDS, INTERNAL_COMMANDS } from '../commands';

export interface ChatDeps {
  generation: GenerationService;
  analyzer: SongAnalyzer;
  skill: SkillFiles;
  broker: ActionBroker;
  proposals: ProposalStore;
  log?: vscode.LogOutputChannel;
  /** How long an answer waits for its confirmation button (default 10 minutes). */
  confirmTimeoutMs?: number;
}

/** What a result's metadata holds (the follow-ups read it). */
export interface AceStepChatMetadata {
  command: ChatCommandName;
  ok: boolean;
  /** Why it did not work: no-model, no-song, lint-errors, not-confirmed, model error kinds, … */
  reason?: string;
  /** The song written or worked on. */
  song?: string;
  jobId?: string;
  proposal?: string;
}

type Stream = vscode.ChatResponseStream;
type Result = vscode.ChatResult & { metadata: AceStepChatMetadata };

const result = (metadata: AceStepChatMetadata, errorMessage?: string): Result =>
  errorMessage ? { metadata, errorDetails: { message: errorMessage } } : { metadata };

function flavourName(flavour: string): string {
  switch (flavour) {
    case 'W': return vscode.l10n.t('standalone API (Docker wrapper)');
    case 'S': case 'U': return vscode.l10n.t('standalone API');
    case 'G': return vscode.l10n.t('Gradio UI with its API');
    default: return flavour;
  }
}

export function createChatHandler(deps: ChatDeps): vscode.ChatRequestHandler {
  return async (request, _context, stream, token) => {
    const route = routeChatRequest(request.command, request.prompt);
    try {
      switch (route.command) {
        case 'write': return await handleWrite(deps, request, route.prompt, stream, token);
        case 'generate': return await handleGenerate(deps, request, route.prompt, stream, token);
        case 'improve': return await handleImprove(deps, request, route.prompt, stream, token);
        case 'status': return await handleStatus(deps, stream, token);
        case 'mode': return await handleMode(deps, route.prompt, stream, token);
        default:
          stream.markdown(helpText(route.prompt));
          return result({ command: 'help', ok: true });
      }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      deps.log?.error(`@acestep /${route.command} failed: ${e instanceof Error && e.stack ? e.stack : message}`);
      return result({ command: route.command, ok: false, reason: 'internal' }, vscode.l10n.t('Something went wrong: {0}', message));
    }
  };
}

export const followupProvider: vscode.ChatFollowupProvider = {
  provideFollowups(res: vscode.ChatResult): vscode.ChatFollowup[] {
    const m = res.metadata as AceStepChatMetadata | undefined;
    if (!m) return [];
    switch (m.command) {
      case 'write':
        return m.ok
          ? [{ prompt: '', command: 'generate', label: vscode.l10n.t('Generate it') }, { prompt: vscode.l10n.t('make the chorus more memorable'), command: 'improve', label: vscode.l10n.t('Improve the chorus') }]
          : [{ prompt: vscode.l10n.t('a short upbeat pop song about a summer road trip'), command: 'write', label: vscode.l10n.t('Try an example request') }];
      case 'improve':
        return m.ok ? [{ prompt: '', command: 'generate', label: vscode.l10n.t('Generate the song') }] : [];
      case 'generate':
        if (m.reason === 'lint-errors') return [{ prompt: '', command: 'improve', label: vscode.l10n.t('Fix the problems with /improve') }];
        return [{ prompt: '', command: 'status', label: vscode.l10n.t('Server and job status') }];
      case 'status':
        return m.ok ? [] : [{ prompt: '', command: 'mode', label: vscode.l10n.t('Server modes') }];
      case 'help':
        return [{ prompt: vscode.l10n.t('a melancholic indie folk song about leaving a harbour town'), command: 'write', label: vscode.l10n.t('Write an example song') }];
      default:
        return [];
    }
  },
};

// ---------------------------------------------------------------------------------------------
// Writing and improving

function abortOnCancel(token: vscode.CancellationToken): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const sub = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => sub.dispose() };
}

/** Streams the flow's steps: what it is doing, the plan once the song is there, the problems sent back. */
function progressReporter(stream: Stream, verb: 'write' | 'improve'): (e: WriteProgress) => void {
  let plannedSummary: string | undefined;
  return e => {
    if (e.kind === 'status') {
      stream.progress(e.attempt === 1
        ? (verb === 'write' ? vscode.l10n.t('Writing the caption and the lyrics with the songwriting guide…') : vscode.l10n.t('Reviewing the song against the guide…'))
        : vscode.l10n.t('Asking the model to fix the problems…'));
    } else if (e.kind === 'plan') {
      if (plannedSummary === undefined) stream.markdown(`${vscode.l10n.t('**Plan:** {0}', e.summary)}\n\n`);
      else if (e.summary !== plannedSummary) stream.markdown(`${vscode.l10n.t('**Revised:** {0}', e.summary)}\n\n`);
      plannedSummary = e.summary;
      stream.progress(vscode.l10n.t('Checking it with the editor\'s rules…'));
    } else if (e.kind === 'problems') {
      const shown = e.errors.slice(0, 5).map(x => `- ${x}`);
      if (e.errors.length > shown.length) shown.push(`- ${vscode.l10n.t('… and {0} more', e.errors.length - shown.length)}`);
      const heading = e.errors.length === 1
        ? vscode.l10n.t('The draft has 1 problem; sending it back once:')
        : vscode.l10n.t('The draft has {0} problems; sending them back once:', e.errors.length);
      stream.markdown(`${heading}\n${shown.join('\n')}\n\n`);
    }
  };
}

interface FlowFailure { ok: false; result: Result }
interface FlowSuccess { ok: true; song: WriteSongSuccess }

/** Runs writeSong or improveSong with the request's model; a failure is already reported on the stream. */
async function runFlow(
  deps: ChatDeps, request: vscode.ChatRequest, command: ChatCommandName, stream: Stream, token: vscode.CancellationToken,
  run: (common: Omit<WriteSongOptions, 'request'>) => Promise<WriteSongResult>,
  verb: 'write' | 'improve',
): Promise<FlowSuccess | FlowFailure> {
  const model = await chatModel(request.model);
  if (!model) {
    stream.markdown(NO_MODEL_MESSAGE);
    return { ok: false, result: result({ command, ok: false, reason: 'no-model' }) };
  }
  let guide = '';
  try {
    guide = await deps.skill.guide();
  } catch (e) {
    deps.log?.warn(`the songwriting guide could not be read: ${e instanceof Error ? e.message : String(e)}`);
    stream.markdown(`*${vscode.l10n.t('(The songwriting guide is missing from the extension; writing with the format rules only.)')}*\n\n`);
  }
  const abort = abortOnCancel(token);
  const chat = languageModelFn(model, token);
  try {
    const outcome = await run({
      guide, model: chat.fn, validate: editorValidator(), autofix: chatAutofix, signal: abort.signal,
      maxChars: promptBudget(model), onProgress: progressReporter(stream, verb),
    });
    if (outcome.ok) return { ok: true, song: outcome };
    if (outcome.reason === 'cancelled' || token.isCancellationRequested) {
      return { ok: false, result: result({ command, ok: false, reason: 'cancelled' }) };
    }
    if (outcome.reason === 'model-error') {
      const failure = describeModelFailure(chat.lastError(), outcome.message);
      deps.log?.warn(`@acestep: language model error (${failure.kind}): ${String((chat.lastError() as Error | undefined)?.message ?? outcome.message)}`);
      return { ok: false, result: result({ command, ok: false, reason: failure.kind }, failure.message) };
    }
    stream.markdown(outcome.message);
    return { ok: false, result: result({ command, ok: false, reason: outcome.reason }) };
  } finally {
    abort.dispose();
  }
}

function songReport(song: WriteSongSuccess, doc: vscode.TextDocument, deps: ChatDeps): string {
  const analysis = deps.analyzer.analyze(doc);
  const p = analysis.parsed.params;
  const est = analysis.estimate;
  const parts: string[] = [];
  const name = p.title ? `"${p.title}"` : vscode.l10n.t('Your song');
  parts.push(typeof p.duration === 'number'
    ? vscode.l10n.t('**{0}** is open in a new editor ({1}). Length: {2} (the lyrics need about {3}).', name, songName(doc), formatSeconds(p.duration), formatSeconds(est.seconds))
    : vscode.l10n.t('**{0}** is open in a new editor ({1}). Length: auto (the lyrics need about {2}).', name, songName(doc), formatSeconds(est.seconds)));
  if (song.remainingErrors.length === 0) {
    parts.push(song.attempts > 1 ? vscode.l10n.t('It passes the editor\'s checks after one round of fixes.') : vscode.l10n.t('It passes the editor\'s checks.'));
  } else {
    const list = song.remainingErrors.slice(0, 8).map(x => `- ${x}`).join('\n');
    const heading = song.remainingErrors.length === 1
      ? vscode.l10n.t('1 problem left (see the Problems panel; `/improve` can fix it):')
      : vscode.l10n.t('{0} problems left (see the Problems panel; `/improve` can fix them):', song.remainingErrors.length);
    parts.push(`${heading}\n${list}`);
  }
  const notes = song.notes.filter(n => !/asked the model to fix/.test(n)).slice(0, 4);
  if (notes.length) parts.push(`_${vscode.l10n.t('Repairs: {0}.', notes.join('; '))}_`);
  return parts.join('\n\n') + '\n\n';
}

async function writeAndOpen(deps: ChatDeps, request: vscode.ChatRequest, prompt: string, command: ChatCommandName, stream: Stream, token: vscode.CancellationToken): Promise<{ ok: true; doc: vscode.TextDocument; song: WriteSongSuccess } | FlowFailure> {
  stream.progress(vscode.l10n.t('Planning the song…'));
  const flow = await runFlow(deps, request, command, stream, token, common => writeSong({ ...common, request: prompt }), 'write');
  if (!flow.ok) return flow;
  if (token.isCancellationRequested) return { ok: false, result: result({ command, ok: false, reason: 'cancelled' }) };
  const editor = await openNewSong(flow.song.text);
  stream.markdown(songReport(flow.song, editor.document, deps));
  return { ok: true, doc: editor.document, song: flow.song };
}

async function handleWrite(deps: ChatDeps, request: vscode.ChatRequest, prompt: string, stream: Stream, token: vscode.CancellationToken): Promise<Result> {
  const written = await writeAndOpen(deps, request, prompt, 'write', stream, token);
  if (!written.ok) return written.result;
  return result({ command: 'write', ok: true, song: written.doc.uri.toString(), ...(written.song.remainingErrors.length ? { reason: 'problems-left' } : {}) });
}

async function handleImprove(deps: ChatDeps, request: vscode.ChatRequest, prompt: string, stream: Stream, token: vscode.CancellationToken): Promise<Result> {
  const doc = await findSongDocument(request.references);
  if (!doc) {
    stream.markdown(vscode.l10n.t('Open the `.song` file you want me to improve (or attach it with `#file`), then ask again. To start a new song, use `/write`.'));
    return result({ command: 'improve', ok: false, reason: 'no-song' });
  }
  const before = doc.getText();
  const lintMessages = deps.analyzer.analyze(doc).diagnostics.map(formatDiagnostic);
  stream.progress(lintMessages.length === 0 ? vscode.l10n.t('Reviewing {0}…', songName(doc))
    : lintMessages.length === 1 ? vscode.l10n.t('Reviewing {0} and its lint message…', songName(doc))
      : vscode.l10n.t('Reviewing {0} and its {1} lint messages…', songName(doc), lintMessages.length));
  const flow = await runFlow(deps, request, 'improve', stream, token,
    common => improveSong({ ...common, song: before, lintMessages, ...(prompt ? { instruction: prompt } : {}) }), 'improve');
  if (!flow.ok) return flow.result;
  const proposalText = flow.song.text;
  const preview = diffPreview(before, proposalText);
  if (preview.added === 0 && preview.removed === 0) {
    stream.markdown(vscode.l10n.t('No changes to propose: the song already follows the guide and passes the checks.'));
    return result({ command: 'improve', ok: true, song: doc.uri.toString(), reason: 'no-changes' });
  }
  const proposal = deps.proposals.create(doc, proposalText);
  try {
    await vscode.commands.executeCommand('vscode.diff', doc.uri, proposal.uri, vscode.l10n.t('{0} ↔ @acestep proposal', path.basename(doc.uri.path)), { preview: true });
  } catch (e) {
    deps.log?.warn(`could not open the diff: ${e instanceof Error ? e.message : String(e)}`);
  }
  const proposed = vscode.l10n.t('Proposed edit (+{0} −{1} lines), open in the diff editor:', preview.added, preview.removed);
  stream.markdown(`${proposed}\n\n\`\`\`diff\n${preview.text.replace(/```/g, "'''")}\n\`\`\`\n\n`);
  const left = flow.song.remainingErrors.length;
  if (left) {
    const heading = left === 1 ? vscode.l10n.t('Still 1 problem after the edit:') : vscode.l10n.t('Still {0} problems after the edit:', left);
    stream.markdown(`${heading}\n${flow.song.remainingErrors.slice(0, 5).map(x => `- ${x}`).join('\n')}\n\n`);
  }
  stream.button({ command: INTERNAL_COMMANDS.chatApplyProposal, title: `$(check) ${vscode.l10n.t('Apply')}`, arguments: [proposal.id] });
  return result({ command: 'improve', ok: true, song: doc.uri.toString(), proposal: proposal.id });
}

// ---------------------------------------------------------------------------------------------
// Generating

async function handleGenerate(deps: ChatDeps, request: vscode.ChatRequest, prompt: string, stream: Stream, token: vscode.CancellationToken): Promise<Result> {
  let doc: vscode.TextDocument | undefined;
  if (prompt) {
    const written = await writeAndOpen(deps, request, prompt, 'generate', stream, token);
    if (!written.ok) return written.result;
    doc = written.doc;
  } else {
    doc = await findSongDocument(request.references);
  }
  if (!doc) {
    stream.markdown(vscode.l10n.t('Open the `.song` file to generate, or tell me what to write first: `/generate a lo-fi beat to study to`.'));
    return result({ command: 'generate', ok: false, reason: 'no-song' });
  }
  const analysis = deps.analyzer.analyze(doc);
  const errors = analysis.diagnostics.filter(d => d.severity === 'error');
  if (errors.length) {
    const list = errors.slice(0, 8).map(d => `- ${formatDiagnostic(d)}`).join('\n');
    const heading = errors.length === 1
      ? vscode.l10n.t('{0} has 1 error to fix before it can be generated:', songName(doc))
      : vscode.l10n.t('{0} has {1} errors to fix before it can be generated:', songName(doc), errors.length);
    const advice = errors.length === 1
      ? vscode.l10n.t('Fix it in the editor (quick fixes are on the light bulb) or ask `/improve`.')
      : vscode.l10n.t('Fix them in the editor (quick fixes are on the light bulb) or ask `/improve`.');
    stream.markdown(`${heading}\n${list}\n\n${advice}`);
    return result({ command: 'generate', ok: false, reason: 'lint-errors', song: doc.uri.toString() });
  }
  const cost = generationCost(doc, analysis, deps.generation);
  const ticket = deps.broker.newTicket();
  stream.markdown(`${gpuCostText(cost)}\n\n${vscode.l10n.t('Generate it?')}\n\n`);
  stream.button({
    command: INTERNAL_COMMANDS.chatRunAction, title: `$(play) ${vscode.l10n.t('Generate ({0} × {1})', cost.takes, formatSeconds(cost.durationSeconds))}`,
    arguments: [ticket, { kind: 'generate', uri: doc.uri.toString() }],
  });
  stream.button({ command: INTERNAL_COMMANDS.chatDismissAction, title: vscode.l10n.t('Not Now'), arguments: [ticket] });
  const outcome = await deps.broker.wait(ticket, token, deps.confirmTimeoutMs ?? 10 * 60_000);
  const song = doc.uri.toString();
  if (outcome.kind !== 'ran') return notConfirmed('generate', outcome, stream, song, vscode.l10n.t('Not generated.'));
  let job: JobSnapshot | undefined;
  try {
    job = await outcome.result as JobSnapshot | undefined;
  } catch (e) {
    stream.markdown(vscode.l10n.t('The song could not be submitted: {0}', e instanceof Error ? e.message : String(e)));
    return result({ command: 'generate', ok: false, reason: 'submit-failed', song });
  }
  if (!job?.id) {
    stream.markdown(vscode.l10n.t('The song was not submitted (see the message VS Code showed: it may have errors now, or could not be saved).'));
    return result({ command: 'generate', ok: false, reason: 'submit-failed', song });
  }
  stream.progress(vscode.l10n.t('Submitted "{0}" to {1}…', job.title, job.serverUrl));
  const final = await followJob(deps.generation, job.id, token, line => stream.progress(line));
  if (!final) {
    return result({ command: 'generate', ok: false, reason: 'cancelled', song, jobId: job.id });
  }
  reportJob(final, stream);
  return result({ command: 'generate', ok: final.state === 'succeeded', ...(final.state === 'succeeded' ? {} : { reason: final.state }), song, jobId: final.id });
}

function notConfirmed(command: ChatCommandName, outcome: Exclude<ActionOutcome, { kind: 'ran' }>, stream: Stream, song: string | undefined, what: string): Result {
  if (outcome.kind === 'timeout') stream.markdown(vscode.l10n.t('{0} (no answer for a while). The button above still works; the result then shows in a notification.', what));
  else if (outcome.kind === 'dismissed') stream.markdown(what);
  return result({ command, ok: false, reason: outcome.kind === 'cancelled' ? 'cancelled' : 'not-confirmed', ...(song ? { song } : {}) });
}

function reportJob(job: JobSnapshot, stream: Stream): void {
  if (job.state === 'succeeded') {
    const files = takeFiles(job);
    const done = files.length === 1
      ? vscode.l10n.t('Done: **"{0}"**, 1 take in {1}:', job.title, job.outputDir)
      : vscode.l10n.t('Done: **"{0}"**, {1} takes in {2}:', job.title, files.length, job.outputDir);
    stream.markdown(`${done}\n${takeLinks(job)}\n\n`);
    stream.button({ command: COMMANDS.openTakes, title: `$(play) ${vscode.l10n.t('Play')}`, arguments: [job.id] });
    if (files[0]) stream.button({ command: 'revealFileInOS', title: `$(folder-opened) ${vscode.l10n.t('Reveal')}`, arguments: [vscode.Uri.file(files[0])] });
    return;
  }
  if (job.state === 'cancelled') {
    stream.markdown(vscode.l10n.t('"{0}" was cancelled.', job.title));
    return;
  }
  const reason = job.error?.message ?? vscode.l10n.t('unknown error');
  const serverSaid = job.error?.serverMessage && !job.error.message.includes(job.error.serverMessage) ? job.error.serverMessage : undefined;
  const what = job.state === 'lost'
    ? (serverSaid ? vscode.l10n.t('"{0}" was lost: {1}. Server said: {2}', job.title, reason, serverSaid) : vscode.l10n.t('"{0}" was lost: {1}.', job.title, reason))
    : (serverSaid ? vscode.l10n.t('"{0}" failed: {1}. Server said: {2}', job.title, reason, serverSaid) : vscode.l10n.t('"{0}" failed: {1}.', job.title, reason));
  stream.markdown(`${what}\n\n${nextStepFor(job)}`);
}

// ---------------------------------------------------------------------------------------------
// Status and mode

function withTimeout<T>(p: Promise<T>, ms: number, token: vscode.CancellationToken): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(vscode.l10n.t('no answer within {0} s', Math.round(ms / 1000)))), ms);
    const sub = token.onCancellationRequested(() => reject(new Error(vscode.l10n.t('cancelled'))));
    p.then(v => { clearTimeout(timer); sub.dispose(); resolve(v); }, e => { clearTimeout(timer); sub.dispose(); reject(e); });
  });
}

async function handleStatus(deps: ChatDeps, stream: Stream, token: vscode.CancellationToken): Promise<Result> {
  const url = deps.generation.serverUrl();
  stream.progress(vscode.l10n.t('Asking the server at {0}…', url));
  let reachable = true;
  const lines: string[] = [];
  try {
    const info = await withTimeout(deps.generation.serverInfo(url), 15_000, token);
    const lm = info.lmLoaded === undefined ? ''
      : !info.lmLoaded ? vscode.l10n.t('LM not loaded: songs need `thinking: false`.')
        : info.lmModel ? vscode.l10n.t('LM loaded ({0}).', info.lmModel) : vscode.l10n.t('LM loaded.');
    const models = info.models.map(m => m.name).join(', ');
    const sentences = [
      vscode.l10n.t('**Server:** {0}: {1} {2}, {3}.', url, info.service, info.version, flavourName(info.flavour)),
      models ? vscode.l10n.t('Models: {0}.', models) : vscode.l10n.t('Models: none listed.'),
      lm,
    ];
    lines.push(sentences.filter(Boolean).join(' '));
  } catch (e) {
    if (token.isCancellationRequested) return result({ command: 'status', ok: false, reason: 'cancelled' });
    reachable = false;
    lines.push(vscode.l10n.t('**Server:** no answer at {0} ({1}). Start it (ACE-Step: Start Server, or `docker compose up -d` in the ACE-Step folder), check `acestep.serverUrl`, or switch the mode with `/mode`.',
      url, e instanceof Error ? e.message : String(e)));
  }
  const jobs = deps.generation.list().sort((a, b) => b.createdAt - a.createdAt);
  const pending = jobs.filter(j => !['succeeded', 'failed', 'lost', 'cancelled'].includes(j.state));
  const last = jobs.find(j => ['succeeded', 'failed', 'lost', 'cancelled'].includes(j.state));
  if (pending.length) lines.push(`${vscode.l10n.t('**Running:**')}\n${pending.map(j => `- ${jobText(j).replace(/\n/g, '\n  ')}`).join('\n')}`);
  else lines.push(vscode.l10n.t('**Running:** nothing.'));
  if (last) lines.push(vscode.l10n.t('**Last job:** {0}', jobText(last).replace(/\n  /g, '\n- ')));
  stream.markdown(lines.join('\n\n'));
  if (last?.state === 'succeeded' && takeFiles(last).length) stream.button({ command: COMMANDS.openTakes, title: `$(play) ${vscode.l10n.t('Play the Last Takes')}`, arguments: [last.id] });
  return result({ command: 'status', ok: reachable, ...(reachable ? {} : { reason: 'unreachable' }), ...(last ? { jobId: last.id } : {}) });
}

const MODE_LABEL: Record<ServerMode, string> = { api: 'API', gradio: 'Gradio' };

async function handleMode(deps: ChatDeps, prompt: string, stream: Stream, token: vscode.CancellationToken): Promise<Result> {
  if (!(await modeSwitchAvailable())) {
    stream.markdown(vscode.l10n.t('Switching the server mode needs the ACE-Step server controls, which are not available in this window. From a terminal in the ACE-Step folder: `acestep-song mode api` (or `gradio`).'));
    return result({ command: 'mode', ok: false, reason: 'unavailable' });
  }
  const mode = parseModeArgument(prompt);
  const ticket = deps.broker.newTicket();
  const explain = vscode.l10n.t('The Docker server runs one mode at a time: **API** (REST API on port 8501, what VS Code generates with) or **Gradio** (the web UI on port 8500).');
  const restart = vscode.l10n.t('Switching recreates the ACE-Step container: a generation in progress is lost and the models load again (a minute or more).');
  const switchTitle = (m: ServerMode) => (m === 'api' ? vscode.l10n.t('Switch to API Mode') : vscode.l10n.t('Switch to Gradio Mode'));
  if (!mode) {
    stream.markdown(`${explain} ${vscode.l10n.t('Generation currently goes to {0}.', deps.generation.serverUrl())}\n\n${restart}\n\n`);
    for (const m of ['api', 'gradio'] as const) stream.button({ command: INTERNAL_COMMANDS.chatRunAction, title: switchTitle(m), arguments: [ticket, { kind: 'mode', mode: m }] });
  } else {
    stream.markdown(`${vscode.l10n.t('Switch the server to **{0}** mode?', MODE_LABEL[mode])} ${restart}\n\n`);
    stream.button({ command: INTERNAL_COMMANDS.chatRunAction, title: switchTitle(mode), arguments: [ticket, { kind: 'mode', mode }] });
  }
  stream.button({ command: INTERNAL_COMMANDS.chatDismissAction, title: vscode.l10n.t('Cancel'), arguments: [ticket] });
  const outcome = await deps.broker.wait(ticket, token, deps.confirmTimeoutMs ?? 10 * 60_000);
  if (outcome.kind !== 'ran') return notConfirmed('mode', outcome, stream, undefined, vscode.l10n.t('The mode was not changed.'));
  const target = outcome.action.kind === 'mode' ? outcome.action.mode : (mode ?? 'api');
  stream.progress(vscode.l10n.t('Switching to {0} mode (the container restarts and the models load)…', MODE_LABEL[target]));
  let r: SwitchModeResultLike | undefined;
  try {
    r = await outcome.result as SwitchModeResultLike | undefined;
  } catch (e) {
    stream.markdown(vscode.l10n.t('The switch failed: {0}', e instanceof Error ? e.message : String(e)));
    return result({ command: 'mode', ok: false, reason: 'failed' });
  }
  stream.markdown(modeResultText(r, target));
  return result({ command: 'mode', ok: r?.ok === true, ...(r?.ok ? {} : { reason: 'failed' }) });
}

/** acestep.switchMode's result in words (shared with the switch tool). */
export function modeResultText(r: SwitchModeResultLike | undefined, target: ServerMode): string {
  if (!r) return vscode.l10n.t('The server was not switched to {0} mode (cancelled).', MODE_LABEL[target]);
  if (r.ok) {
    const mode = MODE_LABEL[(r.mode as ServerMode) ?? target] ?? r.mode;
    const now = r.url ? vscode.l10n.t('The server now runs in {0} mode at {1}.', mode, r.url) : vscode.l10n.t('The server now runs in {0} mode.', mode);
    return r.warning ? `${now} ${vscode.l10n.t('Note: {0}', r.warning)}` : now;
  }
  const failed = vscode.l10n.t('The switch to {0} mode failed: {1}', MODE_LABEL[target], r.problem?.message ?? vscode.l10n.t('unknown problem'));
  return r.problem?.nextStep ? `${failed}\n\n${r.problem.nextStep}` : failed;
}
