// The songwriting skill files (SKILL.md, music-creation-guide.md, API.md): read from the extension folder
// (the build copies them to dist/skills/acestep/; the docs folder is the fallback), the guide cached for the
// chat, and "ACE-Step: Add AI Skill to Workspace", which copies them into a project for other AI tools.
import * as vscode from 'vscode';
import { COMMANDS } from '../commands';
import { errorMessage } from '../../core/util/error-message';

export const SKILL_FILES = ['SKILL.md', 'music-creation-guide.md', 'API.md'] as const;
export const GUIDE_FILE = 'music-creation-guide.md';
/** Where the skill goes in a workspace (GitHub Copilot reads skills from .github/skills/<name>/). */
export const WORKSPACE_SKILL_DIR = ['.github', 'skills', 'acestep'];

const SOURCE_DIRS = [['dist', 'skills', 'acestep'], ['docs', 'ai-integration']];

export class SkillFiles {
  private guideText: Promise<string> | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** The folder holding all three files: the built skill folder, else the docs. */
  async sourceDir(): Promise<vscode.Uri> {
    for (const parts of SOURCE_DIRS) {
      const dir = vscode.Uri.joinPath(this.extensionUri, ...parts);
      try {
        await Promise.all(SKILL_FILES.map(f => vscode.workspace.fs.stat(vscode.Uri.joinPath(dir, f))));
        return dir;
      } catch { /* try the next place */ }
    }
    throw new Error(vscode.l10n.t('The songwriting guide is missing from the extension (dist/skills/acestep or docs/ai-integration). Reinstall ACE-Step Studio.'));
  }

  /** The songwriting guide, read on first use and kept (a failed read is retried next time). */
  guide(): Promise<string> {
    if (!this.guideText) {
      this.guideText = this.sourceDir()
        .then(dir => vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, GUIDE_FILE)))
        .then(bytes => new TextDecoder().decode(bytes));
      this.guideText.catch(() => { this.guideText = undefined; });
    }
    return this.guideText;
  }
}

export interface AddSkillOptions {
  /** The folder the three files go into (skips the question where). */
  folder?: vscode.Uri | string;
  /** Ask for the folder with a folder picker. */
  pick?: boolean;
  /** Existing, different files: true overwrites, false keeps them; undefined asks. */
  overwrite?: boolean;
}

export interface AddSkillResult {
  folder: vscode.Uri;
  written: string[];
  unchanged: string[];
  kept: string[];
}

async function readOrUndefined(uri: vscode.Uri): Promise<Uint8Array | undefined> {
  try { return await vscode.workspace.fs.readFile(uri); } catch { return undefined; }
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function pickFolder(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false, canSelectFolders: true, canSelectMany: false,
    openLabel: vscode.l10n.t('Add the Skill Here'), title: vscode.l10n.t('Folder for the ACE-Step skill (SKILL.md and its two guides)'),
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0];
}

/** Where the files go: the option, a picked folder, or .github/skills/acestep of a workspace folder. */
async function targetFolder(options: AddSkillOptions): Promise<vscode.Uri | undefined> {
  if (options.folder) return typeof options.folder === 'string' ? vscode.Uri.file(options.folder) : options.folder;
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (options.pick || folders.length === 0) return pickFolder();
  if (folders.length === 1) return vscode.Uri.joinPath(folders[0].uri, ...WORKSPACE_SKILL_DIR);
  const choice = await vscode.window.showQuickPick(
    [...folders.map(f => ({ label: f.name, description: `${WORKSPACE_SKILL_DIR.join('/')}/`, uri: f.uri as vscode.Uri | undefined })),
      { label: vscode.l10n.t('Choose Another Folder…'), description: vscode.l10n.t('the files go straight into it'), uri: undefined }],
    { title: vscode.l10n.t('Add AI Skill to Workspace'), placeHolder: vscode.l10n.t('Which folder gets the ACE-Step skill?') });
  if (!choice) return undefined;
  return choice.uri ? vscode.Uri.joinPath(choice.uri, ...WORKSPACE_SKILL_DIR) : pickFolder();
}

export async function addSkillToWorkspace(skill: SkillFiles, options: AddSkillOptions = {}): Promise<AddSkillResult | undefined> {
  const folder = await targetFolder(options);
  if (!folder) return undefined;
  const source = await skill.sourceDir();
  const files = await Promise.all(SKILL_FILES.map(async name => ({
    name,
    content: await vscode.workspace.fs.readFile(vscode.Uri.joinPath(source, name)),
    existing: await readOrUndefined(vscode.Uri.joinPath(folder, name)),
  })));
  const differing = files.filter(f => f.existing && !same(f.existing, f.content));
  let overwrite = options.overwrite;
  if (differing.length && overwrite === undefined) {
    const names = differing.map(f => f.name).join(', ');
    const where = vscode.workspace.asRelativePath(folder, true);
    const overwriteLabel = vscode.l10n.t('Overwrite');
    const answer = await vscode.window.showWarningMessage(differing.length === 1
      ? vscode.l10n.t('{0} already exists in {1} with different content. Overwrite it with the extension\'s version?', names, where)
      : vscode.l10n.t('{0} already exist in {1} with different content. Overwrite them with the extension\'s version?', names, where),
    { modal: true }, overwriteLabel, vscode.l10n.t('Keep Mine'));
    if (answer === undefined) return undefined;
    overwrite = answer === overwriteLabel;
  }
  const result: AddSkillResult = { folder, written: [], unchanged: [], kept: [] };
  await vscode.workspace.fs.createDirectory(folder);
  for (const f of files) {
    if (f.existing && same(f.existing, f.content)) { result.unchanged.push(f.name); continue; }
    if (f.existing && !overwrite) { result.kept.push(f.name); continue; }
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, f.name), f.content);
    result.written.push(f.name);
  }
  const where = vscode.workspace.asRelativePath(folder, true);
  const summary = result.written.length
    ? (result.kept.length
      ? vscode.l10n.t('Added the ACE-Step skill to {0} ({1}; kept your {2}).', where, result.written.join(', '), result.kept.join(', '))
      : vscode.l10n.t('Added the ACE-Step skill to {0} ({1}).', where, result.written.join(', ')))
    : result.kept.length
      ? vscode.l10n.t('The ACE-Step skill in {0} is kept as you have it.', where)
      : vscode.l10n.t('The ACE-Step skill in {0} is already up to date.', where);
  void vscode.window.showInformationMessage(summary, vscode.l10n.t('Open SKILL.md')).then(choice => {
    if (choice) void vscode.window.showTextDocument(vscode.Uri.joinPath(folder, 'SKILL.md'));
  });
  return result;
}

export function registerAddSkill(context: vscode.ExtensionContext, skill: SkillFiles): void {
  context.subscriptions.push(vscode.commands.registerCommand(COMMANDS.addSkillToWorkspace, async (options?: AddSkillOptions) => {
    try {
      return await addSkillToWorkspace(skill, options && typeof options === 'object' && !(options instanceof vscode.Uri) ? options : {});
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Add AI Skill to Workspace: {0}', errorMessage(e)));
      return undefined;
    }
  }));
}
