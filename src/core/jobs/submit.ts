// Submission: the server's flavour (asked once, cached), /release_task with retries while the server's queue
// is full (429), the first deadline; then the poller follows the job. A server whose /release_task blocks
// until the song is done (G, the Gradio-mounted API) is read once from /query_result instead. No vscode import.
import type { AceStepClient, HandOff } from '../api/client';
import { capabilitiesOf } from '../api/capabilities';
import { AceStepError, isAceStepError } from '../api/errors';
import { needsOf, refusalFor, seedNote } from '../api/needs';
import type { Flavour, ServerInfo } from '../api/types';
import type { Downloader } from './download';
import { runChatJob } from './chat-job';
import { loadJobLora } from './lora-step';
import type { Poller } from './poller';
import type { Servers } from './servers';
import type { JobStore } from './store';
import type { Clock, JobRecord } from './types';
import { expectedSecondsOf, initialDeadline, jobsAheadAt, type DeadlineConfig } from './verdict';
import { sleep } from '../util/sleep';

export interface SubmitterOptions {
  store: JobStore;
  servers: Servers;
  poller: Poller;
  downloader: Downloader;
  clock: Clock;
  deadline: DeadlineConfig;
  /** Pauses between tries when the server's queue is full (429); one more try than entries. */
  queueFullDelaysMs: number[];
  /**
   * How audio reaches a server that reads only paths on its own machine (S): a folder of the user's Docker setup
   * bind-mounted into the container (server/hand-off.ts). Undefined, or answering undefined: no way for this server.
   */
  handOff?: (serverUrl: string, signal: AbortSignal) => Promise<HandOff | undefined>;
}


/** Whether the server generates inside /release_task (unknown flavour: no). */
export const blocksOnRelease = (rec: Pick<JobRecord, 'flavour'>): boolean => !!rec.flavour && capabilitiesOf(rec.flavour).blockingRelease;

export class Submitter {
  constructor(private readonly o: SubmitterOptions) {}

  /** Sends a new job to its server. The client is shared: the flavour goes with each call, never onto it. */
  async submit(rec: JobRecord): Promise<void> {
    const { store, servers, deadline } = this.o;
    const rt = store.rt(rec);
    const signal = rt.abort.signal;
    const client = servers.client(rec.serverUrl);
    let info: ServerInfo | undefined;
    if (!rec.flavour) {
      info = await servers.info(rec.serverUrl, signal);
      rec.flavour = info.flavour;
    } else {
      info = servers.cachedInfo(rec.serverUrl);
    }
    const flavour = rec.flavour;
    const chat = capabilitiesOf(flavour).chatCompletions;
    // What the server cannot do is refused here, before /release_task: never sent to come back as something else.
    const handOff = !chat && needsOf(rec.request).audio.length ? await this.o.handOff?.(rec.serverUrl, signal) : undefined;
    const refusal = refusalFor(rec.request, flavour, !!handOff);
    if (refusal) throw new AceStepError('unsupported', refusal.message, { endpoint: '/release_task' });
    const note = seedNote(rec.request, flavour);
    if (note) rec.warnings = [...(rec.warnings ?? []), note];
    await loadJobLora(rec, client, flavour, signal);
    if (chat) return runChatJob(this.o, rec, client, signal, info);
    if (blocksOnRelease(rec)) return this.submitBlocking(rec, client, signal, flavour);

    // The server's own figures: timing for the deadline and the poll pacing, the running job for the queue place.
    const before = await this.o.poller.freshStats(rec.serverUrl);
    const avg = before?.avgJobSeconds;
    if (avg !== undefined && avg > 0) rt.avgJobSeconds = avg;
    const modelLoad = capabilitiesOf(rec.flavour).lazyModelLoad && info?.modelsInitialized === false;
    if (modelLoad) rt.extraStartMs = deadline.modelLoadGraceMs / 3;

    const answer = await this.releaseWithRetry(rec, client, signal, flavour, handOff);
    const now = this.o.clock.now();
    rec.taskId = answer.taskId;
    rec.submittedAt = now;
    if (answer.queuePosition !== undefined) {
      rec.queuePosition = answer.queuePosition;
      // The running job: the server's figure (maybe a second old), or one of ours that runs there now.
      const oursRunning = store.all().filter(r => r !== rec && r.serverUrl === rec.serverUrl && r.state === 'running').length;
      const running = Math.max(before?.jobs.running ?? 0, Math.min(1, oursRunning));
      rec.jobsAhead = jobsAheadAt(answer.queuePosition, running);
    }
    if (answer.warnings.length) rec.warnings = [...(rec.warnings ?? []), ...answer.warnings];
    rec.expectedSeconds = expectedSecondsOf(rt.avgJobSeconds, rec.jobsAhead !== undefined ? rec.jobsAhead + 1 : rec.queuePosition);
    rec.deadline = initialDeadline(now, rec.expectedSeconds, modelLoad, deadline);
    rec.state = (rec.jobsAhead ?? 0) > 0 ? 'queued' : 'running';
    if (rec.state === 'running') rec.runningSince = now;
    store.changed(rec, 'now');
    this.o.poller.track(rec);
  }

