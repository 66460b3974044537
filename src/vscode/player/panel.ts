// The "ACE-Step Player" webview: one panel for generation results, plus an optional custom editor for audio
// files. The page is media/player.ts; every message in both directions goes through the typed protocol.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { computeWavPeaks } from '../../core/player/peaks';
import { createNonce, playerHtml } from '../../core/player/html';
import { parseFromWebview, type PlayerEdit, type PlayerState, type SectionMark, type ToWebview } from '../../core/player/protocol';
import { sidecarWithSections } from '../../core/jobs/sidecar';
import { editSongValues } from '../../core/player/edit-song';
import type { JobSnapshot } from '../../core/jobs';
import { writeFileAtomic } from '../../core/util/fs-atomic';
import { runEdit, vscodeAsk, type EditAsk } from './edit';
import { replaceBody, setFrontmatterValues, type ParamKey } from '../../core/song';
import { errorMessage } from '../../core/util/error-message';
import { openNewSong } from '../song/new-song';
import { pickSongFor, songCheck } from './song-pick';
import type { GenerationService } from '../generate/service';
import { fileSource, jobSource, toJobView, type JobSource, type TakeSource } from './views';
import { COMMANDS } from '../commands';
import { timeLyrics } from './time-lyrics';

interface Peaks { peaks: number[]; durationSec?: number }

/** Peaks cached by file, size and modification time: computed (or received from the page) once. */
class PeakCache {
  private readonly cache = new Map<string, Peaks>();
  private static key(take: TakeSource, mtime: number) { return `${take.file}|${take.sizeBytes}|${mtime}`; }
  async get(take: TakeSource): Promise<Peaks | undefined> {
    const mtime = await fs.stat(take.file).then(s => s.mtimeMs, () => 0);
    const key = PeakCache.key(take, mtime);
    if (this.cache.has(key)) return this.cache.get(key);
    const result = take.format === 'wav' ? await computeWavPeaks(take.file).catch(() => null) : null;
    if (!result) return undefined;
    const entry = { peaks: result.peaks, durationSec: result.durationSec };
    this.cache.set(key, entry);
    return entry;
  }
  async put(take: TakeSource, peaks: number[]): Promise<void> {
    const mtime = await fs.stat(take.file).then(s => s.mtimeMs, () => 0);
    this.cache.set(PeakCache.key(take, mtime), { peaks });
  }
}

