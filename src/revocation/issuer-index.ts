import { readCertificateParts } from '../ca/certificate-reader.js';
import { checkKnownExtensions } from '../ca/known-extensions.js';
import { fromPem } from '../ca/pem.js';
import type { RevocationStore } from '../registry/revocation-store.js';

const BATCH = 1_000;

/**
 * Certificates fleetca issued before the registry kept their issuer and serial (schema 9) are found by CRLs and
 * OCSP only once indexed: read from their PEM, in batches, before the first CRL. Idempotent, so replicas doing it
 * at once only repeat each other's writes. Returns how many rows it indexed.
 */
export async function indexIssuedCertificates(store: RevocationStore): Promise<number> {
  let indexed = 0;
  for (;;) {
    const rows = await store.unindexedIssuedCertificates(BATCH);
    if (rows.length === 0) return indexed;
    // A row whose PEM names no issuer key and serial is marked with empty ones, so it never comes back: no CRL or
    // OCSP answer can name it anyway.
    const updates = rows.map((row) => ({
      ...(issuerAndSerialOf(row.certificatePem) ?? { issuerKeyId: '', serialNumber: '' }),
      accountId: row.accountId,
      region: row.region,
      certificateId: row.certificateId,
    }));
    await store.indexIssuedCertificates(updates);
    indexed += updates.length;
  }
}

function issuerAndSerialOf(pem: string): { issuerKeyId: string; serialNumber: string } | undefined {
  try {
    const parts = readCertificateParts(fromPem(pem, ['CERTIFICATE']).der);
    const authorityKeyId = checkKnownExtensions(parts.extensions).authorityKeyId;
    if (!authorityKeyId) return undefined;
    const serial = parts.serial.length > 1 && parts.serial[0] === 0 ? parts.serial.subarray(1) : parts.serial;
    return { issuerKeyId: authorityKeyId.toString('hex'), serialNumber: serial.toString('hex') };
  } catch {
    return undefined;
  }
}
