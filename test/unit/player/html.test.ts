import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNonce, playerCsp, playerHtml } from '../../../src/core/player/html';

const base = { cspSource: 'https://*.vscode-cdn.net', nonce: createNonce(), scriptUri: 'https://x.vscode-cdn.net/dist/media/player.js', styleUri: 'https://x.vscode-cdn.net/media/player/player.css', title: 'Player <&>' };

test('the page has the strict CSP, the nonce on its only script, and no inline style or script', () => {
  const html = playerHtml(base);
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
  assert.equal(csp, `default-src 'none'; script-src 'nonce-${base.nonce}'; style-src ${base.cspSource}; img-src ${base.cspSource} data:; media-src ${base.cspSource}; connect-src ${base.cspSource}`
    .replace(/'/g, '&#39;'));
  assert.equal(playerCsp('a', 'n'), "default-src 'none'; script-src 'nonce-n'; style-src a; img-src a data:; media-src a; connect-src a");
  const scripts = html.match(/<script[^>]*>/g) ?? [];
  assert.equal(scripts.length, 1);
  assert.ok(scripts[0].includes(`nonce="${base.nonce}"`) && scripts[0].includes(`src="${base.scriptUri}"`));
  assert.ok(!/<style|style=/.test(html), 'no inline styles');
  assert.ok(!/\son[a-z]+=/.test(html), 'no inline handlers');
  assert.ok(html.includes('<title>Player &lt;&amp;&gt;</title>'));
});

test('values that could break out of the CSP are refused', () => {
  assert.throws(() => playerHtml({ ...base, cspSource: "x; script-src 'unsafe-inline'" }), /cspSource/);
  assert.throws(() => playerHtml({ ...base, nonce: 'short' }), /nonce/);
  assert.throws(() => playerHtml({ ...base, nonce: `${'a'.repeat(20)}' 'unsafe-inline` }), /nonce/);
});

test('nonces are fresh', () => {
  const seen = new Set(Array.from({ length: 50 }, createNonce));
  assert.equal(seen.size, 50);
  for (const n of seen) assert.match(n, /^[A-Za-z0-9+/]{24}$/);
});

test('the translations ride along as inert JSON that no text can break out of', () => {
  const bundle = { Play: 'Afspelen', 'evil': '</script><script>alert(1)</script><!-- \u2028' };
  const html = playerHtml({ ...base, language: 'nl', bundle, loadingText: 'Takes <laden>' });
  assert.ok(html.includes('<html lang="nl">'));
  assert.ok(html.includes('>Takes &lt;laden&gt;</p>'));
  const data = /<script type="application\/json" id="acestep-l10n">([^<]*)<\/script>/.exec(html);
  assert.ok(data, 'one data element, closed where it should be');
  assert.deepEqual(JSON.parse(data[1]), bundle);
  // Only the nonce'd script runs: the data element has no nonce and no src.
  assert.equal((html.match(/<script [^>]*nonce=/g) ?? []).length, 1);
  assert.ok(playerHtml({ ...base, language: 'nl"><x' }).includes('<html lang="en">'), 'a strange language tag falls back to en');
  assert.ok(!playerHtml(base).includes('acestep-l10n'), 'English: no bundle');
});
