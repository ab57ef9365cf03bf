import type { RegistrationRules } from '../../registry/provisioning-store.js';
import { statusUpdateRule } from '../certificates/certificate-lifecycle.js';
import { planThing } from './provisioned-thing.js';

/**
 * RegisterThing's rules, handed to ProvisioningStore.register: the ownership token is single use and only
 * good before it expires, the thing follows the template's override settings (provisioned-thing.ts), and the
 * certificate's status changes as UpdateCertificate would change it (no change, nor version bump, when it
 * already has the status asked for; a REVOKED or PENDING_TRANSFER certificate refused with its error).
 */
export const registrationRules: RegistrationRules = {
  tokenRefusal(token, now) {
    if (token === undefined) return 'token-unknown';
    if (token.redeemed) return 'token-redeemed';
    if (token.expiresAt <= now) return 'token-expired';
    return undefined;
  },
  planThing,
  statusChange(current, newStatus, now) {
    return statusUpdateRule(current.certificateId, newStatus, now)(current);
  },
};
