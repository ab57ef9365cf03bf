import { type KeyObject, sign } from 'node:crypto';

/**
 * Produces the signature of a certificate's TBSCertificate. Injected into the issuing code so that a key held
 * elsewhere (PKCS#11 HSM, cloud KMS) can replace the in-memory key without touching certificate building.
 */
export interface Signer {
  /** The only algorithm fleetca issues with, whatever the subject key type (as AWS does). */
  readonly algorithm: 'sha256WithRSAEncryption';
  /** RSASSA-PKCS1-v1_5 signature over SHA-256 of `data`. */
  sign(data: Buffer): Promise<Buffer>;
}

/**
 * A Signer over an in-memory RSA private key. The KeyObject is used as is on every call: re-parsing a PEM per
 * signature would cost more than the signature itself.
 */
export function keyObjectSigner(privateKey: KeyObject): Signer {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'rsa') {
    throw new TypeError(
      `a sha256WithRSAEncryption signer needs an RSA private key, got ${privateKey.type} ${privateKey.asymmetricKeyType ?? 'secret'} key`,
    );
  }
  return {
    algorithm: 'sha256WithRSAEncryption',
    sign: (data) =>
      new Promise((resolve, reject) => {
        sign('sha256', data, privateKey, (err, signature) => (err ? reject(err) : resolve(signature)));
      }),
  };
}
