/**
 * The `requestUri` of a rest-json operation (`/certificates/{certificateId}`, `/things/{thingName}/principals`,
 * `/objects/{key+}?versioning`) compiled into segments that a raw request path can be matched against.
 */

/** One path segment of a template: fixed text, a `{label}` or a greedy `{label+}` (one or more segments). */
export type TemplateSegment =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'label'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

export interface UriTemplate {
  readonly source: string;
  readonly segments: readonly TemplateSegment[];
  /** Query parameters fixed by the template itself (`?versioning`, `?type=x`): they must be present to match. */
  readonly fixedQuery: ReadonlyMap<string, string>;
}

const LABEL = /^\{([A-Za-z0-9_]+)(\+?)\}$/;

/** Compiles a model `requestUri`. Throws on a template the matcher could not honour (a model error). */
export function compileUriTemplate(requestUri: string): UriTemplate {
  if (!requestUri.startsWith('/')) throw new Error(`requestUri ${requestUri} does not start with '/'`);
  const queryAt = requestUri.indexOf('?');
  const path = queryAt < 0 ? requestUri : requestUri.slice(0, queryAt);
  const fixedQuery = new Map<string, string>();
  if (queryAt >= 0) {
    for (const pair of requestUri.slice(queryAt + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      fixedQuery.set(eq < 0 ? pair : pair.slice(0, eq), eq < 0 ? '' : pair.slice(eq + 1));
    }
  }
  // '/' alone is the root: no segments at all.
  const parts = path === '/' ? [] : path.slice(1).split('/');
  const segments = parts.map((part, index): TemplateSegment => {
    const label = LABEL.exec(part);
    if (!label) {
      if (part.includes('{') || part.includes('}')) throw new Error(`requestUri ${requestUri}: bad label ${part}`);
      return { kind: 'literal', text: part };
    }
    const name = label[1] as string;
    if (label[2] !== '+') return { kind: 'label', name };
    if (index !== parts.length - 1) throw new Error(`requestUri ${requestUri}: a greedy label must come last`);
    return { kind: 'greedy', name };
  });
  return { source: requestUri, segments, fixedQuery };
}

/**
 * Matches percent-decoded path segments against a template. Returns the label values (decoded, greedy labels
 * joined by '/'), or undefined when the path has another shape. Labels never match an empty segment, so
 * `/certificates/` is not DescribeCertificate with an empty id.
 */
export function matchUriTemplate(
  template: UriTemplate,
  segments: readonly string[],
): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  const expected = template.segments;
  for (let i = 0; i < expected.length; i++) {
    const part = expected[i] as TemplateSegment;
    const actual = segments[i];
    if (actual === undefined) return undefined;
    if (part.kind === 'literal') {
      if (actual !== part.text) return undefined;
    } else if (part.kind === 'label') {
      if (actual === '') return undefined;
      labels[part.name] = actual;
    } else {
      const rest = segments.slice(i);
      if (rest.some((segment) => segment === '')) return undefined;
      labels[part.name] = rest.join('/');
      return labels;
    }
  }
  return segments.length === expected.length ? labels : undefined;
}

/**
 * Orders two templates that both match a path: the one with a literal where the other has a label wins
 * (`/things/search` before `/things/{thingName}`), then plain labels before greedy ones. Negative: `a` first.
 */
export function compareSpecificity(a: UriTemplate, b: UriTemplate): number {
  const rank = (segment: TemplateSegment | undefined) =>
    segment === undefined ? 3 : segment.kind === 'literal' ? 0 : segment.kind === 'label' ? 1 : 2;
  const length = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < length; i++) {
    const difference = rank(a.segments[i]) - rank(b.segments[i]);
    if (difference !== 0) return difference;
  }
  // A template with fixed query parameters is more specific than the same path without them.
  return b.fixedQuery.size - a.fixedQuery.size;
}
