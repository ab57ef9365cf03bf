import type { Paginator } from '../../model/shapes.js';
import type { PaginationConfig } from '../argv/cli-argument.js';
import { GeneralError } from '../errors/cli-errors.js';
import type { CommandResult } from '../output/formatter.js';
import { parsePyInt, pyIntErrorMessage } from '../python/int.js';
import { pyStr } from '../python/repr.js';
import { encodeToken, parseStartingToken, type TokenState } from './pagination-token.js';

/** Sends one request with these parameters and returns the parsed response. */
export type PageRequest = (params: Record<string, unknown>) => Promise<Record<string, unknown>>;

function itemCount(value: unknown): number {
  return Array.isArray(value) || typeof value === 'string' ? value.length : 0;
}

function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

// _inject_token_into_kwargs: a null (or "None") token removes the parameter.
function injectToken(params: Record<string, unknown>, token: TokenState): void {
  for (const [name, value] of Object.entries(token)) {
    if (value !== null && value !== undefined && value !== 'None') params[name] = value;
    else delete params[name];
  }
}

function sameToken(a: TokenState, b: TokenState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * botocore's PageIterator driven to the end, then wrapped for the formatters: follows the
 * output token page after page, honours PaginationConfig (PageSize → the limit key, StartingToken,
 * MaxItems with a truncated last page) and produces the resume token botocore would.
 */
export async function paginate(
  paginator: Paginator,
  params: Readonly<Record<string, unknown>>,
  config: PaginationConfig,
  request: PageRequest,
): Promise<CommandResult> {
  const inputTokens = [paginator.inputToken];
  const resultKey = paginator.resultKey;
  const maxItems = config.MaxItems === undefined || config.MaxItems === null ? undefined : toInt(config.MaxItems);
  const starting =
    config.StartingToken === undefined || config.StartingToken === null
      ? undefined
      : parseStartingToken(String(config.StartingToken), inputTokens);

  const current: Record<string, unknown> = { ...params };
  let nextToken: TokenState = starting ? { ...starting.token } : { [paginator.inputToken]: null };
  if (starting) injectToken(current, starting.token);
  if (config.PageSize !== undefined && config.PageSize !== null) current[paginator.limitKey] = config.PageSize;

  const pages: Record<string, unknown>[] = [];
  let resumeToken: TokenState | undefined;
  let previousToken: TokenState | undefined;
  let totalItems = 0;
  let firstRequest = true;
  let startingTruncation = 0;
  // botocore's non_aggregate_part: those members of the first page, kept beside the joined results.
  let nonAggregatePart: Record<string, unknown> = {};
  for (;;) {
    const page = await request({ ...current });
    if (firstRequest) {
      nonAggregatePart = nonAggregateMembers(page, paginator.nonAggregateKeys ?? []);
      if (starting) {
        // Resume inside a page: drop what the previous run already returned.
        startingTruncation = starting.truncateAmount;
        const all = page[resultKey];
        page[resultKey] = Array.isArray(all) || typeof all === 'string' ? all.slice(startingTruncation) : null;
      }
      firstRequest = false;
    } else {
      startingTruncation = 0;
    }
    const count = itemCount(page[resultKey]);
    const truncateAmount = maxItems === undefined ? 0 : totalItems + count - maxItems;
    if (truncateAmount > 0) {
      const original = (page[resultKey] ?? []) as unknown[] | string;
      const keep = original.length - truncateAmount;
      page[resultKey] = original.slice(0, keep);
      nextToken.boto_truncate_amount = keep + startingTruncation;
      resumeToken = nextToken;
      pages.push(page);
      break;
    }
    pages.push(page);
    totalItems += count;
    nextToken = { [paginator.inputToken]: isTruthy(page[paginator.outputToken]) ? page[paginator.outputToken] : null };
    if (Object.values(nextToken).every((value) => value === null)) break;
    if (maxItems !== undefined && totalItems === maxItems) {
      // On a page boundary the service's own token is the resume point.
      resumeToken = nextToken;
      break;
    }
    if (previousToken !== undefined && sameToken(previousToken, nextToken)) {
      throw new GeneralError(`Error during pagination: The same next token was received twice: ${pyStr(nextToken)}`);
    }
    injectToken(current, nextToken);
    previousToken = nextToken;
  }

  const encoded = resumeToken ? encodeToken(resumeToken) : undefined;
  return {
    paginated: true,
    pages,
    resultKeys: [resultKey],
    nonAggregatePart,
    buildFullResult: () => buildFullResult(pages, resultKey, nonAggregatePart, encoded),
  };
}

function nonAggregateMembers(page: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const part: Record<string, unknown> = {};
  for (const key of keys) if (page[key] !== undefined) part[key] = page[key];
  return part;
}

function toInt(value: unknown): number {
  if (typeof value === 'number') return value;
  const parsed = parsePyInt(String(value));
  if (parsed === undefined) throw new GeneralError(pyIntErrorMessage(String(value)));
  return parsed;
}

/** PageIterator.build_full_result: the result key concatenated over pages, the non-aggregate part, then NextToken. */
function buildFullResult(
  pages: readonly Record<string, unknown>[],
  resultKey: string,
  nonAggregatePart: Readonly<Record<string, unknown>>,
  nextToken: string | undefined,
): Record<string, unknown> {
  const complete: Record<string, unknown> = {};
  for (const page of pages) {
    const value = page[resultKey];
    if (value === null || value === undefined) continue;
    const existing = complete[resultKey];
    if (existing === undefined) complete[resultKey] = Array.isArray(value) ? [...value] : value;
    else if (Array.isArray(existing) && Array.isArray(value)) existing.push(...value);
    else if (typeof existing === 'string' || typeof existing === 'number') {
      complete[resultKey] = (existing as string) + (value as string);
    }
  }
  Object.assign(complete, nonAggregatePart);
  if (nextToken !== undefined) complete.NextToken = nextToken;
  return complete;
}
