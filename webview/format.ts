import type { CurrencyFormat } from './messages';

/** Formatting shared by the panel and the status bar (no DOM, no Node). */

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Small amounts keep enough digits to be told apart (LLM calls often cost a fraction of a cent):
 * $12.40, $0.0312, $0.00042 rather than $0.00.
 */
export function formatMoney(usd: number, currency: CurrencyFormat): string {
  const amount = usd * currency.perUsd;
  const size = Math.abs(amount);
  const style = amount === 0 || size >= 1 ? 'plain' : size >= 0.01 ? 'cents' : 'tiny';
  const key = `${currency.code}:${style}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const digits: Intl.NumberFormatOptions =
      style === 'plain'
        ? { minimumFractionDigits: 2, maximumFractionDigits: 2 }
        : style === 'cents'
          ? { minimumFractionDigits: 2, maximumFractionDigits: 4 }
          : { maximumSignificantDigits: 2 };
    try {
      formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.code, ...digits });
    } catch {
      formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', ...digits });
    }
    formatters.set(key, formatter);
  }
  return formatter.format(amount);
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatTime(ts: number): string {
  const d = new Date(ts);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
}
