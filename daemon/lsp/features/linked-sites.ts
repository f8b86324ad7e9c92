import type { AnalysedDocument } from '../documents';
import { siteLink } from '../gateway/call-site-link';
import type { LinkedSite } from '../gateway/call-site-figures';

/**
 * The sites of a document that the gateway's log can be linked to, with the id they are asked
 * about ("line:column" of the call, 1-based). The CodeLens shows their figures; the inlay hint
 * takes their average reply as its output estimate.
 */
export interface DocumentLinkedSite extends LinkedSite {
  /** Index into the document's sites and estimates. */
  index: number;
  start: number;
}

export function linkedSites({ document, results }: AnalysedDocument): DocumentLinkedSite[] {
  const linked: DocumentLinkedSite[] = [];
  results.sites.forEach((site, index) => {
    const link = siteLink(site);
    if (!link) return;
    const position = document.positionAt(site.span.start);
    linked.push({ id: `${position.line + 1}:${position.character + 1}`, link, index, start: site.span.start });
  });
  return linked;
}
