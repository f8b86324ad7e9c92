import type { ServerResponse } from 'node:http';
import type { Config } from '../config/schema';
import { reportUnexpected } from '../http/last-resort';
import type { LogRow } from '../store/log-row';
import type { ProxyCall } from './call';
import { buildLogRow } from './record';

/**
 * buildLogRow for a 'close' listener, where a throw would end the process. Building a row reads
 * the caller's body and the provider's answer (local token counts, prompt texts, prices); if
 * that fails, the bug is reported and the call is logged without those parts (cost unknown,
 * marked gateway_internal), so it still appears exactly once.
 */
export function logRowSafely(call: ProxyCall, res: ServerResponse, config: Config, storeBodies: boolean): LogRow | undefined {
  try {
    return buildLogRow(call, res, config, storeBodies);
  } catch (error) {
    reportUnexpected(call.id, 'building its log row', error);
    call.errorClass ??= 'gateway_internal';
    call.errorMessage ??= `Tollgate could not account for this call: ${error instanceof Error ? error.message : String(error)}`;
    call.body = undefined;
    call.price = { known: false };
  }
  try {
    return buildLogRow(call, res, config, storeBodies);
  } catch (error) {
    reportUnexpected(call.id, 'building its reduced log row; the call is not logged', error);
    return undefined;
  }
}
