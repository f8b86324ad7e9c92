import type { AdviceItem, AdviceResponse } from '../daemon/gateway/api/advice-contracts';
import { el, replaceChildren } from './dom';
import { formatMoney } from './format';
import type { CurrencyFormat, WebviewToExtension } from './messages';

/**
 * The advisor's recommendations, most effective first: what to do, what it is worth, the figures
 * it rests on, and a button where a command applies it. Nothing is shown when nothing applies.
 */
export class AdviceView {
  readonly element = el('section', { id: 'advice', attrs: { 'aria-label': 'Advice' } });

  constructor(private readonly send: (message: WebviewToExtension) => void) {}

  render(advice: AdviceResponse | undefined, currency: CurrencyFormat): void {
    this.element.hidden = !advice || advice.advice.length === 0;
    if (!advice || this.element.hidden) return;
    replaceChildren(this.element, [el('h2', { text: 'Advice' }), el('ol', { class: 'advice' }, advice.advice.map((item, index) => this.card(item, index, currency)))]);
  }

  private card(item: AdviceItem, index: number, currency: CurrencyFormat): HTMLElement {
    const children: (Node | string)[] = [
      el('div', { class: 'advice-head' }, [el('strong', { text: item.title }), el('span', { class: 'effect', text: effectText(item, currency) })]),
      el('p', { class: 'muted', text: item.summary }),
      // The figures behind it, one click away: the panel is narrow and the advice list is read first.
      el('details', {}, [el('summary', { text: 'Evidence' }), el('dl', {}, item.evidence.flatMap((e) => [el('dt', { text: e.label }), el('dd', { text: e.value })]))]),
    ];
    if (item.action) {
      const button = el('button', { text: item.action.label, title: `Runs ${item.action.command}` });
      button.addEventListener('click', () => this.send({ type: 'applyAdvice', index }));
      children.push(button);
    }
    return el('li', { class: `advice-item ${item.kind}` }, children);
  }
}

/** "≈ $12.40 a month", "≈ 3.5 min of waiting a month", "$4.10 over the limit by the end of the month". */
export function effectText(item: AdviceItem, currency: CurrencyFormat): string {
  const { unit, amount, per } = item.effect;
  if (item.kind === 'budget') return `${formatMoney(amount, currency)} over by the end of the ${per}`;
  if (unit === 'usd') return `≈ ${formatMoney(amount, currency)} a ${per}`;
  const minutes = amount / 60;
  const time = amount < 90 ? `${amount.toFixed(amount < 10 ? 1 : 0)} s` : minutes < 90 ? `${minutes.toFixed(0)} min` : `${(minutes / 60).toFixed(1)} h`;
  return `≈ ${time} less waiting a ${per}`;
}
