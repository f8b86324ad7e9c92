import type { DaemonState } from '../state-file';
import type { AdviceResponse } from './advice-contracts';
import type { SeriesResponse } from './series-contracts';
import type { HealthResponse, RequestDetail, RequestsPage, StatsResponse } from './contracts';

/**
 * A small typed client for the admin API, for the CLI and the extension. It talks to whatever
 * daemon.json points at.
 */
export class AdminClient {
  constructor(private readonly state: Pick<DaemonState, 'port' | 'token'>) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.state.port}`;
  }

  health(timeoutMs = 2000): Promise<HealthResponse> {
    return this.get('/tollgate/v1/health', timeoutMs);
  }

  stats(query: Record<string, string | number>): Promise<StatsResponse> {
    return this.get(`/tollgate/v1/stats?${new URLSearchParams(stringify(query))}`);
  }

  requests(query: Record<string, string | number>): Promise<RequestsPage> {
    return this.get(`/tollgate/v1/requests?${new URLSearchParams(stringify(query))}`);
  }

  series(query: Record<string, string | number>): Promise<SeriesResponse> {
    return this.get(`/tollgate/v1/series?${new URLSearchParams(stringify(query))}`);
  }

  requestDetail(id: string): Promise<RequestDetail> {
    return this.get(`/tollgate/v1/requests/${encodeURIComponent(id)}`);
  }

  /** `since`: a span back from now ("7d") or ms since the epoch. */
  advice(since: string | number = '7d'): Promise<AdviceResponse> {
    return this.get(`/tollgate/v1/advice?${new URLSearchParams({ since: String(since) })}`);
  }

  async get<T>(path: string, timeoutMs = 10_000): Promise<T> {
    return this.call<T>('GET', path, undefined, timeoutMs);
  }

  async put<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PUT', path, body, 10_000);
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, body, 10_000);
  }

  async patch<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PATCH', path, body, 10_000);
  }

  async delete<T>(path: string): Promise<T> {
    return this.call<T>('DELETE', path, undefined, 10_000);
  }

  private async call<T>(method: string, path: string, body: unknown, timeoutMs: number): Promise<T> {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${this.state.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) throw new AdminError(response.status, messageOf(text) ?? `HTTP ${response.status}`);
    return JSON.parse(text) as T;
  }
}

export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function messageOf(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { error?: { message?: string } }).error?.message;
  } catch {
    return undefined;
  }
}

function stringify(query: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).map(([key, value]) => [key, String(value)]));
}
