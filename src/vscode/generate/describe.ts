// Human text for a job's state, shared by the status bar, the progress notification and the Generations view.
import type { JobSnapshot } from '../../core/jobs';

export function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function describeJob(s: JobSnapshot): string {
  switch (s.state) {
    case 'submitting': return 'submitting';
    case 'queued': return s.queuePosition ? `queued, position ${s.queuePosition}` : 'queued';
    case 'running': {
      const pct = s.progress !== undefined ? `${Math.round(s.progress * 100)}% ` : '';
      const stage = s.stage && s.stage !== 'queued' ? s.stage.replace(/\.\.\.$|…$/, '') : 'generating';
      return `${pct}${stage}`;
    }
    case 'downloading': return 'downloading';
    case 'succeeded': return `done, ${s.takes?.filter(t => t.file).length ?? 0} take(s)`;
    case 'failed': return `failed: ${s.error?.message ?? 'unknown error'}`;
    case 'lost': return `lost: ${s.error?.message ?? 'the server no longer knows this job'}`;
    case 'cancelled': return 'cancelled';
  }
}

/** "0:42, about 0:30 left" */
export function timing(s: JobSnapshot): string {
  const eta = s.etaMs !== undefined && s.etaMs > 0 ? `, about ${clock(s.etaMs)} left` : '';
  return `${clock(s.elapsedMs)}${eta}`;
}
