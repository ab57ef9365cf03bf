/**
 * The fleet-provisioning topics (reference §4.1). A request is published on
 * `$aws/certificates/create/{fmt}`, `$aws/certificates/create-from-csr/{fmt}` or
 * `$aws/provisioning-templates/{name}/provision/{fmt}`; its answer goes to the same topic + `/accepted` or `/rejected`.
 */

export type PayloadFormat = 'json' | 'cbor';

export type ProvisioningRequest =
  | { readonly operation: 'CreateKeysAndCertificate'; readonly format: PayloadFormat }
  | { readonly operation: 'CreateCertificateFromCsr'; readonly format: PayloadFormat }
  | { readonly operation: 'RegisterThing'; readonly format: PayloadFormat; readonly templateName: string };

const FORMATS: ReadonlySet<string> = new Set(['json', 'cbor']);

/** The request a topic names, or undefined when it is not a provisioning request topic. */
export function parseRequestTopic(topic: string): ProvisioningRequest | undefined {
  // Asked of every PUBLISH: a device's own topics are told apart without splitting them.
  if (!topic.startsWith('$aws/')) return undefined;
  const levels = topic.split('/');
  if (levels[0] !== '$aws') return undefined;
  const format = levels.at(-1) as string;
  if (!FORMATS.has(format)) return undefined;
  const payloadFormat = format as PayloadFormat;
  if (levels.length === 4 && levels[1] === 'certificates') {
    if (levels[2] === 'create') return { operation: 'CreateKeysAndCertificate', format: payloadFormat };
    if (levels[2] === 'create-from-csr') return { operation: 'CreateCertificateFromCsr', format: payloadFormat };
  }
  if (levels.length === 5 && levels[1] === 'provisioning-templates' && levels[3] === 'provision' && levels[2]) {
    return { operation: 'RegisterThing', format: payloadFormat, templateName: levels[2] };
  }
  return undefined;
}

/** The topic an answer to a request published on `requestTopic` goes to. */
export function responseTopic(requestTopic: string, outcome: 'accepted' | 'rejected'): string {
  return `${requestTopic}/${outcome}`;
}

/**
 * The request topic whose answers a subscription filter asks for: the filter's last level is `accepted`,
 * `rejected` or `+`, and every level before it may be `+` only where the request topic has a format.
 * Undefined for any other `$aws/...` filter. Returned with its format level as given (possibly `+`).
 */
export function requestTopicOfResponseFilter(filter: string): { topic: string; anyFormat: boolean } | undefined {
  const levels = filter.split('/');
  const outcome = levels.pop();
  if (outcome !== 'accepted' && outcome !== 'rejected' && outcome !== '+') return undefined;
  const format = levels.pop();
  if (format === undefined) return undefined;
  const anyFormat = format === '+';
  if (!anyFormat && !FORMATS.has(format)) return undefined;
  const topic = [...levels, 'json'].join('/');
  if (levels.some((level) => level === '+' || level === '#') || parseRequestTopic(topic) === undefined) {
    return undefined;
  }
  return { topic: [...levels, format].join('/'), anyFormat };
}
