// "ACE-Step: LoRA Adapters…": what the server has loaded, and load, unload, switch on or off and scale a style
// adapter, through the server's /v1/lora routes (current upstream servers only; elsewhere the core refuses and
// says why). The adapter path is a path on the server's machine.
import * as vscode from 'vscode';
import { LORA_MAX_SCALE, loraRefusal, type LoraStatus } from '../../core/api/lora';
import type { AceStepClient } from '../../core/api/client';
import type { Flavour } from '../../core/api/types';
import { COMMANDS } from '../commands';
import { showServerError } from './server-commands';
import type { GenerationService } from './service';

type Step = 'load' | 'unload' | 'toggle' | 'scale';

function statusLine(s: LoraStatus): string {
  if (!s.loaded) return vscode.l10n.t('No adapter loaded.');
  const name = s.activeAdapter ?? s.adapters[0] ?? vscode.l10n.t('an adapter');
  return s.active
    ? vscode.l10n.t('{0} is loaded and used, scale {1}.', name, s.scale)
    : vscode.l10n.t('{0} is loaded but switched off.', name);
}

async function pickStep(s: LoraStatus): Promise<Step | undefined> {
  const items: (vscode.QuickPickItem & { step: Step })[] = [
    { label: `$(add) ${vscode.l10n.t('Load an Adapter…')}`, detail: vscode.l10n.t('A LoRA folder or file on the server\'s machine.'), step: 'load' },
  ];
  if (s.loaded) {
    items.push(
      { label: `$(symbol-number) ${vscode.l10n.t('Set the Scale…')}`, detail: vscode.l10n.t('How strongly the adapter shapes the sound (0 to {0}).', LORA_MAX_SCALE), step: 'scale' },
      { label: s.active ? `$(debug-pause) ${vscode.l10n.t('Switch Off')}` : `$(play) ${vscode.l10n.t('Switch On')}`, step: 'toggle' },
      { label: `$(trash) ${vscode.l10n.t('Unload')}`, step: 'unload' },
    );
  }
  return (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('LoRA Adapters'), placeHolder: statusLine(s) }))?.step;
}

async function runStep(client: AceStepClient, flavour: Flavour, s: LoraStatus, step: Step): Promise<string | undefined> {
  const opts = { flavour };
  switch (step) {
    case 'load': {
      const p = await vscode.window.showInputBox({
        title: vscode.l10n.t('Load an Adapter'), prompt: vscode.l10n.t('The adapter\'s path on the server\'s machine (for Docker: inside the container).'),
        ignoreFocusOut: true, validateInput: v => (v.trim() ? undefined : vscode.l10n.t('A path')),
      });
      return p === undefined ? undefined : client.loraLoad({ path: p.trim() }, opts);
    }
    case 'scale': {
      const v = await vscode.window.showInputBox({
        title: vscode.l10n.t('Set the Scale'), value: String(s.scale), ignoreFocusOut: true,
        validateInput: x => { const n = Number(x); return Number.isFinite(n) && n >= 0 && n <= LORA_MAX_SCALE ? undefined : vscode.l10n.t('A number from 0 to {0}', LORA_MAX_SCALE); },
      });
      return v === undefined ? undefined : client.loraScale(Number(v), opts, s.activeAdapter ?? undefined);
    }
    case 'toggle': return client.loraToggle(!s.active, opts);
    case 'unload': return client.loraUnload(opts);
  }
}

export function registerLoraCommand(context: vscode.ExtensionContext, service: GenerationService): void {
  context.subscriptions.push(vscode.commands.registerCommand(COMMANDS.loraAdapters, async (): Promise<LoraStatus | undefined> => {
    const url = service.serverUrl();
    const client = await service.client(url);
    try {
      const { flavour } = await client.detectFlavour();
      const refusal = loraRefusal(flavour);
      if (refusal) { void vscode.window.showWarningMessage(refusal); return undefined; }
      const status = await client.loraStatus({ flavour });
      const step = await pickStep(status);
      if (!step) return status;
      const said = await runStep(client, flavour, status, step);
      if (said === undefined) return status;
      const after = await client.loraStatus({ flavour });
      void vscode.window.showInformationMessage(`${said.trim()} ${statusLine(after)}`.trim());
      return after;
    } catch (e) {
      void showServerError(e, vscode.l10n.t('LoRA Adapters'), url);
      return undefined;
    } finally {
      void client.close();
    }
  }));
}
