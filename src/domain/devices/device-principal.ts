import type { Scope } from '../scope.js';

/**
 * Who is on the other end of a device connection, learnt from the registry by the presented certificate's
 * SHA-256 (its certificateId). What it may do follows from two facts only: whether it is an ACTIVE registered
 * certificate (a device), and which provisioning templates it is a claim for.
 */
export interface DevicePrincipal {
  readonly scope: Scope;
  readonly certificateId: string;
  /** An ACTIVE registered certificate: may publish and subscribe outside `$aws/`. */
  readonly device: boolean;
  /** Templates whose fleet-provisioning topics it may use (a claim certificate). */
  readonly provisioningTemplates: ReadonlySet<string>;
  /** A temporary claim (CreateProvisioningClaim) is admitted until then (epoch ms), and dropped at that time. */
  readonly expiresAt?: number;
}

export function isClaim(principal: DevicePrincipal): boolean {
  return principal.provisioningTemplates.size > 0;
}
