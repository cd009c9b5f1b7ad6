/**
 * PHP's `json_encode` with default flags, as Shopware sends its bodies: `/` escaped as `\/` and every non-ASCII
 * character as a `\uXXXX` escape. Apps must verify signatures over these raw bytes, never over a re-serialisation.
 */
export function phpJsonEncode(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
