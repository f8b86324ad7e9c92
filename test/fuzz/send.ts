import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import type { HttpSend, Outcome, RawSend } from './case';

/** Long enough for the slowest legitimate answer (a stalled provider times out after 1.5 s). */
const ANSWER_TIMEOUT_MS = 20_000;

/** Sends one request with Node's HTTP client and reads the whole answer. */
export function sendHttp(port: number, agent: Agent, send: HttpSend): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<Outcome, 'ms'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, ms: performance.now() - started });
    };
    const headers: Record<string, string> = { ...send.headers, ...(send.body ? { 'content-length': String(send.body.length) } : {}) };
    const req = request({ host: '127.0.0.1', port, method: send.method, path: send.path, headers, agent, setHost: headers['host'] === undefined }, (res) => {
      const requestIds = res.headers['x-tollgate-request-id'] ? [String(res.headers['x-tollgate-request-id'])] : [];
      if (send.leave === 'after-headers') {
        req.destroy();
        finish({ status: res.statusCode, requestIds, noAnswer: undefined });
        return;
      }
      res.on('data', () => undefined);
      res.on('end', () => finish({ status: res.statusCode, requestIds, noAnswer: undefined }));
      res.on('error', (error) => finish({ status: res.statusCode, requestIds, noAnswer: `answer broke: ${error.message}` }));
      res.on('close', () => finish({ status: res.statusCode, requestIds, noAnswer: res.complete ? undefined : 'answer cut short' }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ status: undefined, requestIds: [], noAnswer: `no answer within ${ANSWER_TIMEOUT_MS} ms` });
    }, ANSWER_TIMEOUT_MS);
    req.on('error', (error: NodeJS.ErrnoException) => finish({ status: undefined, requestIds: [], noAnswer: error.code ?? error.message }));
    if (send.leave === 'mid-body' && send.body) {
      req.write(send.body.subarray(0, Math.floor(send.body.length / 2)), () => setTimeout(() => {
        req.destroy();
        finish({ status: undefined, requestIds: [], noAnswer: 'client left' });
      }, 20));
      return;
    }
    req.end(send.body);
  });
}

/** Writes bytes on a socket as given, then waits for the server to close (or closes first), and reads what came back. */
export function sendRaw(port: number, send: RawSend): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    let settled = false;
    const socket = connect(port, '127.0.0.1');
    const finish = (noAnswer: string | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(received).toString('latin1');
      const statuses = [...text.matchAll(/^HTTP\/1\.[01] (\d{3})/gm)].map((m) => Number(m[1])).filter((status) => status >= 200 || status === 101);
      const requestIds = [...text.matchAll(/^x-tollgate-request-id: (\S+)/gim)].map((m) => m[1]!);
      resolve({ status: statuses[0], requestIds, noAnswer: statuses.length > 0 ? undefined : noAnswer ?? 'closed without an answer', ms: performance.now() - started });
    };
    const timer = setTimeout(() => finish(`no answer within ${ANSWER_TIMEOUT_MS} ms`), ANSWER_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('close', () => finish(undefined));
    socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
    socket.once('connect', () => void writeSlowly(socket, send).then(() => {
      if (send.then === 'fin') socket.end();
      else if (send.then === 'reset') socket.resetAndDestroy();
    }));
  });
}

async function writeSlowly(socket: ReturnType<typeof connect>, send: RawSend): Promise<void> {
  for (const [index, chunk] of send.chunks.entries()) {
    if (socket.destroyed) return;
    await new Promise<void>((resolve) => socket.write(chunk, () => resolve()));
    if (send.gapMs > 0 && (index < send.chunks.length - 1 || send.then !== 'wait')) await new Promise((resolve) => setTimeout(resolve, send.gapMs));
  }
}
