// The player's own texts in the display language. The host embeds VS Code's bundle for that language
// (vscode.l10n.bundle) in the page as JSON (playerHtml); without one (English, or the test page) the English
// text stands. Calls are written l10n.t('literal', …args) so that scripts/l10n.mjs extracts them.
import { formatTemplate } from '../../src/core/l10n';

let table: Record<string, string> | undefined;

function bundle(): Record<string, string> {
  if (table) return table;
  table = {};
  const el = typeof document === 'undefined' ? null : document.getElementById('acestep-l10n');
  try {
    const parsed: unknown = el?.textContent ? JSON.parse(el.textContent) : undefined;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') table[k] = v;
    }
  } catch { /* a broken bundle: English */ }
  return table;
}

export const l10n = {
  t(message: string, ...args: (string | number)[]): string {
    const b = bundle();
    const s = Object.prototype.hasOwnProperty.call(b, message) ? b[message] : message;
    return formatTemplate(s, args);
  },
};
