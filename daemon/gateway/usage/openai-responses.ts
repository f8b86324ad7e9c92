import { stringOrUndefined } from './openai-chat';
import { num, type ResponseFacts, type Usage, type UsageReader } from './types';
import { isRecord, parseJson } from '../../shared/json';

/**
 * OpenAI Responses API. Usage: {input_tokens, input_tokens_details.cached_tokens, output_tokens,
 * output_tokens_details.reasoning_tokens}. Streams end with response.completed (or .failed /
 * .incomplete) whose `response` carries the usage.
 */
function responsesUsage(value: unknown): Usage | undefined {
  if (!isRecord(value)) return undefined;
  const inputDetails = isRecord(value['input_tokens_details']) ? value['input_tokens_details'] : {};
  const outputDetails = isRecord(value['output_tokens_details']) ? value['output_tokens_details'] : {};
  return {
    inputTokens: num(value['input_tokens']),
    outputTokens: num(value['output_tokens']),
    cacheReadTokens: num(inputDetails['cached_tokens']),
    cacheWriteTokens: 0,
    reasoningTokens: num(outputDetails['reasoning_tokens']),
  };
}

function factsOfResponse(response: unknown): ResponseFacts {
  if (!isRecord(response)) return {};
  return { usage: responsesUsage(response['usage']), servedModel: stringOrUndefined(response['model']) };
}

/** Events whose `response` object is final (or, for created, names the model). */
const FACT_EVENTS = ['response.completed', 'response.failed', 'response.incomplete', 'response.created'];

export const openaiResponsesUsage: UsageReader = {
  fromJson: factsOfResponse,
  mayCarryFacts(rawEvent) {
    return FACT_EVENTS.some((name) => rawEvent.includes(name));
  },
  fromEvent(event, known) {
    const payload = parseJson(event.data);
    if (!isRecord(payload)) return known;
    const facts = factsOfResponse(payload['response']);
    return { servedModel: known.servedModel ?? facts.servedModel, usage: facts.usage ?? known.usage };
  },
};
