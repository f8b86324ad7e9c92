import type { RequestLogEntry } from '../api/contracts';

/** One finished request as the pipeline hands it to the log: the API entry plus its bodies. */
export interface LogRow extends RequestLogEntry {
  requestBody: Buffer | undefined;
  responseBody: Buffer | undefined;
  requestTruncated: boolean;
  responseTruncated: boolean;
}

/** Where finished requests go. SQLite today; the pipeline does not care. */
export interface LogSink {
  write(row: LogRow): void;
}
