import type { BudgetStatusEntry } from '../daemon/gateway/api/contracts';
import { BucketChart } from './bucket-chart';
import type { BucketColumns } from './bucket-columns';
import { burnDown, type BurnDown } from './burn-down';
import { el, replaceChildren } from './dom';
import { formatMoney } from './format';
import type { CurrencyFormat, RangeData } from './messages';

const BUCKET_MS = { '1h': 3_600_000, '24h': 3_600_000, '7d': 3_600_000, '30d': 86_400_000 } as const;

/**
 * The global daily and monthly limits against the spend of their period, with the line the
 * current burn rate draws to the period's end. Shown only when a global budget is set.
 */
export class BudgetView {
  readonly element = el('section', { id: 'budgets', attrs: { 'aria-label': 'Budgets' } });
  private readonly charts = new Map<'day' | 'month', { box: HTMLElement; text: HTMLElement; chart: BucketChart; data: BurnDown | undefined }>();
  private currency: CurrencyFormat = { code: 'USD', perUsd: 1 };

  render(data: RangeData | undefined, currency: CurrencyFormat): void {
    this.currency = currency;
    const budgets = (data?.stats.budgets ?? []).filter((b) => b.scope === 'global');
    this.element.hidden = !data || budgets.length === 0;
    if (!data || budgets.length === 0) return;
    if (this.element.childElementCount === 0) replaceChildren(this.element, [el('h2', { text: 'Budget burn-down' })]);
    for (const budget of budgets) this.renderPeriod(budget, burnDown(budget, data.stats.byBucket, BUCKET_MS[data.range], data.at));
  }

  private renderPeriod(budget: BudgetStatusEntry, data: BurnDown): void {
    let entry = this.charts.get(budget.period);
    if (!entry) {
      const box = el('div', { class: 'chart', id: `budget-${budget.period}-chart` });
      const text = el('p', { id: `budget-${budget.period}` });
      this.element.append(el('h3', { text: budget.period === 'day' ? 'Today' : 'This month' }), text, box);
      const money = (usd: number): string => formatMoney(usd, this.currency);
      const read = (pick: (d: BurnDown) => (number | null)[]) => () => (entry?.data ? pick(entry.data) : []);
      const chart = new BucketChart(box, {
        left: money,
        series: [
          { label: 'spent', axis: 'left', color: '--vscode-charts-blue', values: read((d) => d.spent) },
          { label: 'limit', axis: 'left', color: '--vscode-charts-red', dash: [4, 3], values: read((d) => d.limit) },
          { label: 'at this rate', axis: 'left', color: '--vscode-charts-orange', dash: [2, 2], values: read((d) => d.projected) },
        ],
      });
      entry = { box, text, chart, data: undefined };
      this.charts.set(budget.period, entry);
    }
    entry.data = data;
    const period = budget.period === 'day' ? 'day' : 'month';
    entry.text.textContent = `${formatMoney(budget.spentUsd, this.currency)} of ${formatMoney(budget.limitUsd, this.currency)} spent; at this rate ${formatMoney(data.projectedUsd, this.currency)} by the end of the ${period}`;
    // Points, not buckets: no room is added around them (bucketMs 0).
    const columns: BucketColumns = { x: data.x, starts: data.x.map((s) => s * 1000), pick: () => [], bucketMs: 0 };
    entry.chart.update(columns);
  }
}
