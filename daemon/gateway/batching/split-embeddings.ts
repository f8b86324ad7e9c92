import { countTextTokens } from '../../pricing/tokens';
import { isRecord, parseJson } from '../../shared/json';

/** One caller's inputs in a shared request: where they start in its `input` array and how many. */
export interface Share {
  offset: number;
  inputs: readonly unknown[];
}

/**
 * Splits one embeddings answer for many callers: each gets its own vectors, in its order,
 * re-indexed from 0, and its share of the usage. The provider reports one prompt_tokens for the
 * whole request; it is apportioned by each caller's inputs' token counts (largest remainder),
 * so the shares always add up to exactly what the provider billed. Undefined when the answer
 * does not have one vector per input (it cannot be split safely).
 */
export function splitEmbeddings(body: Buffer, shares: readonly Share[], model: string): Buffer[] | undefined {
  const parsed = parseJson(body.toString('utf8'));
  if (!isRecord(parsed) || !Array.isArray(parsed['data'])) return undefined;
  const total = shares.reduce((sum, share) => sum + share.inputs.length, 0);
  const data = [...(parsed['data'] as unknown[])].filter(isRecord).sort((a, b) => Number(a['index']) - Number(b['index']));
  if (data.length !== total || data.some((item, i) => item['index'] !== i)) return undefined;
  const usage = isRecord(parsed['usage']) ? parsed['usage'] : undefined;
  const billed = typeof usage?.['prompt_tokens'] === 'number' ? usage['prompt_tokens'] : undefined;
  const tokens = billed === undefined ? undefined : apportion(billed, shares.map((share) => share.inputs.reduce<number>((sum, input) => sum + tokensOf(input, model), 0)));
  return shares.map((share, i) => {
    const own = data.slice(share.offset, share.offset + share.inputs.length).map((item, index) => ({ ...item, index }));
    const answer: Record<string, unknown> = { ...parsed, data: own };
    if (tokens) answer['usage'] = { ...usage, prompt_tokens: tokens[i], total_tokens: tokens[i] };
    return Buffer.from(JSON.stringify(answer));
  });
}

/** Integer shares of `total` in proportion to `weights`, summing to `total` exactly. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const exact = weights.map((w) => (total * w) / sum);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((value, i) => ({ i, rest: value - Math.floor(value) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    shares[i]!++;
    left--;
  }
  return shares;
}

function tokensOf(input: unknown, model: string): number {
  if (typeof input === 'string') return countTextTokens(input, model).tokens;
  return Array.isArray(input) ? input.length : 0;
}
