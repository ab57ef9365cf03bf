import { principalFacts } from '../../../operations/policies/principal-facts.js';
import type { Registry } from '../../../registry/registry.js';
import type { AuthoritySources } from './authority-loader.js';

/** The registry as the device door's authority loader reads it: the same facts TestAuthorization builds. */
export function registrySources(registry: Registry): AuthoritySources {
  return {
    effectivePolicies: (scope, certificateId) => registry.policies.effectivePolicies(scope, certificateId),
    principalFacts: ({ principal, clientId, sourceIp, connectAttributes }) =>
      principalFacts(registry, {
        scope: principal.scope,
        certificateId: principal.certificateId,
        clientId,
        ...(sourceIp !== undefined ? { sourceIp } : {}),
        connectAttributes,
      }),
  };
}
