/** Hash routes of the console (`#/certificates/<id>`): parsed into a name, path parameters and a query. */

export type Route =
  | { name: 'dashboard' }
  | { name: 'certificates'; query: URLSearchParams }
  | { name: 'certificate'; certificateId: string }
  | { name: 'create-certificate' }
  | { name: 'things' }
  | { name: 'thing'; thingName: string }
  | { name: 'templates' }
  | { name: 'template'; templateName: string }
  | { name: 'policies' }
  | { name: 'policy'; policyName: string }
  | { name: 'ca-certificates' }
  | { name: 'ca-certificate'; certificateId: string }
  | { name: 'not-found'; path: string };

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#/, '');
  const [pathPart = '', queryPart = ''] = text.split('?', 2);
  const query = new URLSearchParams(queryPart);
  const segments = pathPart.split('/').filter(Boolean);
  const [section, rawId, ...rest] = segments;
  const id = rawId === undefined ? undefined : decode(rawId);
  if (rest.length > 0 || (rawId !== undefined && !id)) return { name: 'not-found', path: pathPart };
  switch (section) {
    case undefined:
    case 'dashboard':
      return id === undefined ? { name: 'dashboard' } : { name: 'not-found', path: pathPart };
    case 'certificates':
      if (id === undefined) return { name: 'certificates', query };
      return id === 'new' ? { name: 'create-certificate' } : { name: 'certificate', certificateId: id };
    case 'things':
      return id === undefined ? { name: 'things' } : { name: 'thing', thingName: id };
    case 'templates':
      return id === undefined ? { name: 'templates' } : { name: 'template', templateName: id };
    case 'policies':
      return id === undefined ? { name: 'policies' } : { name: 'policy', policyName: id };
    case 'ca-certificates':
      return id === undefined ? { name: 'ca-certificates' } : { name: 'ca-certificate', certificateId: id };
    default:
      return { name: 'not-found', path: pathPart };
  }
}

/** Links: `href('certificates', id)` → `#/certificates/<id>` (segments encoded). */
export function href(...segments: string[]): string {
  return `#/${segments.map(encodeURIComponent).join('/')}`;
}

/** The nav section a route belongs to, to mark the current link. */
export function sectionOf(route: Route): string {
  switch (route.name) {
    case 'certificate':
      return 'certificates';
    case 'thing':
      return 'things';
    case 'template':
      return 'templates';
    case 'policy':
      return 'policies';
    case 'ca-certificate':
      return 'ca-certificates';
    default:
      return route.name;
  }
}
