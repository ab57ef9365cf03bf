import type { Shape, StructureShape } from '../../model/shapes.js';

/** An HTTP response as received: lower-cased header names, the raw body. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** botocore's parsed error: `Error.Code` / `Error.Message`, plus the error shape's extra members. */
export interface ParsedError {
  readonly code: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** Extra members of the IoT error shapes (besides `message`), which botocore parses into the error. */
const MODELED_ERROR_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  ResourceAlreadyExistsException: ['resourceId', 'resourceArn'],
  ConflictException: ['resourceId'],
};

// http.client.responses for the statuses a generic (non-protocol) error page can carry.
const SERVER_REASONS: Readonly<Record<number, string>> = {
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
  506: 'Variant Also Negotiates',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  510: 'Not Extended',
  511: 'Network Authentication Required',
};

/** `_parse_body_as_json`: empty → {}, not JSON → the text as `message`. */
function jsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const text = body.toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return { message: text };
  }
}

/** `code.split(':', 1)[0].rsplit('#', 1)[-1]`: `aws.protocols#Foo:http://...` → `Foo`. */
function sanitizeCode(code: string): string {
  const beforeColon = code.split(':', 1)[0] as string;
  return beforeColon.slice(beforeColon.lastIndexOf('#') + 1);
}

/**
 * botocore's RestJSONParser for an error response (status ≥ 300). A 5xx with an empty or HTML
 * body is a generic error (code = status, message = reason phrase). Otherwise the message is body
 * `message` or `Message`; the code is the `x-amzn-ErrorType` header, else body `code`/`Code`,
 * else body `__type`, else the status — each cut at ':' and after the last '#'. A 300 is not
 * parsed as an error by botocore, so its code and message are `Unknown`.
 */
export function parseErrorResponse(response: HttpResponse): ParsedError {
  const { status } = response;
  if (status === 300) return { code: 'Unknown', message: 'Unknown', details: {} };
  const trimmed = response.body.toString('latin1').trim();
  if (status >= 500 && (trimmed === '' || trimmed.startsWith('<html>'))) {
    return { code: String(status), message: SERVER_REASONS[status] ?? '', details: {} };
  }
  const body = jsonBody(response.body);
  const message = textOf(body.message ?? body.Message ?? '');
  let code = textOf(body.__type ?? String(status));
  const headerCode = response.headers['x-amzn-errortype'];
  if (headerCode !== undefined) code = headerCode;
  else if ('code' in body || 'Code' in body) code = textOf(body.code ?? body.Code ?? '');
  code = sanitizeCode(code);
  const details: Record<string, unknown> = {};
  for (const name of MODELED_ERROR_MEMBERS[code] ?? []) if (body[name] !== undefined) details[name] = body[name];
  return { code, message, details };
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A successful response as the Transport contract wants it: members of the output shape by
 * member name (header members from headers, the rest from the JSON body by wire name),
 * timestamps turned from epoch seconds (or ISO/RFC text) into epoch milliseconds.
 */
export function parseSuccessResponse(
  shape: StructureShape | undefined,
  response: HttpResponse,
): Record<string, unknown> {
  if (shape === undefined) return {};
  const body = jsonBody(response.body);
  const result: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(shape.members)) {
    const wire = member.locationName ?? name;
    if (member.location === 'header') {
      const value = response.headers[wire.toLowerCase()];
      if (value !== undefined) result[name] = headerMember(member.shape, value);
    } else if (member.location === undefined && body[wire] !== undefined && body[wire] !== null) {
      result[name] = bodyMember(member.shape, body[wire]);
    }
  }
  return result;
}

function bodyMember(shape: Shape, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      const raw = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members)) {
        const item = raw[member.locationName ?? name];
        if (item !== undefined && item !== null) out[name] = bodyMember(member.shape, item);
      }
      return out;
    }
    case 'list':
      return Array.isArray(value) ? value.map((item) => bodyMember(shape.member, item)) : value;
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, bodyMember(shape.value, item)]),
      );
    case 'timestamp':
      return epochMillis(value);
    default:
      return value;
  }
}

function headerMember(shape: Shape, value: string): unknown {
  switch (shape.type) {
    case 'integer':
      return Number.parseInt(value, 10);
    case 'boolean':
      return value.toLowerCase() === 'true';
    case 'timestamp':
      return epochMillis(value);
    default:
      return value;
  }
}

/** botocore's timestamp parser: a number (or numeric text) is epoch seconds; other text a date. */
function epochMillis(value: unknown): unknown {
  if (typeof value === 'number') return Math.round(value * 1000);
  if (typeof value === 'string') {
    const seconds = Number(value);
    if (value.trim() !== '' && Number.isFinite(seconds)) return Math.round(seconds * 1000);
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? value : parsed;
  }
  return value;
}
