// Pure pieces of the @acestep chat participant and the language model tools: which command a chat request
// means, the GPU cost sentence shown before a generation, language model errors in plain words and the
// validation report of a song. No `vscode` import: the adapters in src/vscode/chat call these.
import { diffLines } from '../player/diff';
import { formatSeconds, type SongAnalysis } from '../song';
import { formatDiagnostic } from './validate';
import { WRAPPER_PORTS } from '../server/types';

// ---------------------------------------------------------------------------------------------
// Routing

export type ChatCommandName = 'write' | 'generate' | 'improve' | 'status' | 'mode' | 'help';

export const CHAT_COMMANDS: readonly Exclude<ChatCommandName, 'help'>[] = ['write', 'generate', 'improve', 'status', 'mode'];

export interface ChatRoute {
  command: ChatCommandName;
  /** The prompt without a leading `/command` the chat did not parse itself. */
  prompt: string;
  /** True when no command was given and the prompt was taken for a song request. */
  inferred: boolean;
}

const MUSIC_WORDS = new RegExp(String.raw`\b(?:${[
  'songs?', 'lyrics?', 'tracks?', 'jingles?', 'ballads?', 'anthems?', 'tunes?', 'melod(?:y|ies)', 'music(?:al)?', 'beats?',
  'instrumentals?', 'soundtracks?', 'theme(?: song| tune| music)?', 'chorus', 'verses?', 'raps?', 'hymns?', 'lullab(?:y|ies)',
  'serenades?', 'ditty', 'shant(?:y|ies)', 'carols?', 'chants?', 'odes?', 'sing(?:-along)?', 'karaoke', 'riffs?', 'grooves?',
  'rock', 'pop', 'metal', 'jazz', 'blues', 'lo-?fi', 'hip[- ]?hop', 'edm', 'techno', 'house music', 'trance', 'dubstep',
  'country', 'folk', 'punk', 'reggae', 'disco', 'funk', 'soul', 'r&b', 'orchestral', 'symphonic', 'ambient', 'trap', 'k-pop',
  'synthwave', 'opera', 'waltz', 'polka', 'gospel', 'bossa nova', 'samba', 'salsa', 'tango', 'flamenco', 'grunge', 'emo',
  'drum (?:and|&|n) bass', 'chiptune', 'cinematic', 'acoustic', 'a cappella', 'duet', 'bpm',
  'lied(?:je)?s?', 'chansons?', 'canci[oó]n(?:es)?', 'canzon[ei]', 'músicas?', 'lieder',
].join('|')})\b`, 'i');

/** Questions about music or the tool ("how do I write a chorus?") are not song requests. */
const QUESTION = /^\s*(?:how|what|why|where|when|which|who|whose|explain|tell me about)\b|^\s*(?:is|are|does|do|did|should)\s+(?:it|there|this|that|the|a|an|you|i|we|they|my)\b/i;

/** True when a prompt without a command reads as a request for a new song. */
export function looksLikeSongRequest(prompt: string): boolean {
  const text = prompt.trim();
  return text.length >= 3 && MUSIC_WORDS.test(text) && !QUESTION.test(text);
}

/** Which command a chat request means. The chat normally parses `/write`; a raw `/write …` in the text works too. */
export function routeChatRequest(command: string | undefined, prompt: string): ChatRoute {
  const text = (prompt ?? '').trim();
  const known = (c: string | undefined): c is Exclude<ChatCommandName, 'help'> => !!c && (CHAT_COMMANDS as readonly string[]).includes(c);
  if (command) {
    const c = command.trim().toLowerCase();
    return { command: known(c) ? c : 'help', prompt: text, inferred: false };
  }
  const slash = /^\/([a-z]+)\b\s*([\s\S]*)$/i.exec(text);
  if (slash) {
    const c = slash[1].toLowerCase();
    return { command: known(c) ? c : 'help', prompt: slash[2].trim(), inferred: false };
  }
  if (/^(?:help|\?)$/i.test(text) || text === '') return { command: 'help', prompt: text, inferred: false };
  if (looksLikeSongRequest(text)) return { command: 'write', prompt: text, inferred: true };
  return { command: 'help', prompt: text, inferred: false };
}

