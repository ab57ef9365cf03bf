import { CLAIM_POLICY_NAME, claimPolicyDocument } from '../../../domain/devices/claim-policy.js';
import type { DeviceAuthorization } from '../../../domain/devices/device-authorization.js';
import { type DevicePrincipal, isClaim } from '../../../domain/devices/device-principal.js';
import type { PrincipalFacts } from '../../../domain/policies/authorization-request.js';
import { Authorizer } from '../../../domain/policies/authorizer.js';
import { type CompiledPolicy, compilePolicy } from '../../../domain/policies/compiled-policy.js';
import type { EffectivePolicy } from '../../../domain/policies/policy-record.js';
import type { Scope } from '../../../domain/scope.js';
import type { Logger } from '../../logging/logger.js';
import { type ConnectionAuthority, permissiveAuthority, policyAuthority } from './connection-authority.js';

/** What the door knows of a connection that its authorization may depend on. */
export interface ConnectionFacts {
  readonly principal: DevicePrincipal;
  readonly clientId: string;
  /** The certificate the device presented (DER). */
  readonly certificateDer: Buffer;
  readonly sourceIp?: string;
  /** `iot:ConnectAttributes`: PersistentConnect, LastWill. */
  readonly connectAttributes: readonly string[];
}

/** Where the loader reads: the attached policies' default documents, and the facts policy variables take. */
export interface AuthoritySources {
  effectivePolicies(scope: Scope, certificateId: string): Promise<readonly EffectivePolicy[]>;
  principalFacts(connection: ConnectionFacts): Promise<PrincipalFacts>;
}

/** Compiled documents kept: versions never change, so an entry is never stale, only unused. */
const COMPILED_CACHE_LIMIT = 10_000;

/**
 * Builds a connection's authority from the registry: its certificate's policies (compiled once per version and
 * shared by every connection that has them), a claim's own policy, and the facts its variables read.
 */
export class AuthorityLoader {
  readonly #compiled = new Map<string, CompiledPolicy>();

  constructor(
    readonly mode: DeviceAuthorization,
    private readonly sources: AuthoritySources,
    private readonly logger: Logger,
  ) {}

  async load(connection: ConnectionFacts): Promise<ConnectionAuthority> {
    const { principal } = connection;
    if (this.mode === 'permissive') return permissiveAuthority(principal);
    const [attached, facts] = await Promise.all([
      principal.device ? this.sources.effectivePolicies(principal.scope, principal.certificateId) : [],
      this.sources.principalFacts(connection),
    ]);
    const policies = attached.flatMap((policy) => this.#compile(principal.scope, policy));
    if (isClaim(principal)) {
      const document = claimPolicyDocument(principal.scope);
      policies.push(...this.#compile(principal.scope, { policyName: CLAIM_POLICY_NAME, versionId: '1', document }));
    }
    const names = new Set(attached.map((policy) => policy.policyName));
    return policyAuthority(principal, connection.clientId, new Authorizer(policies, facts), names);
  }

  /** A stored document that no longer compiles (written by another version) grants nothing, and is said once. */
  #compile(scope: Scope, policy: EffectivePolicy): CompiledPolicy[] {
    const key = `${scope.accountId}/${scope.region}/${policy.policyName}/${policy.versionId}`;
    let compiled = this.#compiled.get(key);
    if (compiled === undefined) {
      try {
        compiled = compilePolicy(policy.policyName, policy.versionId, policy.document);
      } catch (err) {
        this.logger.error({ policyName: policy.policyName, versionId: policy.versionId, err }, 'stored policy ignored');
        return [];
      }
      if (this.#compiled.size >= COMPILED_CACHE_LIMIT)
        this.#compiled.delete(this.#compiled.keys().next().value as string);
      this.#compiled.set(key, compiled);
    }
    return [compiled];
  }
}
