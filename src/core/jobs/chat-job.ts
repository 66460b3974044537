// A job on a chat completions endpoint (flavour C, a hosted ACE-Step): one request per take, each generating the
// song and answering with its audio (base64; the route returns only the first take of a batch). The takes are kept
// in memory only until they are written, through the downloader like any take (numbering, sidecar, audio check,
// never replacing a file). There is no task id: such a job cannot be followed after a reload. No vscode import.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { AceStepClient } from '../api/client';
import { CHAT_PATH, sniffFormat } from '../api/chat';
import { chatRequest, readChatContent, type ChatAudio } from '../api/chat-request';
import { AceStepError, isAceStepError } from '../api/errors';
import { describeBody } from '../api/parse';
import type { ResultItem, ServerInfo } from '../api/types';
import { takesAsked, type Downloader } from './download';
import type { JobStore } from './store';
import type { Clock, JobRecord } from './types';
import { toJobError } from './verdict';

/** The largest audio file a job may send inside a chat request (base64 in JSON: held in memory). */
export const MAX_CHAT_INPUT_AUDIO_BYTES = 100 * 1024 * 1024;

export interface ChatJobDeps {
  store: JobStore;
  downloader: Downloader;
  clock: Clock;
}

/** The job's audio files as message parts (source first); a file that cannot be read or is too large ends the job. */
async function readAudio(rec: JobRecord): Promise<ChatAudio[]> {
  const out: ChatAudio[] = [];
  for (const [field, file] of Object.entries(rec.request.files ?? {})) {
    if (typeof file !== 'string' || !file) continue;
    let bytes: Buffer;
    try {
      const st = await fsp.stat(file);
      if (st.size > MAX_CHAT_INPUT_AUDIO_BYTES) {
        throw new AceStepError('bad-request', `The ${field} file ${file} is ${Math.round(st.size / 1e6)} MB: too large to send inside a chat request (at most ${MAX_CHAT_INPUT_AUDIO_BYTES / 1e6} MB).`, { endpoint: CHAT_PATH });
      }
      bytes = await fsp.readFile(file);
    } catch (e) {
      if (isAceStepError(e)) throw e;
      throw new AceStepError('disk', `Cannot read the ${field} file ${file}: ${(e as Error).message}`, { endpoint: CHAT_PATH, cause: e });
    }
    out.push({ field, base64: bytes.toString('base64'), format: path.extname(file).slice(1).toLowerCase() || 'mp3' });
  }
  return out;
}

/** Generates the job's takes on the endpoint, then hands them to the downloader. */
export async function runChatJob(d: ChatJobDeps, rec: JobRecord, client: AceStepClient, signal: AbortSignal, info: ServerInfo | undefined): Promise<void> {
  const { store, clock } = d;
  const asked = takesAsked(rec);
  const audio = await readAudio(rec);
  const defaultModel = info?.models.find(m => m.id)?.id;
  rec.submittedAt = clock.now();
  rec.runningSince = rec.submittedAt;
  store.setState(rec, 'running');
  const rt = store.rt(rec);
  const inline = rt.inlineAudio = new Map<number, Buffer>();
  const items: ResultItem[] = [];
  const requested = String(rec.request.params.audio_format ?? 'mp3').toLowerCase();
  for (let i = 0; i < asked; i++) {
    const { body, warnings } = chatRequest(rec.request, { ...(defaultModel ? { defaultModel } : {}), audio, stream: true, take: i });
    if (i === 0 && warnings.length) rec.warnings = [...(rec.warnings ?? []), ...warnings];
    rec.stage = asked > 1 ? `generating take ${i + 1} of ${asked} (the endpoint answers when it is done)` : 'generating (the endpoint answers when the song is done)';
    store.changed(rec, 'now');
    try {
      const ans = await client.chat(body, { signal, onAlive: () => store.changed(rec, 'none') });
      const take = ans.audio[0];
      if (!take) {
        throw new AceStepError('bad-response', `The server answered without audio${ans.content ? `: ${describeBody(ans.content)}` : '.'}`, { endpoint: CHAT_PATH, status: 200 });
      }
      const meta = readChatContent(ans.content);
      const format = sniffFormat(take.bytes, requested) ?? requested;
      inline.set(items.length, take.bytes);
      items.push({
        file: '', link: '', serverPath: `take.${format}`,
        ...(meta.caption ? { prompt: meta.caption } : {}), ...(meta.lyrics ? { lyrics: meta.lyrics } : {}),
        metas: { bpm: meta.bpm ?? null, duration: meta.duration ?? null, keyscale: meta.keyscale ?? null, timesignature: meta.timesignature ?? null },
        seeds: [], raw: { content: ans.content, mime: take.mime },
      });
    } catch (e) {
      // Takes already made are kept; the rest is said once.
      if (!items.length || signal.aborted) throw e;
      rec.warnings = [...(rec.warnings ?? []), `Made ${items.length} of ${asked} takes; the next failed: ${toJobError(e).message}`];
      break;
    }
  }
  rec.serverFinishedAt = clock.now();
  store.changed(rec, 'now');
  await d.downloader.accept(rec, { taskId: '', status: 1, unknown: false, items });
}
