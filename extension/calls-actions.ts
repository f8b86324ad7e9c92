import * as vscode from 'vscode';
import type { RequestLogEntry, RequestsQuery } from '../daemon/gateway/api/contracts';
import { RANGES, type CallsFilter, type CallsPage, type RangeName } from '../webview/messages';
import { callDetailMarkdown } from './call-detail-text';
import { callsToCsv, callsToJson } from './calls-format';
import type { GatewayApi } from './gateway-api';

export const CALL_SCHEME = 'tollgate-call';
/** An export stops here: a file beyond this is better taken from the database itself. */
const EXPORT_LIMIT = 100_000;

/** The admin API's query for a filter over [since, until]. */
export function callsQuery(filter: CallsFilter, since: number, until: number): Partial<Record<keyof RequestsQuery, string | number>> {
  const query: Partial<Record<keyof RequestsQuery, string | number>> = { since, until };
  for (const key of ['model', 'provider', 'tag', 'status', 'cache', 'site'] as const) {
    const value = filter[key]?.trim();
    if (value) query[key] = value;
  }
  return query;
}

/** A page of the filtered calls of the range (the newest, or those older than `cursor`); a refused filter is said in `error`. */
export async function readCallsPage(api: GatewayApi, filter: CallsFilter, range: RangeName, cursor: number | undefined): Promise<CallsPage> {
  const now = Date.now();
  const base = { filter, range, append: cursor !== undefined };
  try {
    const page = await api.requests({ ...callsQuery(filter, now - RANGES[range], now), limit: 50, ...(cursor ? { cursor } : {}) });
    return { ...base, requests: page.requests, nextCursor: page.nextCursor };
  } catch (error) {
    return { ...base, requests: [], nextCursor: null, error: (error as Error).message };
  }
}

/**
 * Read-only editor tabs for logged calls: tollgate-call:/<id>.md is rendered from the admin API
 * each time it is opened, so it always shows the call as logged.
 */
export class CallDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly api: () => GatewayApi | undefined) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const api = this.api();
    if (!api) return '# The gateway is not running\n\nStart it (Tollgate: Restart Gateway) and open the call again.';
    const id = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    return callDetailMarkdown(await api.requestDetail(id));
  }
}

export async function openCall(id: string): Promise<void> {
  const uri = vscode.Uri.from({ scheme: CALL_SCHEME, path: `/${id}.md` });
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: true });
}

/** Every call of the filter over the window, newest first, then a file the user names. */
export async function exportCalls(api: GatewayApi, query: ReturnType<typeof callsQuery>, format: 'csv' | 'json'): Promise<vscode.Uri | undefined> {
  const calls: RequestLogEntry[] = [];
  let cursor: number | null | undefined;
  do {
    const page = await api.requests({ ...query, limit: 1000, ...(cursor ? { cursor } : {}) });
    calls.push(...page.requests);
    cursor = page.nextCursor;
  } while (cursor && calls.length < EXPORT_LIMIT);
  const target = await vscode.window.showSaveDialog({
    title: `Tollgate: export ${calls.length} calls`,
    defaultUri: vscode.Uri.file(`tollgate-calls.${format}`),
    filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
  });
  if (!target) return undefined;
  const text = format === 'csv' ? callsToCsv(calls) : callsToJson(calls);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  void vscode.window.showInformationMessage(`Tollgate: ${calls.length} calls written to ${target.fsPath}${cursor ? ` (the first ${EXPORT_LIMIT.toLocaleString('en-US')})` : ''}.`);
  return target;
}
