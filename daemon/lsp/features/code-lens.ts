import type { CodeLens } from 'vscode-languageserver/node';
import type { CallSiteFigures } from '../../gateway/api/contracts';
import type { AnalysedDocument } from '../documents';
import { siteLink } from '../gateway/call-site-link';
import type { LinkedSite } from '../gateway/call-site-figures';
import { CALL_SITE_COMMAND, type CallSiteLensArgs, type CurrencyFormat } from '../protocol';
import { lensTitle } from './format';

/**
 * "38 calls · p50 1.2 s · $0.41 today" above each call that the gateway has seen today. No lens
 * for a call nothing can link, for one that has not run today, or when the gateway is down.
 */
export async function codeLenses(
  { document, results }: AnalysedDocument,
  lookup: (sites: readonly LinkedSite[]) => Promise<Map<string, CallSiteFigures>>,
  currency: CurrencyFormat,
): Promise<CodeLens[]> {
  const linked: Array<LinkedSite & { start: number }> = [];
  for (const site of results.sites) {
    const link = siteLink(site);
    if (!link) continue;
    const position = document.positionAt(site.span.start);
    linked.push({ id: `${position.line + 1}:${position.character + 1}`, link, start: site.span.start });
  }
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
