// The @acestep chat participant: routes /write, /generate, /improve, /status and /mode to their files under
// commands/, and offers the follow-ups. The handler is exported (through registerChat's result) so tests can call
// it with fake request and stream objects and a real model.
import * as vscode from 'vscode';
import { helpText, routeChatRequest } from '../../core/ai/assistant';
import { result, type AceStepChatMetadata, type ChatDeps } from './commands/common';
import { handleGenerate } from './commands/generate';
import { handleImprove } from './commands/improve';
import { handleMode } from './commands/mode';
import { handleStatus } from './commands/status';
import { handleWrite } from './commands/write';
import { errorMessage } from '../../core/util/error-message';


export function createChatHandler(deps: ChatDeps): vscode.ChatRequestHandler {
  return async (request, _context, stream, token) => {
    const route = routeChatRequest(request.command, request.prompt);
    try {
      switch (route.command) {
        case 'write': return await handleWrite(deps, request, route.prompt, stream, token);
        case 'generate': return await handleGenerate(deps, request, route.prompt, stream, token);
        case 'improve': return await handleImprove(deps, request, route.prompt, stream, token);
        case 'status': return await handleStatus(deps, stream, token);
        case 'mode': return await handleMode(deps, route.prompt, stream, token);
        default:
          stream.markdown(helpText(route.prompt));
          return result({ command: 'help', ok: true });
      }
    } catch (e) {
      const message = errorMessage(e);
      deps.log?.error(`@acestep /${route.command} failed: ${e instanceof Error && e.stack ? e.stack : message}`);
      return result({ command: route.command, ok: false, reason: 'internal' }, vscode.l10n.t('Something went wrong: {0}', message));
    }
  };
}

export const followupProvider: vscode.ChatFollowupProvider = {
  provideFollowups(res: vscode.ChatResult): vscode.ChatFollowup[] {
    const m = res.metadata as AceStepChatMetadata | undefined;
    if (!m) return [];
    switch (m.command) {
      case 'write':
        return m.ok
          ? [{ prompt: '', command: 'generate', label: vscode.l10n.t('Generate it') }, { prompt: vscode.l10n.t('make the chorus more memorable'), command: 'improve', label: vscode.l10n.t('Improve the chorus') }]
          : [{ prompt: vscode.l10n.t('a short upbeat pop song about a summer road trip'), command: 'write', label: vscode.l10n.t('Try an example request') }];
      case 'improve':
        return m.ok ? [{ prompt: '', command: 'generate', label: vscode.l10n.t('Generate the song') }] : [];
      case 'generate':
        if (m.reason === 'lint-errors') return [{ prompt: '', command: 'improve', label: vscode.l10n.t('Fix the problems with /improve') }];
        return [{ prompt: '', command: 'status', label: vscode.l10n.t('Server and job status') }];
      case 'status':
        return m.ok ? [] : [{ prompt: '', command: 'mode', label: vscode.l10n.t('Server modes') }];
      case 'help':
        return [{ prompt: vscode.l10n.t('a melancholic indie folk song about leaving a harbour town'), command: 'write', label: vscode.l10n.t('Write an example song') }];
      default:
        return [];
    }
  },
};
