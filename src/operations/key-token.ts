import { serviceErrors } from '../errors.js';

/**
 * Opaque page tokens of the name-ordered listings (things, policies and their attachments): base64 of a tag, the
 * listing and the last key of the page, so the next page is a keyset seek and a token of one listing is refused by
 * another. `format` says what a key of each listing looks like; anything else is refused as `tokenName`.
 */
export function keyTokens<L extends string>(tag: string, format: Readonly<Record<L, RegExp>>, tokenName: string) {
  return {
    encode(listing: L, lastKey: string): string {
      return Buffer.from(`${tag}/${listing}/${lastKey}`, 'utf8').toString('base64');
    },
    decode(listing: L, token: string): string {
      const text = Buffer.from(token, 'base64').toString('utf8');
      const prefix = `${tag}/${listing}/`;
      const key = text.startsWith(prefix) ? text.slice(prefix.length) : '';
      if (!format[listing].test(key)) throw serviceErrors.invalidRequest(`The ${tokenName} is not valid: ${token}`);
      return key;
    },
  };
}
