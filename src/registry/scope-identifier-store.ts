import type { Scope } from '../domain/scope.js';

/**
 * Identifiers an account has once per region, created on first use and stable afterwards:
 * the CA registration code (GetRegistrationCode) and the endpoint prefix (DescribeEndpoint).
 */
export type ScopeIdentifierKind = 'registration-code' | 'endpoint-prefix';

export interface ScopeIdentifierStore {
  /** The identifier, or undefined when it was never created. */
  get(scope: Scope, kind: ScopeIdentifierKind): Promise<string | undefined>;
  /**
   * The identifier, created with `generate` on first use. Every caller, in any process, gets the
   * same value; a generated value another scope already holds for the same kind is drawn again.
   */
  getOrCreate(scope: Scope, kind: ScopeIdentifierKind, generate: () => string): Promise<string>;
}
