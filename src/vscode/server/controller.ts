// Server control for the window: runs the core's switch/start/stop under a cancellable progress notification,
// keeps what is known about the server (setup folder, mode, URL) for generation and the status bar, and
// checks the server's state lazily with a short cache.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import {
  dockerHandOff, modeLabel, NodeProcessRunner, readConfiguredMode, resolveCompose, resolvePorts, serverStatus, serverUrlForMode, setupServices,
  startServer, stopServer, switchMode, TtlCache, DockerError,
  type AcestepMode, type ComposeCommand, type ServerControlContext,
} from '../../core/server';
import type { JobSnapshot } from '../../core/jobs';
import { isAcestepSetup, type ComposeLocator } from './locate';
import {
  busyProblem, dockerMissingProblem, failure, fromControl, noSetupProblem, showProblem, untrustedProblem,
  type ServerFailure, type ServerProblem, type ServerResult, type StopResult,
} from './problems';
import { modeServing } from './mode-serving';
import { dockerProgram } from './settings';
import { syncProfileUrl } from './gpu-profiles';
import type { KnownServer, ServerOpOptions, ServerSnapshot } from './types';
import { COMMANDS } from '../commands';
import { errorMessage } from '../../core/util/error-message';

export type { KnownServer, ServerOpOptions, ServerSnapshot } from './types';

interface Prepared { composeDir: string; docker: string; service?: string }

type Op = { title: string; abort: AbortController; mode?: AcestepMode; text?: string };

const STATUS_TTL_MS = 10_000;

export class ServerController implements vscode.Disposable {
  readonly runner = new NodeProcessRunner();
  private readonly cache = new TtlCache<ServerSnapshot>(STATUS_TTL_MS);
  private latest: ServerSnapshot | undefined;
  private current: KnownServer | undefined;
  private epoch = 0;
  private op: Op | undefined;
  /** The status check under way, which an operation lets finish before it starts. */
  private loading: Promise<unknown> | undefined;
  private readonly composeCommands = new Map<string, ComposeCommand>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the snapshot, the known server or the running operation changes. */
  readonly onDidChange = this.changed.event;
  /** The last problem or success text shown (tests read it). */
  lastMessage: string | undefined;

  constructor(
    private readonly locator: ComposeLocator,
    private readonly log: vscode.LogOutputChannel,
    /** The generation jobs (none while generation has not loaded). */
    private readonly jobs: () => readonly JobSnapshot[] = () => [],
  ) {}

  // ---- what is known ----------------------------------------------------------------------------

  /** URL of the running (else configured) mode's server of the known setup; undefined: use the settings. */
  serverUrl(): string | undefined { return this.current?.url; }
  known(): KnownServer | undefined { return this.current; }
  snapshot(): ServerSnapshot | undefined { return this.latest; }
  composeDir(): string | undefined { return this.current?.composeDir ?? this.latest?.composeDir; }
  operation(): { title: string; mode?: AcestepMode; text?: string } | undefined { return this.op; }

  /** Forgets everything (settings or workspace changed); the next check starts over. */
  reset(): void {
    this.epoch++;
    this.cache.invalidate();
    this.locator.invalidate();
    this.composeCommands.clear();
    this.latest = undefined;
    this.current = undefined;
    this.changed.fire();
  }

  /**
   * The state, from the cache when fresh. Never throws. While an operation runs, the last snapshot is returned
   * as it is: the operation reports its own progress, and docker is not queried twice at once.
   */
  async check(): Promise<ServerSnapshot> {
    if (this.op) return this.latest ?? { at: Date.now() };
    const epoch = this.epoch;
    let snap: ServerSnapshot;
    try {
      const loading = this.cache.get(() => this.load());
      this.loading = loading;
      snap = await loading;
    } catch (e) {
      snap = { at: Date.now(), error: errorMessage(e) };
      this.log.warn(`Server status check failed: ${snap.error}`);
    }
    if (epoch === this.epoch) this.apply(snap);
    return snap;
  }

