import { principalFacts } from '../../../operations/policies/principal-facts.js';
import type { Registry } from '../../../registry/registry.js';
import type { AuthoritySources } from './authority-loader.js';

/** The registry as the device door's authority loader reads it: the same facts TestAuthorization builds. */
export function registrySources(registry: Registry): AuthoritySources {
  return {
    effectivePolicies: (scope, certificateId) => registry.policies.effectivePolicies(scope, certificateId),
    principalFacts: ({ principal, clientId, certificateDer, sourceIp, connectAttributes }) =>
      principalFacts(registry, {
        scope: principal.scope,
        certificateId: principal.certificateId,
        clientId,
        ...(sourceIp !== undefined ? { sourceIp } : {}),
        connectAttributes,
        // A device's certificate is the registered one (same SHA-256): no need to read it back. A claim's is not
        // registered in the scope, and gets no certificate variables, as TestAuthorization would give it.
        ...(principal.device ? { certificateDer } : {}),
      }),
  };
}
