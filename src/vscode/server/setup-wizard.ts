// "ACE-Step: Create Docker Setup": asks for a folder, image or checkout, mode, ports, models and an optional API
// key, then writes the compose project from the core's templates (each file whole or not at all; existing
// files only replaced after asking), points acestep.composeDirectory at it and opens the .env.
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomic } from '../../core/util/fs-atomic';
import {
  createDockerSetup, createMultiGpuSetup, DEFAULT_SETUP_OPTIONS, gpuServiceName, SETUP_FILE_NAMES, SETUP_FOLDERS, type DockerSetupFiles, type DockerSetupOptions,
  type GpuInfo, type GpuServiceOptions,
} from '../../core/server';
import { writeSetupProfiles } from './gpu-profiles';
import { askGpus, servicesFor } from './setup-wizard-gpus';
import type { ServerController } from './controller';
import type { ComposeLocator } from './locate';
import { COMPOSE_DIR_SETTING, settingValueFor, updateServerSetting } from './settings';
import { COMMANDS } from '../commands';
import { errorMessage } from '../../core/util/error-message';

export interface CreateSetupArgs {
  /** Folder to write into (skips every question when given). */
  folder: string;
  options?: Partial<DockerSetupOptions>;
  /** Replace existing files without asking (default false: existing files stop the programmatic call). */
  overwrite?: boolean;
  /** Open the .env afterwards (default true). */
  open?: boolean;
  /** Two or more: one service per GPU (acestep-gpu<index>), each a server profile; ports 10 apart from options.ports. */
  gpus?: GpuInfo[];
  /** With gpus: reserve each GPU (default true; off only for engines without the NVIDIA runtime). */
  reserveGpus?: boolean;
}

export interface CreateSetupResult { folder: string; files: string[]; settingWritten: boolean; services?: string[] }

const title = () => vscode.l10n.t('ACE-Step: Create Docker Setup');

function portInput(prompt: string, value: number, other?: number): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: title(),
    prompt,
    value: String(value),
    ignoreFocusOut: true,
    validateInput: v => {
      const n = Number(v.trim());
      if (!/^\d+$/.test(v.trim()) || n < 1 || n > 65535) return vscode.l10n.t('A port number from 1 to 65535');
      if (n === other) return vscode.l10n.t('The two servers need different ports');
      return undefined;
    },
  });
}

/** The questions; undefined when the user backs out. */
interface Choice<T> { icon: string; label: string; description?: string; detail: string; value: T }

/** A step that chooses one of a few options with an icon each: the chosen value, undefined when the user leaves. */
async function choose<T>(placeHolder: string, choices: Choice<T>[]): Promise<T | undefined> {
  const items = choices.map(c => ({ label: `$(${c.icon}) ${c.label}`, description: c.description, detail: c.detail, value: c.value }));
  return (await pick(placeHolder, items))?.value;
}

/** One step of the wizard: a quick pick in its title; undefined when the user leaves. */
async function pick<T extends vscode.QuickPickItem>(placeHolder: string, items: T[]): Promise<T | undefined> {
  return vscode.window.showQuickPick(items, { title: title(), placeHolder, ignoreFocusOut: true });
}

interface Answers { folder: string; options: DockerSetupOptions; gpus?: GpuInfo[] }

