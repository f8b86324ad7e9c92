import type { InlayHint, Range } from 'vscode-languageserver/node';
import type { AnalysedDocument } from '../documents';
import type { CurrencyFormat } from '../protocol';
import { hintLabel } from './format';

/** "≈ 1,204 tok · $0.0030" at the end of each prompt in the requested range. */
export function inlayHints(analysed: AnalysedDocument, range: Range, currency: CurrencyFormat): InlayHint[] {
  const { document, results } = analysed;
  const from = document.offsetAt(range.start);
  const to = document.offsetAt(range.end);
  const hints: InlayHint[] = [];
  results.sites.forEach((site, index) => {
    const estimate = results.estimates[index];
    // A call whose whole prompt is unknown (messages: history) would only show the framing: no hint.
    if (!estimate || estimate.empty || site.anchor < from || site.anchor > to) return;
    hints.push({
      position: document.positionAt(site.anchor),
      label: hintLabel(estimate, currency),
      paddingLeft: true,
      tooltip: `${site.label} · ${site.model.display}${estimate.exact ? '' : ' (approximate count)'} · Tollgate estimate, input only`,
    });
  });
  return hints;
}
