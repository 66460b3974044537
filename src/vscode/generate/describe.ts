// Human text for a job's state, shared by the status bar, the progress notification and the Generations view.
import * as vscode from 'vscode';
import type { JobSnapshot } from '../../core/jobs';

export function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function describeJob(s: JobSnapshot): string {
  switch (s.state) {
    case 'submitting': return vscode.l10n.t('submitting');
    case 'queued': return s.queuePosition ? vscode.l10n.t('queued, position {0}', s.queuePosition) : vscode.l10n.t('queued');
    case 'running': {
      // The stage is the server's own text (English); only our fallback is translated.
      const stage = s.stage && s.stage !== 'queued' ? s.stage.replace(/\.\.\.$|…$/, '') : vscode.l10n.t('generating');
      return s.progress !== undefined ? vscode.l10n.t('{0}% {1}', Math.round(s.progress * 100), stage) : stage;
    }
    case 'downloading': return vscode.l10n.t('downloading');
    case 'succeeded': {
      const n = s.takes?.filter(t => t.file).length ?? 0;
      return n === 1 ? vscode.l10n.t('done, {0} take', n) : vscode.l10n.t('done, {0} takes', n);
    }
    case 'failed': return vscode.l10n.t('failed: {0}', s.error?.message ?? vscode.l10n.t('unknown error'));
    case 'lost': return vscode.l10n.t('lost: {0}', s.error?.message ?? vscode.l10n.t('the server no longer knows this job'));
    case 'cancelled': return vscode.l10n.t('cancelled');
  }
}

/** "0:42, about 0:30 left" */
export function timing(s: JobSnapshot): string {
  return s.etaMs !== undefined && s.etaMs > 0 ? vscode.l10n.t('{0}, about {1} left', clock(s.elapsedMs), clock(s.etaMs)) : clock(s.elapsedMs);
}
