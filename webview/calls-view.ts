import type { RequestLogEntry } from '../daemon/gateway/api/contracts';
import { el, replaceChildren } from './dom';
import { formatMoney, formatMs, formatTime } from './format';
import type { CallsFilter, CallsPage, CurrencyFormat, WebviewToExtension } from './messages';

const STATUS = [['', 'any status'], ['ok', 'ok'], ['error', 'errors'], ['429', '429 rate limited']] as const;
const CACHE = [['', 'any cache'], ['hit', 'hit'], ['semantic-hit', 'semantic hit'], ['coalesced', 'coalesced'], ['miss', 'miss'], ['bypass', 'bypass'], ['off', 'off']] as const;
const SHOWN = 25;

export interface CallsInput {
  filter: CallsFilter;
  page: CallsPage | undefined;
  /** Calls from the live feed since the last read, newest first. */
  live: RequestLogEntry[];
  /** The snapshot's newest calls: with the live ones, what is newer than the page. */
  recent: RequestLogEntry[];
}

export const isEmptyFilter = (filter: CallsFilter): boolean => Object.values(filter).every((value) => !value);

/** The filters typed in the panel; a call site comes from a CodeLens click and is shown as a chip. */
type InputKey = Exclude<keyof CallsFilter, 'site' | 'siteLabel'>;

/**
 * The calls table: filters (model, provider, tag, status, cache), the newest matching calls of the
 * picked range with older pages on demand, export of the filtered calls, and a click that opens a
 * call's detail in an editor tab. Without a filter, live calls join the top as they complete.
 */
export class CallsView {
  readonly element: HTMLElement;
  private readonly list = el('ol', { class: 'recent', id: 'recent' });
  private readonly error = el('p', { class: 'note', id: 'calls-error' });
  private readonly older = el('button', { text: 'Older calls', id: 'older-calls' });
  private readonly inputs: Record<InputKey, HTMLInputElement | HTMLSelectElement>;
  private readonly siteChip = el('p', { class: 'site-filter', id: 'site-filter' });
  private shown: CallsInput | undefined;

  constructor(
    private readonly send: (message: WebviewToExtension) => void,
    private readonly onFilter: (filter: CallsFilter) => void,
  ) {
    const text = (name: string, placeholder: string): HTMLInputElement => el('input', { attrs: { type: 'text', name, placeholder, 'aria-label': placeholder } });
    const select = (name: string, options: readonly (readonly [string, string])[]): HTMLSelectElement =>
      el('select', { attrs: { name, 'aria-label': name } }, options.map(([value, label]) => el('option', { text: label, attrs: { value } })));
    this.inputs = { model: text('model', 'model'), provider: text('provider', 'provider'), tag: text('tag', 'tag'), status: select('status', STATUS), cache: select('cache', CACHE) };
    for (const input of Object.values(this.inputs)) input.addEventListener('change', () => this.applyFilter());
    this.older.addEventListener('click', () => {
      const cursor = this.shown?.page?.nextCursor;
      if (cursor) this.send({ type: 'calls', filter: this.readFilter(), cursor });
    });
    const exportButton = (format: 'csv' | 'json'): HTMLButtonElement => {
      const button = el('button', { text: `Export ${format.toUpperCase()}`, title: `The filtered calls of the range, as ${format.toUpperCase()}` });
      button.addEventListener('click', () => this.send({ type: 'exportCalls', filter: this.readFilter(), format }));
      return button;
    };
    this.element = el('section', { id: 'calls', attrs: { 'aria-label': 'Calls' } }, [
      el('h2', { text: 'Calls' }),
      el('div', { class: 'filters' }, Object.values(this.inputs)),
      this.siteChip,
      this.error,
      this.list,
      el('div', { class: 'actions' }, [this.older, exportButton('csv'), exportButton('json')]),
    ]);
  }

