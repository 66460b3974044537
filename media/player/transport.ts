// The transport bar: start, back, play/pause, forward, the time, loop and clear-region, speed, mute and
// volume. It shows what it is given (sync) and turns clicks into commands; the rules live in the model.
import type { LoopMode } from '../../src/core/player/protocol';
import type { Command } from './command';
import { h, icon, setIcon } from './dom';
import { SKIP_SECONDS } from './keyboard';
import { l10n } from './l10n';
import { RATES } from './model';

export interface TransportView {
  playing: boolean;
  /** False when the current take cannot be played: the playback buttons are disabled. */
  playable: boolean;
  loop: LoopMode;
  hasRegion: boolean;
  /** One of RATES. */
  rate: number;
  volume: number;
  muted: boolean;
}

export class TransportBar {
  readonly element: HTMLElement;
  private readonly playButton = h('button', { class: 'icon-button play', type: 'button', 'aria-label': l10n.t('Play') });
  private readonly backButton = h('button', { class: 'icon-button', type: 'button', 'aria-label': l10n.t('Back {0} seconds', SKIP_SECONDS), title: l10n.t('Back {0} s (←)', SKIP_SECONDS) });
  private readonly forwardButton = h('button', { class: 'icon-button', type: 'button', 'aria-label': l10n.t('Forward {0} seconds', SKIP_SECONDS), title: l10n.t('Forward {0} s (→)', SKIP_SECONDS) });
  private readonly startButton = h('button', { class: 'icon-button', type: 'button', 'aria-label': l10n.t('Go to the start'), title: l10n.t('Start (Home)') });
  private readonly time = h('span', { class: 'time', 'aria-label': l10n.t('Position') }, '0:00 / 0:00');
  private readonly loopButton = h('button', { class: 'toggle loop', type: 'button', 'aria-pressed': 'false', 'aria-label': l10n.t('Loop'), title: l10n.t('Loop (L)') });
  private readonly clearRegionButton = h('button', { class: 'toggle clear-region', type: 'button', 'aria-label': l10n.t('Clear the loop region'), title: l10n.t('Clear region (Esc)'), hidden: true }, l10n.t('Clear region'));
  private readonly rateSelect = h('select', { class: 'rate', 'aria-label': l10n.t('Playback speed') });
  private readonly muteButton = h('button', { class: 'icon-button mute', type: 'button', 'aria-pressed': 'false', 'aria-label': l10n.t('Mute'), title: l10n.t('Mute (M)') });
  private readonly volumeInput = h('input', { class: 'volume', type: 'range', min: 0, max: 100, step: 1, value: 100, 'aria-label': l10n.t('Volume') });

  constructor(run: (command: Command) => void, muted: boolean) {
    setIcon(this.playButton, 'play');
    setIcon(this.backButton, 'back');
    setIcon(this.forwardButton, 'forward');
    setIcon(this.startButton, 'start');
    this.loopButton.append(icon('loop'), h('span', { class: 'loop-text' }, l10n.t('Loop')));
    setIcon(this.muteButton, muted ? 'muted' : 'volume');
    for (const r of RATES) this.rateSelect.append(h('option', { value: String(r) }, `${r}×`));

    this.element = h('div', { class: 'transport', role: 'group', 'aria-label': l10n.t('Playback') },
      this.startButton, this.backButton, this.playButton, this.forwardButton, this.time,
      h('span', { class: 'spacer' }),
      this.loopButton, this.clearRegionButton,
      h('label', { class: 'rate-picker' }, h('span', { class: 'label-text' }, l10n.t('Speed')), this.rateSelect),
      h('span', { class: 'volume-group' }, this.muteButton, this.volumeInput));

    this.playButton.addEventListener('click', () => run({ command: 'playPause' }));
    this.backButton.addEventListener('click', () => run({ command: 'skip', seconds: -SKIP_SECONDS }));
    this.forwardButton.addEventListener('click', () => run({ command: 'skip', seconds: SKIP_SECONDS }));
    this.startButton.addEventListener('click', () => run({ command: 'seek', seconds: 0 }));
    this.loopButton.addEventListener('click', () => run({ command: 'toggleLoop' }));
    this.clearRegionButton.addEventListener('click', () => run({ command: 'clearRegion' }));
    this.rateSelect.addEventListener('change', () => run({ command: 'setRate', rate: Number(this.rateSelect.value) }));
    this.muteButton.addEventListener('click', () => run({ command: 'toggleMute' }));
    this.volumeInput.addEventListener('input', () => run({ command: 'setVolume', volume: Number(this.volumeInput.value) / 100 }));
  }

  /** The time display, "0:42 / 3:10". */
  setTime(text: string): void {
    if (this.time.textContent !== text) this.time.textContent = text;
  }

  sync(v: TransportView): void {
    for (const b of [this.playButton, this.startButton, this.backButton, this.forwardButton]) b.disabled = !v.playable && !v.playing;
    const wantIcon = v.playing ? 'pause' : 'play';
    if (this.playButton.dataset.icon !== wantIcon) {
      this.playButton.dataset.icon = wantIcon;
      setIcon(this.playButton, wantIcon);
      this.playButton.setAttribute('aria-label', v.playing ? l10n.t('Pause') : l10n.t('Play'));
      this.playButton.title = v.playing ? l10n.t('Pause (Space)') : l10n.t('Play (Space)');
    }
    this.loopButton.setAttribute('aria-pressed', String(v.loop !== 'off'));
    const loopText = v.loop === 'take' ? l10n.t('Loop take') : v.loop === 'region' ? l10n.t('Loop region') : l10n.t('Loop');
    this.loopButton.setAttribute('aria-label', v.loop === 'off' ? l10n.t('Loop (off)') : loopText);
    const span = this.loopButton.querySelector('.loop-text');
    if (span) span.textContent = loopText;
    this.clearRegionButton.hidden = !v.hasRegion;
    this.rateSelect.value = String(v.rate);
    this.volumeInput.value = String(Math.round(v.volume * 100));
    this.volumeInput.setAttribute('aria-valuetext', `${Math.round(v.volume * 100)}%`);
    this.muteButton.setAttribute('aria-pressed', String(v.muted));
    this.muteButton.setAttribute('aria-label', v.muted ? l10n.t('Unmute') : l10n.t('Mute'));
    const muteIcon = v.muted ? 'muted' : 'volume';
    if (this.muteButton.dataset.icon !== muteIcon) {
      this.muteButton.dataset.icon = muteIcon;
      setIcon(this.muteButton, muteIcon);
    }
  }
}
