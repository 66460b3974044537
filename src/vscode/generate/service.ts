// The generation service: one JobManager for the window, persisted in VS Code's global state so pending jobs
// survive a reload and finished ones form the history. Created lazily: activation never touches the network.
import * as vscode from 'vscode';
import { AceStepClient, type ServerInfo } from '../../core/api';
import { JobManager, type JobRecord, type JobSnapshot, type JobStorage, isTerminal } from '../../core/jobs';
import { dispatchInputOf, planJob, replanJob, type JobPlan, type RequestOverrides } from '../../core/jobs/plan';
import type { SongAnalysis } from '../../core/song';
import type { ApiKeyStore } from '../secrets';
import type { ServerEndpoint } from '../server/endpoint';
import type { ServerProfiles } from '../server/profiles';
import type { ServerProfile } from '../../core/servers/profiles';
import { checkServers, type ServerStatus } from '../../core/servers/status';
import { generationSettings, serverUrlHasCredentials } from '../settings';
import { JOBS_STATE_KEY as STATE_KEY } from './job-state';
import { removeStaleTemps } from '../../core/jobs/stale-temps';
import type { DispatchEntry, DispatcherLike, DispatchInput } from '../../core/jobs/dispatch-types';
import { Dispatcher } from '../../core/jobs/dispatch';
import { entryDone } from '../../core/jobs/dispatch-view';


/** JobStorage on a Memento (globalState): synchronous reads, awaited writes. */
class MementoJobStorage implements JobStorage {
  constructor(private readonly memento: vscode.Memento) {}
  load(): JobRecord[] {
    const v = this.memento.get<unknown>(STATE_KEY);
    return Array.isArray(v) ? (v as JobRecord[]) : [];
  }
  async save(records: JobRecord[]): Promise<void> {
    await this.memento.update(STATE_KEY, records);
  }
}

export interface SubmitSongOptions {
  /** Overrides for the request (e.g. `{thinking: false}` to retry without the LM). */
  overrides?: RequestOverrides;
  serverUrl?: string;
}

