// One take's waveform on a <canvas>: draws peaks (min/max pairs) in the theme's colours at the
// device pixel ratio, the played part, the playhead and the loop region; turns pointer input into
// seeks and region selections. The canvas is a keyboard-focusable slider for assistive technology.
import type { Region } from './model';
import type { Palette } from './theme';

export interface WaveView {
  /** Seconds. */
  position: number;
  /** Seconds; 0 while unknown. */
  duration: number;
  region: Region | null;
  /** Whether the region is the active loop (drawn stronger). */
  regionLooping: boolean;
  /** The take being played (its played part gets the accent colour). */
  active: boolean;
  palette: Palette;
}

export interface WaveInput {
  /** A click or drag on the waveform: go to `seconds`. */
  seek(seconds: number, phase: 'start' | 'move' | 'end'): void;
  /** A shift-drag, or a drag on the region strip: select [start, end]. */
  region(start: number, end: number, phase: 'move' | 'end'): void;
}

/** Height of the region strip along the top of the canvas, in CSS pixels. */
export const STRIP_HEIGHT = 10;
/** A region drag shorter than this (CSS pixels) is a click. */
const MIN_DRAG_PX = 4;

type Layer = HTMLCanvasElement;

export class Waveform {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private peaks: number[] | null = null;
  private layers: { wave: Layer; played: Layer; playedInactive: Layer } | null = null;
  private cssWidth = 0;
  private cssHeight = 0;
  private dpr = 1;
  private readonly resizeObserver: ResizeObserver;
  private drag: { mode: 'seek' | 'region'; anchor: number; anchorX: number; pointerId: number } | null = null;
  /** True once peaks have been painted at a real size. */
  drawn = false;