/** The answer to a request the participant does not understand (markdown). */
export function helpText(prompt?: string): string {
  const lead = prompt && prompt.trim()
    ? `I write and generate songs. I did not read "${clip(prompt, 80)}" as a song request, so here is what I can do:`
    : 'I write and generate songs with ACE-Step 1.5. What I can do:';
  return [
    lead,
    '',
    '- `/write <what you want>`: a complete song (caption, lyrics, tempo, key, length) as a new `.song` editor, checked with the same rules as the editor',
    '- `/generate [what you want]`: generates the open `.song` (or writes a new one first) on your ACE-Step server, after you confirm the GPU cost',
    '- `/improve [what to change]`: reviews the open `.song` against the songwriting guide and its problems, and proposes an edit as a diff',
    '- `/status`: the server and your generation jobs',
    `- \`/mode api|gradio\`: switches the Docker server between the REST API (${WRAPPER_PORTS.api}) and the Gradio UI (${WRAPPER_PORTS.gradio})`,
    '',
    'Without a chat model: ACE-Step: New Song from a Description… lets the ACE-Step server\'s own LM write and generate a song from one sentence.',
    '',
    'For example: `@acestep /write a melancholic indie folk song about leaving a harbour town`.',
  ].join('\n');
}

/** `api` or `gradio` from a /mode prompt ("api", "switch to the gradio ui", "8500"), else undefined. */
export function parseModeArgument(prompt: string): 'api' | 'gradio' | undefined {
  const t = prompt.toLowerCase();
  const api = new RegExp(`\\b(?:api|rest|${WRAPPER_PORTS.api}|standalone)\\b`).test(t);
  const gradio = new RegExp(`\\b(?:gradio|ui|web ?ui|${WRAPPER_PORTS.gradio})\\b`).test(t);
  if (api === gradio) return undefined;
  return api ? 'api' : 'gradio';
}

// ---------------------------------------------------------------------------------------------
// GPU cost

export interface GpuCostInput {
  title?: string;
  /** Takes per generation (batch_size). */
  takes: number;
  /** Seconds of audio per take. */
  durationSeconds: number;
  /** Where the duration comes from: the song's `duration:` or the estimate (when `auto` or missing). */
  durationSource: 'song' | 'estimate';
  serverUrl: string;
  /** Whether the 5 Hz LM plans the song first (`thinking: true`, slower). */
  thinking?: boolean;
}

/** One plain sentence (two at most) on what a generation will cost. Markdown-safe. */
export function gpuCostText(c: GpuCostInput): string {
  const takes = Math.max(1, Math.floor(c.takes || 1));
  const seconds = Math.max(0, Math.round(c.durationSeconds || 0));
  const each = `${c.durationSource === 'estimate' ? 'about ' : ''}${formatSeconds(seconds)}`;
  const total = formatSeconds(takes * seconds);
  const what = c.title ? `"${c.title}"` : 'This song';
  const amount = takes === 1 ? `1 take × ${each}` : `${takes} takes × ${each} = ${total} of audio`;
  const lm = c.thinking ? ', with the LM planning first (slower)' : '';
  return `${what} will be generated on your GPU: ${amount}${lm}, on the server at ${c.serverUrl}.`;
}

// ---------------------------------------------------------------------------------------------
// Language model errors

export interface ModelErrorLike {
  /** LanguageModelError.code: NoPermissions, Blocked, NotFound, Unknown, … */
  code?: string;
  message?: string;
  name?: string;
}

export type ModelErrorKind = 'no-model' | 'no-permission' | 'blocked' | 'quota' | 'offline' | 'other';

/** What went wrong with the language model, in words a user can act on. */
export function explainModelError(e: ModelErrorLike): { kind: ModelErrorKind; message: string } {
  const code = String(e.code ?? '');
  const text = String(e.message ?? '');
  if (code === 'NoPermissions' || /consent|permission|not allowed to use/i.test(text)) {
    return { kind: 'no-permission', message: 'ACE-Step Studio may not use this language model yet. Allow it when VS Code asks (or in the Accounts menu under "Manage Language Model Access"), then try again.' };
  }
  if (code === 'Blocked' || /blocked/i.test(text)) {
    return { kind: 'blocked', message: 'The language model refused requests from this extension for now (it is blocked, often after too many requests). Wait a moment and try again, or pick another model in the chat.' };
  }
  if (/quota|rate.?limit|too many requests|\b429\b|exceeded|usage limit/i.test(text)) {
    return { kind: 'quota', message: 'The language model\'s quota is used up for now. Try again later, or switch to another model in the model picker.' };
  }
  if (code === 'NotFound') return { kind: 'no-model', message: NO_MODEL_MESSAGE };
  if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|network|offline|fetch failed/i.test(text)) {
    return { kind: 'offline', message: 'The language model could not be reached (network problem). Check your connection and try again.' };
  }
  if (/not ?found|no (?:language )?model|unknown model/i.test(text)) {
    return { kind: 'no-model', message: NO_MODEL_MESSAGE };
  }
  return { kind: 'other', message: `The language model failed: ${clip(text || code || 'unknown error', 300)}` };
}

