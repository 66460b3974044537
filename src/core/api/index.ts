// The ACE-Step 1.5 REST client: types, validators, errors, what each server generation can do. No vscode import.
export * from './types';
export * from './errors';
export { AceStepClient } from './client';
export type { AceStepClientOptions, HandOff, ReleaseOptions } from './client';
export { limitsOf, needsOf, refusalFor, seedNote, type JobNeeds, type Refusal } from './needs';
export { DEFAULT_TIMEOUTS } from './transport';
export type { CallOptions, ClientTimeouts } from './transport';
export { audioExtension } from './downloads';
export { CHAT_PATH, chatUrlOf, isChatUrl } from './chat';
export type { DownloadOptions } from './downloads';
export { CAPABILITIES, capabilitiesOf, lmState, serverKindLabel, type LmState } from './capabilities';
export type { Capabilities } from './capabilities';
export { parseQueryResult, parseTaskEntry, parseSeeds, parseModels, parseStats, parseHealth, serverWords } from './parse';
export { LORA_MAX_SCALE, loraRefusal, type LoraCallOptions, type LoraStatus } from './lora';
export { isAudioNotOnServer, isMissingTranscriptionKey, transcribeRefusal, type TimedWord, type Transcription } from './transcribe';
