/** Shorter values are not treated as secrets: "none", "x" and the like would match ordinary text. */
const MIN_SECRET_LENGTH = 8;
export const REDACTED_SECRET = '[redacted key]';

/**
 * A provider's error body with every known secret cut out. Providers quote the key they were
 * sent ("Incorrect API key provided: sk-…"); that body goes back to the caller, into the log's
 * error message and stored response body, and into the reason a disabled key shows later, so it
 * is scrubbed once, where it arrives. Only error bodies are searched: the check is one indexOf
 * per secret, on a path that is already the slow one.
 */
export function scrubSecrets(body: Buffer, secrets: readonly string[]): Buffer {
  let text: string | undefined;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH || body.indexOf(secret) === -1) continue;
    text = (text ?? body.toString('utf8')).split(secret).join(REDACTED_SECRET);
  }
  return text === undefined ? body : Buffer.from(text);
}