async function ask(): Promise<Answers | undefined> {
  const folderUri = (await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Folder for the ACE-Step Docker setup (compose file, .env, models cache)'),
    openLabel: vscode.l10n.t('Create Setup Here'),
    canSelectFolders: true, canSelectFiles: false, canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  }))?.[0];
  if (!folderUri) return undefined;
  const folder = folderUri.fsPath;
  const o: DockerSetupOptions = { ...DEFAULT_SETUP_OPTIONS, ports: { ...DEFAULT_SETUP_OPTIONS.ports } };

  const source = await choose(vscode.l10n.t('Where does the ACE-Step image come from?'), [
    { icon: 'tools', label: vscode.l10n.t('Build from my ACE-Step checkout'), description: vscode.l10n.t('recommended'), detail: vscode.l10n.t('docker compose builds the image from a clone of ACE-Step 1.5 on this computer.'), value: 'build' as const },
    { icon: 'package', label: vscode.l10n.t('Run an image'), detail: vscode.l10n.t('An ACE-Step image you already have or trust.'), value: 'image' as const },
  ]);
  if (!source) return undefined;
  o.source = source;
  if (o.source === 'build') {
    const checkout = (await vscode.window.showOpenDialog({
      title: vscode.l10n.t('Your ACE-Step 1.5 checkout (the folder with its Dockerfile)'),
      openLabel: vscode.l10n.t('Use This Checkout'),
      canSelectFolders: true, canSelectFiles: false, canSelectMany: false,
      defaultUri: folderUri,
    }))?.[0];
    if (!checkout) return undefined;
    const rel = path.relative(folder, checkout.fsPath);
    o.checkoutPath = !rel ? '.' : path.isAbsolute(rel) ? checkout.fsPath : rel.split(path.sep).join('/');
    if (!existsSync(path.join(checkout.fsPath, 'Dockerfile'))) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} has no Dockerfile, so building the image will fail. Point the compose file\'s build context at your ACE-Step 1.5 checkout.', checkout.fsPath));
    }
  } else {
    const image = await vscode.window.showInputBox({
      title: title(), prompt: vscode.l10n.t('Image to run (name:tag)'), ignoreFocusOut: true,
      validateInput: v => (!v.trim() ? vscode.l10n.t('An image name') : /\s/.test(v.trim()) ? vscode.l10n.t('No spaces in an image name') : undefined),
    });
    if (!image) return undefined;
    o.image = image.trim();
  }

  const gpus = await askGpus();
  if (!gpus) return undefined;
  if (gpus.length === 1) o.gpuDevice = gpus[0]!.index;
  const several = gpus.length > 1;

  const mode = await choose(several ? vscode.l10n.t('Which server should every GPU start? (Switch Server Mode changes each later)') : vscode.l10n.t('Which server should start? (Switch Server Mode changes it later)'), [
    { icon: 'plug', label: vscode.l10n.t('API mode'), description: vscode.l10n.t('recommended for VS Code'), detail: vscode.l10n.t('The standalone REST API that Generate Song, scripts and assistants use.'), value: 'api' as const },
    { icon: 'globe', label: vscode.l10n.t('Gradio mode'), detail: vscode.l10n.t('The Gradio UI in your browser, with the API mounted on it.'), value: 'gradio' as const },
  ]);
  if (!mode) return undefined;
  o.mode = mode;

  const gradio = await portInput(vscode.l10n.t('Port on this computer for the Gradio UI (container port 7860)'), o.ports.gradio);
  if (gradio === undefined) return undefined;
  o.ports.gradio = Number(gradio);
  const api = await portInput(vscode.l10n.t('Port on this computer for the REST API (container port 8001)'), o.ports.api, o.ports.gradio);
  if (api === undefined) return undefined;
  o.ports.api = Number(api);

  if (several) return askKey({ folder, options: o, gpus });

  const dit = await pick(vscode.l10n.t('DiT model (makes the audio)'), [
    { label: 'acestep-v15-turbo', description: vscode.l10n.t('recommended'), detail: vscode.l10n.t('8 steps: fast, good quality') },
    { label: 'acestep-v15-sft', detail: vscode.l10n.t('More steps, more control (guidance)') },
    { label: 'acestep-v15-base', detail: vscode.l10n.t('The base model: every task (extract, lego, complete), slowest') },
  ]);
  if (!dit) return undefined;
  o.ditModel = dit.label;

  const lm = await pick(vscode.l10n.t('Language model (plans songs, formats lyrics)'), [
    { label: 'acestep-5Hz-lm-1.7B', description: vscode.l10n.t('recommended'), detail: vscode.l10n.t('About 8 GB of VRAM'), init: 'auto' as const },
    { label: 'acestep-5Hz-lm-0.6B', detail: vscode.l10n.t('About 3 GB of VRAM: for smaller GPUs'), init: 'auto' as const },
    { label: 'acestep-5Hz-lm-4B', detail: vscode.l10n.t('About 12 GB of VRAM: the best planning'), init: 'auto' as const },
    { label: vscode.l10n.t('No language model'), detail: vscode.l10n.t('DiT only: no thinking, Format or random songs'), init: 'false' as const },
  ]);
  if (!lm) return undefined;
  if (lm.init === 'false') o.initLlm = 'false'; else { o.lmModel = lm.label; o.initLlm = 'auto'; }
  return askKey({ folder, options: o });
}

