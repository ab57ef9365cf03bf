import type { OperationModel } from '../../model/shapes.js';
import { compareSpecificity, compileUriTemplate, matchUriTemplate, type UriTemplate } from './uri-template.js';

/** One operation reachable over HTTP. */
export interface Route {
  readonly operation: OperationModel;
  readonly method: string;
  readonly template: UriTemplate;
}

/** What a request line resolves to. */
export type RouteMatch =
  | { readonly kind: 'operation'; readonly route: Route; readonly labels: Readonly<Record<string, string>> }
  /** The path exists, but not with this method: the methods it has. */
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly string[] }
  | { readonly kind: 'not-found' };

/**
 * The routes of a set of operations, derived from each model's `http.method` + `http.requestUri` alone, so an
 * operation added to the model is routed without further code.
 */
export class RouteTable {
  readonly routes: readonly Route[];

  constructor(operations: readonly OperationModel[]) {
    // Operations without a REST route (the device door's, the admin commands') are reached by no path.
    const routes = operations.flatMap((operation) =>
      operation.http
        ? [{ operation, method: operation.http.method, template: compileUriTemplate(operation.http.requestUri) }]
        : [],
    );
    // Most specific first, so the first match wins; the sort is stable for equally specific templates.
    this.routes = routes.sort((a, b) => compareSpecificity(a.template, b.template));
    const seen = new Map<string, string>();
    for (const route of this.routes) {
      const key = `${route.method} ${shapeOf(route.template)}`;
      const other = seen.get(key);
      if (other) throw new Error(`${other} and ${route.operation.name} share the route ${key}`);
      seen.set(key, route.operation.name);
    }
  }

  /**
   * Resolves a method and the decoded path segments (with the request's query parameter names, for templates
   * that fix some). HEAD is not GET here: the IoT API defines no HEAD operation.
   */
  match(method: string, segments: readonly string[], queryNames: ReadonlySet<string> = new Set()): RouteMatch {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const labels = matchUriTemplate(route.template, segments);
      if (!labels || !hasFixedQuery(route.template, queryNames)) continue;
      if (route.method === method) return { kind: 'operation', route, labels };
      if (!allowed.includes(route.method)) allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed: allowed.sort() } : { kind: 'not-found' };
  }
}

function hasFixedQuery(template: UriTemplate, queryNames: ReadonlySet<string>): boolean {
  for (const name of template.fixedQuery.keys()) if (!queryNames.has(name)) return false;
  return true;
}

/** A template with its label names erased: two templates of the same shape match exactly the same paths. */
function shapeOf(template: UriTemplate): string {
  const path = template.segments
    .map((segment) => (segment.kind === 'literal' ? segment.text : segment.kind === 'label' ? '{}' : '{+}'))
    .join('/');
  return `/${path}?${[...template.fixedQuery.keys()].sort().join('&')}`;
}