  render(input: CallsInput, currency: CurrencyFormat): void {
    this.shown = input;
    for (const [key, control] of Object.entries(this.inputs) as [InputKey, HTMLInputElement | HTMLSelectElement][]) {
      if (document.activeElement !== control) control.value = input.filter[key] ?? '';
    }
    this.renderSite(input.filter);
    this.error.textContent = input.page?.error ?? '';
    this.error.hidden = !input.page?.error;
    this.older.hidden = !input.page?.nextCursor;
    const base = input.page?.requests ?? [];
    // Calls newer than the page (it was read when the filter or range was picked) come from the live feed and the snapshot.
    const newest = input.page ? (base[0]?.ts ?? 0) : 0;
    const newer = [...input.live, ...input.recent].filter((call) => call.ts >= newest);
    const calls = isEmptyFilter(input.filter) ? [...newestFirst(newer, base, SHOWN), ...base] : base;
    if (calls.length === 0) {
      replaceChildren(this.list, [el('li', { class: 'muted', text: isEmptyFilter(input.filter) ? 'No calls yet. Point an SDK at the gateway ("Tollgate: Copy Environment for Terminal").' : 'No calls match.' })]);
      return;
    }
    replaceChildren(this.list, calls.map((call) => this.row(call, currency)));
  }

  private row(call: RequestLogEntry, currency: CurrencyFormat): HTMLElement {
    const open = el('button', { class: `call ${call.status >= 400 ? 'error' : ''}`, title: call.errorMessage ?? `Open call ${call.id}: ${call.endpoint} via ${call.provider ?? '?'} (${call.keyAlias ?? 'no key'})` }, [
      el('span', { class: 'time', text: formatTime(call.ts) }),
      el('span', { class: 'model', text: call.servedModel ?? call.requestedModel ?? call.endpoint }),
      el('span', { class: 'status', text: call.cache === 'hit' || call.cache === 'semantic-hit' ? `${call.status} ⚡` : String(call.status) }),
      el('span', { class: 'num', text: formatMs(call.latencyMs) }),
      el('span', { class: 'num', text: call.costUsd === null ? 'n/a' : formatMoney(call.costUsd, currency) }),
    ]);
    open.addEventListener('click', () => this.send({ type: 'openCall', id: call.id }));
    return el('li', { attrs: { 'data-id': call.id } }, [open]);
  }

  /** "Calls of prompts.ts:12 ×": the call site a CodeLens click picked, until cleared. */
  private renderSite(filter: CallsFilter): void {
    this.siteChip.hidden = !filter.site;
    if (!filter.site) return;
    const clear = el('button', { text: '×', title: 'Show the calls of every call site', attrs: { 'aria-label': 'Clear the call site filter' } });
    clear.addEventListener('click', () => this.applyFilter({ site: undefined, siteLabel: undefined }));
    replaceChildren(this.siteChip, [el('span', { text: `Calls of ${filter.siteLabel ?? 'one call site'}` }), clear]);
  }

  private readFilter(): CallsFilter {
    const filter: CallsFilter = {};
    for (const [key, control] of Object.entries(this.inputs) as [InputKey, HTMLInputElement | HTMLSelectElement][]) {
      const value = control.value.trim();
      if (value) filter[key] = value;
    }
    const site = this.shown?.filter.site;
    if (site) {
      filter.site = site;
      filter.siteLabel = this.shown?.filter.siteLabel;
    }
    return filter;
  }

  private applyFilter(change: Partial<CallsFilter> = {}): void {
    const filter: CallsFilter = { ...this.readFilter(), ...change };
    if (!filter.site) delete filter.site;
    if (!filter.siteLabel) delete filter.siteLabel;
    this.onFilter(filter);
    this.send({ type: 'calls', filter });
  }
}

/** Calls not in the page, newest first, without duplicates (a live call is soon in the snapshot too); at most `limit`. */
function newestFirst(calls: RequestLogEntry[], page: RequestLogEntry[], limit: number): RequestLogEntry[] {
  const seen = new Set(page.map((call) => call.id));
  const out: RequestLogEntry[] = [];
  for (const call of [...calls].sort((a, b) => b.ts - a.ts)) {
    if (seen.has(call.id)) continue;
    seen.add(call.id);
    out.push(call);
    if (out.length === limit) break;
  }
  return out;
}
