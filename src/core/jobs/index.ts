// Job lifecycle: submit → track → download, persisted pending jobs and history. No vscode import.
export * from './types';
export { JobManager, DEFAULT_DEADLINE } from './manager';
export type { JobManagerOptions, SubmitInput, DeadlineConfig } from './manager';
export { DEFAULT_POLLING, expectedEnd, nextPollAt, budgetEarliest } from './polling';
export type { PollingConfig, PollView, ProgressSample } from './polling';
export { slugify, takePrefix, stampOf } from './files';
export { planJob, replanJob, outputDirFor, songTitle } from './plan';
export { adviceFor, adviceText } from './advice';
export { describeProgress, progressLine, timing } from './progress';
export { MemoryJobStorage } from './storage';
export { SIDECAR_VERSION, buildSidecar, readSidecar, sidecarText } from './sidecar';
export type { Sidecar, SidecarResult } from './sidecar';
