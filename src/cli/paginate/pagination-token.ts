import { GeneralError } from '../errors/cli-errors.js';
import { parsePyInt } from '../python/int.js';
import { pyJsonDumps } from '../python/json.js';

/** The paging state a NextToken carries: the service's input token(s) and how far into a page to skip. */
export type TokenState = Record<string, unknown>;

/** botocore TokenEncoder: base64 of `json.dumps(token)` (default separators, ensure_ascii). */
export function encodeToken(token: TokenState): string {
  return Buffer.from(pyJsonDumps(token), 'utf8').toString('base64');
}

/** Python's non-validating `base64.b64decode`: strays are dropped, padding must be right. */
function pyB64Decode(text: string): Buffer {
  const cleaned = text.replace(/[^A-Za-z0-9+/=]/g, '');
  const firstPad = cleaned.indexOf('=');
  const data = firstPad >= 0 ? cleaned.slice(0, firstPad) : cleaned;
  const pads = firstPad >= 0 ? cleaned.slice(firstPad).replace(/[^=]/g, '').length : 0;
  const rest = data.length % 4;
  if (rest === 1 || (rest === 2 && pads < 2) || (rest === 3 && pads < 1)) throw new Error('Incorrect padding');
  return Buffer.from(data, 'base64');
}

function pythonTypeName(value: unknown): string {
  if (value === null) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return 'object';
}

/**
 * PageIterator._parse_starting_token: decode a NextToken into the input-token values and the
 * number of items to skip on the first page. Tokens that do not decode fall back to the
 * deprecated `value___index` form, where a plain string is taken as the service's own marker.
 */
export function parseStartingToken(
  token: string,
  inputTokens: readonly string[],
): { token: TokenState; truncateAmount: number } {
  let decoded: unknown;
  try {
    const json = new TextDecoder('utf-8', { fatal: true }).decode(pyB64Decode(token));
    decoded = JSON.parse(json);
  } catch {
    return parseDeprecatedToken(token, inputTokens);
  }
  if (Array.isArray(decoded)) return parseDeprecatedToken(token, inputTokens);
  if (decoded === null || typeof decoded !== 'object') {
    // botocore calls .pop() on it and fails with Python's AttributeError.
    throw new GeneralError(`'${pythonTypeName(decoded)}' object has no attribute 'pop'`);
  }
  const state = { ...(decoded as TokenState) };
  delete state.boto_encoded_keys;
  let truncateAmount = 0;
  if ('boto_truncate_amount' in state) {
    truncateAmount = Number(state.boto_truncate_amount) || 0;
    delete state.boto_truncate_amount;
  }
  return { token: state, truncateAmount };
}

function parseDeprecatedToken(
  token: string,
  inputTokens: readonly string[],
): { token: TokenState; truncateAmount: number } {
  let parts = token.split('___');
  let truncateAmount = 0;
  if (parts.length === inputTokens.length + 1) {
    const index = parsePyInt(parts.at(-1) as string);
    if (index === undefined) parts = [token];
    else {
      truncateAmount = index;
      parts = parts.slice(0, -1);
    }
  }
  if (parts.length > inputTokens.length) throw new GeneralError(`Bad starting token: ${token}`);
  const state: TokenState = {};
  inputTokens.forEach((name, i) => {
    const part = parts[i];
    state[name] = part === undefined || part === 'None' ? null : part;
  });
  return { token: state, truncateAmount };
}
