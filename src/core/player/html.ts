// The HTML of the "ACE-Step Player" webview. The page is an empty shell; media/player.ts builds the UI.
// No inline script or style: everything comes from the script/style URIs under a strict CSP.
import { randomBytes } from 'node:crypto';

export interface PlayerHtmlOptions {
  /** `webview.cspSource` (the origin the webview loads resources from). */
  cspSource: string;
  /** A fresh random nonce per render (see `createNonce`). */
  nonce: string;
  /** Webview URI of `dist/media/player.js`. */
  scriptUri: string;
  /** Webview URI of `media/player/player.css`. */
  styleUri: string;
  title: string;
  /** The display language (`vscode.env.language`); default `en`. */
  language?: string;
  /** The extension's strings in that language (`vscode.l10n.bundle`), read by media/player/l10n.ts. */
  bundle?: Readonly<Record<string, string>>;
  /** "Loading takes…" in that language. */
  loadingText?: string;
}

/** A random nonce for the script tag, new for every `playerHtml` call. */
export function createNonce(): string {
  return randomBytes(18).toString('base64');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Throws on values that could break out of the CSP or the attributes they are placed in. */
function checkCspToken(value: string, what: string, pattern: RegExp): string {
  if (!pattern.test(value)) throw new Error(`playerHtml: invalid ${what}: ${JSON.stringify(value)}`);
  return value;
}

/**
 * JSON that stays inside a <script type="application/json"> element: `<` is escaped, so no `</script>` or
 * comment can end it early. The element is data, never run (the CSP allows only the nonce'd script).
 */
function jsonForScriptElement(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The Content-Security-Policy of the player page. */
export function playerCsp(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `media-src ${cspSource}`,
    `connect-src ${cspSource}`,
  ].join('; ');
}

export function playerHtml(o: PlayerHtmlOptions): string {
  // cspSource is one or more space-separated sources (schemes/hosts/wildcards); never quotes or semicolons.
  // VS Code's own value looks like "'self' https://*.vscode-cdn.net": keywords in quotes are allowed too.
  const cspSource = checkCspToken(o.cspSource.trim(), 'cspSource', /^(?:'self'|[A-Za-z0-9+.\-:/*_%]+)(?: (?:'self'|[A-Za-z0-9+.\-:/*_%]+))*$/);
  const nonce = checkCspToken(o.nonce, 'nonce', /^[A-Za-z0-9+/_-]{16,}={0,2}$/);
  const csp = playerCsp(cspSource, nonce);
  const lang = o.language && /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/.test(o.language) ? o.language : 'en';
  const bundle = o.bundle && Object.keys(o.bundle).length
    ? `<script type="application/json" id="acestep-l10n">${jsonForScriptElement(o.bundle)}</script>\n` : '';
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
<title>${escapeHtml(o.title)}</title>
</head>
<body>
<main id="player" class="player" aria-label="${escapeHtml(o.title)}">
<p class="player-empty" id="player-empty">${escapeHtml(o.loadingText ?? 'Loading takes…')}</p>
</main>
${bundle}<script nonce="${escapeHtml(nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}
