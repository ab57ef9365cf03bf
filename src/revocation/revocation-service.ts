import type { RevocationSigner } from '../ca/authority.js';
import type { Registry } from '../registry/registry.js';
import { CrlPublisher } from './crl-publisher.js';
import { indexIssuedCertificates } from './issuer-index.js';
import { OcspResponder } from './ocsp-responder.js';
import type { RevocationSettings } from './revocation-settings.js';

/** The CRL and the OCSP responder of one server process, following the registry's changes. */
export interface RevocationService {
  readonly crl: CrlPublisher;
  readonly ocsp: OcspResponder;
  close(): void;
}

/**
 * Starts both for `fleetca serve`: certificates issued before the registry kept issuer and serial are indexed first
 * (once after an upgrade; a no-op afterwards), then the responder certificate is made, so the first request waits
 * for neither.
 */
export async function startRevocation(options: {
  readonly registry: Registry;
  readonly authority: RevocationSigner;
  readonly settings: RevocationSettings;
  readonly onIndexed: (count: number) => void;
  readonly onError: (err: unknown) => void;
}): Promise<RevocationService> {
  const indexed = await indexIssuedCertificates(options.registry.revocation);
  if (indexed > 0) options.onIndexed(indexed);
  const crl = new CrlPublisher(options).watch();
  const ocsp = new OcspResponder(options).watch();
  await ocsp.ready();
  return {
    crl,
    ocsp,
    close: () => {
      crl.close();
      ocsp.close();
    },
  };
}