  /** A fresh check. */
  refresh(): Promise<ServerSnapshot> {
    this.cache.invalidate();
    return this.check();
  }

  private async load(): Promise<ServerSnapshot> {
    const at = Date.now();
    const found = await this.locator.locate(false);
    if ('reason' in found) return { at, missing: found.reason };
    // Reading files is harmless; running docker is what an untrusted workspace must not do.
    if (!vscode.workspace.isTrusted) return { at, restricted: true, composeDir: found.dir };
    if (!(await isAcestepSetup(found.dir))) return { at, composeDir: found.dir, invalid: true };
    const ctx: ServerControlContext = { runner: this.runner, dockerPath: dockerProgram(), composeDir: found.dir, env: process.env };
    const names = await setupServices(found.dir);
    if (names.length > 1) {
      // One service per GPU: each one's state; the first stands for the setup where one server is meant.
      const services = await Promise.all(names.map(async service => ({ service, status: await serverStatus({ ...ctx, service }, 2000) })));
      return { at, composeDir: found.dir, status: services[0]!.status, services };
    }
    return { at, composeDir: found.dir, status: await serverStatus(ctx, 2000) };
  }

  private apply(snap: ServerSnapshot): void {
    this.latest = snap;
    const s = snap.status?.state;
    this.current = snap.composeDir && s
      ? { composeDir: snap.composeDir, mode: s.runningMode ?? s.configuredMode, url: s.url, running: s.state === 'up' || s.state === 'starting' }
      : undefined;
    this.changed.fire();
  }

  /** After an operation: what it established replaces the (now stale) snapshot. */
  private learn(k: KnownServer | undefined): void {
    this.epoch++;
    this.cache.invalidate();
    if (k) this.current = k;
    this.changed.fire();
  }

  // ---- operations -------------------------------------------------------------------------------

  private report(title: string, problem: ServerProblem, opts: ServerOpOptions, composeDir?: string, retry?: () => void): ServerFailure {
    if (opts.quiet) {
      this.log.error(`${title}: ${problem.message} ${problem.nextStep}`);
      if (problem.detail) this.log.info(problem.detail);
    } else {
      showProblem(title, problem, { log: this.log, composeDir, retry, shown: t => { this.lastMessage = t; } });
    }
    return failure(problem);
  }

  /**
   * Runs one operation at a time: checks trust, finds the setup folder and the docker program, then runs
   * `body`. The operation's AbortController follows `opts.signal`, the notification's Cancel and cancel().
   */
  private async exclusive<T>(title: string, opts: ServerOpOptions, body: (p: Prepared) => Promise<T | ServerFailure>): Promise<T | ServerFailure> {
    if (!vscode.workspace.isTrusted) return this.report(title, untrustedProblem(), opts);
    if (this.op) return this.report(title, busyProblem(this.op.title), opts);
    const abort = new AbortController();
    const onAbort = (): void => abort.abort();
    if (opts.signal?.aborted) abort.abort(); else opts.signal?.addEventListener('abort', onAbort, { once: true });
    this.op = { title, abort };
    void vscode.commands.executeCommand('setContext', 'acestep.server.busy', true);
    this.changed.fire();
    try {
      await this.loading?.catch(() => undefined);
      const found = await this.locator.locate(!opts.quiet);
      if ('reason' in found) return this.report(title, noSetupProblem(found.reason), opts);
      const docker = dockerProgram();
      if (/[\\/]/.test(docker) && !existsSync(docker)) return this.report(title, dockerMissingProblem(docker), opts, found.dir);
      return await body({ composeDir: found.dir, docker, service: opts.service });
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      this.op = undefined;
      void vscode.commands.executeCommand('setContext', 'acestep.server.busy', false);
      this.changed.fire();
    }
  }

