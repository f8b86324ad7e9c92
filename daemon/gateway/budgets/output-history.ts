/** Smoothing of the running mean: recent calls weigh most, one long answer does not dominate. */
const WEIGHT = 0.2;
const MAX_MODELS = 1000;

/**
 * The output tokens each model's calls have produced lately (an exponentially weighted mean),
 * so that a call without max_tokens can still reserve a realistic expected cost.
 */
export class OutputHistory {
  private readonly means = new Map<string, number>();

  observe(model: string, outputTokens: number): void {
    const mean = this.means.get(model);
    if (mean === undefined && this.means.size >= MAX_MODELS) this.means.clear();
    this.means.set(model, mean === undefined ? outputTokens : mean + WEIGHT * (outputTokens - mean));
  }

  meanOf(model: string): number | undefined {
    return this.means.get(model);
  }
}
