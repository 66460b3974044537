// Renders the extension icon, media/icon.png (128×128), from the SVG below.
//   node scripts/make-icon.mjs
// Needs `rsvg-convert` (Debian/Ubuntu package librsvg2-bin) or a Chromium on PATH.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'media/icon.png');
const SIZE = 128;

// A lyric sheet with a folded corner and two beamed notes, on a night-violet tile.
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 128 128">
  <defs>
    <linearGradient id="tile" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#2e1065"/>
      <stop offset="1" stop-color="#7c3aed"/>
    </linearGradient>
    <linearGradient id="ink" gradientUnits="userSpaceOnUse" x1="0" y1="48" x2="0" y2="102">
      <stop offset="0" stop-color="#7c3aed"/>
      <stop offset="1" stop-color="#db2777"/>
    </linearGradient>
  </defs>
  <rect x="4" y="4" width="120" height="120" rx="26" fill="url(#tile)"/>
  <path d="M32 18h46l22 22v66a6 6 0 0 1-6 6H32a6 6 0 0 1-6-6V24a6 6 0 0 1 6-6z" fill="#faf5ff"/>
  <path d="M78 18v16a6 6 0 0 0 6 6h16z" fill="#ddd6fe"/>
  <rect x="36" y="32" width="32" height="5" rx="2.5" fill="#c4b5fd"/>
  <rect x="36" y="43" width="24" height="5" rx="2.5" fill="#ddd6fe"/>
  <g fill="url(#ink)">
    <path d="M52 57l38-9v10l-38 9z"/>
    <rect x="52" y="58" width="5" height="36" rx="2"/>
    <rect x="85" y="50" width="5" height="36" rx="2"/>
    <ellipse cx="46" cy="94" rx="11" ry="8" transform="rotate(-22 46 94)"/>
    <ellipse cx="79" cy="86" rx="11" ry="8" transform="rotate(-22 79 86)"/>
  </g>
</svg>
`;

function render(svgFile) {
  const rsvg = spawnSync('rsvg-convert', ['-w', String(SIZE), '-h', String(SIZE), '-o', target, svgFile]);
  if (!rsvg.error && rsvg.status === 0) return 'rsvg-convert';
  for (const chromium of ['chromium', 'chromium-browser', 'google-chrome']) {
    const r = spawnSync(chromium, ['--headless', '--disable-gpu', '--no-sandbox', '--hide-scrollbars',
      '--default-background-color=00000000', `--window-size=${SIZE},${SIZE}`, `--screenshot=${target}`, svgFile]);
    if (!r.error && r.status === 0) return chromium;
  }
  throw new Error('neither rsvg-convert (librsvg2-bin) nor Chromium could render the icon');
}

const dir = mkdtempSync(path.join(tmpdir(), 'acestep-icon-'));
try {
  const svgFile = path.join(dir, 'icon.svg');
  writeFileSync(svgFile, svg);
  console.log(`media/icon.png written with ${render(svgFile)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
