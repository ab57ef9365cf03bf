import type { Shape } from '../../model/shapes.js';

/** What a sensitive value is replaced with in logs (the AWS SDKs' own placeholder). */
export const SENSITIVE_PLACEHOLDER = '***SensitiveInformation***';

/**
 * A copy of an operation's input or output fit for a log: every member the model marks `sensitive` (such as
 * keyPair.PrivateKey) replaced by a placeholder, the way the SDKs' filterSensitiveLog does it. Members the
 * model does not know are left out, so nothing unexpected slips into a log line either.
 */
export function filterSensitive(shape: Shape, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  switch (shape.type) {
    case 'string':
      return shape.sensitive ? SENSITIVE_PLACEHOLDER : value;
    case 'list':
      return Array.isArray(value) ? value.map((item) => filterSensitive(shape.member, item)) : undefined;
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) return undefined;
      const copy: Record<string, unknown> = {};
      for (const [name, m] of Object.entries(shape.members)) {
        const item = (value as Record<string, unknown>)[name];
        if (item !== undefined) copy[name] = filterSensitive(m.shape, item);
      }
      return copy;
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) return undefined;
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        copy[key] = filterSensitive(shape.value, item);
      }
      return copy;
    }
    case 'boolean':
    case 'integer':
    case 'timestamp':
      return value;
    default:
      // A shape kind this filter does not know could hold anything: keep it out of the log.
      return SENSITIVE_PLACEHOLDER;
  }
}
