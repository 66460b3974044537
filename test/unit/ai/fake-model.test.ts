import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkText, createFakeModel } from '../../fixtures/fake-model';

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const c of it) out.push(c);
  return out;
}

test('chunks are uneven and join back to the text', () => {
  const text = 'The kettle sings an hour too soon, your scarf still hanging on the door.';
  const chunks = chunkText(text, 6);
  assert.equal(chunks.join(''), text);
  assert.ok(new Set(chunks.slice(0, -1).map(c => c.length)).size > 1);
  assert.deepEqual(chunkText('', 5), []);
});

test('answers come in order, calls are recorded, functions see the messages', async () => {
  const model = createFakeModel(['first answer', (ms, call) => `call ${call} saw ${ms.length} messages`]);
  assert.equal((await collect(model([{ role: 'user', content: 'a' }]))).join(''), 'first answer');
  assert.equal((await collect(model([{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }]))).join(''), 'call 1 saw 2 messages');
  assert.equal(model.calls.length, 2);
  assert.equal(model.calls[1][1].content, 'b');
  assert.equal(model.remaining, 0);
  await assert.rejects(collect(model([])), /no answer scripted for call 3/);
});

test('errors are thrown, and an abort stops the stream', async () => {
  await assert.rejects(collect(createFakeModel([new Error('quota')])([])), /quota/);
  const controller = new AbortController();
  const model = createFakeModel(['x'.repeat(200)], { chunkSize: 5, delayMs: 1 });
  const seen: string[] = [];
  await assert.rejects(async () => {
    for await (const c of model([], controller.signal)) { seen.push(c); if (seen.length === 3) controller.abort(); }
  }, (e: Error) => e.name === 'AbortError');
  assert.equal(seen.length, 3);
});
