/** A registered CA certificate is ACTIVE or INACTIVE; only an INACTIVE one may be deleted. */
export const CA_CERTIFICATE_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type CaCertificateStatus = (typeof CA_CERTIFICATE_STATUSES)[number];

/** Whether device certificates this CA signed may register themselves on first connection. */
export const AUTO_REGISTRATION_STATUSES = ['ENABLE', 'DISABLE'] as const;
export type AutoRegistrationStatus = (typeof AUTO_REGISTRATION_STATUSES)[number];
