import { ANCHOR_CHARS, hashText, messageHashes } from '../../shared/message-hash';
import { knownText, type Message, type PromptSite } from '../analyze/site';

/**
 * What links a call site in the code to the requests the gateway logged (the gateway indexes the
 * same hashes for every message it sees, see daemon/shared/message-hash.ts):
 *  - a fully literal message: the hash of its whole text;
 *  - a template: the hash of its fixed first / last ANCHOR_CHARS characters, when the text
 *    before the first hole / after the last hole is at least that long;
 *  - a literal x-tollgate-tag header passed at the call.
 * A site with none of these cannot be linked and gets no CodeLens.
 */

export interface SiteLink {
  hashes: string[];
  tag: string | undefined;
  /** Identifies the link for caching: two sites with the same key have the same figures. */
  key: string;
}

const MAX_HASHES = 64;

export function siteLink(site: PromptSite): SiteLink | undefined {
  if (site.link === 'none') return undefined;
  const hashes = site.link === 'messages' ? [...new Set(site.messages.flatMap(messageLinkHashes))].slice(0, MAX_HASHES) : [];
  if (hashes.length === 0 && !site.tag) return undefined;
  return { hashes, tag: site.tag, key: `${site.tag ?? ''}\u0000${hashes.join(',')}` };
}

/** Non-text blocks do not matter here: the gateway hashes a message's text blocks only. */
function messageLinkHashes(message: Message): string[] {
  const { parts } = message;
  // The gateway indexes non-empty texts only (daemon/gateway/pipeline/prompt-texts.ts).
  if (parts.length === 0 || (parts.length === 1 && parts[0]?.kind === 'text' && parts[0].text === '')) return [];
  if (parts.every((part) => part.kind === 'text')) return [messageHashes(knownText(message)).full];
  const hashes: string[] = [];
  const first = parts[0];
  const last = parts.at(-1);
  if (first?.kind === 'text' && first.text.length >= ANCHOR_CHARS) hashes.push(hashText(first.text.slice(0, ANCHOR_CHARS)));
  if (last?.kind === 'text' && last.text.length >= ANCHOR_CHARS) hashes.push(hashText(last.text.slice(-ANCHOR_CHARS)));
  return hashes;
}
