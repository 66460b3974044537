// A server's status in words, the same in the status bar's tooltip, Check Server's report and `acestep-song status
// --servers`: its models, its LM (as lmState says it) and its queue. No vscode import; the texts go through msg().
import { lmState } from '../api/capabilities';
import type { ServerInfo } from '../api/types';
import { msg } from '../l10n';
import type { ServerStatus } from './status';

/** "loaded (acestep-5Hz-lm-1.7B)", "not loaded", "loads with the first job", "not reported". */
export function lmWords(info: ServerInfo): string {
  switch (lmState(info)) {
    case 'loaded': return info.lmModel ? msg('loaded ({0})', info.lmModel) : msg('loaded');
    case 'not-loaded': return msg('not loaded');
    case 'loads-on-first-job': return msg('loads with the first job');
    default: return msg('not reported');
  }
}

/** The model names, or why there are none to show. */
export function modelsWords(info: ServerInfo): string {
  if (info.models.length) return info.models.map(m => m.name).join(', ');
  return info.authRequired ? msg('unknown without its API key') : msg('none listed');
}

/** "0 waiting, 1 running, average job 42 s", or why the queue is not known. */
export function queueWords(s: Pick<ServerStatus, 'stats' | 'info'>): string {
  // queue_size, not jobs.queued: the wrapper's server counts jobs it rejected (429) as queued forever.
  if (s.stats) return msg('{0} waiting, {1} running, average job {2} s', s.stats.queueSize, s.stats.jobs.running, Math.round(s.stats.avgJobSeconds));
  return s.info?.hasStats ? msg('not available') : msg('not reported');
}
