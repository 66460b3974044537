// The song engine, loaded when a .song is first analysed (dist/song.js; see src/vscode/lazy.ts): the core's
// parser, linter and editor data, and with them the YAML parser, the largest part of the language features.
export { analyzeSong, completionsAt, documentSymbols, foldingRanges, hoverAt } from '../../core/song';
export { AudioLengthCache } from '../../core/song/audio-length';
