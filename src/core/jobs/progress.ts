// A job's state and timing in words: the one text the status bar, the progress notification, the Generations
// view, the chat, the tools and the CLI show. No vscode import; the texts go through msg() (src/core/l10n.ts).
import { msg } from '../l10n';
import type { JobSnapshot } from './types';

/** What describing a job reads of it. */
export type ProgressView = Pick<JobSnapshot, 'state' | 'queuePosition' | 'jobsAhead' | 'stage' | 'progress' | 'takes' | 'error' | 'elapsedMs' | 'etaMs'>;

/** 75 000 ms → "1:15". */
export function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** "queued, position 2", "42% Decoding audio", "generating 42%", "done, 2 takes", "failed: …". */
export function describeProgress(s: ProgressView): string {
  switch (s.state) {
    case 'submitting': return msg('submitting');
    case 'queued':
      // jobsAhead counts the running job too (queue_position does not): "1 job ahead" behind a running job.
      if (s.jobsAhead !== undefined && s.jobsAhead > 0) return s.jobsAhead === 1 ? msg('queued, 1 job ahead') : msg('queued, {0} jobs ahead', s.jobsAhead);
      return s.queuePosition ? msg('queued, position {0}', s.queuePosition) : msg('queued');
    case 'running': return describeRunning(s);
    case 'downloading': return msg('downloading');
    case 'succeeded': {
      const n = s.takes?.filter(t => t.file).length ?? 0;
      return n === 1 ? msg('done, {0} take', n) : msg('done, {0} takes', n);
    }
    case 'failed': return msg('failed: {0}', s.error?.message ?? msg('unknown error'));
    case 'lost': return msg('lost: {0}', s.error?.message ?? msg('the server no longer knows this job'));
    case 'cancelled': return msg('cancelled');
  }
}

function describeRunning(s: ProgressView): string {
  const pct = s.progress !== undefined ? Math.round(s.progress * 100) : undefined;
  // The stage is the server's own text (English) and is shown as it is; only our words are translated.
  const stage = s.stage && s.stage !== 'queued' ? s.stage.replace(/\.\.\.$|…$/, '') : undefined;
  // A stage says what happens ("Generating music (batch size: 2)", "Decoding audio", or the manager's own
  // "generating (the Gradio API answers …)"): it stands alone after the percentage, short enough for a status bar.
  if (stage) return pct !== undefined ? `${pct}% ${stage}` : stage;
  return pct !== undefined ? msg('generating {0}%', pct) : msg('generating');
}

/**
 * "0:42, about 0:30 left"; once the expected time has passed (etaMs 0: the job is pending and later than its
 * estimate, which the server gave no progress to correct) "0:42, waiting for the server", never "about 0:01 left".
 */
export function timing(s: Pick<JobSnapshot, 'elapsedMs' | 'etaMs'>): string {
  if (s.etaMs === undefined) return clock(s.elapsedMs);
  if (s.etaMs <= 0) return msg('{0}, waiting for the server', clock(s.elapsedMs));
  return msg('{0}, about {1} left', clock(s.elapsedMs), clock(Math.max(1000, s.etaMs)));
}

/** The state and the timing in one line: "generating 42% · 0:42, about 0:30 left". */
export function progressLine(s: ProgressView): string {
  return `${describeProgress(s)} · ${timing(s)}`;
}

/** How long ago, roughly: "40 s ago", "5 min ago", "3 h ago", "2 days ago". */
export function timeAgo(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return msg('{0} s ago', s);
  const m = Math.round(s / 60);
  if (m < 90) return msg('{0} min ago', m);
  const h = Math.round(m / 60);
  return h < 36 ? msg('{0} h ago', h) : msg('{0} days ago', Math.round(h / 24));
}