/** One webview showing the player: a panel or a custom editor. */
class PlayerView implements vscode.Disposable {
  private jobs: JobSource[] = [];
  private selected: { jobId: string | null; takeId: string | null } = { jobId: null, takeId: null };
  /** A region to select once the page has the takes (an edit's result opens at the edited range). */
  private focus: { start: number; end: number } | undefined;
  state: PlayerState | undefined;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly host: PlayerHost,
    public load: () => Promise<JobSource[]>,
  ) {
    this.subs.push(panel.webview.onDidReceiveMessage(m => this.onMessage(m)));
    this.subs.push(vscode.window.onDidChangeActiveColorTheme(() => this.post({ type: 'theme' })));
  }

  async show(select?: { jobId?: string; takeId?: string; focus?: { start: number; end: number } }): Promise<void> {
    this.jobs = await this.load();
    this.selected = { jobId: select?.jobId ?? this.jobs[0]?.id ?? null, takeId: select?.takeId ?? null };
    this.focus = select?.focus;
    const roots = [...new Set(this.jobs.flatMap(j => j.takes.map(t => path.dirname(t.file))))].map(d => vscode.Uri.file(d));
    this.panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.host.extensionUri, 'dist', 'media'), vscode.Uri.joinPath(this.host.extensionUri, 'media'), ...roots],
    };
    const webview = this.panel.webview;
    webview.html = playerHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.host.extensionUri, 'dist', 'media', 'player.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.host.extensionUri, 'media', 'player', 'player.css')).toString(),
      title: this.jobs[0]?.title ?? 'ACE-Step Player',
      language: vscode.env.language,
      bundle: vscode.l10n.bundle,
      loadingText: vscode.l10n.t('Loading takes…'),
    });
    this.panel.title = `▶ ${this.jobs[0]?.title ?? 'ACE-Step Player'}`;
  }

  private post(message: ToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private async sendLoad(): Promise<void> {
    const peaks = new Map<string, Peaks | undefined>();
    for (const take of this.jobs.flatMap(j => j.takes)) peaks.set(take.id, await this.host.peaks.get(take));
    const webview = this.panel.webview;
    this.post({
      type: 'load',
      jobs: this.jobs.map(j => toJobView(j, f => webview.asWebviewUri(vscode.Uri.file(f)).toString(), t => peaks.get(t.id))),
      selectedJobId: this.selected.jobId,
      selectedTake: this.selected.takeId,
    });
  }

  private take(id: string): TakeSource | undefined {
    return this.jobs.flatMap(j => j.takes).find(t => t.id === id);
  }

  /** A message as if the page posted it (checked like one): host tests start edits this way. */
  receive(raw: unknown): Promise<void> { return this.onMessage(raw); }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseFromWebview(raw);
    if (!message) { this.host.log.warn('player: ignored a malformed message from the webview'); return; }
    switch (message.type) {
      case 'ready': {
        await this.sendLoad();
        const focus = this.focus;
        this.focus = undefined;
        if (focus) this.post({ type: 'command', command: 'setLoop', loop: 'region', start: focus.start, end: focus.end });
        return;
      }
      case 'state': this.state = message.state; this.host.stateChanged.fire(message.state); return;
      case 'error': this.host.log.warn(`player: ${message.message}`); return;
      case 'peaks': {
        const take = this.take(message.takeId);
        if (take) await this.host.peaks.put(take, message.peaks);
        return;
      }
      case 'action': {
        const take = this.take(message.takeId);
        if (take) await this.act(message.action, take);
        return;
      }
      case 'edit': {
        const take = this.take(message.takeId);
        if (take) await this.edit(take, message.edit);
        return;
      }
      case 'sections': {
        const take = this.take(message.takeId);
        if (take) await this.keepSections(take, message.sections);
        return;
      }
    }
  }

  /** An edit of `take` asked for in the page: runs it; the result opens beside the take. */
  private async edit(take: TakeSource, edit: PlayerEdit): Promise<void> {
    const job = this.jobs.find(j => j.takes.includes(take));
    const shown = this.state?.takeId === take.id && this.state.duration > 0 ? this.state.duration : undefined;
    const durationSec = shown ?? (await this.host.peaks.get(take))?.durationSec ?? take.meta.duration;
    await runEdit({
      service: this.host.generation, ask: this.host.ask, title: job?.title ?? path.basename(take.file, path.extname(take.file)),
      ...(durationSec !== undefined ? { durationSec } : {}),
      open: (done, focus) => void this.host.openEdit(done, take, focus),
    }, take, edit);
  }

  /** Sections the user moved: kept in the take's sidecar (a take without one keeps them for this view only). */
  private async keepSections(take: TakeSource, sections: SectionMark[]): Promise<void> {
    take.sections = sections;
    if (!take.sidecar) return;
    try {
      const text = sidecarWithSections(JSON.parse(await fs.readFile(take.sidecar, 'utf8')), sections);
      if (text) await writeFileAtomic(take.sidecar, text);
      else this.host.log.warn(`player: ${take.sidecar} is not a sidecar this version reads; the sections were not kept`);
    } catch (e) {
      this.host.log.warn(`player: could not keep the sections in ${take.sidecar}: ${errorMessage(e)}`);
    }
  }

  private async act(action: string, take: TakeSource): Promise<void> {
    switch (action) {
      case 'reveal': await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(take.file)); return;
      case 'copyPath':
        await vscode.env.clipboard.writeText(take.file);
        void vscode.window.setStatusBarMessage(vscode.l10n.t('Path copied'), 2000);
        return;
      case 'openSidecar':
        if (take.sidecar) await vscode.window.showTextDocument(vscode.Uri.file(take.sidecar), { preview: true });
        else void vscode.window.showInformationMessage(vscode.l10n.t('This take has no sidecar file.'));
        return;
      case 'useSettings': await this.host.useSettings(take); return;
      case 'timeLyrics': {
        const lines = await timeLyrics(this.host.generation, take);
        if (lines) this.post({ type: 'lyricsTiming', takeId: take.id, lines });
        return;
      }
      case 'regenerate': {
        const job = take.jobId ? this.host.generation.jobs().get(take.jobId) : undefined;
        if (job) { this.host.generation.resubmit(job); return; }
        // Only the song that made the take is generated unasked; otherwise the user picks one.
        const song = take.songPath ? vscode.Uri.file(take.songPath) : await pickSongFor(take);
        if (song === 'new') await this.host.newSongFrom(take);
        else if (song) await vscode.commands.executeCommand(COMMANDS.generateSong, song);
        return;
      }
      case 'deleteTake': {
        const name = path.basename(take.file);
        const remove = vscode.l10n.t('Delete');
        const question = take.sidecar ? vscode.l10n.t('Delete {0} and its sidecar?', name) : vscode.l10n.t('Delete {0}?', name);
        const ok = await vscode.window.showWarningMessage(question, { modal: true }, remove);
        if (ok !== remove) return;
        await vscode.workspace.fs.delete(vscode.Uri.file(take.file), { useTrash: true }).then(undefined, () => fs.rm(take.file, { force: true }));
        if (take.sidecar) await fs.rm(take.sidecar, { force: true });
        this.jobs = await this.load();
        await this.sendLoad();
      }
    }
  }

  dispose(): void { this.subs.forEach(s => s.dispose()); }
}

