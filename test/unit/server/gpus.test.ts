// GPU discovery (nvidia-smi's CSV, GPUs typed by hand) and the model set each GPU's memory gets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverGpus, modelSetFor, NVIDIA_SMI_ARGS, parseNvidiaSmi, parseTypedGpus } from '../../../src/core/server/gpus';
import { scriptedRunner } from './helpers';

test('parseNvidiaSmi reads index, name (commas included) and MiB; skips what does not read', () => {
  const out = '0, NVIDIA GeForce RTX 4090, 24564\r\n1, NVIDIA GeForce RTX 5070 Ti, 16303\nNo devices were found\n2, Odd, name, 8192\n3, Broken, [N/A]\n0, Twice, 1\n\n';
  assert.deepEqual(parseNvidiaSmi(out), [
    { index: '0', name: 'NVIDIA GeForce RTX 4090', memoryMiB: 24564 },
    { index: '1', name: 'NVIDIA GeForce RTX 5070 Ti', memoryMiB: 16303 },
    { index: '2', name: 'Odd, name', memoryMiB: 8192 },
  ]);
  assert.deepEqual(parseNvidiaSmi('garbage\n\x1b[31mred\x1b[0m'), []);
  assert.equal(parseNvidiaSmi('0, Evil\x1b]0;title\x07 GPU, 1000')[0]!.name.includes('\x1b'), false, 'control characters removed');
});

test('the model set follows upstream\'s tiers: 4B from the 24 GB class, 1.7B from 16 GB, 0.6B above 6 GB, no LM below', () => {
  assert.equal(modelSetFor(24564).lmModel, 'acestep-5Hz-lm-4B'); // an RTX 4090 as nvidia-smi reports it
  assert.equal(modelSetFor(16303).lmModel, 'acestep-5Hz-lm-1.7B'); // an RTX 5070 Ti
  assert.equal(modelSetFor(15.5 * 1024).lmModel, 'acestep-5Hz-lm-1.7B');
  assert.equal(modelSetFor(12 * 1024).lmModel, 'acestep-5Hz-lm-0.6B');
  assert.deepEqual(modelSetFor(6 * 1024), { ditModel: 'acestep-v15-turbo', lmModel: 'acestep-5Hz-lm-0.6B', initLlm: 'false' });
  assert.equal(modelSetFor(undefined).lmModel, 'acestep-5Hz-lm-1.7B');
  for (const mib of [4096, 8192, 16384, 49152]) assert.equal(modelSetFor(mib).ditModel, 'acestep-v15-turbo');
});

test('parseTypedGpus: "0:24, 1:16", "0 1"; bad parts are named', () => {
  assert.deepEqual(parseTypedGpus('0:24, 1:16GB'), [{ index: '0', name: 'GPU 0', memoryMiB: 24576 }, { index: '1', name: 'GPU 1', memoryMiB: 16384 }]);
  assert.deepEqual((parseTypedGpus('0 1') as Array<{ index: string; memoryMiB?: number }>).map(g => [g.index, g.memoryMiB]), [['0', undefined], ['1', undefined]]);
  assert.match(parseTypedGpus('') as string, /at least one GPU/);
  assert.match(parseTypedGpus('0, x') as string, /"x" is not a GPU/);
  assert.match(parseTypedGpus('1:16, 1:8') as string, /GPU 1 is named twice/);
});

test('discoverGpus runs nvidia-smi with the CSV query and says clearly when it cannot', async () => {
  const ok = scriptedRunner(() => ({ stdout: '0, NVIDIA GeForce RTX 4090, 24564\n' }));
  assert.deepEqual(await discoverGpus(ok), { ok: true, gpus: [{ index: '0', name: 'NVIDIA GeForce RTX 4090', memoryMiB: 24564 }] });
  assert.deepEqual(ok.calls[0]!.args, [...NVIDIA_SMI_ARGS]);
  assert.equal(ok.calls[0]!.cmd, 'nvidia-smi');
  const missing = await discoverGpus(scriptedRunner(() => ({ code: -1, spawnError: 'ENOENT' })));
  assert.ok(!missing.ok && missing.reason === 'missing' && /nvidia-smi was not found.*name them yourself/.test(missing.message));
  const failed = await discoverGpus(scriptedRunner(() => ({ code: 9, stderr: 'NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver.\n' })));
  assert.ok(!failed.ok && failed.reason === 'failed' && /couldn't communicate/.test(failed.message));
  const garbage = await discoverGpus(scriptedRunner(() => ({ stdout: 'Segmentation fault\n' })));
  assert.ok(!garbage.ok && garbage.reason === 'unreadable');
});
