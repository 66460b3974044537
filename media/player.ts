// Entry point of the "ACE-Step Player" webview (bundled to dist/media/player.js). The UI lives in ./player/.
import { startPlayer } from './player/app';

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => startPlayer(), { once: true });
else startPlayer();
