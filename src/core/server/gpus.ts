// The NVIDIA GPUs of this computer, for "Create Docker Setup" with several GPUs: what `nvidia-smi` says (parsed
// here, run through the injected process runner), what a user types when there is no nvidia-smi, and the model
// set that fits each GPU's memory.
//
// The memory thresholds follow upstream ACE-Step's own GPU tiers (acestep/gpu_config.py): it offers no LM at
// 6 GB and below, only the 0.6B LM up to 12 GB, the 1.7B from the 16 GB class on (it counts 15.5 GB and more
// as 16 GB, since cards report a little less than they have), and the 4B on larger cards. On a 24 GB card
// upstream still moves part of the 4B to the CPU (acestep_v15_pipeline.py), which is slower but fits; so the
// 4B is picked from the 24 GB class on (23.5 GB and more: a 24 GB card reports about 23.99 GB).
import { msg } from '../l10n';
import type { ProcessRunner } from './compose';
import { stripControl } from '../util/server-text';

export interface GpuInfo {
  /** The index nvidia-smi gives it, as Docker's device_ids names it ("0"). */
  index: string;
  name: string;
  /** Total memory in MiB (nvidia-smi's unit); undefined when typed without a size. */
  memoryMiB?: number;
}

/** What nvidia-smi is asked: one CSV line per GPU, no header, no units. */
export const NVIDIA_SMI_ARGS = ['--query-gpu=index,name,memory.total', '--format=csv,noheader,nounits'] as const;

const INDEX = /^\d{1,3}$/;

/** Parses nvidia-smi's CSV (`0, NVIDIA GeForce RTX 4090, 24564`); lines that do not read are skipped. */
export function parseNvidiaSmi(stdout: string): GpuInfo[] {
  const gpus: GpuInfo[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const parts = line.split(',').map(s => s.trim());
    if (parts.length < 3) continue;
    const index = parts[0]!;
    const memory = parts[parts.length - 1]!;
    // A GPU name may hold a comma; index and memory are the ends.
    const name = parts.slice(1, -1).join(', ');
    if (!INDEX.test(index) || !/^\d+(?:\.\d+)?$/.test(memory) || !name) continue;
    if (gpus.some(g => g.index === index)) continue;
    gpus.push({ index, name: stripControl(name), memoryMiB: Math.round(Number(memory)) });
  }
  return gpus;
}

/**
 * GPUs as a user types them when nvidia-smi is missing: indexes with an optional size in GB, separated by commas
 * or spaces ("0:24, 1:16" or "0 1"). A string is the problem with the input.
 */
export function parseTypedGpus(text: string): GpuInfo[] | string {
  const parts = text.split(/[,\s]+/).map(s => s.trim()).filter(Boolean);
  if (!parts.length) return msg('Name at least one GPU, e.g. "0:24, 1:16" (index:GB).');
  const gpus: GpuInfo[] = [];
  for (const part of parts) {
    const m = /^(\d{1,3})(?:[:=](\d+(?:\.\d+)?)\s*(?:gb|g)?)?$/i.exec(part);
    if (!m) return msg('"{0}" is not a GPU: write its index and size in GB, e.g. 1:16.', part);
    if (gpus.some(g => g.index === m[1])) return msg('GPU {0} is named twice.', m[1]!);
    gpus.push({ index: m[1]!, name: `GPU ${m[1]!}`, memoryMiB: m[2] ? Math.round(Number(m[2]) * 1024) : undefined });
  }
  return gpus;
}

export interface ModelSet {
  ditModel: string;
  lmModel: string;
  /** 'false' where the GPU is too small for any LM. */
  initLlm: 'auto' | 'false';
}

export const LM_4B = 'acestep-5Hz-lm-4B';
export const LM_1_7B = 'acestep-5Hz-lm-1.7B';
export const LM_0_6B = 'acestep-5Hz-lm-0.6B';
export const DIT_TURBO = 'acestep-v15-turbo';

/** The model set for a GPU of that much memory (MiB); unknown memory gets the 1.7B, the setup's default. */
export function modelSetFor(memoryMiB: number | undefined): ModelSet {
  const gb = memoryMiB === undefined ? 16 : memoryMiB / 1024;
  if (gb >= 23.5) return { ditModel: DIT_TURBO, lmModel: LM_4B, initLlm: 'auto' };
  if (gb >= 15.5) return { ditModel: DIT_TURBO, lmModel: LM_1_7B, initLlm: 'auto' };
  if (gb > 6) return { ditModel: DIT_TURBO, lmModel: LM_0_6B, initLlm: 'auto' };
  return { ditModel: DIT_TURBO, lmModel: LM_0_6B, initLlm: 'false' };
}

/** "24 GB" from MiB. */
export function memoryLabel(memoryMiB: number | undefined): string {
  return memoryMiB === undefined ? '?' : `${Math.round(memoryMiB / 1024)} GB`;
}

export type GpuDiscovery = { ok: true; gpus: GpuInfo[] } | { ok: false; reason: 'missing' | 'failed' | 'unreadable'; message: string };

/** Runs nvidia-smi (`program`, default on PATH) and reads its answer; never throws. */
export async function discoverGpus(runner: ProcessRunner, program = 'nvidia-smi', signal?: AbortSignal): Promise<GpuDiscovery> {
  const r = await runner.run(program, [...NVIDIA_SMI_ARGS], { signal });
  if (r.spawnError === 'ENOENT') {
    return { ok: false, reason: 'missing', message: msg('nvidia-smi was not found, so the GPUs cannot be listed here (is the NVIDIA driver installed?). You can still name them yourself.') };
  }
  if (r.code !== 0) {
    const why = `${r.stderr}\n${r.stdout}`.split(/\r?\n/).map(l => l.trim()).find(Boolean) ?? `exit code ${r.code}`;
    return { ok: false, reason: 'failed', message: msg('nvidia-smi failed: {0}. You can still name the GPUs yourself.', stripControl(why).slice(0, 200)) };
  }
  const gpus = parseNvidiaSmi(r.stdout);
  if (!gpus.length) return { ok: false, reason: 'unreadable', message: msg('nvidia-smi listed no GPU that could be read. You can still name them yourself.') };
  return { ok: true, gpus };
}
