// Typed access to the extension's settings.
import * as vscode from 'vscode';
import { DEFAULT_MIN_BYTES_PER_SECOND } from '../core/api/downloads';
import { WRAPPER_PORTS } from '../core/server/types';
import { hasCredentials, withoutCredentials } from '../core/util/server-text';

export interface GenerationSettings {
  serverUrl: string;
  gradioUrl: string;
  requestTimeoutSeconds: number;
  /** The slowest pace a take may download at after a grace period (0: no limit). */
  downloadMinBytesPerSecond: number;
  outputDirectory: string;
  defaultBatchSize: number;
  defaultAudioFormat: 'mp3' | 'wav' | 'flac';
  openPlayerOnFinish: boolean;
}

export function generationSettings(scope?: vscode.Uri): GenerationSettings {
  const c = vscode.workspace.getConfiguration('acestep', scope);
  return {
    serverUrl: withoutCredentials(c.get<string>('serverUrl', `http://localhost:${WRAPPER_PORTS.api}`).trim()).replace(/\/+$/, ''),
    gradioUrl: withoutCredentials(c.get<string>('gradioUrl', `http://localhost:${WRAPPER_PORTS.gradio}`).trim()).replace(/\/+$/, ''),
    requestTimeoutSeconds: c.get<number>('requestTimeoutSeconds', 60),
    downloadMinBytesPerSecond: Math.max(0, c.get<number>('download.minBytesPerSecond', DEFAULT_MIN_BYTES_PER_SECOND)),
    outputDirectory: c.get<string>('outputDirectory', '').trim(),
    defaultBatchSize: c.get<number>('defaultBatchSize', 1),
    defaultAudioFormat: c.get<'mp3' | 'wav' | 'flac'>('defaultAudioFormat', 'mp3'),
    openPlayerOnFinish: c.get<boolean>('player.openOnFinish', true),
  };
}

/** Whether acestep.serverUrl carries a user name or password (they are dropped: never sent, shown or stored). */
export function serverUrlHasCredentials(): boolean {
  return hasCredentials(vscode.workspace.getConfiguration('acestep').get<string>('serverUrl', '').trim());
}
