// "Time the Lyrics" on a take: the server transcribes the take where it still lies ON the server (the path of its
// result item), the player highlights the sung line (karaoke.ts) and the `.lrc` goes beside the take. Only servers
// with /v1/transcribe (capabilities: transcribe) can; the others, a missing server key and a take the server no
// longer has are each said in words with the way out.
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { isAudioNotOnServer, isMissingTranscriptionKey, transcribeRefusal } from '../../core/api';
import { serverPathOf } from '../../core/api/parse';
import { readSidecar } from '../../core/jobs';
import { linesFromLrc, lrcPathFor, type TimedLine } from '../../core/player/lyrics-timing';
import { errorMessage } from '../../core/util/error-message';
import { writeFileAtomic } from '../../core/util/fs-atomic';
import type { GenerationService } from '../generate/service';
import type { TakeSource } from './views';

/** Where the take lies on the server that made it: that server's URL and the path there. */
async function takeOnServer(generation: GenerationService, take: TakeSource): Promise<{ url: string; path: string } | undefined> {
  const job = take.jobId ? generation.jobs().get(take.jobId) : undefined;
  const index = Number(take.id.slice(take.id.lastIndexOf(':') + 1));
  const item = job?.items?.[index];
  if (job && item?.serverPath) return { url: job.serverUrl, path: item.serverPath };
  if (!take.sidecar) return undefined;
  try {
    const sc = readSidecar(JSON.parse(await fs.readFile(take.sidecar, 'utf8')));
    const raw = sc?.result.item;
    const link = typeof raw?.url === 'string' && typeof raw.file === 'string' ? raw.file : typeof raw?.file === 'string' ? serverPathOf(raw.file) : undefined;
    return sc && link ? { url: sc.server.url, path: link } : undefined;
  } catch {
    return undefined;
  }
}

const same = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

/** Times the take's lyrics; returns the lines (also written as `.lrc` beside the take), or undefined after saying why not. */
export async function timeLyrics(generation: GenerationService, take: TakeSource): Promise<TimedLine[] | undefined> {
  const where = await takeOnServer(generation, take);
  const server = generation.serverUrl();
  if (!where) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Time the Lyrics: this take does not say where it lies on the server (no result item in its job or sidecar), so the server cannot transcribe it.'));
    return undefined;
  }
  if (!same(where.url, server)) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Time the Lyrics: this take was made on {0}, but the server now is {1}. The server transcribes only takes that lie on it: switch back to that server.', where.url, server));
    return undefined;
  }
  try {
    const info = await generation.serverInfo(server);
    const refusal = transcribeRefusal(info.flavour);
    if (refusal) { void vscode.window.showErrorMessage(refusal); return undefined; }
    const client = await generation.client(server);
    const tr = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Timing the lyrics of {0} on the server…', take.label) },
      () => client.transcribe({ audioPath: where.path }, { flavour: info.flavour }));
    const lines = linesFromLrc(tr.lrcText, take.meta.duration);
    if (!lines.length) { void vscode.window.showWarningMessage(vscode.l10n.t('Time the Lyrics: the server heard no sung words in this take.')); return undefined; }
    const lrc = lrcPathFor(take.file);
    await writeFileAtomic(lrc, tr.lrcText.endsWith('\n') ? tr.lrcText : tr.lrcText + '\n');
    const open = vscode.l10n.t('Open .lrc');
    void vscode.window.showInformationMessage(vscode.l10n.t('Timed {0} lines; saved {1} beside the take.', lines.length, lrc), open)
      .then(c => { if (c === open) void vscode.window.showTextDocument(vscode.Uri.file(lrc)); });
    return lines;
  } catch (e) {
    if (isMissingTranscriptionKey(e)) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Time the Lyrics: the server has no transcription key of its own. Set OPENAI_API_KEY in the server\'s environment (for the Docker setup: in its .env file) and restart the server.'));
    } else if (isAudioNotOnServer(e)) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Time the Lyrics: the take is not on the server any more ({0}); it may have been cleaned up or the server restarted without its files.', where.path));
    } else {
      void vscode.window.showErrorMessage(vscode.l10n.t('Time the Lyrics: {0}', errorMessage(e)));
    }
    return undefined;
  }
}
