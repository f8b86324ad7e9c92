import { createHash } from 'node:crypto';

/**
 * The part of a logged request a provider's prompt cache could reuse: what precedes the last
 * message, in the order providers cache it (tools, then the system prompt, then the earlier
 * messages). The last message is the question that changes from call to call, so it is never
 * part of a shared prefix.
 */
export interface PromptPrefix {
  /** One hash per leading segment, each covering every segment up to it: equal hashes, equal prefixes. */
  keys: string[];
  /** The text of each leading segment, for counting its tokens. */
  texts: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value) ?? '');

/** The leading segments of a chat, Messages or Responses body; none when it is not one of those. */
function segments(body: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (Array.isArray(body.tools) && body.tools.length > 0) out.push(text(body.tools));
  if (body.system !== undefined) out.push(text(body.system)); // Anthropic Messages
  if (typeof body.instructions === 'string') out.push(body.instructions); // OpenAI Responses
  const turns = Array.isArray(body.messages) ? body.messages : Array.isArray(body.input) ? body.input : [];
  for (const turn of turns.slice(0, -1)) out.push(isRecord(turn) ? `${text(turn.role)}\n${text(turn.content)}` : text(turn));
  return out;
}

export function promptPrefix(requestBody: Buffer): PromptPrefix | undefined {
  let body: unknown;
  try {
    body = JSON.parse(requestBody.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isRecord(body)) return undefined;
  const texts = segments(body);
  if (texts.length === 0) return undefined;
  const hash = createHash('sha256');
  const keys = texts.map((segment) => {
    // Length-prefixed, so ["ab", "c"] and ["a", "bc"] differ.
    hash.update(`${segment.length}:${segment}`);
    return hash.copy().digest('base64url');
  });
  return { keys, texts };
}