async function askKey(answers: Answers): Promise<Answers | undefined> {
  const key = await vscode.window.showInputBox({
    title: title(),
    prompt: vscode.l10n.t('Optional API key the server will require. It is written in plain text to .env (the container reads it from there): keep .env out of version control. Leave empty for no key.'),
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined) return undefined;
  if (key.trim()) answers.options.apiKey = key.trim();
  return answers;
}

/** Writes the files; returns undefined when existing files were not to be replaced. */
export async function createSetup(c: ServerController, locator: ComposeLocator, args?: CreateSetupArgs): Promise<CreateSetupResult | undefined> {
  const answers: Answers | undefined = args?.folder
    ? { folder: path.resolve(args.folder), options: { ...DEFAULT_SETUP_OPTIONS, ...args.options, ports: { ...DEFAULT_SETUP_OPTIONS.ports, ...args.options?.ports } }, gpus: args.gpus }
    : await ask();
  if (!answers) return undefined;
  const { folder, options } = answers;
  let files: DockerSetupFiles;
  let services: GpuServiceOptions[] | undefined;
  try {
    if (answers.gpus && answers.gpus.length > 1) {
      services = servicesFor(answers.gpus, options.mode, options.ports);
      files = createMultiGpuSetup({ ...options, services, reserveGpus: args?.reserveGpus });
    } else {
      files = createDockerSetup(answers.gpus?.length === 1 ? { ...options, gpuDevice: answers.gpus[0]!.index } : options);
    }
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Create Docker Setup: {0}', errorMessage(e)));
    return undefined;
  }
  const existing = SETUP_FILE_NAMES.filter(name => existsSync(path.join(folder, name)));
  if (existing.length && !args?.overwrite) {
    if (args?.folder) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Create Docker Setup: {0} already exist in {1}; nothing was written.', existing.join(', '), folder));
      return undefined;
    }
    const replaceLabel = vscode.l10n.t('Replace');
    const replace = await vscode.window.showWarningMessage(vscode.l10n.t('Replace {0} in {1}?', existing.join(', '), folder),
      { modal: true, detail: vscode.l10n.t('Your edits to those files would be lost. Choose another folder to keep them.') }, replaceLabel);
    if (replace !== replaceLabel) return undefined;
  }
  const written: string[] = [];
  for (const name of SETUP_FILE_NAMES) {
    const file = path.join(folder, name);
    const mode = name === 'docker-entrypoint.sh' ? 0o755 : name === '.env' && options.apiKey ? 0o600 : undefined;
    await writeFileAtomic(file, files[name], mode !== undefined ? { mode } : {});
    written.push(file);
  }
  for (const dir of SETUP_FOLDERS) await fs.mkdir(path.join(folder, dir), { recursive: true });
  let settingWritten = true;
  try {
    await updateServerSetting(COMPOSE_DIR_SETTING, settingValueFor(folder));
  } catch {
    // Without the setting (a read-only settings file…), the workspace remembers the folder instead.
    settingWritten = false;
    await locator.remember(folder);
  }
  if (services) {
    try {
      await writeSetupProfiles(settingValueFor(folder), services);
    } catch (e) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The server profiles of the GPUs could not be written to acestep.servers: {0}', errorMessage(e)));
    }
  }
  c.reset();
  if (args?.open !== false) await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, '.env')), { preview: false });
  const startServer = vscode.l10n.t('Start Server');
  const useKey = vscode.l10n.t('Use This Key for Generation');
  const actions = [startServer, ...(options.apiKey ? [useKey] : [])];
  void vscode.window.showInformationMessage(options.source === 'build'
    ? vscode.l10n.t('ACE-Step Docker setup written to {0}. The first start builds the image and downloads 10–20 GB of models.', folder)
    : vscode.l10n.t('ACE-Step Docker setup written to {0}. The first start downloads 10–20 GB of models.', folder), ...actions)
    .then(choice => {
      if (choice === startServer) void vscode.commands.executeCommand(COMMANDS.startServer);
      if (choice === useKey) void vscode.commands.executeCommand(COMMANDS.setApiKey, options.apiKey);
    });
  return { folder, files: written, settingWritten, services: services?.map(s => gpuServiceName(s.gpu)) };
}
