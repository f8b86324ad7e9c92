import type { RequestLogEntry } from '../daemon/gateway/api/contracts';
import { unpricedSummary } from '../daemon/gateway/api/unpriced';
import { AdviceView } from './advice-view';
import { el, replaceChildren } from './dom';
import { EmptyState } from './empty-state';
import { formatCount, formatMoney, formatMs } from './format';
import { CallsView } from './calls-view';
import type { CallsFilter, CallsPage, CurrencyFormat, GatewayView, RangeData, RangeName, UsageSnapshot, WebviewToExtension } from './messages';
import { RangeView } from './range-view';
import { SavingsView } from './savings-view';
import { BudgetView } from './budget-view';

export interface PanelState {
  gateway: GatewayView;
  snapshot?: UsageSnapshot;
  currency?: CurrencyFormat;
  /** The picked range (kept across hide/show) and its figures. */
  range?: RangeName;
  rangeData?: RangeData;
  /** The calls table's filter and what it has loaded (pages appended). */
  filter?: CallsFilter;
  calls?: CallsPage;
  /** Calls relayed from the live feed since the last snapshot, newest first. */
  live: RequestLogEntry[];
}

const USD: CurrencyFormat = { code: 'USD', perUsd: 1 };

/**
 * The panel's DOM: built once, then each section is refilled from the state. Every value is set
 * as text (model names and error messages come from callers and upstreams).
 */
export class PanelView {
  private readonly gatewayLine = el('div', { class: 'gateway', attrs: { role: 'status' } });
  private readonly spend = el('div', { class: 'spend', id: 'today-spend', text: '–' });
  private readonly spendDetail = el('div', { class: 'muted', id: 'today-detail' });
  private readonly unpriced = el('p', { class: 'note', id: 'unpriced' });
  private readonly latency = el('div', { class: 'latency', id: 'latency' });
  private readonly models = el('tbody');
  private readonly empty: EmptyState;
  private readonly advice: AdviceView;
  private readonly rangeView: RangeView;
  private readonly savings = new SavingsView();
  private readonly budgets = new BudgetView();
  private readonly calls: CallsView;

  constructor(
    root: HTMLElement,
    private readonly send: (message: WebviewToExtension) => void,
    onPickRange: (range: RangeName) => void,
    onFilter: (filter: CallsFilter) => void,
  ) {
    this.calls = new CallsView(send, onFilter);
    this.empty = new EmptyState(send);
    this.advice = new AdviceView(send);
    this.rangeView = new RangeView(onPickRange, send);
    const button = (label: string, message: WebviewToExtension, title: string): HTMLButtonElement => {
      const b = el('button', { text: label, title });
      b.addEventListener('click', () => this.send(message));
      return b;
    };
    replaceChildren(root, [
      el('header', {}, [
        this.gatewayLine,
        el('div', { class: 'actions' }, [
          button('Refresh', { type: 'refresh' }, 'Read the figures again'),
          button('Routing…', { type: 'run', command: 'tollgate.setRoutingStrategy' }, 'Tollgate: Set Routing Strategy'),
          button('Budget…', { type: 'run', command: 'tollgate.setBudget' }, 'Tollgate: Set Budget'),
        ]),
      ]),
      this.empty.element,
      el('section', { attrs: { 'aria-label': 'Today' } }, [el('h2', { text: 'Today' }), this.spend, this.spendDetail, this.unpriced]),
      el('section', { attrs: { 'aria-label': 'Latency' } }, [el('h2', { text: 'Latency today' }), this.latency]),
      el('section', { attrs: { 'aria-label': 'Spend by model' } }, [
        el('h2', { text: 'By model' }),
        el('table', { class: 'models' }, [
          el('thead', {}, [el('tr', {}, ['Model', 'Calls', 'Spend', 'p50'].map((h) => el('th', { text: h })))]),
          this.models,
        ]),
      ]),
      this.rangeView.element,
      this.advice.element,
      this.savings.element,
      this.budgets.element,
      this.calls.element,
    ]);
  }

  render(state: PanelState): void {
    const currency = state.currency ?? USD;
    this.renderGateway(state.gateway);
    const snapshot = state.snapshot;
    if (snapshot) {
      const t = snapshot.today;
      this.spend.textContent = formatMoney(t.costUsd, currency);
      const unpriced = t.unpricedRequests ? ` · ${t.unpricedRequests} unpriced` : '';
      this.spendDetail.textContent = `${formatCount(t.requests)} calls · ${t.errors} errors · ${formatCount(t.promptTokens)} in / ${formatCount(t.completionTokens)} out tokens${unpriced}`;
      this.unpriced.textContent = unpricedSummary(snapshot.byModel) ?? '';
      this.unpriced.hidden = !this.unpriced.textContent;
      replaceChildren(this.latency, [
        ...(['p50', 'p90', 'p99'] as const).map((p) => el('div', { class: 'metric' }, [el('span', { class: 'muted', text: p }), el('strong', { text: formatMs(t.latencyMs[p]) })])),
      ]);
      this.renderModels(snapshot, currency);
    }
    const range = state.range ?? '24h';
    const rangeData = state.rangeData?.range === range ? state.rangeData : undefined;
    this.empty.render(state.gateway, (snapshot?.recent.length ?? 0) + state.live.length + (rangeData?.stats.totals.requests ?? 0) > 0);
    this.advice.render(rangeData?.advice, currency);
    this.rangeView.render(range, rangeData, currency);
    this.savings.render(rangeData?.stats.totals, rangeData?.stats.deferred, currency);
    this.budgets.render(rangeData, currency);
    const calls = state.calls?.range === range ? state.calls : undefined;
    this.calls.render({ filter: state.filter ?? {}, page: calls, live: state.live, recent: snapshot?.recent ?? [] }, currency);
  }

  private renderGateway(gateway: GatewayView): void {
    const [cls, text] =
      gateway.kind === 'up' ? ['up', `Gateway ${gateway.url} · v${gateway.version}`] : gateway.kind === 'down' ? ['down', gateway.message] : ['starting', 'Starting the gateway…'];
    this.gatewayLine.className = `gateway ${cls}`;
    this.gatewayLine.textContent = text;
  }

  private renderModels(snapshot: UsageSnapshot, currency: CurrencyFormat): void {
    const rows = [...snapshot.byModel].sort((a, b) => b.costUsd - a.costUsd);
    if (rows.length === 0) {
      replaceChildren(this.models, [el('tr', {}, [el('td', { class: 'muted', text: 'No calls today', attrs: { colspan: '4' } })])]);
      return;
    }
    replaceChildren(
      this.models,
      rows.map((row) =>
        el('tr', {}, [
          el('td', { title: `${row.model} via ${row.provider}` }, [row.model, el('span', { class: 'muted provider', text: ` ${row.provider}` })]),
          el('td', { class: 'num', text: formatCount(row.requests) }),
          el('td', { class: 'num', text: formatMoney(row.costUsd, currency) + (row.unpricedRequests ? ` +${row.unpricedRequests} unpriced` : '') }),
          el('td', { class: 'num', text: formatMs(row.latencyMs.p50) }),
        ]),
      ),
    );
  }
}
