import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lastWords, parseHealth, waitForHealth, type HealthStatus } from '../../../src/core/server/health-wait';

const OK_API = { data: { status: 'ok', service: 'ACE-Step API', version: '1.5' }, code: 200, error: null };
const OK_GRADIO = { data: { status: 'ok', service: 'ACE-Step Gradio API', version: '1.5' }, code: 200 };
const refused = (): Error => Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
const fast = { initialDelayMs: 2, maxDelayMs: 5, logEveryMs: 0 };

test('parseHealth tells the standalone API from the Gradio one', () => {
  assert.equal(parseHealth(OK_API)?.serverMode, 'api');
  assert.equal(parseHealth(OK_GRADIO)?.serverMode, 'gradio');
  assert.equal(parseHealth({ status: 'ok' })?.serverMode, undefined);
  assert.equal(parseHealth({ data: { status: 'loading' } }), undefined);
  assert.equal(parseHealth('ok'), undefined);
  assert.equal(parseHealth({ data: { status: 'ok', service: 'ACE-Step API', models_initialized: false } })?.modelsInitialized, false);
});

test('polls until /health answers and reports progress from the container log', async () => {
  let calls = 0;
  const urls: string[] = [];
  const statuses: HealthStatus[] = [];
  const result = await waitForHealth({
    url: 'http://localhost:8501/',
    fetchHealth: async url => { urls.push(url); if (++calls < 4) throw refused(); return OK_API; },
    isContainerRunning: async () => true,
    containerLogs: async () => ['acestep-1  | === First run: downloading main model (~15GB) ===', 'noise'],
    onStatus: s => statuses.push(s),
    ...fast,
  });
  assert.equal(result.ok, true);
  if (!result.ok) return;
  assert.equal(result.attempts, 4);
  assert.equal(result.health.service, 'ACE-Step API');
  assert.deepEqual(new Set(urls), new Set(['http://localhost:8501/health']));
  assert.equal(statuses.length, 3);
  assert.match(statuses[0]!.text, /Loading models \(first start downloads 10–20 GB\)/);
  assert.equal(statuses[0]!.lastError, 'ECONNREFUSED');
});

test('stops early when the container exits, with its last log lines', async () => {
  let checks = 0;
  const result = await waitForHealth({
    url: 'http://localhost:8501',
    fetchHealth: async () => { throw refused(); },
    isContainerRunning: async () => ++checks < 3,
    containerLogs: async n => ['Loading DiT', 'torch.OutOfMemoryError: CUDA out of memory'].slice(-n),
    timeoutMs: 60_000,
    ...fast,
  });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.reason, 'exited');
  assert.deepEqual(result.logLines, ['Loading DiT', 'torch.OutOfMemoryError: CUDA out of memory']);
  assert.match(result.message, /CUDA out of memory/);
  assert.equal(checks, 4, 'one "not running" is not enough: it takes two in a row');
});

test('the quoted last words are the last error, not the banner of the restart that followed', () => {
  const restarted = ['=== Starting standalone REST API on port 8001 ===', 'torch.OutOfMemoryError: CUDA out of memory', '=== Starting standalone REST API on port 8001 ==='];
  assert.equal(lastWords(restarted), 'torch.OutOfMemoryError: CUDA out of memory');
  assert.equal(lastWords(['Loading DiT', 'Killed', '']), 'Killed');
  assert.equal(lastWords(['Loading DiT', 'bye', '  ']), 'bye', 'no error line: the last line');
  assert.equal(lastWords([]), undefined);
});

test('an unknown container state (docker unavailable) does not end the wait', async () => {
  let n = 0;
  const result = await waitForHealth({
    url: 'http://x', fetchHealth: async () => { if (++n < 5) throw refused(); return OK_GRADIO; },
    isContainerRunning: async () => undefined, ...fast,
  });
  assert.equal(result.ok && result.health.serverMode, 'gradio');
});

test('times out with the last error', async () => {
  const t0 = Date.now();
  const result = await waitForHealth({ url: 'http://x', fetchHealth: async () => { throw new Error('HTTP 503'); }, timeoutMs: 60, ...fast });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.reason, 'timeout');
  assert.match(result.message, /HTTP 503/);
  assert.ok(Date.now() - t0 < 2000);
  assert.ok(result.attempts >= 2);
});

test('an AbortSignal ends the wait at once, even during a slow probe', async () => {
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 30);
  const t0 = Date.now();
  const result = await waitForHealth({
    url: 'http://x',
    fetchHealth: (_url, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
    signal: ac.signal,
  });
  assert.equal(!result.ok && result.reason, 'aborted');
  assert.ok(Date.now() - t0 < 1000);
});

test('a body that is not {status: "ok"} keeps the wait going', async () => {
  let n = 0;
  const result = await waitForHealth({ url: 'http://x', fetchHealth: async () => (++n < 3 ? { detail: 'Not Found' } : OK_API), ...fast });
  assert.equal(result.ok, true);
  assert.equal(n, 3);
});
