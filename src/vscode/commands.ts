// Every command ID of the extension, in one place. COMMANDS are the ones package.json contributes (a unit test
// checks both directions: test/unit/commands.test.ts); INTERNAL_COMMANDS are registered but not contributed
// (chat buttons, quick picks, tests). No `vscode` import, so plain Node (the unit test) can read it.

export const COMMANDS = {
  // the .song language
  newSong: 'acestep.newSong',
  setRecommendedDuration: 'acestep.setRecommendedDuration',
  // generation
  generateSong: 'acestep.generateSong',
  showJobs: 'acestep.showJobs',
  checkServer: 'acestep.checkServer',
  formatSong: 'acestep.formatSong',
  newRandomSong: 'acestep.newRandomSong',
  loraAdapters: 'acestep.loraAdapters',
  newSongFromDescription: 'acestep.newSongFromDescription',
  setApiKey: 'acestep.setApiKey',
  clearApiKey: 'acestep.clearApiKey',
  generationsRefresh: 'acestep.generations.refresh',
  generationsReveal: 'acestep.generations.reveal',
  generationsRerun: 'acestep.generations.rerun',
  generationsCancel: 'acestep.generations.cancel',
  generationsDelete: 'acestep.generations.delete',
  generateFolder: 'acestep.generateFolder',
  renderMoveStranded: 'acestep.render.moveStranded',
  // the player
  openTakes: 'acestep.openTakes',
  openPlayer: 'acestep.openPlayer',
  // the window
  showOutput: 'acestep.showOutput',
  openExample: 'acestep.openExample',
  tryChat: 'acestep.tryChat',
  // server control
  switchMode: 'acestep.switchMode',
  startServer: 'acestep.startServer',
  stopServer: 'acestep.stopServer',
  restartServer: 'acestep.restartServer',
  showServerLogs: 'acestep.showServerLogs',
  openGradio: 'acestep.openGradio',
  openEnvFile: 'acestep.openEnvFile',
  createDockerSetup: 'acestep.createDockerSetup',
  chooseComposeDirectory: 'acestep.chooseComposeDirectory',
  serverActions: 'acestep.serverActions',
  cancelServerWait: 'acestep.cancelServerWait',
  // AI
  addSkillToWorkspace: 'acestep.addSkillToWorkspace',
} as const;

export const INTERNAL_COMMANDS = {
  /** The server status, checked now (the server quick pick's "Refresh Status"). */
  refreshServerStatus: 'acestep.refreshServerStatus',
  /** A confirmation button in a chat answer: performs the action. */
  chatRunAction: 'acestep.chat.runAction',
  /** A chat answer's "Dismiss" button. */
  chatDismissAction: 'acestep.chat.dismissAction',
  /** /improve's "Apply" button. */
  chatApplyProposal: 'acestep.chat.applyProposal',
  /** "Format Song with the LM": apply (`true`) or discard (`false`) a proposal by id, as its notification's buttons do. */
  formatProposalAnswer: 'acestep.formatProposalAnswer',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS] | (typeof INTERNAL_COMMANDS)[keyof typeof INTERNAL_COMMANDS];
