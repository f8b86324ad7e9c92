import { named } from '../analyze/model';
import type { Part } from '../analyze/resolve';
import type { Message, PromptSite } from '../analyze/site';
import { splitMustache } from '../extract/strings';
import { normaliseParts } from '../extract/value';
import { readFrontMatter, type FrontMatter } from './front-matter';

/**
 * Prompt files: Prompty (.prompty), Dotprompt (.prompt) and Markdown (.md, on request). The front
 * matter names the model; the body is the prompt, split into chat messages on role markers
 * (Prompty's "system:" lines, Dotprompt's {{role "system"}}); {{…}} and {%…%} are unknown spans.
 */

export type PromptFileKind = 'prompty' | 'prompt' | 'markdown';

export function promptFileKind(uri: string, languageId: string): PromptFileKind | undefined {
  const extension = /\.([a-z]+)$/i.exec(uri)?.[1]?.toLowerCase();
  if (extension === 'prompty' || languageId === 'prompty') return 'prompty';
  if (extension === 'prompt' || languageId === 'dotprompt') return 'prompt';
  if (extension === 'md' || extension === 'markdown' || languageId === 'markdown') return 'markdown';
  return undefined;
}

export function promptFileSites(source: string, kind: PromptFileKind, defaultModel: string): PromptSite[] {
  const front = readFrontMatter(source);
  const body = source.slice(front?.bodyStart ?? 0);
  const messages = kind === 'prompty' ? promptyMessages(body) : kind === 'prompt' ? dotpromptMessages(body) : [message('user', body)];
  if (messages.every((m) => m.parts.length === 0)) return [];
  return [
    {
      label: kind === 'prompty' ? 'Prompty file' : kind === 'prompt' ? 'Dotprompt file' : 'Markdown prompt',
      // From the front matter's closing line, where the prompt itself starts (and its hint goes).
      span: { start: front?.closingLineStart ?? 0, end: source.length },
      format: 'chat',
      messages,
      open: false,
      model: modelOf(front, defaultModel),
      maxOutputTokens: front?.maxOutputTokens,
      replies: true,
      tag: undefined,
      link: 'messages',
    },
  ];
}

function modelOf(front: FrontMatter | undefined, defaultModel: string) {
  return front?.model ? named(front.model, 'literal') : named(defaultModel, 'default');
}

function message(role: string, text: string): Message {
  return { role, parts: normaliseParts(splitMustache(text.trim())) as Part[], nonText: 0 };
}

/** Prompty: a line that is only "system:", "user:" or "assistant:" starts a message. */
function promptyMessages(body: string): Message[] {
  return splitOnMarkers(body, /^[ \t]*(system|user|assistant|developer)[ \t]*:[ \t]*\r?$/gim);
}

/** Dotprompt: {{role "system"}} starts a message; text before the first one is the user's. */
function dotpromptMessages(body: string): Message[] {
  return splitOnMarkers(body, /\{\{\s*role\s+["'](system|user|model|assistant)["']\s*\}\}/gi);
}

function splitOnMarkers(body: string, marker: RegExp): Message[] {
  const messages: Message[] = [];
  let role = 'user';
  let last = 0;
  for (let match = marker.exec(body); match; match = marker.exec(body)) {
    if (body.slice(last, match.index).trim() !== '') messages.push(message(role, body.slice(last, match.index)));
    role = (match[1] ?? 'user').toLowerCase() === 'model' ? 'assistant' : (match[1] ?? 'user').toLowerCase();
    last = marker.lastIndex;
  }
  if (body.slice(last).trim() !== '' || messages.length === 0) messages.push(message(role, body.slice(last)));
  return messages;
}
