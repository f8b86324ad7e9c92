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
  /** Calls reach the gateway and can be linked to logged requests; templates cannot. */
  linkable: boolean;
}

const PATTERNS: readonly Pattern[] = [
  { label: 'OpenAI chat.completions', callee: /(^|\.)chat\.completions\.(create|stream|parse)$/, build: openaiChat, linkable: true },
  { label: 'OpenAI responses', callee: /(^|\.)responses\.(create|stream|parse)$/, build: openaiResponses, linkable: true },
  { label: 'OpenAI embeddings', callee: /(^|\.)embeddings\.create$/, build: openaiEmbeddings, linkable: true },
  // OpenAI's Assistants API has beta.threads.messages.create too; it is not a model call.
  { label: 'Anthropic messages', callee: /^(?!.*(^|\.)threads\.messages\.)(.*\.)?messages\.(create|stream)$/, build: anthropicMessages, linkable: true },
  { label: 'AI SDK', callee: /^(generateText|streamText|generateObject|streamObject)$/, build: vercelGenerate, linkable: true },
  { label: 'LangChain ChatPromptTemplate', callee: /(^|\.)ChatPromptTemplate\.(fromMessages|from_messages)$/, build: langchainChat, linkable: false },
  { label: 'LangChain ChatPromptTemplate', callee: /(^|\.)ChatPromptTemplate\.(fromTemplate|from_template)$/, build: langchainChatTemplate, linkable: false },
  {
    label: 'LangChain PromptTemplate',
    callee: /(^|\.)(PromptTemplate|SystemMessagePromptTemplate|HumanMessagePromptTemplate|AIMessagePromptTemplate)\.(fromTemplate|from_template)$/,
    build: langchainTemplate,
    linkable: false,
  },
];

export function patternFor(callee: string): Pattern | undefined {
  return PATTERNS.find((pattern) => pattern.callee.test(callee));
}

/** Every prompt site of a document, in document order. */
export function buildSites(items: Iterable<Item>, resolver: Resolver, defaultModel: string): PromptSite[] {
  const sites: PromptSite[] = [];
  for (const item of items) {
    const site = item.kind === 'call' ? callSite(item, resolver, defaultModel) : promptVariable(item, resolver, defaultModel);
    if (site) sites.push(site);
  }
  sites.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return sites.length > MAX_SITES_PER_FILE ? sites.slice(0, MAX_SITES_PER_FILE) : sites;
}

function callSite(call: CallItem, resolver: Resolver, defaultModel: string): PromptSite | undefined {
  const pattern = patternFor(call.callee);
  if (!pattern) return undefined;
  const context: ResolveContext = { resolver, at: call.span.start };
  const shape = pattern.build(call, context);
  return {
    label: pattern.label,
    span: call.span,
    anchor: call.span.end,
    format: shape.format,
    messages: shape.messages,
    open: shape.open,
    model: chooseModel(shape.model, context, defaultModel),
    maxOutputTokens: literalNumber(shape.maxOutput, context),
    tag: tagOf(shape, context),
    linkable: pattern.linkable,
  };
}

/** A string bound to a name containing "prompt" or "instructions": counted as plain text. */
function promptVariable(binding: BindingItem, resolver: Resolver, defaultModel: string): PromptSite | undefined {
  if (!binding.promptName || binding.value?.kind !== 'string') return undefined;
  const context: ResolveContext = { resolver, at: binding.span.start };
  return {
    label: 'prompt variable',
    span: binding.span,
    anchor: binding.valueSpan.end,
    format: 'text',
    messages: [{ role: '', parts: stringParts(binding.value, context), nonText: 0 }],
    open: false,
    model: named(defaultModel, 'default'),
    maxOutputTokens: undefined,
    tag: undefined,
    linkable: false,
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
