import type { CaCertificateStatus } from '../ca-certificates/ca-certificate-status.js';
import { statusAdmits } from '../devices/admission.js';
import type { CertificateStatus } from './certificate-status.js';

/**
 * A certificate's place in the chain DescribeCertificateChain reports: the certificate itself, fleetca's issuing CA
 * and root CA (a certificate fleetca issued), or the registered CA certificate it was registered with.
 */
export const CERTIFICATE_CHAIN_ROLES = ['certificate', 'issuing-ca', 'root-ca', 'registered-ca'] as const;
export type CertificateChainRole = (typeof CERTIFICATE_CHAIN_ROLES)[number];

/** How a sentence about the chain names a certificate of each role. */
export const CHAIN_ROLE_NAMES: Readonly<Record<CertificateChainRole, string>> = {
  certificate: 'the certificate',
  'issuing-ca': "fleetca's issuing CA",
  'root-ca': "fleetca's root CA",
  'registered-ca': 'the registered CA certificate',
};

/**
 * What the registry's statuses say against using the chain, one plain sentence each: the certificate must be
 * ACTIVE (the status a device is admitted with), and so must the CA certificate it was registered with, which
 * must still be registered.
 */
export function chainStatusProblems(
  status: CertificateStatus,
  registeredCa?: { readonly certificateId: string; readonly status: CaCertificateStatus | 'DELETED' },
): string[] {
  const problems: string[] = [];
  if (!statusAdmits(status)) problems.push(`The certificate is ${status}: only an ACTIVE certificate may be used.`);
  if (registeredCa?.status === 'DELETED') {
    problems.push(`The CA certificate ${registeredCa.certificateId} it was registered with is no longer registered.`);
  } else if (registeredCa && registeredCa.status !== 'ACTIVE') {
    problems.push(
      `The registered CA certificate ${registeredCa.certificateId} is ${registeredCa.status}: ` +
        'certificates it signed may not be used until it is ACTIVE again.',
    );
  }
  return problems;
}
