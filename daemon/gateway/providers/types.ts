import type { EndpointKind } from '../endpoint-kind';

/**
 * What differs between provider APIs once the request shape is fixed: where each kind of call
 * goes and how a key is presented. A provider with an OpenAI-compatible API (Groq, Together,
 * Mistral, DeepSeek, OpenRouter, Ollama, vLLM, LM Studio…) is configuration on the `openai`
 * adapter, not code.
 */
export interface ProviderAdapter {
  /** Path under the provider's baseUrl for each kind of call it serves; absent = not served. */
  readonly paths: Partial<Record<EndpointKind | 'models', string>>;
  authHeaders(apiKey: string): Record<string, string>;
  /** Headers the provider requires that a caller of another API shape would not send. */
  readonly requiredHeaders: Readonly<Record<string, string>>;
}
