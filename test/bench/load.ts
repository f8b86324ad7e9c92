import http from 'node:http';

export interface Timing {
  /** Until the first byte of the body (for streams: the first event). */
  ttfbMs: number;
  totalMs: number;
  status: number;
}

export interface Target {
  name: string;
  url: URL;
  headers: Record<string, string>;
}

export function newAgent(connections: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
}

/** One request on a keep-alive agent, timed from send to the first body byte and to the end. */
export function timedRequest(agent: http.Agent, target: Target, body: Buffer): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = http.request(target.url, { method: 'POST', agent, headers: { ...target.headers, 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      let ttfbMs = -1;
      res.on('data', () => {
        if (ttfbMs < 0) ttfbMs = performance.now() - start;
      });
      res.on('end', () => resolve({ ttfbMs, totalMs: performance.now() - start, status: res.statusCode ?? 0 }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** `connections` loops sending back-to-back requests for `seconds`; returns completed requests per second. */
export async function throughput(target: Target, body: Buffer, connections: number, seconds: number): Promise<{ rps: number; requests: number; errors: number }> {
  const agent = newAgent(connections);
  const deadline = performance.now() + seconds * 1000;
  let requests = 0;
  let errors = 0;
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const timing = await timedRequest(agent, target, body);
      if (timing.status === 200) requests++;
      else errors++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { rps: requests / elapsed, requests, errors };
}

export function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
