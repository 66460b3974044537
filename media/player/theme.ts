// Colours for the canvas, read from VS Code's theme variables, and a watcher for theme changes.

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface Palette {
  kind: ThemeKind;
  background: string;
  /** Not-yet-played waveform. */
  wave: string;
  /** Played part of the active take. */
  played: string;
  /** Played part of the other takes (same position, less emphasis). */
  playedInactive: string;
  playhead: string;
  region: string;
  regionEdge: string;
  strip: string;
  /** Outline around the waveform (high-contrast themes), or '' for none. */
  border: string;
  focus: string;
}

function themeKind(): ThemeKind {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-light')) return 'light';
  return 'dark';
}

export function readPalette(): Palette {
  const style = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const kind = themeKind();
  const hc = kind === 'high-contrast' || kind === 'high-contrast-light';
  const light = kind === 'light' || kind === 'high-contrast-light';
  const foreground = v('--vscode-editor-foreground', v('--vscode-foreground', light ? '#333333' : '#cccccc'));
  const focus = v('--vscode-focusBorder', light ? '#0090f1' : '#007fd4');
  const accent = hc ? v('--vscode-contrastActiveBorder', focus) : v('--vscode-button-background', light ? '#007acc' : '#0e639c');
  return {
    kind,
    background: v('--vscode-editor-background', light ? '#ffffff' : '#1e1e1e'),
    wave: hc ? foreground : v('--vscode-descriptionForeground', foreground),
    played: accent,
    playedInactive: v('--vscode-textLink-foreground', accent),
    playhead: v('--vscode-editorCursor-foreground', foreground),
    region: v('--vscode-editor-selectionBackground', light ? '#add6ff' : '#264f78'),
    regionEdge: focus,
    strip: v('--vscode-editorWidget-background', light ? '#f3f3f3' : '#252526'),
    border: hc ? v('--vscode-contrastBorder', foreground) : '',
    focus,
  };
}

/**
 * Calls `onChange` (at most once a frame) when the theme may have changed: VS Code swaps the body's
 * `vscode-light`/`vscode-dark`/`vscode-high-contrast` class and rewrites the variables on <html>.
 */
export function watchTheme(onChange: () => void): () => void {
  let pending = 0;
  const schedule = () => {
    if (pending) return;
    pending = requestAnimationFrame(() => { pending = 0; onChange(); });
  };
  const observer = new MutationObserver(schedule);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'style', 'data-vscode-theme-id', 'data-vscode-theme-kind'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
  return () => { observer.disconnect(); if (pending) cancelAnimationFrame(pending); };
}
