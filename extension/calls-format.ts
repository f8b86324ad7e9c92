import { requestLogEntry, type RequestLogEntry } from '../daemon/gateway/api/contracts';

/** Every field of a logged call, in the contract's order: the CSV's columns. */
export const CALL_COLUMNS = requestLogEntry.keyof().options;

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; null is empty. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function callsToCsv(calls: readonly RequestLogEntry[]): string {
  const lines = [CALL_COLUMNS.join(','), ...calls.map((call) => CALL_COLUMNS.map((column) => csvField(call[column])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

export function callsToJson(calls: readonly RequestLogEntry[]): string {
  return `${JSON.stringify(calls, null, 2)}\n`;
}
