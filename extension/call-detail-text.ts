import type { RequestDetail } from '../daemon/gateway/api/contracts';
import { attemptsOf } from '../daemon/gateway/store/attempt-log';

/**
 * One logged call as a Markdown document for an editor tab: what was asked and answered (bodies
 * pretty-printed, or why they are missing), how it went (attempts, route, cache), what it cost
 * and how long it took. Pure, so it is tested without an editor.
 */
export function callDetailMarkdown(call: RequestDetail): string {
  const usd = (value: number | null | undefined): string => (value === null || value === undefined ? 'unknown' : `$${value.toFixed(6)}`);
  const ms = (value: number | null): string => (value === null ? '–' : `${Math.round(value)} ms`);
  const row = (label: string, value: string | number | null): string => `| ${label} | ${value === null || value === '' ? '–' : String(value).replace(/\|/g, '\\|')} |`;
  const lines = [
    `# ${call.endpoint} call ${call.id}`,
    '',
    `${new Date(call.ts).toISOString()} · status ${call.status}${call.errorMessage ? ` · ${call.errorMessage}` : ''}`,
    '',
    '| | |',
    '|---|---|',
    row('Model asked for', call.requestedModel),
    row('Model that served', call.servedModel),
    row('Provider / key', call.provider === null ? null : `${call.provider} / ${call.keyAlias ?? '–'}`),
    row('Tag', call.clientTag),
    row('Streamed', call.stream ? 'yes' : 'no'),
    row('Latency', ms(call.latencyMs)),
    row(call.stream ? 'Time to first token' : 'Time to first byte', ms(call.ttfbMs)),
    row('Cache', `${call.cache}${call.cacheSimilarity === null ? '' : ` (similarity ${call.cacheSimilarity.toFixed(3)})`}${call.answeredBy ? `, answered by ${call.answeredBy}` : ''}`),
    ...(call.savedUsd !== null || call.savedMs !== null ? [row('Saved', `${usd(call.savedUsd)}, ${ms(call.savedMs)}`)] : []),
    ...(call.routeTier ? [row('Route', `${call.routeTier}: ${call.routeReason ?? ''}`), row('On the complex tier it would have cost', usd(call.routeBaselineUsd))] : []),
    '',
    '## Cost',
    '',
    '| | tokens | cost |',
    '|---|---:|---:|',
    ...costRows(call, usd),
    '',
    '## Attempts',
    '',
    ...attemptLines(call),
    '',
    '## Request',
    '',
    ...bodyLines(call.requestBody, call),
    '',
    '## Response',
    '',
    ...bodyLines(call.responseBody, call),
    '',
  ];
  return lines.join('\n');
}

function costRows(call: RequestDetail, usd: (value: number | null | undefined) => string): string[] {
  const tokens = (n: number | null): string => (n === null ? '–' : n.toLocaleString('en-US'));
  const cached = call.cachedTokens ?? 0;
  const b = call.costBreakdown ?? undefined;
  const rows = [
    `| Input (uncached) | ${tokens(call.promptTokens === null ? null : call.promptTokens - cached)} | ${b ? usd(b.inputUsd) : ''} |`,
    `| Cached input | ${tokens(call.cachedTokens)} | ${b ? usd(b.cachedInputUsd) : ''} |`,
    `| Output | ${tokens(call.completionTokens)} | ${b ? usd(b.outputUsd) : ''} |`,
    `| **Logged cost** | | **${usd(call.costUsd)}**${call.costEstimated ? ' (tokens estimated)' : ''} |`,
  ];
  if (call.reasoningTokens) rows.splice(3, 0, `| of which reasoning | ${tokens(call.reasoningTokens)} | |`);
  if (!b) rows.push('', '_No per-token rates for this model: only the logged total is known._');
  else rows.push('', "_The split uses the price table's rates as they are now._");
  return rows;
}

function attemptLines(call: RequestDetail): string[] {
  const attempts = attemptsOf(call);
  if (attempts.length === 0) return ['No provider was called (answered by the gateway).'];
  return attempts.map((a, i) => `${i + 1}. ${a.provider} key \`${a.key || '–'}\`: ${a.status ?? 'no answer'} after ${a.ms} ms`);
}

function bodyLines(body: string | null, call: RequestDetail): string[] {
  if (body === null) return ['_Not kept: bodies are stored only while `logging.bodies` is on, for `logging.bodyRetentionDays` days._'];
  const note = call.bodiesTruncated ? ['_Cut at `logging.maxBodyBytes`: the end is missing._', ''] : [];
  try {
    return [...note, '```json', JSON.stringify(JSON.parse(body), null, 2), '```'];
  } catch {
    // A stream (server-sent events) or a cut body: shown as it was sent.
    return [...note, '```', body, '```'];
  }
}
