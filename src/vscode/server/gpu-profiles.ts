// The `acestep.servers` entries of a setup with one service per GPU: written by Create Docker Setup, and each
// one's URL kept on its service's mode (API port in API mode, Gradio port in Gradio mode). The decisions are the
// core's (setup-gpus.ts); this reads and writes the setting.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { profilesForSetup, profilesWithServiceUrl, type GpuServiceOptions } from '../../core/server';
import { resolveUserPath } from './settings';

const SERVERS = 'servers';

function target(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

/** Adds (or replaces) one profile per GPU service of the setup in `folderSetting` (the folder as the setting writes it). */
export async function writeSetupProfiles(folderSetting: string, services: readonly GpuServiceOptions[]): Promise<void> {
  const config = vscode.workspace.getConfiguration('acestep');
  await config.update(SERVERS, profilesForSetup(config.get<unknown>(SERVERS), folderSetting, services), target());
}

/** Moves the profiles of `service` in the setup at `composeDir` to `url`; nothing when none names it. */
export async function syncProfileUrl(composeDir: string, service: string, url: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('acestep');
  const same = (setting: string): boolean => path.resolve(resolveUserPath(setting)) === path.resolve(composeDir);
  const next = profilesWithServiceUrl(config.get<unknown>(SERVERS), same, service, url);
  if (next) await config.update(SERVERS, next, target());
}
