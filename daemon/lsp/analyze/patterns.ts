import type { BindingItem, CallItem, Item } from '../extract/items';
import { MAX_SITES_PER_FILE } from '../limits';
import { langchainChat, langchainChatTemplate, langchainTemplate } from './langchain';
import { chooseModel, named } from './model';
import { literalNumber, literalString, prop, stringParts, type ResolveContext, type Resolver } from './resolve';
import { anthropicMessages, openaiChat, openaiEmbeddings, openaiResponses, vercelGenerate, type CallShape, type ShapeBuilder } from './sdk-calls';
import type { PromptSite } from './site';

/**
 * The patterns the hint server recognises, as one table: a test on the callee path, a label for
 * the hover, and the builder that reads the call. Adding an SDK is adding a row.
 */
interface Pattern {
  label: string;
  callee: RegExp;
  build: ShapeBuilder;
  /** How a site can be linked to logged requests (see PromptSite.link). */
  link: PromptSite['link'];
  /** Embeddings have no output to estimate. */
  replies?: false;
}

const PATTERNS: readonly Pattern[] = [
  { label: 'OpenAI chat.completions', callee: /(^|\.)chat\.completions\.(create|stream|parse)$/, build: openaiChat, link: 'messages' },
  { label: 'OpenAI responses', callee: /(^|\.)responses\.(create|stream|parse)$/, build: openaiResponses, link: 'messages' },
  { label: 'OpenAI embeddings', callee: /(^|\.)embeddings\.create$/, build: openaiEmbeddings, link: 'tag', replies: false },
  // OpenAI's Assistants API has beta.threads.messages.create too; it is not a model call.
  { label: 'Anthropic messages', callee: /^(?!.*(^|\.)threads\.messages\.)(.*\.)?messages\.(create|stream)$/, build: anthropicMessages, link: 'messages' },
  { label: 'AI SDK', callee: /^(generateText|streamText|generateObject|streamObject)$/, build: vercelGenerate, link: 'messages' },
  { label: 'LangChain ChatPromptTemplate', callee: /(^|\.)ChatPromptTemplate\.(fromMessages|from_messages)$/, build: langchainChat, link: 'none' },
  { label: 'LangChain ChatPromptTemplate', callee: /(^|\.)ChatPromptTemplate\.(fromTemplate|from_template)$/, build: langchainChatTemplate, link: 'none' },
  {
    label: 'LangChain PromptTemplate',
    callee: /(^|\.)(PromptTemplate|SystemMessagePromptTemplate|HumanMessagePromptTemplate|AIMessagePromptTemplate)\.(fromTemplate|from_template)$/,
    build: langchainTemplate,
    link: 'none',
  },
];

export function patternFor(callee: string): Pattern | undefined {
  return PATTERNS.find((pattern) => pattern.callee.test(callee));
}

/**
 * The prompt sites of a document in document order, the first MAX_SITES_PER_FILE of them.
 * `siteOf` builds (or returns a cached) site for one item.
 */
export function buildSites(items: Iterable<Item>, siteOf: (item: Item) => PromptSite | undefined): Array<{ item: Item; site: PromptSite }> {
  // Only calls and prompt-named bindings can be sites; other constants need no ordering.
  const ordered = [...items].filter((item) => item.kind === 'call' || item.promptName).sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const sites: Array<{ item: Item; site: PromptSite }> = [];
  for (const item of ordered) {
    const site = siteOf(item);
    if (site) sites.push({ item, site });
    if (sites.length >= MAX_SITES_PER_FILE) break;
  }
  return sites;
}

/** The site an item stands for, if any: an SDK call or a prompt-named string. */
export function itemSite(item: Item, resolver: Resolver, defaultModel: string): PromptSite | undefined {
  return item.kind === 'call' ? callSite(item, resolver, defaultModel) : promptVariable(item, resolver, defaultModel);
}

function callSite(call: CallItem, resolver: Resolver, defaultModel: string): PromptSite | undefined {
  const pattern = patternFor(call.callee);
  if (!pattern) return undefined;
  const context: ResolveContext = { resolver, at: call.span.start };
  const shape = pattern.build(call, context);
  return {
    label: pattern.label,
    span: call.span,
    format: shape.format,
    messages: shape.messages,
    open: shape.open,
    model: chooseModel(shape.model, context, defaultModel),
    maxOutputTokens: literalNumber(shape.maxOutput, context),
    replies: pattern.replies ?? true,
    tag: tagOf(shape, context),
    link: pattern.link,
  };
}

/** A string bound to a name containing "prompt" or "instructions": counted as plain text. */
function promptVariable(binding: BindingItem, resolver: Resolver, defaultModel: string): PromptSite | undefined {
  const valueSpan = binding.valueSpan;
  if (!binding.promptName || binding.value?.kind !== 'string' || !valueSpan) return undefined;
  const context: ResolveContext = { resolver, at: binding.span.start };
  return {
    label: 'prompt variable',
    span: binding.span,
    format: 'text',
    messages: [{ role: '', parts: stringParts(binding.value, context), nonText: 0 }],
    open: false,
    model: named(defaultModel, 'default'),
    maxOutputTokens: undefined,
    replies: true,
    tag: undefined,
    link: 'none',
  };
}

const TAG_HEADER = 'x-tollgate-tag';

function tagOf(shape: CallShape, context: ResolveContext): string | undefined {
  for (const headers of shape.headers) {
    const tag = literalString(prop(headers, TAG_HEADER, context), context);
    if (tag) return tag;
  }
  return undefined;
}
