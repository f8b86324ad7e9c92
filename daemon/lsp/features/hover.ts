import type { Hover } from 'vscode-languageserver/node';
import type { RouteResponse } from '../../gateway/api/contracts';
import type { PriceResult } from '../../pricing/price';
import type { Estimate } from '../analyze/estimate';
import type { PromptSite } from '../analyze/site';
import type { AnalysedDocument } from '../documents';
import type { HintSettings } from '../protocol';
import { estimateTotal } from '../analyze/estimate';
import { cheaperAlternatives, priceFor } from './alternatives';
import { formatMoney, formatPrice, formatTokens, outputBasisLabel, outputTokensLabel, uncertaintyLabel } from './format';

/**
 * The hover on a prompt: one table with this model, two cheaper ones, where the gateway would
 * route it (only when the gateway answered), and how sure the token count is.
 */

export interface HoverContext {
  settings: HintSettings;
  /** Price-table providers the gateway can call; undefined when the gateway has not said. */
  configured: ReadonlySet<string> | undefined;
  /** Resolves to undefined when the gateway is not reachable: the routing row is then left out. */
  route(model: string): Promise<RouteResponse | undefined>;
}

export async function hover(analysed: AnalysedDocument, offset: number, context: HoverContext): Promise<Hover | null> {
  const index = innermostSite(analysed.results.sites, offset);
  const site = index === undefined ? undefined : analysed.results.sites[index];
  const estimate = index === undefined ? undefined : analysed.results.estimates[index];
  if (!site || !estimate) return null;
  const route = await context.route(site.model.display);
  const { document } = analysed;
  return {
    contents: { kind: 'markdown', value: hoverMarkdown(site, estimate, route, context) },
    range: { start: document.positionAt(site.span.start), end: document.positionAt(site.span.end) },
  };
}

export function innermostSite(sites: readonly PromptSite[], offset: number): number | undefined {
  let best: number | undefined;
  sites.forEach((site, index) => {
    if (offset < site.span.start || offset > site.span.end) return;
    const current = best === undefined ? undefined : sites[best];
    if (!current || site.span.end - site.span.start < current.span.end - current.span.start) best = index;
  });
  return best;
}

export function hoverMarkdown(site: PromptSite, estimate: Estimate, route: RouteResponse | undefined, context: Pick<HoverContext, 'settings' | 'configured'>): string {
  const { settings } = context;
  const money = (price: PriceResult | undefined): string => (price ? formatPrice(price, settings.currency) : '—');
  const total = (usd: number | undefined): string => (usd === undefined || !Number.isFinite(usd) ? formatPrice({ known: false }, settings.currency) : formatMoney(usd, settings.currency));
  const tokens = `${estimate.lowerBound ? '≥' : '≈'} ${formatTokens(estimate.tokens)} tok`;
  const output = estimate.output ? `${outputTokensLabel(estimate.output)} tok · ${money(estimate.output.price)}` : '— (no output)';
  const thisTotal = estimateTotal(estimate);
  const perThousand = thisTotal === undefined ? '' : ` (${formatMoney(thisTotal * 1_000, settings.currency)} / 1k calls)`;
  const rows = [`| this model | \`${site.model.display}\` | ${tokens} · ${money(estimate.input)} | ${output} | ${total(thisTotal)}${perThousand} |`];
  // Without the gateway's provider list, a row cannot promise the model is callable: it says so.
  const unchecked = context.configured ? '' : ' (provider not checked)';
  for (const alternative of cheaperAlternatives(estimate, { overrides: settings.priceOverrides, configured: context.configured })) {
    const altOutput = alternative.output && alternative.outputTokens !== undefined ? `${formatTokens(alternative.outputTokens)} tok · ${money(alternative.output)}` : money(alternative.output);
    rows.push(`| cheaper${unchecked} | \`${alternative.model}\` | ${money(alternative.input)} | ${altOutput} | ${total(alternative.totalUsd)} |`);
  }
  const routed = routeRow(route, estimate, settings, money, total);
  if (routed) rows.push(routed);
  rows.push(`| token count | ${countNote(estimate)} | | | |`);
  const basis = estimate.output ? [`Output: ${outputBasisLabel(estimate.output)}.`] : [];
  return [
    `**Tollgate** · ${site.label} · ${modelSource(site)}`,
    '',
    '| | model | input | expected output | total |',
    '|:--|:--|--:|--:|--:|',
    ...rows,
    '',
    ...basis,
  ].join('\n');
}

function routeRow(
  route: RouteResponse | undefined,
  estimate: Estimate,
  settings: HintSettings,
  money: (price: PriceResult | undefined) => string,
  total: (usd: number | undefined) => string,
): string | undefined {
  if (!route) return undefined;
  if (route.error) return `| gateway routing | ${route.error.replace(/\|/g, '\\|')} | | | |`;
  const target = route.targets[0];
  if (!target) return undefined;
  const price = priceFor(target.provider, target.model, estimate, settings.priceOverrides);
  const via = route.alias ? ` (alias \`${route.alias}\`)` : '';
  return `| gateway routes to | \`${target.provider}/${target.model}\`${via} | ${money(price.input)} | ${money(price.output)} | ${total(price.totalUsd)} |`;
}

function countNote(estimate: Estimate): string {
  const method = estimate.exact ? `exact (${estimate.encoding})` : `≈ ${uncertaintyLabel(estimate)} (no public tokenizer for this model; counted with ${estimate.encoding})`;
  const unknown = estimate.unknownSpans.length > 0 ? `; lower bound, unknown: ${estimate.unknownSpans.slice(0, 5).map((label) => `\`${label.replace(/`/g, "'")}\``).join(', ')}` : '';
  return `${method}${unknown}`;
}

const MODEL_SOURCES: Readonly<Record<PromptSite['model']['source'], string>> = {
  literal: 'model named at the call',
  constant: 'model from a constant',
  fallback: "model from the code's fallback (the environment may name another)",
  call: 'model of the call that sends this prompt',
  default: 'model unknown in the code: priced with the `tollgate.defaultModel` setting',
};

function modelSource(site: PromptSite): string {
  return MODEL_SOURCES[site.model.source];
}