export class PlayerHost implements vscode.Disposable {
  readonly peaks = new PeakCache();
  readonly stateChanged = new vscode.EventEmitter<PlayerState>();
  private view: PlayerView | undefined;
  /** How edits ask for what they need (host tests answer instead of the user). */
  ask: EditAsk = vscodeAsk;

  constructor(readonly extensionUri: vscode.Uri, readonly generation: GenerationService, readonly log: vscode.LogOutputChannel) {}

  /** Opens (or reuses) the player panel on a job: all jobs of its song are listed, this one selected. */
  async openJob(jobId: string, takeIndex?: number): Promise<void> {
    const job = this.generation.jobs().get(jobId);
    if (!job) return;
    const sameSong = () => this.generation.list()
      .filter(j => j.state === 'succeeded' && (j.songPath ? j.songPath === job.songPath : j.title === job.title))
      .sort((a, b) => b.createdAt - a.createdAt);
    // The take clicked (take ids are `<job>:<index>`, see jobSource), else the job's first.
    const takeId = takeIndex !== undefined ? `${jobId}:${takeIndex}` : undefined;
    await this.openPanel(async () => (await Promise.all(sameSong().map(jobSource))).filter(j => j.takes.length), { jobId, ...(takeId ? { takeId } : {}) });
  }

  async openFile(file: string): Promise<void> {
    await this.openPanel(async () => [await fileSource(file, songCheck)]);
  }

  /**
   * Opens a finished edit beside its source for A/B: one list with the source take and the edit's takes (the
   * same region, position and keys switch between them), then the song's other jobs; at the edited range.
   */
  async openEdit(job: JobSnapshot, source: TakeSource, focus?: { start: number; end: number }): Promise<void> {
    const id = `ab:${job.id}`;
    const load = async (): Promise<JobSource[]> => {
      const edited = await jobSource(this.generation.jobs().get(job.id) ?? job);
      const pair: JobSource = {
        ...edited, id,
        takes: [{ ...source, id: `${id}:source`, label: vscode.l10n.t('Source') },
          ...edited.takes.map((t, i) => ({ ...t, id: `${id}:${t.id}`, label: edited.takes.length > 1 ? vscode.l10n.t('Edit {0}', i + 1) : vscode.l10n.t('Edit') }))],
      };
      const others = this.generation.list().filter(j => j.state === 'succeeded' && j.id !== job.id && !!job.songPath && j.songPath === job.songPath)
        .sort((a, b) => b.createdAt - a.createdAt);
      return [pair, ...(await Promise.all(others.map(jobSource))).filter(j => j.takes.length)];
    };
    await this.openPanel(load, { jobId: id, takeId: `${id}:${job.id}:0`, ...(focus ? { focus } : {}) });
  }

