import type { CallSiteLensArgs } from '../daemon/lsp/protocol';
import { SITE_PATTERN, type CallsFilter } from '../webview/messages';

/**
 * The usage panel's filter for a call site's CodeLens: its tag when the code tags its calls, else
 * the message hashes of its prompt (the link its measured figures were read by), named by file
 * and line. Undefined when the lens carries nothing the gateway can match.
 */
export function callSiteFilter(args: CallSiteLensArgs): CallsFilter | undefined {
  if (typeof args.tag === 'string' && args.tag !== '') return { tag: args.tag };
  const site = Array.isArray(args.hashes) ? args.hashes.slice(0, 16).join(',') : '';
  if (!SITE_PATTERN.test(site)) return undefined;
  const file = typeof args.uri === 'string' ? args.uri.slice(args.uri.lastIndexOf('/') + 1) : 'the file';
  return { site, siteLabel: `${decoded(file)}:${Number(args.line) + 1}` };
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
