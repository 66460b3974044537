// Completion, hover, outline and folding for .song files: thin wrappers over the core's editor data.
import * as vscode from 'vscode';
import type { CompletionKind, SongSymbol } from '../../core/song';
import { bundles } from '../lazy';
import { fromPosition, toRange } from '../convert';
import { SONG_SELECTOR, type SongAnalyzer } from './analyzer';

const completionKind: Record<CompletionKind, vscode.CompletionItemKind> = {
  key: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  section: vscode.CompletionItemKind.Module,
  modifier: vscode.CompletionItemKind.EnumMember,
  tag: vscode.CompletionItemKind.Keyword,
};

function toSymbol(s: SongSymbol): vscode.DocumentSymbol {
  const kind = s.kind === 'frontmatter' ? vscode.SymbolKind.Namespace : s.kind === 'key' ? vscode.SymbolKind.Property : vscode.SymbolKind.Module;
  const symbol = new vscode.DocumentSymbol(s.name || vscode.l10n.t('(untitled)'), s.detail, kind, toRange(s.range), toRange(s.selectionRange));
  symbol.children = s.children.map(toSymbol);
  return symbol;
}

export function registerLanguageFeatures(context: vscode.ExtensionContext, analyzer: SongAnalyzer): void {
  context.subscriptions.push(
    vscode.languages.registerCompletionItemProvider(SONG_SELECTOR, {
      provideCompletionItems(doc, position) {
        const parsed = analyzer.analyze(doc).parsed;
        const wordRange = doc.getWordRangeAtPosition(position, /[^\s[\],:]+(?: [^\s[\],:]+)*/);
        return bundles.song().completionsAt(parsed, fromPosition(position)).map(c => {
          const item = new vscode.CompletionItem(c.label, completionKind[c.kind]);
          item.insertText = c.insertText ?? c.label;
          item.detail = c.detail;
          if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
          item.sortText = c.sortText;
          if (wordRange && wordRange.end.isAfterOrEqual(position) && c.kind !== 'key') item.range = new vscode.Range(wordRange.start, position);
          return item;
        });
      },
    }, '[', ':', ' ', '-'),
    vscode.languages.registerHoverProvider(SONG_SELECTOR, {
      provideHover(doc, position) {
        const info = bundles.song().hoverAt(analyzer.analyze(doc).parsed, fromPosition(position));
        return info ? new vscode.Hover(new vscode.MarkdownString(info.markdown), toRange(info.range)) : undefined;
      },
    }),
    vscode.languages.registerDocumentSymbolProvider(SONG_SELECTOR, {
      provideDocumentSymbols: doc => bundles.song().documentSymbols(analyzer.analyze(doc).parsed).map(toSymbol),
    }, { label: vscode.l10n.t('Song') }),
    vscode.languages.registerFoldingRangeProvider(SONG_SELECTOR, {
      provideFoldingRanges: doc => bundles.song().foldingRanges(analyzer.analyze(doc).parsed).map(f => new vscode.FoldingRange(
        f.startLine, f.endLine, f.kind === 'comment' ? vscode.FoldingRangeKind.Comment : f.kind === 'region' ? vscode.FoldingRangeKind.Region : undefined)),
    }),
  );
}
