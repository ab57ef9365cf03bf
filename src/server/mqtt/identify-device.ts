import { createHash, X509Certificate } from 'node:crypto';
import { readValidity } from '../../ca/certificate-validity.js';
import {
  type Admission,
  decideAdmission,
  registrationRefusal,
  type ValidityPeriod,
  validityRefusal,
} from '../../domain/devices/admission.js';
import type { ProvisioningClaim } from '../../domain/provisioning/provisioning-claim-record.js';
import type { CertificateStore } from '../../registry/store.js';

/** The claim a presented certificate holds (ProvisioningClaimStore.findByCertificateId). */
export type ClaimLookup = (certificateId: string, now: number) => Promise<ProvisioningClaim | undefined>;

/**
 * Admission of a connection by its client certificate: reads the certificate and looks it up in the registry,
 * then lets the domain's admission rule (domain/devices/admission.ts) decide. Each lookup is made only when the
 * rule's steps before it did not already refuse: an expired certificate is refused without touching the registry
 * (so it is counted as such even while the registry is down), an ambiguous registration without the claim lookup.
 */
export async function identifyDevice(
  der: Buffer,
  registry: { readonly certificates: CertificateStore; readonly findClaim: ClaimLookup },
  now: number,
): Promise<Admission> {
  const certificateId = createHash('sha256').update(der).digest('hex');
  const validity = validityOf(der);
  const invalid = validityRefusal(validity, now);
  if (invalid) return invalid;
  const registrations = await registry.certificates.findRegistrations(certificateId);
  const ambiguous = registrationRefusal(registrations);
  if (ambiguous) return ambiguous;
  const claim = await registry.findClaim(certificateId, now);
  return decideAdmission({ certificateId, validity, registrations, claim, now });
}

/**
 * Null when the certificate cannot be read (it is then refused as outside its validity). The CA's own DER reader
 * first: it takes a third of what building an X509Certificate does (0.06 vs 0.2 ms per connection);
 * what it refuses for being less strict than RFC 5280 asks (a GeneralizedTime before 2050, say) but OpenSSL
 * accepted at the handshake is read by node:crypto as before.
 */
function validityOf(der: Buffer): ValidityPeriod | null {
  try {
    const { notBefore, notAfter } = readValidity(der);
    return { notBefore: notBefore.getTime(), notAfter: notAfter.getTime() };
  } catch {
    return lenientValidityOf(der);
  }
}

function lenientValidityOf(der: Buffer): ValidityPeriod | null {
  try {
    const certificate = new X509Certificate(der);
    return { notBefore: Date.parse(certificate.validFrom), notAfter: Date.parse(certificate.validTo) };
  } catch {
    return null;
  }
}
