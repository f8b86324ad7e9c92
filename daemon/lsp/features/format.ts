import type { CallSiteFigures } from '../../gateway/api/contracts';
import type { PriceResult } from '../../pricing/price';
import type { Estimate } from '../analyze/estimate';
import type { CurrencyFormat } from '../protocol';

/**
 * Every number the hint server shows, formatted in one place so the inlay hint, the hover and the
 * CodeLens read the same: "≈ 1,204 tok · $0.0030", "≥ 412 tok ±10 % · $0.0012", "$?" for an
 * unknown price (never "$0", which would read as free).
 */

export function formatTokens(tokens: number): string {
  return tokens.toLocaleString('en-US');
}

const formatters = new Map<string, Intl.NumberFormat>();
function formatter(code: string, decimals: number): Intl.NumberFormat {
  const key = `${code}/${decimals}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.NumberFormat('en-US', { style: 'currency', currency: code, minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    formatters.set(key, found);
  }
  return found;
}

/** An amount in USD shown in the user's currency; a non-zero amount too small to show is "<$0.0001". */
export function formatMoney(usd: number, currency: CurrencyFormat, decimals = currency.decimals): string {
  const amount = usd * currency.perUsd;
  const smallest = 10 ** -decimals;
  if (amount > 0 && amount < smallest / 2) return `<${formatter(currency.code, decimals).format(smallest)}`;
  return formatter(currency.code, decimals).format(amount);
}

export function formatPrice(price: PriceResult, currency: CurrencyFormat, decimals = currency.decimals): string {
  if (price.known) return formatMoney(price.costUsd, currency, decimals);
  const symbol = formatter(currency.code, 0).formatToParts(0).find((part) => part.type === 'currency')?.value ?? currency.code;
  return `${symbol}?`;
}

/** "±10 %" for an approximate count, '' for an exact one. */
export function uncertaintyLabel(estimate: Pick<Estimate, 'exact' | 'uncertainty'>): string {
  return estimate.exact ? '' : `±${Math.round(estimate.uncertainty * 100)} %`;
}

/** The inlay hint: "≈ 1,204 tok · $0.0030", with " · out ≤ $0.0100" when the output is capped. */
export function hintLabel(estimate: Estimate, currency: CurrencyFormat): string {
  const approx = uncertaintyLabel(estimate);
  const tokens = `${estimate.lowerBound ? '≥' : '≈'} ${formatTokens(estimate.tokens)} tok${approx ? ` ${approx}` : ''}`;
  const output = estimate.output ? ` · out ≤ ${formatPrice(estimate.output.price, currency)}` : '';
  return `${tokens} · ${formatPrice(estimate.input, currency)}${output}`;
}

export function formatLatency(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The CodeLens: "38 calls · p50 1.2 s · $0.41 today" (measured spend reads better in cents). */
export function lensTitle(figures: CallSiteFigures, currency: CurrencyFormat): string {
  const calls = `${formatTokens(figures.calls)} call${figures.calls === 1 ? '' : 's'}`;
  const errors = figures.errors > 0 ? ` · ${formatTokens(figures.errors)} error${figures.errors === 1 ? '' : 's'}` : '';
  const latency = figures.p50LatencyMs === null ? '' : ` · p50 ${formatLatency(figures.p50LatencyMs)}`;
  const spend = formatMoney(figures.costUsd, currency, figures.costUsd >= 0.01 || figures.costUsd === 0 ? 2 : currency.decimals);
  return `${calls}${errors}${latency} · ${spend} today`;
}
