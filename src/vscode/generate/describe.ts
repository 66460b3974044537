// Human text for a job's state: the core's (src/core/jobs/progress.ts), the one text the status bar, the progress
// notification, the Generations view, the chat and the CLI show, under the names the status bar imports.
export { describeProgress as describeJob, timing } from '../../core/jobs/progress';