export class GenerationService implements vscode.Disposable {
  private manager: JobManager | undefined;
  private dispatch: DispatcherLike | undefined;
  private dispatchKey = '';
  private making: Promise<DispatcherLike> | undefined;
  private readonly dispatcherMade = new vscode.EventEmitter<void>();
  /** Fires when the window's dispatcher is made (the Servers view starts following it). */
  readonly onDidMakeDispatcher = this.dispatcherMade.event;
  private warnedCredentials = false;
  private readonly changed = new vscode.EventEmitter<JobSnapshot>();
  /** Fires for every change of any job (state, progress, takes). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly apiKeys: ApiKeyStore,
    readonly log: vscode.LogOutputChannel,
    /** Where requests go: acestep.serverUrl when the user set it, else the known Docker server's, else the default. */
    readonly endpoint: ServerEndpoint,
    /** The server profiles: the default one (the endpoint's URL) and acestep.servers. */
    readonly profiles: ServerProfiles,
  ) {}

  /** Every enabled server's status, asked at once, each with its own key and a short deadline. */
  async checkServers(profiles: readonly ServerProfile[] = this.profiles.enabled()): Promise<ServerStatus[]> {
    await this.apiKeys.load();
    return checkServers(profiles, p => this.apiKeys.keyFor(p.url));
  }

  /** The URL jobs go to (see ServerEndpoint.url). */
  serverUrl(): string {
    return this.endpoint.url();
  }

  /**
   * The window's dispatcher over the job manager: songs to the server that finishes them first. Made again with the
   * servers of the moment when they changed and nothing is waiting or running on the old one.
   */
  async dispatcher(): Promise<DispatcherLike> {
    await this.apiKeys.load();
    const profiles = this.profiles.list();
    const key = JSON.stringify(profiles);
    if (this.dispatch && (key === this.dispatchKey || !this.dispatch.entries().every(entryDone))) return this.dispatch;
    this.making ??= this.makeDispatcher(profiles, key).finally(() => { this.making = undefined; });
    return this.making;
  }

  private async makeDispatcher(profiles: ServerProfile[], key: string): Promise<DispatcherLike> {
    // Which servers audio can reach through a Docker setup's inputs folder (S reads only paths on its machine).
    const reachable = await Promise.all(profiles.map(async p => ((await this.endpoint.handOff(p.url)) ? p.url : undefined)));
    const handOff = new Set(reachable.filter(Boolean));
    const old = this.dispatch;
    this.dispatch = new Dispatcher({ manager: this.jobs(), servers: profiles, handOffAvailable: url => handOff.has(url) });
    this.dispatchKey = key;
    void old?.dispose();
    this.dispatcherMade.fire();
    return this.dispatch;
  }

  /** The dispatcher when one was made. */
  currentDispatcher(): DispatcherLike | undefined {
    return this.dispatch;
  }

  /** True when stored state holds unfinished jobs (cheap: the state is in memory). */
  hasPendingInStorage(): boolean {
    return new MementoJobStorage(this.context.globalState).load().some(r => !isTerminal(r.state));
  }

  /** The job manager, created on first use; creating it resumes the jobs a previous window left pending. */
  jobs(): JobManager {
    if (!this.manager) {
      const manager = new JobManager({
        storage: new MementoJobStorage(this.context.globalState),
        apiKey: url => this.apiKeys.keyFor(url),
        log: message => this.log.debug(message),
        downloadMinBytesPerSecond: generationSettings().downloadMinBytesPerSecond,
        handOff: url => this.endpoint.handOff(url),
      });
      manager.onDidChange(s => this.changed.fire(s));
      this.manager = manager;
      void this.apiKeys.load().then(() => manager.resume());
    }
    return this.manager;
  }

  /** A client for one-off calls (Format, Random, LoRA), with the key of the server it talks to. */
  async client(serverUrl = this.serverUrl()): Promise<AceStepClient> {
    await this.apiKeys.load();
    const timeout = generationSettings().requestTimeoutSeconds * 1000;
    return new AceStepClient({ baseUrl: serverUrl, apiKey: this.apiKeys.keyFor(serverUrl), timeouts: { requestMs: timeout } });
  }

  async serverInfo(serverUrl = this.serverUrl()): Promise<ServerInfo> {
    const client = await this.client(serverUrl);
    try { return await client.detectFlavour(); } finally { void client.close(); }
  }

  /** What submitting this song would do: the request, the title and the output folder (the settings applied). */
  plan(doc: vscode.TextDocument, analysis: SongAnalysis, options: SubmitSongOptions = {}): JobPlan {
    const settings = generationSettings(doc.uri);
    const workspaceFolder = workspaceRoot();
    return planJob({
      song: analysis.parsed,
      ...(doc.uri.scheme === 'file' ? { songPath: doc.uri.fsPath } : {}),
      serverUrl: options.serverUrl ?? this.serverUrl(),
      settings: { outputDirectory: settings.outputDirectory, batchSize: settings.defaultBatchSize, audioFormat: settings.defaultAudioFormat },
      ...(workspaceFolder ? { workspaceFolder } : {}),
      ...(options.overrides ? { overrides: options.overrides } : {}),
    });
  }

  /** Submits an analysed song; returns the job at once (follow it with onDidChange / waitFor). */
  async submit(doc: vscode.TextDocument, analysis: SongAnalysis, options: SubmitSongOptions = {}): Promise<JobSnapshot> {
    await this.apiKeys.load();
    if (!this.warnedCredentials && serverUrlHasCredentials()) {
      this.warnedCredentials = true;
      void vscode.window.showWarningMessage(vscode.l10n.t('acestep.serverUrl holds a user name or password: they are not sent, shown or stored. An API key belongs in "ACE-Step: Set API Key".'));
    }
    const plan = this.plan(doc, analysis, options);
    await this.clearStaleTemps(plan);
    // With several servers (or a song that names one), the dispatcher picks the server that finishes it first.
    const input = dispatchInputOf(plan, analysis.parsed);
    if (!options.serverUrl && (input.pin || this.profiles.several())) return this.dispatchOne(input);
    return this.jobs().submit(plan);
  }

  /** Removes what an earlier, killed run of this song left behind (its temp files, untouched for minutes). */
  async clearStaleTemps(plan: JobPlan): Promise<void> {
    const removed = await removeStaleTemps(plan.outputDir, plan.title);
    if (removed.length) this.log.info(`removed ${removed.length} stale temporary file(s) of an earlier run in ${plan.outputDir}`);
  }

  /** Sends one song through the dispatcher; resolves with its job once a server took it, throws when none can. */
  private async dispatchOne(input: DispatchInput): Promise<JobSnapshot> {
    const d = await this.dispatcher();
    const [entry] = d.enqueue([input]);
    const bound = await new Promise<DispatchEntry | undefined>(resolve => {
      const check = (): boolean => {
        const e = d.entries().find(x => x.id === entry.id);
        if (e && e.state === 'waiting') return false;
        sub.dispose();
        resolve(e);
        return true;
      };
      const sub = d.onDidChange(() => { check(); });
      check();
    });
    const job = bound?.jobId ? this.jobs().get(bound.jobId) : undefined;
    if (job) return job;
    throw new Error(bound?.reason ?? vscode.l10n.t('No server took the song.'));
  }

  /** Submits a job planned elsewhere as it is (an edit of a take with its lineage, a song from a description). */
  async submitPlan(plan: JobPlan): Promise<JobSnapshot> {
    await this.apiKeys.load();
    return this.jobs().submit(plan);
  }

  /** Submits a stored job's request again (re-run from the history), with `overrides` on top. */
  resubmit(job: JobSnapshot, overrides: RequestOverrides = {}): JobSnapshot {
    return this.jobs().submit({ ...replanJob(job, overrides), ...(job.lineage ? { lineage: job.lineage } : {}) });
  }

  list(): JobSnapshot[] {
    return this.manager ? this.manager.list() : new MementoJobStorage(this.context.globalState).load().map(r => ({ ...r, elapsedMs: (r.finishedAt ?? Date.now()) - r.createdAt }));
  }

  /** Drops the manager as a window reload would, keeping what storage holds; the next use resumes from it. */
  async reloadForTests(): Promise<void> {
    const m = this.manager;
    this.manager = undefined;
    await m?.flush();
    await m?.dispose();
  }

  dispose(): void {
    void this.dispatch?.dispose();
    this.dispatcherMade.dispose();
    void this.manager?.dispose();
    this.changed.dispose();
  }
}

function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}
