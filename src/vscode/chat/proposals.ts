// Proposed edits of a song (@acestep /improve, "Format Song with the LM"): the revised song as a read-only
// document shown in a diff beside the song, and "Apply", which puts it into the song as one undoable edit after
// checking that the song did not change since (else it asks).
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { INTERNAL_COMMANDS } from '../commands';

export const PROPOSAL_SCHEME = 'acestep-chat-proposal';

interface Proposal {
  id: string;
  target: vscode.Uri;
  /** The song's version the proposal was made from. */
  version: number;
  text: string;
  uri: vscode.Uri;
}

/** Most proposals kept at once (older ones can no longer be applied). */
const KEEP = 20;

/** What the store says when a proposal is gone, and when the song changed since it was made. */
export interface ProposalTexts {
  gone: string;
  changed: string;
}

export class ProposalStore implements vscode.TextDocumentContentProvider {
  private readonly proposals = new Map<string, Proposal>();

  constructor(readonly scheme: string = PROPOSAL_SCHEME, private readonly texts: ProposalTexts = {
    gone: vscode.l10n.t('This proposal is no longer available: run @acestep /improve again.'),
    changed: vscode.l10n.t('The song changed since @acestep proposed this edit. Apply the proposal anyway? Your changes since then are replaced (Undo brings them back).'),
  }) {}

  create(doc: vscode.TextDocument, text: string): Proposal {
    const id = randomUUID();
    const base = path.basename(doc.uri.path).replace(/\.song$/i, '') || 'song';
    const uri = vscode.Uri.from({ scheme: this.scheme, path: `/${id}/${base}.proposal.song` });
    const p: Proposal = { id, target: doc.uri, version: doc.version, text, uri };
    this.proposals.set(id, p);
    while (this.proposals.size > KEEP) this.proposals.delete(this.proposals.keys().next().value as string);
    return p;
  }

  get(id: string): Proposal | undefined {
    return this.proposals.get(id);
  }

  /** Forgets a proposal that was not taken, and closes its diff. */
  async discard(id: string): Promise<void> {
    const p = this.proposals.get(id);
    this.proposals.delete(id);
    if (p) await closeProposalTabs(p.uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const id = uri.path.split('/')[1];
    return this.proposals.get(id)?.text ?? '';
  }

  /** Replaces the song's text with the proposal. `force` skips the question when the song changed since. */
  async apply(id: string, force = false): Promise<boolean> {
    const p = this.proposals.get(id);
    if (!p) {
      void vscode.window.showWarningMessage(this.texts.gone);
      return false;
    }
    const doc = await vscode.workspace.openTextDocument(p.target);
    if (doc.version !== p.version && !force) {
      const applyAnyway = vscode.l10n.t('Apply Anyway');
      const answer = await vscode.window.showWarningMessage(this.texts.changed, { modal: true }, applyAnyway);
      if (answer !== applyAnyway) return false;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), p.text);
    const ok = await vscode.workspace.applyEdit(edit);
    if (ok) {
      this.proposals.delete(id);
      // Nothing of the proposal stays behind: its diff closes, the song is shown.
      await closeProposalTabs(p.uri);
      await vscode.window.showTextDocument(doc, { preview: false });
    }
    return ok;
  }
}

/** Closes every tab that shows a proposal (its diff, or the proposal on its own). */
async function closeProposalTabs(uri: vscode.Uri): Promise<void> {
  const key = uri.toString();
  const tabs = vscode.window.tabGroups.all.flatMap(g => g.tabs).filter(t =>
    (t.input instanceof vscode.TabInputTextDiff && (t.input.modified.toString() === key || t.input.original.toString() === key))
    || (t.input instanceof vscode.TabInputText && t.input.uri.toString() === key));
  if (tabs.length) await vscode.window.tabGroups.close(tabs).then(undefined, () => false);
}

export function registerProposals(context: vscode.ExtensionContext): ProposalStore {
  const store = new ProposalStore();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(store.scheme, store),
    vscode.commands.registerCommand(INTERNAL_COMMANDS.chatApplyProposal, (id: unknown, options?: { force?: boolean }) =>
      typeof id === 'string' ? store.apply(id, options?.force === true) : false),
  );
  return store;
}