  /** Reads a finished blocking-release job's result (also used on resume). */
  async fetchOnce(rec: JobRecord): Promise<void> {
    const { store } = this.o;
    const signal = store.rt(rec).abort.signal;
    const [status] = await this.o.servers.client(rec.serverUrl).queryResult([rec.taskId!], { signal });
    rec.polls = (rec.polls ?? 0) + 1;
    rec.pollCost = (rec.pollCost ?? 0) + 1;
    if (!status || status.unknown || status.status !== 1) {
      store.finish(rec, 'lost', {
        kind: 'lost',
        message: `The server does not have the result of task ${rec.taskId} (it may have restarted). The job is lost; submit it again.`,
      });
      return;
    }
    await this.o.downloader.accept(rec, status);
  }

  private async releaseWithRetry(rec: JobRecord, client: AceStepClient, signal: AbortSignal, flavour: Flavour, handOff?: HandOff) {
    const delays = this.o.queueFullDelaysMs;
    const tries = delays.length + 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await client.releaseTask(rec.request, { signal, flavour, ...(handOff ? { handOff } : {}) });
      } catch (e) {
        if (!(isAceStepError(e) && e.kind === 'queue-full')) throw e;
        if (attempt >= tries) {
          throw new AceStepError('queue-full', `The server's queue is still full after ${tries} tries; try again later. (${e.serverMessage ?? e.message})`, {
            endpoint: '/release_task', status: 429, serverMessage: e.serverMessage,
          });
        }
        const wait = delays[attempt - 1];
        rec.stage = `queue full, retrying in ${Math.round(wait / 1000)} s (${attempt}/${tries - 1})`;
        this.o.store.changed(rec, 'none');
        if (!await sleep(wait, signal, this.o.clock)) throw new AceStepError('cancelled', 'Cancelled.');
      }
    }
  }

  /** /release_task runs the whole generation, then the files are read once from /query_result. */
  private async submitBlocking(rec: JobRecord, client: AceStepClient, signal: AbortSignal, flavour: Flavour): Promise<void> {
    const { store, clock } = this.o;
    rec.submittedAt = clock.now();
    rec.stage = 'generating (the Gradio API answers when the song is done)';
    store.setState(rec, 'running');
    const answer = await client.releaseTask(rec.request, { signal, flavour });
    rec.taskId = answer.taskId;
    if (answer.warnings.length) rec.warnings = [...(rec.warnings ?? []), ...answer.warnings];
    rec.serverFinishedAt = clock.now();
    store.changed(rec, 'now');
    await this.fetchOnce(rec);
  }
}
