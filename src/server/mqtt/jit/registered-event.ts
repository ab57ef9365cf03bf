import type { Scope } from '../../../domain/scope.js';

/** `$aws/events/certificates/registered/{caCertificateId}`: where AWS announces an auto-registered certificate. */
export function registeredEventTopic(caCertificateId: string): string {
  return `$aws/events/certificates/registered/${caCertificateId}`;
}

/**
 * The registered event's payload with AWS's fields (reference §2.2; AWS's "Just-in-time registration" page):
 * `timestamp` is when the event is published (epoch ms, a number); `certificateRegistrationTimestamp`, which AWS's
 * documentation shows as a string, is when the certificate was registered (epoch ms, as a decimal string).
 */
export function registeredEventPayload(event: {
  readonly scope: Scope;
  readonly certificateId: string;
  readonly caCertificateId: string;
  readonly registeredAt: number;
  readonly now: number;
}): Record<string, unknown> {
  return {
    certificateId: event.certificateId,
    caCertificateId: event.caCertificateId,
    timestamp: event.now,
    certificateStatus: 'PENDING_ACTIVATION',
    awsAccountId: event.scope.accountId,
    certificateRegistrationTimestamp: String(event.registeredAt),
  };
}
