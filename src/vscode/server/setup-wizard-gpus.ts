// The GPU step of "Create Docker Setup": which GPUs get a server. nvidia-smi lists them (core gpus.ts); without it
// the user may type them. Two or more make a setup with one service per GPU, each with the model set its memory
// fits and ports 10 apart from the previous one.
import * as vscode from 'vscode';
import {
  discoverGpus, memoryLabel, modelSetFor, NodeProcessRunner, parseTypedGpus, portsForService,
  type AcestepMode, type GpuInfo, type GpuServiceOptions,
} from '../../core/server';

const title = (): string => vscode.l10n.t('ACE-Step: Create Docker Setup');

function describe(g: GpuInfo): string {
  const set = modelSetFor(g.memoryMiB);
  return set.initLlm === 'false' ? vscode.l10n.t('{0} · DiT only (too small for a language model)', set.ditModel) : `${set.ditModel} · ${set.lmModel}`;
}

/** The GPUs to set up (one: the one-GPU setup on that GPU; none: on GPU 0); undefined when the user leaves. */
export async function askGpus(): Promise<GpuInfo[] | undefined> {
  const found = await discoverGpus(new NodeProcessRunner());
  if (found.ok && found.gpus.length < 2) return [];
  if (!found.ok) {
    const typed = await vscode.window.showInputBox({
      title: title(),
      prompt: vscode.l10n.t('{0} For one server per GPU, type the GPUs as index:GB (e.g. 0:24, 1:16); leave empty for one GPU.', found.message),
      ignoreFocusOut: true,
      validateInput: v => (!v.trim() ? undefined : typeof parseTypedGpus(v) === 'string' ? parseTypedGpus(v) as string : undefined),
    });
    if (typed === undefined) return undefined;
    const gpus = typed.trim() ? parseTypedGpus(typed) : [];
    return typeof gpus === 'string' || gpus.length < 2 ? [] : gpus;
  }
  const items = found.gpus.map(g => ({ label: `$(circuit-board) GPU ${g.index}: ${g.name}`, description: memoryLabel(g.memoryMiB), detail: describe(g), picked: true, gpu: g }));
  const chosen = await vscode.window.showQuickPick(items, {
    title: title(), canPickMany: true, ignoreFocusOut: true,
    placeHolder: vscode.l10n.t('Which GPUs get an ACE-Step server? Two or more: one compose service per GPU, each a server profile.'),
  });
  if (!chosen) return undefined;
  return chosen.map(c => c.gpu);
}

/** The services of the chosen GPUs: model set by memory, the same mode, ports 10 apart. */
export function servicesFor(gpus: readonly GpuInfo[], mode: AcestepMode, first: { gradio: number; api: number }): GpuServiceOptions[] {
  return gpus.map((g, i) => ({ gpu: g.index, label: `${g.name}, ${memoryLabel(g.memoryMiB)}`, mode, ports: portsForService(first, i), ...modelSetFor(g.memoryMiB) }));
}
