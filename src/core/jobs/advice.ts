// What to do next when a job or a server call failed: the one place that decides it. The answer is data (an id,
// a button label, a sentence); VS Code shows the labels as buttons and runs the step for the id, the chat, the
// tools and the CLI say the sentence. No vscode import; the texts go through msg() (src/core/l10n.ts).
import { capabilitiesOf } from '../api/capabilities';
import { isAceStepError } from '../api/errors';
import { msg } from '../l10n';
import { describedQuery } from './describe-song';
import type { JobSnapshot } from './types';

export type AdviceId =
  | 'switch-to-api' | 'switch-to-gradio' | 'start-server' | 'open-settings' | 'set-api-key'
  | 'submit-without-thinking' | 'try-again' | 'retry-download' | 'check-log' | 'enable-lm';

export interface Advice {
  id: AdviceId;
  /** The button's title; absent when the step is something only the user can do (no button). */
  label?: string;
  /** The step in a sentence. Steps that one sentence covers (start the server, or fix the URL) share it. */
  text: string;
}

export interface AdviceOptions {
  /** The server the failed call went to (a job knows its own). */
  serverUrl?: string;
  /**
   * The Docker mode whose port the server URL is, when that mode is not the one running (server control
   * knows it from the compose files): switching to it is what makes the server answer.
   */
  servingMode?: 'api' | 'gradio';
  /** Where the advice is read: the editor (commands, settings) or a terminal (the CLI: flags, variables). */
  surface?: 'editor' | 'terminal';
}

type Failure = Pick<JobSnapshot, 'state' | 'error' | 'items' | 'serverUrl'> & Partial<Pick<JobSnapshot, 'taskId' | 'outputDir' | 'request' | 'flavour'>>;

function isJob(subject: unknown): subject is Failure {
  return typeof subject === 'object' && subject !== null && 'state' in subject && 'serverUrl' in subject;
}

/** The next steps for a failed, lost or cancelled job, or for an error a server call threw. Best first. */
export function adviceFor(subject: Failure | unknown, options: AdviceOptions = {}): Advice[] {
  const terminal = options.surface === 'terminal';
  if (isJob(subject)) {
    if (subject.state !== 'failed' && subject.state !== 'lost') return [];
    return jobAdvice(subject, { ...options, serverUrl: subject.serverUrl }, terminal);
  }
  if (!isAceStepError(subject)) return [];
  switch (subject.kind) {
    case 'unreachable': return unreachable(options, terminal);
    case 'auth': return [setApiKey(terminal)];
    case 'lm-unavailable': return [{
      id: 'enable-lm',
      text: msg('This needs the ACE-Step LM, and this server has it switched off (ACESTEP_INIT_LLM): enable it in your .env and restart the server.'),
    }];
    default: return [];
  }
}

/** Whether a failure is the server's LM missing (its words, or the kind the client gave it). */
function lmMissing(error: Failure['error']): boolean {
  if (!error) return false;
  return error.kind === 'lm-unavailable' || /\b(LLM|LM)\b|language model/i.test(`${error.message} ${error.serverMessage ?? ''}`);
}

/** A song the server's LM was to write, refused because the LM is not loaded: the fix is in the server's .env. */
function enableLmForDescription(terminal: boolean): Advice {
  const text = terminal
    ? msg('The server\'s LM writes songs from a description, and it is not loaded: set ACESTEP_INIT_LLM=true and an LM model that fits your GPU (ACESTEP_LM_MODEL_PATH, acestep-5Hz-lm-0.6B under 12 GB, 1.7B up to 16 GB, 4B above) in the server\'s .env, restart it (acestep-song server start), and try again; or write the song with a chat model.')
    : msg('The server\'s LM writes songs from a description, and it is not loaded: set ACESTEP_INIT_LLM=true and an LM model that fits your GPU (ACESTEP_LM_MODEL_PATH, acestep-5Hz-lm-0.6B under 12 GB, 1.7B up to 16 GB, 4B above) in the server\'s .env, restart the server, and try again; or write the song with @acestep /write.');
  return { id: 'enable-lm', ...(terminal ? {} : { label: msg('Open .env') }), text };
}

/** The advice as sentences (each shared sentence once), for text: chat, tools, the CLI. */
export function adviceText(advice: readonly Advice[]): string {
  return [...new Set(advice.map(a => a.text))].join(' ');
}

