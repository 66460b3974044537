// The ACE-Step 1.5 REST client: types, validators, errors. No vscode import.
export * from './types';
export * from './errors';
export { AceStepClient, DEFAULT_TIMEOUTS, audioExtension } from './client';
export type { AceStepClientOptions, CallOptions, ClientTimeouts, DownloadOptions, ReleaseOptions } from './client';
export { parseQueryResult, parseTaskEntry, parseSeeds, parseModels, parseStats, parseHealth, serverWords } from './parse';
