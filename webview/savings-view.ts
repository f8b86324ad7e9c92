import type { Aggregate, StatsResponse } from '../daemon/gateway/api/contracts';
import { el, replaceChildren } from './dom';
import { formatCount, formatMoney, formatMs } from './format';
import type { CurrencyFormat } from './messages';

/**
 * What the cache, coalescing, routing and deferred (batch) jobs saved over the range; each line
 * only when that feature did something, and the section only when one did.
 */
export class SavingsView {
  readonly element = el('section', { id: 'savings', attrs: { 'aria-label': 'Savings' } });

  render(totals: Aggregate | undefined, deferred: StatsResponse['deferred'], currency: CurrencyFormat): void {
    const lines: string[] = [];
    if (totals) {
      const { cache, routing } = totals;
      const rate = (n: number): string => (cache.lookups > 0 ? ` (${Math.round((100 * n) / cache.lookups)} % of lookups)` : '');
      if (cache.hits + cache.semanticHits > 0) {
        lines.push(`Cache: ${formatCount(cache.hits)} exact${rate(cache.hits)} and ${formatCount(cache.semanticHits)} semantic hits`);
      }
      if (cache.coalesced > 0) lines.push(`Coalesced: ${formatCount(cache.coalesced)} calls shared an identical call in flight`);
      if (cache.savedUsd > 0 || cache.savedMs > 0) lines.push(`Saved by the cache: ${formatMoney(cache.savedUsd, currency)} and ${formatMs(cache.savedMs)} of waiting`);
      if (routing.routed > 0) lines.push(`Routing: ${formatCount(routing.routed)} calls routed, ${formatMoney(routing.savedUsd, currency)} saved against the complex tier`);
    }
    if (deferred && deferred.jobs > 0) {
      lines.push(`Deferred: ${formatCount(deferred.jobs)} jobs cost ${formatMoney(deferred.costUsd, currency)}; batch discounts saved ${formatMoney(deferred.savedUsd, currency)}`);
    }
    this.element.hidden = lines.length === 0;
    replaceChildren(this.element, [el('h2', { text: 'Savings' }), el('ul', { class: 'savings' }, lines.map((line) => el('li', { text: line })))]);
  }
}
