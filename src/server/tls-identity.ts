import { generateKeyPair, type KeyObject } from 'node:crypto';
import type { Server } from 'node:tls';
import type { IssuedCertificate } from '../ca/authority.js';
import type { Home } from '../home/open-home.js';
import type { OcspResponder } from '../revocation/ocsp-responder.js';

/** The server's key and certificate chain (leaf first) per key type, as node:tls takes them. */
export interface TlsIdentity {
  readonly key: string | string[];
  readonly cert: string | string[];
  /** The OCSP response to staple (covering every certificate of the identity); none when absent. */
  readonly staple?: () => Promise<Buffer>;
}

/**
 * Staples OCSP for the server's own certificate when a client asks (status_request): the responder answers in
 * process, good while this run uses the certificate. A failure staples nothing rather than failing the handshake.
 */
export function attachStapling(server: Server, identity: TlsIdentity): void {
  const staple = identity.staple;
  if (!staple) return;
  // The certificate Node names in this event may not be the one the handshake chose (a server with an ECDSA and an
  // RSA certificate; seen with the AWS IoT Device SDK, whose TLS then fails): the response covers both.
  server.on(
    'OCSPRequest',
    (_certificate: Buffer, _issuer: Buffer, done: (err: Error | null, response?: Buffer) => void) => {
      staple().then(
        (response) => done(null, response),
        () => done(null),
      );
    },
  );
}

/** The TLS identity could not be made; serve.ts turns it into a ServeError. */
export class TlsIdentityError extends Error {}

/**
 * Keys generated in memory for this run only, and certificates for them from the issuing CA: ECDSA P-256 and
 * RSA-2048, as AWS IoT's endpoints offer both. OpenSSL presents the one the client's signature algorithms
 * prefer. The ECDSA handshake costs the server about a tenth of the RSA one, which is what keeps a device's
 * connect prompt while a flood of handshakes takes the CPU; clients without ECDSA still get RSA.
 */
export async function serverTlsIdentity(
  home: Home,
  names: readonly string[],
  responder?: OcspResponder,
): Promise<{ key: string[]; cert: string[]; staple?: TlsIdentity['staple'] }> {
  const pairs = await Promise.all([keyPair('ec'), keyPair('rsa')]);
  const key: string[] = [];
  const cert: string[] = [];
  const certificates: Buffer[] = [];
  for (const { publicKey, privateKey } of pairs) {
    let certificate: IssuedCertificate;
    try {
      certificate = await home.authority.issueServerCertificate({ names, publicKey, now: new Date() });
    } catch (err) {
      throw new TlsIdentityError(`cannot issue the TLS server certificate: ${(err as Error).message}`);
    }
    responder?.vouchFor(certificate.issuedBy.serialNumber);
    certificates.push(certificate.der);
    key.push(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    // Leaf first, then the CA chain, so clients that trust only the root can build the path.
    cert.push(certificate.pem + home.authority.chainPem());
  }
  if (!responder) return { key, cert };
  const issuer = home.authority.revocationIssuer().certificateDer;
  return { key, cert, staple: () => responder.staple(certificates, issuer) };
}

function keyPair(type: 'ec' | 'rsa'): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, publicKey: KeyObject, privateKey: KeyObject) =>
      err ? reject(err) : resolve({ publicKey, privateKey });
    if (type === 'ec') generateKeyPair('ec', { namedCurve: 'prime256v1' }, done);
    else generateKeyPair('rsa', { modulusLength: 2048, publicExponent: 65537 }, done);
  });
}
