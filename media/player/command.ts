// What can be asked of the player: the host's commands (the protocol's PlayerCommand) and a few more that
// only the page itself gives (keys, the transport bar). app.ts runs them all the same way.
import type { PlayerCommand } from '../../src/core/player/protocol';

export type PageCommand =
  /** The n-th take (index from 0), if there is one: keys 1–9. */
  | { command: 'selectTakeAt'; index: number }
  /** Loop off → the region if there is one, else the take; loop on → off. */
  | { command: 'toggleLoop' }
  | { command: 'toggleMute' }
  | { command: 'clearRegion' };

export type Command = PlayerCommand | PageCommand;
