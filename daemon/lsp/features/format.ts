import type { CallSiteFigures } from '../../gateway/api/contracts';
import type { PriceResult } from '../../pricing/price';
import { estimateTotal, type Estimate } from '../analyze/estimate';
import type { ExpectedOutput } from '../analyze/output';
import type { CurrencyFormat } from '../protocol';

/**
 * Every number the hint server shows, formatted in one place so the inlay hint, the hover and the
 * CodeLens read the same: "≈ 1,204 in + ≤400 out tok · $0.0049", "$?" for an unknown price
 * (never "$0", which would read as free). Amounts under 0.1 keep their significant digits
 * ($0.000052): one call often costs a tiny fraction of a cent, and "<$0.0001" tells nothing.
 */

export function formatTokens(tokens: number): string {
  return Math.round(tokens).toLocaleString('en-US');
}

const formatters = new Map<string, Intl.NumberFormat>();
function formatter(code: string, digits: Intl.NumberFormatOptions, key: string): Intl.NumberFormat {
  let found = formatters.get(`${code}/${key}`);
  if (!found) {
    try {
      found = new Intl.NumberFormat('en-US', { style: 'currency', currency: code, ...digits });
    } catch {
      found = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', ...digits });
    }
    formatters.set(`${code}/${key}`, found);
  }
  return found;
}

/** An amount in USD shown in the user's currency: cents from 0.1 up, significant digits below. */
export function formatMoney(usd: number, currency: CurrencyFormat): string {
  // Sums of prices carry float noise (0.0105 as 0.010499999…): round it off before rounding to show.
  const amount = Number((usd * currency.perUsd).toPrecision(12));
  if (amount === 0 || Math.abs(amount) >= 0.1) return formatter(currency.code, { minimumFractionDigits: 2, maximumFractionDigits: 2 }, 'cents').format(amount);
  const digits = currency.significantDigits;
  return formatter(currency.code, { maximumSignificantDigits: digits }, `sig${digits}`).format(amount);
}

export function formatPrice(price: PriceResult, currency: CurrencyFormat): string {
  if (price.known) return formatMoney(price.costUsd, currency);
  const symbol = formatter(currency.code, { maximumFractionDigits: 0 }, 'symbol').formatToParts(0).find((part) => part.type === 'currency')?.value ?? currency.code;
  return `${symbol}?`;
}

/** "±10 %" for an approximate count, '' for an exact one. */
export function uncertaintyLabel(estimate: Pick<Estimate, 'exact' | 'uncertainty'>): string {
  return estimate.exact ? '' : `±${Math.round(estimate.uncertainty * 100)} %`;
}

/** "≤400" (the call's cap), "~212" (measured average), "~300" (typical reply). */
export function outputTokensLabel(output: ExpectedOutput): string {
  return `${output.basis === 'max' ? '≤' : '~'}${formatTokens(output.tokens)}`;
}

/** What the output figure rests on, in words, for tooltips and the hover. */
export function outputBasisLabel(output: ExpectedOutput): string {
  if (output.basis === 'max') return 'the call\'s output cap (worst case)';
  if (output.basis === 'measured') return 'this call site\'s average reply, measured by the gateway today';
  const reasoning = output.reasoningTokens > 0 ? `, plus ${formatTokens(output.reasoningTokens)} typical reasoning tokens` : '';
  return `a typical reply of ${formatTokens(output.tokens - output.reasoningTokens)} tokens${reasoning} (the call sets no max)`;
}

/**
 * The inlay hint: "≈ 1,204 in + ~300 out · $0.0049" (tokens in and out, the cost of both), and
 * "· default" when the code does not say which model it uses (the tooltip and the hover name it).
 * Short on purpose: VS Code cuts a hint after 43 characters (editor.inlayHints.maximumLength).
 */
export function hintLabel(estimate: Estimate, currency: CurrencyFormat): string {
  const approx = uncertaintyLabel(estimate);
  const input = `${estimate.lowerBound ? '≥' : '≈'} ${formatTokens(estimate.tokens)}`;
  const tokens = estimate.output ? `${input} in + ${outputTokensLabel(estimate.output)} out` : `${input} tok`;
  const total = estimateTotal(estimate);
  const money = total === undefined ? formatPrice({ known: false }, currency) : formatMoney(total, currency);
  return `${tokens}${approx ? ` ${approx}` : ''} · ${money}${estimate.model.source === 'default' ? ' · default' : ''}`;
}

export function formatLatency(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * The CodeLens: "38 calls · $0.011/call · p50 1.2 s · $0.41 today": the per-call figures sit
 * beside the hint's estimate, so the two can be compared.
 */
export function lensTitle(figures: CallSiteFigures, currency: CurrencyFormat): string {
  const calls = `${formatTokens(figures.calls)} call${figures.calls === 1 ? '' : 's'}`;
  const errors = figures.errors > 0 ? ` · ${formatTokens(figures.errors)} error${figures.errors === 1 ? '' : 's'}` : '';
  const perCall = figures.calls > 0 ? ` · ${formatMoney(figures.costUsd / figures.calls, currency)}/call` : '';
  const latency = figures.p50LatencyMs === null ? '' : ` · p50 ${formatLatency(figures.p50LatencyMs)}`;
  return `${calls}${errors}${perCall}${latency} · ${formatMoney(figures.costUsd, currency)} today`;
}