export const NO_MODEL_MESSAGE = 'No language model is available. @acestep needs a chat model: sign in to GitHub Copilot '
  + '(or install an extension that provides language models) and pick a model in the chat. Without one you can still write '
  + '`.song` files by hand (ACE-Step: New Song) and generate them with ACE-Step: Generate Song, or let the ACE-Step '
  + 'server\'s own LM write and generate one from a sentence (ACE-Step: New Song from a Description…, needs the server\'s LM); '
  + '"ACE-Step: Add AI Skill to Workspace" gives other AI tools the same songwriting guide.';

// ---------------------------------------------------------------------------------------------
// Validation report

/**
 * A short report of a song's lints and its duration for a language model (the validate tool) or a person.
 * `name` identifies the song in the first line.
 */
export function formatValidation(analysis: SongAnalysis, name: string): string {
  const d = analysis.diagnostics;
  const count = (sev: string) => d.filter(x => x.severity === sev).length;
  const errors = count('error'), warnings = count('warning'), infos = count('information') + count('hint');
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const lines = [`${name}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'hint')}.`];
  const order = { error: 0, warning: 1, information: 2, hint: 3 } as const;
  const shown = [...d].sort((a, b) => order[a.severity] - order[b.severity] || a.range.start.line - b.range.start.line).slice(0, 30);
  for (const x of shown) lines.push(`- ${x.severity}: ${formatDiagnostic(x)}`);
  if (d.length > shown.length) lines.push(`- … and ${d.length - shown.length} more`);
  const p = analysis.parsed.params;
  const e = analysis.estimate;
  const need = `the lyrics need about ${e.seconds} s (${formatSeconds(e.seconds)}; plausible ${formatSeconds(e.min)}-${formatSeconds(e.max)})`;
  if (typeof p.duration === 'number') {
    const off = p.duration < e.min ? ' (shorter than the lyrics need)' : p.duration > e.max ? ' (longer than the lyrics need)' : '';
    lines.push(`Duration: set to ${p.duration} s (${formatSeconds(p.duration)})${off}; ${need}.`);
  } else {
    lines.push(`Duration: ${p.duration === 'auto' ? 'auto' : 'not set'}; ${need}.`);
  }
  lines.push(errors ? 'Not ready: fix the errors before generating.' : 'Ready to generate.');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Diff preview

/**
 * A compact line diff for a chat message (the body of a ```diff block): changed lines with `context`
 * unchanged lines around them, `…` between distant changes, at most `maxLines` lines. Also counts.
 */
export function diffPreview(before: string, after: string, options: { context?: number; maxLines?: number } = {}): { text: string; added: number; removed: number } {
  const context = options.context ?? 1;
  const maxLines = options.maxLines ?? 60;
  const lines = diffLines(before, after);
  const added = lines.filter(l => l.kind === 'added').length;
  const removed = lines.filter(l => l.kind === 'removed').length;
  const keep = new Set<number>();
  lines.forEach((l, i) => {
    if (l.kind === 'same') return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) keep.add(j);
  });
  const out: string[] = [];
  let previous = -1;
  for (const i of [...keep].sort((a, b) => a - b)) {
    if (previous >= 0 && i > previous + 1) out.push('…');
    const l = lines[i];
    out.push(`${l.kind === 'added' ? '+' : l.kind === 'removed' ? '-' : ' '} ${l.text}`);
    previous = i;
  }
  if (out.length > maxLines) {
    const hidden = out.length - maxLines;
    out.length = maxLines;
    out.push(`… (${hidden} more line${hidden === 1 ? '' : 's'} in the diff editor)`);
  }
  return { text: out.join('\n'), added, removed };
}

function clip(s: string, n: number): string {
  const t = s.trim().replace(/\s+/g, ' ');
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}