  private async openPanel(load: () => Promise<JobSource[]>, select?: { jobId?: string; takeId?: string; focus?: { start: number; end: number } }): Promise<void> {
    if (!this.view) {
      const panel = vscode.window.createWebviewPanel('acestep.player', 'ACE-Step Player', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, retainContextWhenHidden: true });
      panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icons', 'acestep.svg');
      this.view = new PlayerView(panel, this, load);
      panel.onDidDispose(() => { this.view?.dispose(); this.view = undefined; });
    } else {
      this.view.load = load;
      this.view.panel.reveal(undefined, true);
    }
    await this.view.show(select);
  }

  /** The player's last reported state (tests query the panel through this). */
  state(): PlayerState | undefined { return this.view?.state; }
  isOpen(): boolean { return !!this.view; }
  /** Host tests: a message as if the player page posted it (validated like every message from the page). */
  async messageForTests(raw: unknown): Promise<void> { await this.view?.receive(raw); }

  /**
   * "Use these settings": seed, bpm, key, time signature and the caption as sung go back into the .song, as one
   * undoable edit: into the song that made the take, else into the song the user picks (or a new one).
   */
  async useSettings(take: TakeSource): Promise<boolean> {
    // An edited take: a new .song that makes the same edit (its task keys), beside the song.
    if (take.lineage) {
      const values = editSongValues(take.params ?? {}, take.lineage) as Partial<Record<ParamKey, string | number>>;
      const header = `---\ntitle: ${JSON.stringify(path.basename(take.file, path.extname(take.file)))}\n---\n`;
      await openNewSong(setFrontmatterValues(replaceBody(header, take.meta.lyrics), values));
      return true;
    }
    const target = take.songPath ? vscode.Uri.file(take.songPath) : await pickSongFor(take);
    if (!target) return false;
    if (target === 'new') return this.newSongFrom(take);
    const doc = await vscode.workspace.openTextDocument(target);
    let next: string;
    try {
      next = setFrontmatterValues(doc.getText(), takeValues(take));
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Use These Settings: {0}', errorMessage(e)));
      return false;
    }
    if (next === doc.getText()) return true;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), next);
    const ok = await vscode.workspace.applyEdit(edit);
    if (ok) await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.One });
    return ok;
  }

  /** A new untitled song with the take's settings and lyrics. */
  async newSongFrom(take: TakeSource): Promise<boolean> {
    const header = `---\ntitle: ${JSON.stringify(path.basename(take.file, path.extname(take.file)))}\n---\n`;
    await openNewSong(setFrontmatterValues(replaceBody(header, take.meta.lyrics), takeValues(take)));
    return true;
  }

  /** The custom editor for audio files ("Open With… ACE-Step Player"). */
  customEditor(): vscode.CustomReadonlyEditorProvider {
    return {
      openCustomDocument: uri => ({ uri, dispose: () => undefined }),
      resolveCustomEditor: async (document, panel) => {
        const view = new PlayerView(panel, this, async () => [await fileSource(document.uri.fsPath, songCheck)]);
        panel.onDidDispose(() => view.dispose());
        await view.show();
      },
    };
  }

  dispose(): void {
    this.view?.panel.dispose();
    this.stateChanged.dispose();
  }
}

/** The values "Use These Settings" writes: what is known of the take. */
function takeValues(take: TakeSource): Partial<Record<ParamKey, string | number>> {
  const m = take.meta;
  const ts = m.timeSignature?.replace(/\/.*$/, '');
  return {
    ...(m.seed !== undefined ? { seed: m.seed } : {}), ...(m.bpm ? { bpm: m.bpm } : {}), ...(m.key ? { key: m.key } : {}),
    ...(ts && ['2', '3', '4', '6'].includes(ts) ? { time_signature: Number(ts) } : {}), ...(m.caption ? { caption: m.caption } : {}),
  };
}

/** The player's commands; its custom editor is registered at activation (src/vscode/player/index.ts). */
export function registerPlayer(context: vscode.ExtensionContext, generation: GenerationService, log: vscode.LogOutputChannel): PlayerHost {
  const host = new PlayerHost(context.extensionUri, generation, log);
  context.subscriptions.push(
    host,
    vscode.commands.registerCommand(COMMANDS.openTakes, (jobId: string, takeIndex?: unknown) =>
      host.openJob(jobId, typeof takeIndex === 'number' && Number.isInteger(takeIndex) && takeIndex >= 0 ? takeIndex : undefined)),
    vscode.commands.registerCommand(COMMANDS.openPlayer, async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (target?.scheme === 'file' && /\.(mp3|wav|flac)$/i.test(target.fsPath)) await host.openFile(target.fsPath);
      else void vscode.window.showInformationMessage(vscode.l10n.t('Pick an .mp3, .wav or .flac file to open it in the ACE-Step Player.'));
    }),
  );
  return host;
}
