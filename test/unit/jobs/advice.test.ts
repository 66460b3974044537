import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AceStepError } from '../../../src/core/api';
import { adviceFor, adviceText, type Advice } from '../../../src/core/jobs/advice';
import type { JobSnapshot } from '../../../src/core/jobs';

const URL = 'http://localhost:8501';
const failed = (kind: NonNullable<JobSnapshot['error']>['kind'] | undefined, more: Partial<JobSnapshot> = {}) => ({
  state: 'failed' as const, serverUrl: URL, ...(kind ? { error: { kind, message: 'x' } } : {}), ...more,
});
const ids = (a: Advice[]) => a.map(x => x.id);

describe('adviceFor a job', () => {
  test('unreachable: start the server or fix the URL, one sentence naming the URL', () => {
    const advice = adviceFor(failed('unreachable'));
    assert.deepEqual(ids(advice), ['start-server', 'open-settings']);
    assert.deepEqual(advice.map(a => a.label), ['Start Server', 'Open Settings']);
    assert.equal(adviceText(advice), `No ACE-Step server answers at ${URL}: start it (ACE-Step: Start Server, or docker compose up -d in the ACE-Step folder) or point acestep.serverUrl at it.`);
  });

  test('unreachable on the other mode\'s port: switching the mode comes first', () => {
    assert.deepEqual(ids(adviceFor(failed('unreachable'), { servingMode: 'gradio' })), ['switch-to-gradio', 'start-server', 'open-settings']);
    const api = adviceFor(failed('unreachable'), { servingMode: 'api' });
    assert.equal(api[0].id, 'switch-to-api');
    assert.equal(api[0].label, 'Switch to API Mode');
  });

  test('auth, LM off, queue full', () => {
    assert.deepEqual(adviceFor(failed('auth')), [{ id: 'set-api-key', label: 'Set API Key', text: 'The server wants an API key: run ACE-Step: Set API Key.' }]);
    assert.deepEqual(ids(adviceFor(failed('lm-unavailable'))), ['submit-without-thinking']);
    assert.match(adviceText(adviceFor(failed('lm-unavailable'))), /set thinking: false/);
    assert.deepEqual(ids(adviceFor(failed('queue-full'))), ['try-again']);
  });

  test('other failures: retry the download when the server made the takes, else try again and read the log', () => {
    assert.deepEqual(ids(adviceFor(failed('disk', { items: [{} as never] }))), ['retry-download']);
    const other = adviceFor(failed('server'));
    assert.deepEqual(ids(other), ['try-again', 'check-log']);
    assert.equal(adviceText(other), 'Check the ACE-Step log (ACE-Step: Show Log) and generate again.');
    assert.deepEqual(ids(adviceFor(failed(undefined))), ['try-again', 'check-log']);
  });

  test('lost: generate again', () => {
    const lost = adviceFor({ ...failed('lost'), state: 'lost' });
    assert.deepEqual(ids(lost), ['try-again']);
    assert.match(adviceText(lost), /no longer knows this job/);
  });

  test('nothing to advise for a job that succeeded, runs or was cancelled', () => {
    for (const state of ['succeeded', 'running', 'cancelled'] as const) assert.deepEqual(adviceFor({ ...failed('server'), state }), []);
  });

  test('in a terminal: flags and variables instead of commands, no buttons', () => {
    const t = { surface: 'terminal' as const };
    assert.match(adviceText(adviceFor(failed('unreachable'), t)), /acestep-song server start.*--server/);
    assert.match(adviceText(adviceFor(failed('auth'), t)), /ACESTEP_API_KEY/);
    assert.match(adviceText(adviceFor(failed('server'), t)), /docker compose logs/);
    assert.match(adviceText(adviceFor(failed('disk', { items: [{} as never] }), t)), /docker compose logs/);
    for (const kind of ['unreachable', 'auth', 'server'] as const) assert.ok(adviceFor(failed(kind), t).every(a => !a.label));
  });
});

describe('adviceFor an error of a server call', () => {
  test('unreachable names the URL given; auth asks for the key; LM off has no button', () => {
    const down = adviceFor(new AceStepError('unreachable', 'connect ECONNREFUSED'), { serverUrl: URL });
    assert.deepEqual(ids(down), ['start-server', 'open-settings']);
    assert.ok(adviceText(down).includes(URL));
    assert.deepEqual(ids(adviceFor(new AceStepError('auth', '401'))), ['set-api-key']);
    const lm = adviceFor(new AceStepError('lm-unavailable', 'no LM'));
    assert.deepEqual(ids(lm), ['enable-lm']);
    assert.equal(lm[0].label, undefined);
    assert.match(lm[0].text, /ACESTEP_INIT_LLM/);
  });

  test('anything else: no advice', () => {
    assert.deepEqual(adviceFor(new AceStepError('server', 'boom')), []);
    assert.deepEqual(adviceFor(new Error('plain')), []);
    assert.deepEqual(adviceFor(undefined), []);
  });
});
