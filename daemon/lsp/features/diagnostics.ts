import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { AnalysedDocument } from '../documents';
import { formatTokens } from './format';

export const CONTEXT_WINDOW_CODE = 'context-window';

/**
 * A warning where a prompt's known tokens alone exceed the model's context window (from the
 * price table). Only known tokens count: a template whose holes might overflow is not flagged.
 */
export function contextWindowDiagnostics({ document, results }: AnalysedDocument): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  results.sites.forEach((site, index) => {
    const estimate = results.estimates[index];
    if (!estimate?.contextWindow || estimate.tokens <= estimate.contextWindow) return;
    const start = document.positionAt(site.span.start);
    const firstLineEnd = document.positionAt(Math.min(site.span.end, document.offsetAt({ line: start.line + 1, character: 0 }) - 1));
    diagnostics.push({
      severity: DiagnosticSeverity.Warning,
      range: { start, end: firstLineEnd.line === start.line ? firstLineEnd : start },
      source: 'tollgate',
      code: CONTEXT_WINDOW_CODE,
      message: `This prompt is ${estimate.lowerBound ? 'at least ' : ''}${formatTokens(estimate.tokens)} tokens; ${site.model.display}'s context window is ${formatTokens(estimate.contextWindow)} tokens.`,
    });
  });
  return diagnostics;
}
