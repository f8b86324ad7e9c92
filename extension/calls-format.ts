import { requestLogEntry, type RequestLogEntry } from '../daemon/gateway/api/contracts';

type FlatColumn = Exclude<keyof RequestLogEntry, 'job'>;
type JobColumn = 'jobId' | 'jobMode' | 'jobSavedUsd';

/**
 * Every field of a logged call, in the contract's order: the CSV's columns. The deferred job a
 * call ran for is an object in the contract; in a CSV it is three columns of its own.
 */
export const CALL_COLUMNS: readonly (FlatColumn | JobColumn)[] = [
  ...requestLogEntry.keyof().options.filter((column): column is FlatColumn => column !== 'job'),
  'jobId',
  'jobMode',
  'jobSavedUsd',
];

/** One cell's value: the field itself, or a part of the call's job. */
export function callCell(call: RequestLogEntry, column: FlatColumn | JobColumn): unknown {
  if (column === 'jobId') return call.job?.id;
  if (column === 'jobMode') return call.job?.mode;
  if (column === 'jobSavedUsd') return call.job?.savedUsd;
  return call[column];
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; null is empty. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function callsToCsv(calls: readonly RequestLogEntry[]): string {
  const lines = [CALL_COLUMNS.join(','), ...calls.map((call) => CALL_COLUMNS.map((column) => csvField(callCell(call, column))).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

export function callsToJson(calls: readonly RequestLogEntry[]): string {
  return `${JSON.stringify(calls, null, 2)}\n`;
}
