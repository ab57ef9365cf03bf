/**
 * A certificate just issued with its key pair (CreateKeysAndCertificate, CreateProvisioningClaim): shown once,
 * with the warning and a download for each part. The parent holds it in component state only, so leaving the
 * page drops the private key from memory.
 */
import type { ComponentChildren } from 'preact';
import { pemFilename } from '../lib/filenames.js';
import { Facts } from './facts.js';
import { PemBlock, SecretWarning } from './pem-block.js';

export interface IssuedKeys {
  readonly certificateId: string;
  readonly certificateArn?: string | undefined;
  readonly certificatePem: string;
  readonly publicKey: string;
  readonly privateKey: string;
}

export function IssuedKeysView({ issued, extra }: { issued: IssuedKeys; extra?: ComponentChildren }) {
  return (
    <section class="issued" aria-label="Issued certificate and keys" data-testid="issued-keys">
      <SecretWarning />
      <Facts
        facts={[
          [
            'Certificate id',
            <span key="id" class="mono breakable" data-testid="issued-certificate-id">
              {issued.certificateId}
            </span>,
          ],
          [
            'ARN',
            <span key="arn" class="mono breakable">
              {issued.certificateArn ?? '–'}
            </span>,
          ],
        ]}
      />
      {extra}
      <PemBlock
        label="Private key"
        pem={issued.privateKey}
        filename={pemFilename(issued.certificateId, 'private-key')}
        testid="private-key"
        secret
      />
      <PemBlock
        label="Certificate"
        pem={issued.certificatePem}
        filename={pemFilename(issued.certificateId, 'certificate')}
        testid="certificate-pem"
      />
      <PemBlock
        label="Public key"
        pem={issued.publicKey}
        filename={pemFilename(issued.certificateId, 'public-key')}
        testid="public-key"
      />
    </section>
  );
}
