// A tiny element builder. Never sets `style` attributes or inline handlers (the CSP forbids both);
// text always goes in as text nodes, so host strings are never parsed as HTML.

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

export function setAttrs(el: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) el.removeAttribute(k);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

const SVG = 'http://www.w3.org/2000/svg';

/** Paths on a 16×16 grid. */
const ICONS: Record<string, string> = {
  play: 'M4 2.5v11l9-5.5z',
  pause: 'M4 2.5h3v11H4zM9 2.5h3v11H9z',
  back: 'M8 3.5v9L2 8zM14 3.5v9L8 8z',
  forward: 'M2 3.5v9L8 8zM8 3.5v9l6-4.5z',
  start: 'M3 3h2v10H3zM13 3.5v9L6 8z',
  loop: 'M4 5h7V3l3 3-3 3V7H5v2H3V6a1 1 0 0 1 1-1zM12 11H5v2l-3-3 3-3v2h6V7h2v3a1 1 0 0 1-1 1z',
  volume: 'M2 6h3l4-3v10L5 10H2zM11 5.5a3.5 3.5 0 0 1 0 5l-.8-.8a2.4 2.4 0 0 0 0-3.4z',
  muted: 'M2 6h3l4-3v10L5 10H2zM10.5 6.2l.7-.7L13 7.3l1.8-1.8.7.7L13.7 8l1.8 1.8-.7.7L13 8.7l-1.8 1.8-.7-.7L12.3 8z',
};

export function icon(name: keyof typeof ICONS | string): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.classList.add('icon');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', ICONS[name] ?? '');
  svg.appendChild(path);
  return svg;
}

export function setIcon(button: HTMLElement, name: string): void {
  const old = button.querySelector('svg.icon');
  const next = icon(name);
  if (old) old.replaceWith(next); else button.prepend(next);
}
