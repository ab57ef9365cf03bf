import { type Member, type OperationModel, restRoute, type Shape, type StructureShape } from '../../model/shapes.js';
import { pyJsonDumps } from '../python/json.js';
import type { Endpoint } from '../remote/endpoint.js';

/** One rest-json request, serialized but not yet signed. */
export interface SerializedRequest {
  readonly method: string;
  /** The percent-encoded path, endpoint prefix included. */
  readonly path: string;
  /** Query parameters in serialization order, not encoded (the signer encodes them itself). */
  readonly query: readonly (readonly [string, string])[];
  /** The encoded query string ('' when none). */
  readonly queryString: string;
  /** Header members and Content-Type, in botocore's casing. */
  readonly headers: Readonly<Record<string, string>>;
  /** Undefined when botocore sends no body. */
  readonly body: Buffer | undefined;
  /** The full request URL, as botocore's connection errors quote it. */
  readonly url: string;
}

const UNRESERVED = /[A-Za-z0-9_.~-]/;

/** botocore `percent_encode`: UTF-8, everything but `A-Za-z0-9_.~-` (and `safe`) as %XX. */
export function percentEncode(text: string, safe = ''): string {
  let out = '';
  for (const ch of text) {
    if (UNRESERVED.test(ch) || safe.includes(ch)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Python's str() of a scalar parameter value. */
function scalarText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

/** Query-string and URI rendering of a member value (booleans lower-case, timestamps ISO 8601). */
function uriValue(shape: Shape, value: unknown): string {
  if (shape.type === 'timestamp' && typeof value === 'number') return iso8601(value);
  return scalarText(value);
}

/** botocore `_timestamp_iso8601`: microseconds only when non-zero. */
function iso8601(epochMs: number): string {
  const text = new Date(epochMs).toISOString();
  const millis = epochMs - Math.floor(epochMs / 1000) * 1000;
  return millis === 0 ? `${text.slice(0, 19)}Z` : `${text.slice(0, 19)}.${String(millis * 1000).padStart(6, '0')}Z`;
}

/** Header rendering: timestamps RFC 822, lists comma-joined (quoted when needed), booleans lower-case. */
function headerValue(shape: Shape, value: unknown): string {
  if (shape.type === 'timestamp' && typeof value === 'number') return new Date(value).toUTCString();
  if (shape.type === 'list' && Array.isArray(value)) {
    return value
      .filter((item) => item !== null && item !== undefined)
      .map((item) => {
        const text = headerValue(shape.member, item);
        return shape.member.type === 'string' && /[",]/.test(text) ? `"${text.replaceAll('"', '\\"')}"` : text;
      })
      .join(',');
  }
  return scalarText(value);
}

/** JSON body value: wire names for structure members, epoch seconds (whole) for timestamps. */
function bodyValue(shape: Shape, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
        const member = shape.members[name];
        if (member) out[member.locationName ?? name] = bodyValue(member.shape, item);
        else out[name] = item;
      }
      return out;
    }
    case 'list':
      return Array.isArray(value) ? value.map((item) => bodyValue(shape.member, item)) : value;
    case 'map':
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, bodyValue(shape.value, item)]),
      );
    case 'timestamp':
      return typeof value === 'number' ? Math.floor(value / 1000) : value;
    default:
      return value;
  }
}

/** `{label}` and greedy `{label+}` of the request URI, filled and percent-encoded. */
function renderUri(template: string, labels: Readonly<Record<string, string>>): string {
  return template.replace(/\{([^}]*)\}/g, (_, label: string) =>
    label.endsWith('+') ? percentEncode(labels[label.slice(0, -1)] ?? '', '/~') : percentEncode(labels[label] ?? ''),
  );
}

/** botocore `_urljoin`: the endpoint's path prefix, then the operation's path. */
function joinPath(prefix: string, path: string): string {
  if (!path || path === '/') return prefix || '/';
  return prefix.endsWith('/') && path.startsWith('/') ? prefix.slice(0, -1) + path : prefix + path;
}

function hasBodyMembers(shape: StructureShape): boolean {
  return Object.values(shape.members).some((member: Member) => member.location === undefined);
}

/**
 * botocore's RestJSONSerializer: each parameter goes where its member's location says — URI
 * label, query string (by locationName; booleans `true`/`false`), header, or the JSON body
 * (Python's `json.dumps` layout, wire names). No body members given: no body (and no
 * Content-Type), unless the input has body members at all, then `{}` — as botocore does.
 */
export function serializeRequest(
  operation: OperationModel,
  params: Readonly<Record<string, unknown>>,
  endpoint: Endpoint,
): SerializedRequest {
  const shape = operation.input;
  const labels: Record<string, string> = {};
  const query: [string, string][] = [];
  const headers: Record<string, string> = {};
  const body: Record<string, unknown> = {};
  let bodyGiven = false;
  for (const [name, value] of Object.entries(params)) {
    const member = shape.members[name];
    if (value === null || value === undefined || member === undefined) continue;
    const wire = member.locationName ?? name;
    if (member.location === 'uri') labels[wire] = uriValue(member.shape, value);
    else if (member.location === 'querystring') {
      const listMember = member.shape.type === 'list' ? member.shape.member : undefined;
      if (listMember && Array.isArray(value)) for (const item of value) query.push([wire, uriValue(listMember, item)]);
      else query.push([wire, uriValue(member.shape, value)]);
    } else if (member.location === 'header') {
      if (member.shape.type === 'list' && Array.isArray(value) && value.length === 0) continue;
      headers[wire] = headerValue(member.shape, value);
    } else {
      body[wire] = bodyValue(member.shape, value);
      bodyGiven = true;
    }
  }

  let requestUri = renderUri(restRoute(operation).requestUri, labels);
  // A request URI may carry its own query (`/x?versionId`): botocore appends with `&`.
  let uriQuery = '';
  const question = requestUri.indexOf('?');
  if (question >= 0) {
    uriQuery = requestUri.slice(question + 1);
    requestUri = requestUri.slice(0, question);
  }
  const path = joinPath(endpoint.parts.path, requestUri);
  const encodedQuery = query.map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`).join('&');
  const queryString = [endpoint.parts.query, uriQuery, encodedQuery].filter((part) => part !== '').join('&');

  let payload: Buffer | undefined;
  if (bodyGiven) payload = Buffer.from(pyJsonDumps(body), 'utf8');
  else if (hasBodyMembers(shape)) payload = Buffer.from('{}', 'utf8');
  if (payload) headers['Content-Type'] = 'application/json';

  const url = `${endpoint.parts.scheme}://${endpoint.parts.netloc}${path}${queryString ? `?${queryString}` : ''}`;
  return {
    method: restRoute(operation).method,
    path,
    query: uriQueryPairs(endpoint, uriQuery, query),
    queryString,
    headers,
    body: payload,
    url,
  };
}

// Every query pair the signer must see, decoded: the endpoint's own, the URI's, then the members'.
function uriQueryPairs(endpoint: Endpoint, uriQuery: string, members: readonly [string, string][]): [string, string][] {
  const decode = (text: string): [string, string][] =>
    text
      .split('&')
      .filter((pair) => pair !== '')
      .map((pair) => {
        const eq = pair.indexOf('=');
        const key = eq < 0 ? pair : pair.slice(0, eq);
        const value = eq < 0 ? '' : pair.slice(eq + 1);
        return [safeDecode(key), safeDecode(value)];
      });
  return [...decode(endpoint.parts.query), ...decode(uriQuery), ...members];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
