// The page header: the song title and, when there is more than one job, the job picker.
import type { JobView } from '../../src/core/player/protocol';
import { h } from './dom';
import { formatDate } from './format';
import { l10n } from './l10n';

export class PlayerHeader {
  private readonly title = h('h1', { class: 'song-title' });
  private readonly jobSelect = h('select', { class: 'job-select', 'aria-label': l10n.t('Generation job') });
  private readonly jobLabel = h('label', { class: 'job-picker' }, h('span', { class: 'label-text' }, l10n.t('Job')), this.jobSelect);
  readonly element = h('header', { class: 'player-header' }, this.title, this.jobLabel);

  constructor(onSelectJob: (jobId: string) => void) {
    this.jobSelect.addEventListener('change', () => onSelectJob(this.jobSelect.value));
  }

  /** Lists the jobs in the picker (shown only when there are two or more). */
  setJobs(jobs: JobView[]): void {
    this.jobSelect.replaceChildren(...jobs.map(j => h('option', { value: j.id },
      [formatDate(j.createdAt) || j.id, j.takes.length === 1 ? l10n.t('1 take') : l10n.t('{0} takes', j.takes.length), j.server].filter(Boolean).join(' · '))));
    this.jobLabel.hidden = jobs.length < 2;
  }

  /** Shows `job` as the selected one, in the header and the page title. */
  show(job: JobView): void {
    this.jobSelect.value = job.id;
    this.title.textContent = job.title || l10n.t('Untitled');
    document.title = `${job.title || l10n.t('Untitled')} — ACE-Step Player`;
  }
}