  constructor(label: string, private readonly input: WaveInput, private readonly view: () => WaveView,
    private readonly onDrawn: () => void) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'wave';
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'slider');
    this.canvas.setAttribute('aria-label', label);
    this.canvas.setAttribute('aria-valuemin', '0');
    this.canvas.setAttribute('aria-orientation', 'horizontal');
    const ctx = this.canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('canvas 2D context unavailable');
    this.ctx = ctx;
    this.canvas.addEventListener('pointerdown', this.onPointerDown);
    this.canvas.addEventListener('pointermove', this.onPointerMove);
    this.canvas.addEventListener('pointerup', this.onPointerUp);
    this.canvas.addEventListener('pointercancel', this.onPointerUp);
    this.canvas.addEventListener('lostpointercapture', this.onPointerUp);
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(this.canvas);
  }

  get hasPeaks(): boolean {
    return this.peaks !== null;
  }

  setPeaks(peaks: number[] | null): void {
    this.peaks = peaks;
    this.layers = null;
    this.drawn = false;
    this.draw();
  }

  /** The theme changed: rebuild the cached layers. */
  invalidate(): void {
    this.layers = null;
    this.draw();
  }

  /** Matches the backing store to the element's size × devicePixelRatio. */
  resize(): void {
    const dpr = window.devicePixelRatio || 1;
    const w = this.canvas.clientWidth, hgt = this.canvas.clientHeight;
    if (w === this.cssWidth && hgt === this.cssHeight && dpr === this.dpr) return;
    this.cssWidth = w;
    this.cssHeight = hgt;
    this.dpr = dpr;
    this.canvas.width = Math.max(1, Math.round(w * dpr));
    this.canvas.height = Math.max(1, Math.round(hgt * dpr));
    this.layers = null;
    this.drawn = false;
    this.draw();
  }

  /** Updates the slider's accessible value (called a few times a second, not every frame). */
  updateAria(position: number, duration: number, valueText: string): void {
    this.canvas.setAttribute('aria-valuemax', String(Math.round(duration * 10) / 10));
    this.canvas.setAttribute('aria-valuenow', String(Math.round(Math.min(position, duration || position) * 10) / 10));
    this.canvas.setAttribute('aria-valuetext', valueText);
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    this.canvas.remove();
  }

  private buildLayer(color: string, W: number, H: number): Layer {
    const layer = document.createElement('canvas');
    layer.width = W;
    layer.height = H;
    const g = layer.getContext('2d');
    const peaks = this.peaks;
    if (!g || !peaks || peaks.length < 2) return layer;
    const top = Math.round(STRIP_HEIGHT * this.dpr) + Math.round(2 * this.dpr);
    const bottom = H - Math.round(2 * this.dpr);
    const mid = (top + bottom) / 2;
    const half = (bottom - top) / 2;
    const buckets = peaks.length / 2;
    g.fillStyle = color;
    for (let x = 0; x < W; x++) {
      const b0 = Math.floor((x * buckets) / W);
      const b1 = Math.max(b0 + 1, Math.floor(((x + 1) * buckets) / W));
      let lo = Infinity, hi = -Infinity;
      for (let b = b0; b < b1 && b < buckets; b++) {
        if (peaks[2 * b] < lo) lo = peaks[2 * b];
        if (peaks[2 * b + 1] > hi) hi = peaks[2 * b + 1];
      }
      if (lo > hi) continue;
      const y0 = Math.floor(mid - hi * half);
      const y1 = Math.ceil(mid - lo * half);
      g.fillRect(x, y0, 1, Math.max(1, y1 - y0));
    }
    return layer;
  }

  draw(): void {
    const W = this.canvas.width, H = this.canvas.height;
    if (this.cssWidth === 0 || this.cssHeight === 0) return;
    const v = this.view();
    const p = v.palette;
    const g = this.ctx;
    const dpr = this.dpr;
    const strip = Math.round(STRIP_HEIGHT * dpr);
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.globalAlpha = 1;
    g.fillStyle = p.background;
    g.fillRect(0, 0, W, H);
    g.fillStyle = p.strip;
    g.fillRect(0, 0, W, strip);

    const xOf = (t: number) => (v.duration > 0 ? Math.max(0, Math.min(W, (t / v.duration) * W)) : 0);
    if (v.region && v.duration > 0) {
      const x0 = xOf(v.region.start), x1 = xOf(v.region.end);
      g.fillStyle = p.region;
      g.globalAlpha = v.regionLooping ? 0.9 : 0.45;
      g.fillRect(x0, strip, Math.max(1, x1 - x0), H - strip);
      g.globalAlpha = 1;
      g.fillStyle = p.regionEdge;
      g.fillRect(x0, 0, Math.max(1, x1 - x0), strip);
    }

    if (this.peaks) {
      if (!this.layers) {
        this.layers = {
          wave: this.buildLayer(p.wave, W, H),
          played: this.buildLayer(p.played, W, H),
          playedInactive: this.buildLayer(p.playedInactive, W, H),
        };
      }
      const px = Math.round(xOf(v.position));
      g.globalAlpha = v.active ? 0.75 : 0.5;
      g.drawImage(this.layers.wave, 0, 0);
      g.globalAlpha = v.active ? 1 : 0.6;
      if (px > 0) g.drawImage(v.active ? this.layers.played : this.layers.playedInactive, 0, 0, px, H, 0, 0, px, H);
      g.globalAlpha = 1;
    } else {
      // Placeholder while peaks are computed: a centre line.
      g.fillStyle = p.wave;
      g.globalAlpha = 0.4;
      g.fillRect(0, Math.floor((strip + H) / 2), W, Math.max(1, Math.round(dpr)));
      g.globalAlpha = 1;
    }

    if (v.region && v.duration > 0) {
      g.fillStyle = p.regionEdge;
      const lineW = Math.max(1, Math.round(dpr));
      g.fillRect(Math.round(xOf(v.region.start)), 0, lineW, H);
      g.fillRect(Math.round(xOf(v.region.end)) - lineW, 0, lineW, H);
    }

    // Playhead.
    const head = Math.min(W - Math.max(1, Math.round(2 * dpr)), Math.round(xOf(v.position)));
    g.fillStyle = v.active ? p.playhead : p.wave;
    g.globalAlpha = v.active ? 1 : 0.6;
    g.fillRect(head, 0, Math.max(1, Math.round((v.active ? 2 : 1) * dpr)), H);
    g.globalAlpha = 1;

    if (p.border) {
      g.strokeStyle = p.border;
      g.lineWidth = Math.max(1, Math.round(dpr));
      g.strokeRect(g.lineWidth / 2, g.lineWidth / 2, W - g.lineWidth, H - g.lineWidth);
    }

    if (this.peaks && !this.drawn) {
      this.drawn = true;
      this.onDrawn();
    }
  }

  private timeAt(clientX: number): number {
    const rect = this.canvas.getBoundingClientRect();
    const f = rect.width > 0 ? (clientX - rect.left) / rect.width : 0;
    const d = this.view().duration;
    return Math.max(0, Math.min(1, f)) * d;
  }

  private inStrip(clientY: number): boolean {
    return clientY - this.canvas.getBoundingClientRect().top < STRIP_HEIGHT;
  }

  private readonly onPointerDown = (e: PointerEvent) => {
    if (e.button !== 0 || this.drag) return;
    this.canvas.focus({ preventScroll: true });
    const t = this.timeAt(e.clientX);
    const mode = e.shiftKey || this.inStrip(e.clientY) ? 'region' : 'seek';
    this.drag = { mode, anchor: t, anchorX: e.clientX, pointerId: e.pointerId };
    try { this.canvas.setPointerCapture(e.pointerId); } catch { /* synthetic events have no capture */ }
    e.preventDefault();
    if (mode === 'seek') this.input.seek(t, 'start');
  };

  private readonly onPointerMove = (e: PointerEvent) => {
    if (!this.drag) {
      this.canvas.classList.toggle('over-strip', this.inStrip(e.clientY) || e.shiftKey);
      return;
    }
    if (e.pointerId !== this.drag.pointerId) return;
    const t = this.timeAt(e.clientX);
    if (this.drag.mode === 'seek') this.input.seek(t, 'move');
    else if (Math.abs(e.clientX - this.drag.anchorX) >= MIN_DRAG_PX) {
      this.input.region(Math.min(t, this.drag.anchor), Math.max(t, this.drag.anchor), 'move');
    }
  };

  private readonly onPointerUp = (e: PointerEvent) => {
    const d = this.drag;
    if (!d || e.pointerId !== d.pointerId) return;
    this.drag = null;
    const t = e.type === 'pointerup' ? this.timeAt(e.clientX) : d.anchor;
    if (d.mode === 'seek') {
      this.input.seek(t, 'end');
    } else if (Math.abs(e.clientX - d.anchorX) >= MIN_DRAG_PX && e.type === 'pointerup') {
      this.input.region(Math.min(t, d.anchor), Math.max(t, d.anchor), 'end');
    } else {
      // Too short to be a region: a click.
      this.input.seek(d.anchor, 'end');
    }
  };
}
