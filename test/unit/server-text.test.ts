import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assertProperty } from './property';
import { hasCredentials, redactSecrets, serverText, serverValue, stripControl, withoutCredentials } from '../../src/core/util/server-text';

test('stripControl removes OSC titles and links, screen clears, colours and C1 controls; keeps tabs, line feeds and text', () => {
  const hostile = '\x1b]0;pwned\x07ok\x1b[2J\x1b[31mred\x1b[0m \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\\r\ttab\nline\u009b31m\u202eevil\x00';
  assert.equal(stripControl(hostile), 'okred link\ttab\nline31mevil');
  assert.equal(stripControl('Café ♪ — 🎵'), 'Café ♪ — 🎵');
});

test('property: nothing that reaches a terminal after stripControl can start an escape or control', () => {
  assertProperty(fc.property(fc.string({ unit: fc.oneof(fc.constantFrom('\x1b', '[', ']', '\x07', '\\', '\u009b', '\u009d', '\r', '\b', ';', '0', 'm', 'a'), fc.string({ minLength: 1, maxLength: 1 })) }), s => {
    assert.doesNotMatch(stripControl(s), /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
  }), { numRuns: 2000 });
});

test('redactSecrets replaces the key wherever it stands, also URL-encoded; short or empty secrets are left alone', () => {
  assert.equal(redactSecrets('key s3cr3t/+ and s3cr3t%2F%2B', ['s3cr3t/+']), 'key *** and ***');
  assert.equal(redactSecrets('abc', ['', undefined, 'ab']), 'abc');
});

test('credentials in a server URL are stripped before printing or storing', () => {
  assert.equal(withoutCredentials('http://user:pass@host:8501'), 'http://host:8501');
  assert.equal(withoutCredentials('http://user:pass@host:8501/'), 'http://host:8501/');
  assert.equal(withoutCredentials('http://host:8501'), 'http://host:8501');
  assert.equal(withoutCredentials('http://u:p@[bad'), 'http://[bad');
  assert.equal(hasCredentials('http://user@host'), true);
  assert.equal(hasCredentials('http://host'), false);
});

test('serverText strips first, then redacts: a key split by escapes is still found', () => {
  assert.equal(serverText('echo \x1b[1mKEY-\x1b[0m1234', ['KEY-1234']), 'echo ***');
});

test('serverValue cleans every string of a parsed answer, keys too, and keeps its shape, numbers and line feeds', () => {
  const v = serverValue({ a: ['x\x1b[2J', 1, null, { 'k\x07': 'KEY-1234 said\n\tok' }], n: 3, b: true }, ['KEY-1234']);
  assert.deepEqual(v, { a: ['x', 1, null, { k: '*** said\n\tok' }], n: 3, b: true });
  const proto = serverValue(JSON.parse('{"__proto__": {"file": "x"}}')) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(proto), Object.prototype);
  assert.deepEqual(Object.keys(proto), ['__proto__']);
});

test('the Docker server health answer and container log lines lose their escapes', async () => {
  const { parseHealth } = await import('../../src/core/server/health-wait');
  const h = parseHealth({ data: { status: 'ok', service: 'ACE-Step API\x1b]0;pwned\x07', version: '1\x1b[31m.0' } });
  assert.equal(h?.service, 'ACE-Step API');
  assert.equal(h?.version, '1.0');
  const { containerLogLines } = await import('../../src/core/server/control');
  const { pluginCompose } = await import('../../src/core/server/compose');
  const lines = await containerLogLines({
    runner: { run: async () => ({ code: 0, stdout: 'acestep-1  | \x1b[32mINFO\x1b[0m loading\r\nacestep-1  | \x1b]0;t\x07done\n', stderr: '' }) },
  } as never, pluginCompose(), 5);
  assert.deepEqual(lines, ['INFO loading', 'done']);
});