function jobAdvice(job: Failure, options: AdviceOptions, terminal: boolean): Advice[] {
  // In a terminal a job whose takes the server made (only the download failed) is fetched by its task id,
  // whatever broke the download (the key aside, which the fetch needs too).
  if (terminal && job.state === 'failed' && job.items?.length && job.taskId) {
    const out = job.outputDir ? ` --out ${shellWord(job.outputDir)}` : '';
    const fetch: Advice = {
      id: 'retry-download',
      text: msg('The server made the takes but not all of them were downloaded: fetch them with {0}', `acestep-song download ${shellWord(job.taskId)} --server ${shellWord(options.serverUrl ?? '')}${out}`),
    };
    return job.error?.kind === 'auth' ? [setApiKey(true), fetch] : [fetch];
  }
  if (describedQuery(job.request?.params) && !job.items?.length && lmMissing(job.error)) return [enableLmForDescription(terminal)];
  switch (job.error?.kind) {
    case 'unreachable': return unreachable(options, terminal);
    case 'auth': return [setApiKey(terminal)];
    case 'lm-unavailable': return [{
      id: 'submit-without-thinking', label: msg('Submit Without Thinking'),
      text: msg('The server\'s LM is switched off: set thinking: false in the song and generate again.'),
    }];
    case 'queue-full': return [{ id: 'try-again', label: msg('Try Again'), text: msg('The server\'s queue is full: try again in a few minutes.') }];
    case 'unsupported':
      // The Gradio-mounted API drops source audio and task fields; the same Docker server's API mode does them.
      if (job.flavour && !capabilitiesOf(job.flavour).fullParameters) {
        return [{
          id: 'switch-to-api', ...(terminal ? {} : { label: msg('Switch to API Mode') }),
          text: terminal
            ? msg('Editing needs the standalone API: switch the Docker server to API mode (acestep-song mode api) and point --server at it.')
            : msg('Editing needs the standalone API: switch the Docker server to API mode.'),
        }];
      }
      return [];
    default:
      // The server made the takes and only the download failed: fetching them again is enough.
      if (job.items?.length && !terminal) {
        return [{ id: 'retry-download', label: msg('Retry Download'), text: msg('The server made the takes but not all of them were downloaded: retry the download.') }];
      }

      if (job.state === 'lost') {
        return [{ id: 'try-again', label: msg('Try Again'), text: msg('The server no longer knows this job (it was restarted?): generate again.') }];
      }
      if (terminal) {
        return [{ id: 'check-log', text: msg('Check the ACE-Step server\'s log (docker compose logs in the ACE-Step folder) and generate again.') }];
      }
      {
        const text = msg('Check the ACE-Step log (ACE-Step: Show Log) and generate again.');
        return [{ id: 'try-again', label: msg('Try Again'), text }, { id: 'check-log', label: msg('Show Log'), text }];
      }
  }
}

function unreachable(options: AdviceOptions, terminal: boolean): Advice[] {
  const url = options.serverUrl ?? '';
  if (terminal) {
    return [{ id: 'start-server', text: msg('No ACE-Step server answers at {0}: start it (acestep-song server start, or docker compose up -d in the ACE-Step folder) or pass --server.', url) }];
  }
  const text = msg('No ACE-Step server answers at {0}: start it (ACE-Step: Start Server, or docker compose up -d in the ACE-Step folder) or point acestep.serverUrl at it.', url);
  const out: Advice[] = [];
  if (options.servingMode === 'api') {
    out.push({ id: 'switch-to-api', label: msg('Switch to API Mode'), text: msg('{0} is the address of the server\'s API mode, and the server runs the other mode: switch it to API mode.', url) });
  } else if (options.servingMode === 'gradio') {
    out.push({ id: 'switch-to-gradio', label: msg('Switch to Gradio Mode'), text: msg('{0} is the address of the server\'s Gradio mode, and the server runs the other mode: switch it to Gradio mode.', url) });
  }
  out.push({ id: 'start-server', label: msg('Start Server'), text }, { id: 'open-settings', label: msg('Open Settings'), text });
  return out;
}

function setApiKey(terminal: boolean): Advice {
  return terminal
    ? { id: 'set-api-key', text: msg('The server wants an API key: set ACESTEP_API_KEY.') }
    : { id: 'set-api-key', label: msg('Set API Key'), text: msg('The server wants an API key: run ACE-Step: Set API Key.') };
}

/** A word for a shell command line: as it is when it is plain, else in single quotes. */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
