/**
 * How a certificate came to be a provisioning claim. `temporary`: made by CreateProvisioningClaim, valid five
 * minutes. `registered`: a certificate of the registry an operator granted as a long-lived claim.
 */
export const CLAIM_KINDS = ['temporary', 'registered'] as const;

export type ClaimKind = (typeof CLAIM_KINDS)[number];
