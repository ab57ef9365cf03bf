import { createHash, X509Certificate } from 'node:crypto';
import { type Admission, decideAdmission, type ValidityPeriod } from '../../domain/devices/admission.js';
import type { ProvisioningClaim } from '../../domain/provisioning/provisioning-claim-record.js';
import type { CertificateStore } from '../../registry/store.js';

/** The claim a presented certificate holds (ProvisioningClaimStore.findByCertificateId). */
export type ClaimLookup = (certificateId: string, now: number) => Promise<ProvisioningClaim | undefined>;

/**
 * Admission of a connection by its client certificate: reads the certificate and looks it up in the registry,
 * then lets the domain's admission rule (domain/devices/admission.ts) decide.
 */
export async function identifyDevice(
  der: Buffer,
  registry: { readonly certificates: CertificateStore; readonly findClaim: ClaimLookup },
  now: number,
): Promise<Admission> {
  const certificateId = createHash('sha256').update(der).digest('hex');
  const registrations = await registry.certificates.findRegistrations(certificateId);
  const claim = await registry.findClaim(certificateId, now);
  return decideAdmission({ certificateId, validity: validityOf(der), registrations, claim, now });
}

/** Null when the certificate cannot be read (it is then refused as outside its validity). */
function validityOf(der: Buffer): ValidityPeriod | null {
  try {
    const certificate = new X509Certificate(der);
    return { notBefore: Date.parse(certificate.validFrom), notAfter: Date.parse(certificate.validTo) };
  } catch {
    return null;
  }
}
