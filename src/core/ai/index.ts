// The songwriting assistant's core: prompts built from the bundled guide, the model's answer parsed into a
// .song, validation and the write/improve flow. Pure TypeScript without `vscode` (the chat participant,
// the language model tools and the CLI are adapters around it).
export {
  buildWriteMessages, buildImproveMessages, buildFixMessage, flattenSystem, truncateGuide, planSummary, SONG_FENCE,
  type ChatMessage, type ChatRole, type PromptOptions, type ImproveOptions, type PlanSongLike,
} from './prompts';
export { extractSong, type ExtractResult, type ExtractFailureReason } from './parse-output';
export { headingToTag } from './repair-body';
export { songValidator, songGaps, autofixSong, formatDiagnostic, AUTOFIX_CODES, type ValidatorOptions } from './validate';
export {
  writeSong, improveSong, type ModelFn, type WriteProgress, type WriteSongOptions, type ImproveSongOptions,
  type WriteSongResult, type WriteSongSuccess, type WriteSongFailure, type WriteFailureReason,
} from './write-flow';
