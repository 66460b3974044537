// Human text for a job's state: the core's (src/core/jobs/progress.ts), the one text the status bar, the progress
// notification, the Generations view, the chat and the CLI show. Translated through the core's msg().
export { clock, describeProgress as describeJob, progressLine, timing } from '../../core/jobs/progress';