  /** Runs a core step under a cancellable notification that shows its live progress text. */
  private withProgress<T>(title: string, p: Prepared, mode: AcestepMode | undefined, body: (ctx: ServerControlContext) => Promise<T>): Promise<T> {
    const op = this.op!;
    op.title = title;
    op.mode = mode;
    this.changed.fire();
    this.log.info(`${title} (${p.composeDir})`);
    return Promise.resolve(vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('ACE-Step: {0}', title), cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => op.abort.abort());
        // The texts change rarely during a long model download: the clock beside them shows it is alive.
        const started = Date.now();
        const show = (): void => { if (op.text) progress.report({ message: `${op.text} ${clock(Date.now() - started)}` }); };
        const ticker = setInterval(show, 1000);
        return body({
          runner: this.runner,
          dockerPath: p.docker,
          composeDir: p.composeDir,
          service: p.service,
          env: process.env,
          signal: op.abort.signal,
          onProgress: text => {
            op.text = text;
            show();
            this.changed.fire();
          },
          onOutput: line => this.log.info(`[docker] ${line}`),
        }).finally(() => clearInterval(ticker));
      }));
  }

  /** Ends the running operation (its wait, or the docker command under way); true when there was one. */
  cancel(): boolean {
    if (!this.op) return false;
    this.op.abort.abort();
    return true;
  }

  /** Whether an operation on `service` changes the server generation uses (the setup's first service). */
  private isPrimary(service: string | undefined): boolean {
    const first = this.latest?.services?.[0]?.service;
    return !service || !first || service === first;
  }

  private finish(title: string, composeDir: string, r: Awaited<ReturnType<typeof switchMode>>, opts: ServerOpOptions, retry: () => void): ServerResult {
    if (!r.ok) {
      this.learn(undefined);
      setTimeout(() => void this.check(), 0);
      return this.report(title, fromControl(r.problem), opts, composeDir, r.problem.kind === 'aborted' ? undefined : retry);
    }
    this.learn(this.isPrimary(opts.service) ? { composeDir, mode: r.mode, url: r.url, running: true } : undefined);
    // A server profile of this service follows it to its mode's port.
    if (opts.service && r.url) void syncProfileUrl(composeDir, opts.service, r.url).catch(e => this.log.warn(`acestep.servers: ${errorMessage(e)}`));
    const mode = modeLabel(r.mode);
    const text = r.waited
      ? (r.port !== undefined ? vscode.l10n.t('{0} mode ready on :{1}.', mode, r.port) : vscode.l10n.t('{0} mode ready.', mode))
      : (r.port !== undefined ? vscode.l10n.t('{0} mode starting on :{1} (not waiting for /health).', mode, r.port) : vscode.l10n.t('{0} mode starting (not waiting for /health).', mode));
    this.lastMessage = text;
    this.log.info(`${mode} mode ${r.waited ? 'ready' : 'starting'}${r.port !== undefined ? ` on :${r.port}` : ''}${r.url ? ` ${r.url}` : ''}`);
    if (r.warning) this.log.warn(r.warning);
    if (!opts.quiet) {
      if (r.warning) void vscode.window.showWarningMessage(r.warning);
      const openGradio = vscode.l10n.t('Open Gradio UI');
      const actions = r.mode === 'gradio' && r.url ? [openGradio] : [];
      void vscode.window.showInformationMessage(vscode.l10n.t('ACE-Step: {0}', text), ...actions).then(choice => {
        if (choice === openGradio) void vscode.commands.executeCommand(COMMANDS.openGradio);
      });
    }
    setTimeout(() => void this.check(), 0);
    return r;
  }

  /** Generation jobs still running on the known server (a recreate would end them). */
  runningJobs(): number {
    const url = this.current?.url;
    if (!url) return 0;
    return this.jobs().filter(j => !['succeeded', 'failed', 'cancelled', 'lost'].includes(j.state) && j.serverUrl === url).length;
  }

  private async confirmRecreate(question: string): Promise<boolean> {
    const jobs = this.runningJobs();
    const recreated = vscode.l10n.t('The container is recreated and the models load again (a minute or more).');
    const lost = jobs === 0 ? ''
      : jobs === 1 ? vscode.l10n.t('1 generation job is still running on it and will be lost.')
        : vscode.l10n.t('{0} generation jobs are still running on it and will be lost.', jobs);
    const proceed = vscode.l10n.t('Continue');
    const choice = await vscode.window.showWarningMessage(question, { modal: true, detail: lost ? `${recreated} ${lost}` : recreated }, proceed);
    return choice === proceed;
  }

  private notChanged(message: string): ServerFailure {
    return failure({ kind: 'aborted', message, nextStep: '', detail: '' });
  }

  /** Writes ACESTEP_MODE into .env, recreates the container, waits for /health on that mode's port. */
  switchMode(mode: AcestepMode, opts: ServerOpOptions = {}): Promise<ServerResult> {
    const title = vscode.l10n.t('Switching to {0} mode', modeLabel(mode));
    return this.exclusive(title, opts, async p => {
      if (!opts.force) {
        const already = await this.alreadyRunning(p.composeDir, mode, p.service);
        if (already) {
          const text = already.port !== undefined
            ? vscode.l10n.t('Already running in {0} mode on :{1}.', modeLabel(mode), already.port)
            : vscode.l10n.t('Already running in {0} mode.', modeLabel(mode));
          this.lastMessage = text;
          if (!opts.quiet) void vscode.window.showInformationMessage(vscode.l10n.t('ACE-Step: {0}', text));
          return already;
        }
      }
      if (opts.confirm && !(await this.confirmRecreate(vscode.l10n.t('Switch the ACE-Step server to {0} mode?', modeLabel(mode))))) {
        return this.notChanged(vscode.l10n.t('The mode was not switched.'));
      }
      const r = await this.withProgress(title, p, mode, ctx => switchMode(ctx, mode, { wait: opts.wait, timeoutMs: opts.timeoutMs }));
      return this.finish(title, p.composeDir, r, opts, () => void this.switchMode(mode, { ...opts, signal: undefined, confirm: false }));
    });
  }

  /** The server answers in `mode` and .env asks for it too: nothing to switch. */
  private async alreadyRunning(composeDir: string, mode: AcestepMode, service?: string): Promise<Extract<ServerResult, { ok: true }> | undefined> {
    const epoch = this.epoch;
    const ctx: ServerControlContext = { runner: this.runner, dockerPath: dockerProgram(), composeDir, service, env: process.env, signal: this.op?.abort.signal };
    const status = await serverStatus(ctx, 2000);
    if (epoch === this.epoch && this.isPrimary(service) && !this.latest?.services) this.apply({ at: Date.now(), composeDir, status });
    const s = status.state;
    if (s.state !== 'up' || s.runningMode !== mode || s.configuredMode !== mode) return undefined;
    const port = mode === 'api' ? status.ports.api : status.ports.gradio;
    return { ok: true, mode, port, url: s.url, health: s.health, waited: false, envChanged: false };
  }

  /** Starts the container in the mode .env selects and waits for /health. */
  start(opts: ServerOpOptions = {}): Promise<ServerResult> {
    const title = vscode.l10n.t('Starting the server');
    return this.exclusive(title, opts, async p => {
      const mode = await readConfiguredMode(p.composeDir, p.service);
      const r = await this.withProgress(vscode.l10n.t('Starting the server ({0} mode)', modeLabel(mode)), p, mode,
        ctx => startServer(ctx, { wait: opts.wait, timeoutMs: opts.timeoutMs }));
      return this.finish(title, p.composeDir, r, opts, () => void this.start({ ...opts, signal: undefined }));
    });
  }

  /** Recreates the container in the mode .env selects (so .env edits take effect) and waits for /health. */
  restart(opts: ServerOpOptions = {}): Promise<ServerResult> {
    const title = vscode.l10n.t('Restarting the server');
    return this.exclusive(title, opts, async p => {
      const mode = await readConfiguredMode(p.composeDir, p.service);
      if (opts.confirm && !(await this.confirmRecreate(vscode.l10n.t('Restart the ACE-Step server?')))) return this.notChanged(vscode.l10n.t('The server was not restarted.'));
      const r = await this.withProgress(vscode.l10n.t('Restarting the server ({0} mode)', modeLabel(mode)), p, mode,
        ctx => switchMode(ctx, mode, { wait: opts.wait, timeoutMs: opts.timeoutMs }));
      return this.finish(title, p.composeDir, r, opts, () => void this.restart({ ...opts, signal: undefined, confirm: false }));
    });
  }

  stop(opts: ServerOpOptions = {}): Promise<StopResult> {
    const title = vscode.l10n.t('Stopping the server');
    return this.exclusive(title, opts, async (p): Promise<StopResult> => {
      const r = await this.withProgress(title, p, undefined, ctx => stopServer(ctx));
      if (!r.ok) {
        this.learn(undefined);
        setTimeout(() => void this.check(), 0);
        return this.report(title, fromControl(r.problem), opts, p.composeDir, () => void this.stop({ ...opts, signal: undefined }));
      }
      const mode = await readConfiguredMode(p.composeDir, p.service);
      const { ports } = await resolvePorts({ dir: p.composeDir, env: process.env, service: p.service });
      this.learn(this.isPrimary(p.service) ? { composeDir: p.composeDir, mode, url: serverUrlForMode(mode, ports), running: false } : undefined);
      this.lastMessage = vscode.l10n.t('The ACE-Step server is stopped.');
      this.log.info('The ACE-Step server is stopped.');
      if (!opts.quiet) void vscode.window.showInformationMessage(this.lastMessage);
      setTimeout(() => void this.check(), 0);
      return r;
    });
  }

  /** How to call compose for the setup (for the log terminal); runs `docker compose version` once per program. */
  async composeCommand(opts: ServerOpOptions = {}): Promise<{ compose: ComposeCommand; composeDir: string } | ServerFailure> {
    const title = vscode.l10n.t('Show Server Logs');
    if (!vscode.workspace.isTrusted) return this.report(title, untrustedProblem(), opts);
    const found = await this.locator.locate(!opts.quiet);
    if ('reason' in found) return this.report(title, noSetupProblem(found.reason), opts);
    const docker = dockerProgram();
    if (/[\\/]/.test(docker) && !existsSync(docker)) return this.report(title, dockerMissingProblem(docker), opts, found.dir);
    let compose = this.composeCommands.get(docker);
    if (!compose) {
      try {
        compose = await resolveCompose(this.runner, docker, { signal: opts.signal });
      } catch (e) {
        if (e instanceof DockerError) return this.report(title, fromControl(e.problem), opts, found.dir);
        throw e;
      }
      this.composeCommands.set(docker, compose);
    }
    return { compose, composeDir: found.dir };
  }

  /** The setup folder for commands that only touch files (Open .env): no docker, so no trust needed. */
  async setupFolder(interactive: boolean): Promise<string | ServerFailure> {
    const found = await this.locator.locate(interactive);
    return 'reason' in found ? failure(noSetupProblem(found.reason)) : found.dir;
  }

  /** When generation could not reach `url`: the mode that would serve it, if .env selects the other one (./mode-serving). */
  modeServing(url: string): Promise<AcestepMode | undefined> {
    return modeServing(this.locator, url);
  }

  /** How a local file reaches the Docker setup's API server at `url` (its inputs folder), when it is that server. */
  async handOff(url: string): Promise<((field: string, file: string) => Promise<string>) | undefined> {
    const composeDir = this.composeDir();
    if (!composeDir || !vscode.workspace.isTrusted) return undefined;
    return dockerHandOff(url, { runner: this.runner, dockerPath: dockerProgram(), composeDir });
  }

  dispose(): void {
    this.op?.abort.abort();
    this.changed.dispose();
  }
}

/** Elapsed time as m:ss. */
function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
