// A Node stand-in for the ACE-Step 1.5 REST API, reproducing the four server flavours the client meets
// (see the API notes shared with the team): W (Docker wrapper's standalone API), S (upstream, early),
// U (upstream, later: progress, lazy model load) and G (the API mounted on the Gradio UI).
// JSON bodies are produced byte for byte like the Python servers: FastAPI's compact envelope,
// Python's json.dumps spacing inside the `result` strings, Python float spelling.
// Everything listens on 127.0.0.1 only.
//
// This file is the entry point; the parts live beside it:
//   options.ts    what a test can ask for, and the defaults
//   flavours.ts   what each flavour does, one table entry per flavour
//   scheduler.ts  the job queue and its clock
//   responses.ts  envelopes and bodies
//   faults.ts     garbage answers, cut/trickling/non-audio downloads, extra items, failing jobs
//   requests.ts   request bodies and the API key check
//   http.ts       listening, routing, the endpoint handlers
import { payloadBytes } from './audio-payload';
import { Faults } from './faults';
import { behaviourOf } from './flavours';
import { FakeHttpServer, type LoggedRequest } from './http';
import { resolveOptions, type FakeOptions } from './options';
import { audioLink } from './responses';
import { Scheduler, type FakeJob, type JobState } from './scheduler';

export { timedByDuration } from './options';
export type { CutOption, FakeOptions, Flavour, GarbageKind, GarbageOption, NotAudioOption, TrickleOption } from './options';
export type { FakeJob, FakeUpload } from './scheduler';
export type { LoggedRequest } from './http';

export interface FakeServer {
  readonly url: string;
  readonly port: number;
  readonly options: Readonly<FakeOptions>;
  readonly jobs: FakeJob[];
  readonly requests: LoggedRequest[];
  /** /v1/audio answers being sent now, the most at once, and in all. */
  readonly downloads: Readonly<{ active: number; maxActive: number; total: number }>;
  close(): Promise<void>;
  /** Forgets every job (like a process restart) and listens again on the same port. `keepCache`: the server's disk
   *  cache survives (a restart inside the same container), so W and S keep answering pending jobs frozen. */
  restart(options?: { keepCache?: boolean }): Promise<void>;
  setOptions(partial: Partial<FakeOptions>): Promise<void>;
  /** The state a job is in now. */
  jobState(id: string): JobState | undefined;
  /** Registers a servable file; returns its `/v1/audio?path=` link. */
  addFile(path: string, size?: number): string;
  /** The bytes the server sends for a path it knows (small files only). */
  expectedBytes(path: string): Buffer;
}

export async function startFakeAceStep(partial: Partial<FakeOptions> = {}): Promise<FakeServer> {
  const opts = resolveOptions(partial);
  const faults = new Faults(opts);
  const scheduler = new Scheduler(opts, faults);
  const requests: LoggedRequest[] = [];
  const server = new FakeHttpServer(opts, scheduler, faults, requests, opts.port);

  await server.listen(); // reserves the port
  if (opts.down) await server.unlisten();
  else if (server.refusesWhileLoading()) {
    await server.unlisten();
    server.comeUpLater(opts.modelLoadMs);
  }

  return {
    get url() { return `http://127.0.0.1:${server.port}`; },
    get port() { return server.port; },
    options: opts,
    jobs: scheduler.jobs,
    requests,
    downloads: server.downloads,
    async close() {
      server.cancelComeUp();
      scheduler.cancelTimers();
      opts.down = true;
      await server.unlisten();
    },
    async restart(options: { keepCache?: boolean } = {}) {
      await server.unlisten();
      scheduler.cancelTimers();
      scheduler.reset(options.keepCache);
      server.lora.reset();
      if (opts.down) return;
      if (server.refusesWhileLoading()) server.comeUpLater(opts.modelLoadMs);
      else await server.listen();
    },
    async setOptions(p: Partial<FakeOptions>) {
      const wasDown = opts.down;
      Object.assign(opts, p);
      if ('garbage' in p) faults.resetGarbage();
      if (opts.down && !wasDown) await server.unlisten();
      else if (!opts.down && wasDown) await server.listen();
    },
    jobState(id: string) {
      const job = scheduler.find(id);
      return job ? scheduler.stateOf(job) : undefined;
    },
    addFile(path: string, size = opts.audioBytes) {
      const dot = path.lastIndexOf('.');
      scheduler.files.set(path, { path, size, ext: dot >= 0 ? path.slice(dot + 1).toLowerCase() : 'mp3' });
      return audioLink(path, behaviourOf(opts).audioLink);
    },
    expectedBytes(path: string) {
      const spec = scheduler.files.get(path);
      if (!spec) throw new Error(`the fake server has no file ${path}`);
      return payloadBytes(spec);
    },
  };
}
