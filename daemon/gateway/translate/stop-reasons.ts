/**
 * Why the model stopped, in each API's words. OpenAI cannot tell a stop sequence from a natural
 * end, so both become `end_turn`; Anthropic's `pause_turn` (a server tool paused) and `refusal`
 * have their nearest OpenAI meaning.
 */
const CHAT_TO_MESSAGES: Readonly<Record<string, string>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'refusal',
};

const MESSAGES_TO_CHAT: Readonly<Record<string, string>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

export function stopReasonOfFinish(finish: unknown): string | null {
  return typeof finish === 'string' ? (CHAT_TO_MESSAGES[finish] ?? 'end_turn') : null;
}

export function finishOfStopReason(stop: unknown): string | null {
  return typeof stop === 'string' ? (MESSAGES_TO_CHAT[stop] ?? 'stop') : null;
}
