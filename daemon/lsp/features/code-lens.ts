import type { CodeLens } from 'vscode-languageserver/node';
import type { CallSiteFigures } from '../../gateway/api/contracts';
import type { AnalysedDocument } from '../documents';
import type { LinkedSite } from '../gateway/call-site-figures';
import { CALL_SITE_COMMAND, type CallSiteLensArgs, type CurrencyFormat } from '../protocol';
import { lensTitle } from './format';
import { linkedSites } from './linked-sites';

/**
 * "38 calls · $0.011/call · p50 1.2 s · $0.41 today" above each call that the gateway has seen
 * today. No lens for a call nothing can link, for one that has not run today, or when the
 * gateway is down.
 */
export async function codeLenses(
  analysed: AnalysedDocument,
  lookup: (sites: readonly LinkedSite[]) => Promise<Map<string, CallSiteFigures>>,
  currency: CurrencyFormat,
): Promise<CodeLens[]> {
  const { document } = analysed;
  const linked = linkedSites(analysed);
  if (linked.length === 0) return [];
  const figures = await lookup(linked);
  const lenses: CodeLens[] = [];
  for (const site of linked) {
    const found = figures.get(site.id);
    if (!found) continue;
    const position = document.positionAt(site.start);
    const args: CallSiteLensArgs = { uri: document.uri, line: position.line, hashes: site.link.hashes, tag: site.link.tag ?? null };
    lenses.push({ range: { start: position, end: position }, command: { title: lensTitle(found, currency), command: CALL_SITE_COMMAND, arguments: [args] } });
  }
  return lenses;
}
