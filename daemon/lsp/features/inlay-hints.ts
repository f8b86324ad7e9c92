import type { InlayHint, Position, Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Estimate } from '../analyze/estimate';
import type { PromptSite } from '../analyze/site';
import type { AnalysedDocument } from '../documents';
import type { CurrencyFormat } from '../protocol';
import { hintLabel, outputBasisLabel } from './format';

/**
 * "≈ 1,204 in + ~300 out · $0.0049" on the line where each prompt starts. At the end of that
 * line when it is short enough to be seen whole; on a long line (a one-line prompt of 300
 * characters) before its code instead, since the end would be out of view.
 */

/** Columns an editor shows without scrolling, at a usual width and font. */
export const VISIBLE_COLUMNS = 100;

/** `estimates` may differ from the analysis's own (measured output, see measured-output.ts). */
export function inlayHints(analysed: AnalysedDocument, range: Range, currency: CurrencyFormat, estimates: readonly Estimate[] = analysed.results.estimates): InlayHint[] {
  const { document, results } = analysed;
  const hints: InlayHint[] = [];
  results.sites.forEach((site, index) => {
    const estimate = estimates[index];
    // A call whose whole prompt is unknown (messages: history) would only show the framing: no hint.
    if (!estimate || estimate.empty) return;
    const { position, before } = hintPlace(document, site);
    if (position.line < range.start.line || position.line > range.end.line) return;
    hints.push({
      position,
      label: hintLabel(estimate, currency),
      ...(before ? { paddingRight: true } : { paddingLeft: true }),
      tooltip: tooltip(site, estimate),
    });
  });
  return hints;
}

function hintPlace(document: TextDocument, site: PromptSite): { position: Position; before: boolean } {
  const line = document.positionAt(site.span.start).line;
  const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\s+$/, '');
  if (text.length <= VISIBLE_COLUMNS) return { position: { line, character: text.length }, before: false };
  return { position: { line, character: text.length - text.trimStart().length }, before: true };
}

function tooltip(site: PromptSite, estimate: Estimate): string {
  const output = estimate.output ? `; output: ${outputBasisLabel(estimate.output)}` : '';
  const model = site.model.source === 'default' ? `${site.model.display} (the tollgate.defaultModel setting: the code names no model)` : site.model.display;
  return `${site.label} · ${model}${estimate.exact ? '' : ' (approximate count)'} · Tollgate estimate, tokens in and out${output}`;
}
