import type { EndpointKind } from '../endpoint-kind';
import { stringifyJson } from '../../shared/json';
import type { ProxiedBody } from './request-schemas';
import { includesUsage } from '../cache/replay';

export interface UpstreamBody {
  bytes: Buffer;
  /**
   * The gateway turned on stream_options.include_usage itself, so the extra usage-only chunk
   * must be taken out of what the client sees.
   */
  hideUsageChunk: boolean;
}

/**
 * The body sent to the provider: the caller's own bytes when nothing needs changing (the
 * common case, and the cheapest), else the parsed body with only these edits — the model name
 * the target knows, and, for a streamed chat, a request for the usage chunk so that the call's
 * cost is known even when the client did not ask for usage. Every other field passes through.
 */
export function upstreamBody(kind: EndpointKind, raw: Buffer, body: ProxiedBody, targetModel: string): UpstreamBody {
  const renamed = body.model !== targetModel;
  const needsUsage = hidesUsageChunk(kind, body);
  if (!renamed && !needsUsage) return { bytes: raw, hideUsageChunk: false };
  const edited: ProxiedBody = { ...body, model: targetModel };
  if (needsUsage) edited['stream_options'] = { ...asObject(body['stream_options']), include_usage: true };
  return { bytes: Buffer.from(stringifyJson(edited)), hideUsageChunk: needsUsage };
}

/**
 * A streamed chat whose caller did not ask for usage: the gateway asks for it (or, translating,
 * makes it), and the usage-only chunk is left out of what the caller sees.
 */
export function hidesUsageChunk(kind: EndpointKind, body: ProxiedBody): boolean {
  return kind === 'chat' && body.stream === true && !includesUsage(body);
}

/** A translated request (translate/) for one target: its model name, and nothing to hide (the translator decides). */
export function translatedBody(translated: Record<string, unknown>, targetModel: string): UpstreamBody {
  return { bytes: Buffer.from(stringifyJson({ ...translated, model: targetModel })), hideUsageChunk: false };
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
