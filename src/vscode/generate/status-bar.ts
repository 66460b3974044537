// The jobs status bar item: visible while jobs run (spinner, stage, percent, elapsed, ETA); click for the job list.
import * as vscode from 'vscode';
import { isTerminal, type JobSnapshot } from '../../core/jobs';
import { describeProgress, progressLine, timing } from '../../core/jobs/progress';
import type { GenerationService } from './service';
import { COMMANDS } from '../commands';

export function registerJobsStatusBar(context: vscode.ExtensionContext, service: GenerationService): { text(): string; shown(): boolean } {
  const item = vscode.window.createStatusBarItem('acestep.jobs', vscode.StatusBarAlignment.Left, 50);
  item.name = vscode.l10n.t('ACE-Step: Generation Jobs');
  item.command = COMMANDS.showJobs;
  let timer: NodeJS.Timeout | undefined;

  const update = () => {
    const running = service.list().filter(j => !isTerminal(j.state));
    if (!running.length) { item.hide(); clearInterval(timer); timer = undefined; return; }
    const first = running[0];
    const more = running.length > 1 ? ` (+${running.length - 1})` : '';
    item.text = `$(sync~spin) ${first.title}: ${progressLine(first)}${more}`;
    item.tooltip = `${running.map(j => `${j.title}: ${progressLine(j)}`).join('\n')}\n\n${vscode.l10n.t('Click for the job list')}`;
    item.accessibilityInformation = {
      label: running.length === 1
        ? vscode.l10n.t('ACE-Step generating 1 job: {0}, {1}', first.title, describeProgress(first))
        : vscode.l10n.t('ACE-Step generating {0} jobs: {1}, {2}', running.length, first.title, describeProgress(first)),
    };
    item.show();
    // The elapsed time moves between server updates: tick once a second while something runs.
    timer ??= setInterval(update, 1000);
  };

  context.subscriptions.push(
    item,
    service.onDidChange(update),
    { dispose: () => clearInterval(timer) },
    vscode.commands.registerCommand(COMMANDS.showJobs, () => showJobList(service)),
  );
  return { text: () => item.text, shown: () => !!timer };
}

async function showJobList(service: GenerationService): Promise<void> {
  const jobs = service.list().sort((a, b) => b.createdAt - a.createdAt).slice(0, 50);
  if (!jobs.length) { void vscode.window.showInformationMessage(vscode.l10n.t('No ACE-Step generations yet. Open a .song and run "ACE-Step: Generate Song".')); return; }
  const cancel: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('close'), tooltip: vscode.l10n.t('Cancel this job') };
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { job: JobSnapshot }>();
  pick.title = vscode.l10n.t('ACE-Step Jobs');
  pick.placeholder = vscode.l10n.t('Pick a job to open its takes');
  pick.items = jobs.map(job => ({
    job,
    label: `${isTerminal(job.state) ? (job.state === 'succeeded' ? '$(check)' : '$(error)') : '$(sync~spin)'} ${job.title}`,
    description: describeProgress(job),
    detail: `${new Date(job.createdAt).toLocaleString()} · ${timing(job)} · ${job.serverUrl}`,
    buttons: isTerminal(job.state) ? [] : [cancel],
  }));
  pick.onDidTriggerItemButton(e => { service.jobs().cancel(e.item.job.id); pick.hide(); });
  pick.onDidAccept(() => {
    const job = pick.selectedItems[0]?.job;
    pick.hide();
    if (job?.state === 'succeeded') void vscode.commands.executeCommand(COMMANDS.openTakes, job.id);
  });
  pick.onDidHide(() => pick.dispose());
  pick.show();
}
