/**
 * TLS server certificates for fleetca's own endpoints (`fleetca serve --tls`), issued by the same issuing CA
 * as the device certificates, so the chain `fleetca ca export` prints is all a client needs to trust them
 * (`aws --ca-bundle`, Node's `ca:` option). The profile is the usual web-server one: SAN with the DNS names and
 * IP addresses, EKU serverAuth, KeyUsage digitalSignature (+ keyEncipherment for RSA keys), a validity of 397 days.
 */

import { isIP } from 'node:net';
import type { IssuedCertificate, ServerCertificateRequest } from './authority.js';
import {
  authorityKeyIdentifierExtension,
  basicConstraintsExtension,
  extension,
  issuedCertificate,
  KeyUsage,
  keyIdentifier,
  keyUsageExtension,
  randomSerial,
  signCertificate,
  subjectKeyIdentifierExtension,
  subjectPublicKeyInfo,
} from './certificate-builder.js';
import { Tag } from './der.js';
import { oid, sequence, set, tlv } from './der-writer.js';
import { type LeafIssuer, leafNotBefore } from './leaf-certificate.js';
import { Oid } from './oids.js';

/** How long a server certificate is valid: the longest lifetime browsers still accept for a TLS certificate. */
export const SERVER_CERTIFICATE_VALIDITY_DAYS = 397;

const DNS_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DNS_NAME = new RegExp(`^(?:\\*\\.)?${DNS_LABEL}(?:\\.${DNS_LABEL})*$`);

/** Throws a RangeError naming the first entry that is neither an IP address nor a DNS name. */
export function checkServerNames(names: readonly string[]): void {
  if (names.length === 0) throw new RangeError('a server certificate needs at least one name');
  for (const name of names) {
    if (isIP(name) === 0 && (name.length > 253 || !DNS_NAME.test(name))) {
      throw new RangeError(`"${name}" is neither an IP address nor a DNS name`);
    }
  }
}

/** Builds and signs a TLS server certificate under `issuer`. */
export async function buildServerCertificate(
  issuer: LeafIssuer,
  request: ServerCertificateRequest,
): Promise<IssuedCertificate> {
  checkServerNames(request.names);
  const spki = subjectPublicKeyInfo(request.publicKey);
  const notBefore = leafNotBefore(request.now);
  const notAfter = new Date(notBefore.getTime() + SERVER_CERTIFICATE_VALIDITY_DAYS * 86_400_000);
  const commonName = sequence(
    set(sequence(oid(Oid.commonName), tlv(Tag.UTF8_STRING, Buffer.from(request.names[0] as string, 'utf8')))),
  );
  const serial = randomSerial();
  const der = await signCertificate(
    {
      serial,
      issuer: issuer.name,
      notBefore,
      notAfter,
      subject: commonName,
      subjectPublicKeyInfo: spki,
      extensions: [
        authorityKeyIdentifierExtension(issuer.keyIdentifier),
        subjectKeyIdentifierExtension(keyIdentifier(spki)),
        basicConstraintsExtension(false),
        // keyEncipherment only where the key can encipher (RSA key transport); an EC key only signs.
        keyUsageExtension(
          request.publicKey.asymmetricKeyType === 'rsa'
            ? [KeyUsage.digitalSignature, KeyUsage.keyEncipherment]
            : [KeyUsage.digitalSignature],
        ),
        extension(Oid.extKeyUsage, false, sequence(oid(Oid.serverAuth))),
        extension(Oid.subjectAltName, false, sequence(...request.names.map(generalName))),
      ],
    },
    issuer.signer,
  );
  return issuedCertificate(der, { serial, issuerKeyId: issuer.keyIdentifier, notBefore, notAfter: notAfter });
}

/** GeneralName: iPAddress [7] (4 or 16 octets) or dNSName [2] (IA5String), both IMPLICIT. */
function generalName(name: string): Buffer {
  const family = isIP(name);
  if (family === 4) return tlv(0x87, Buffer.from(name.split('.').map(Number)));
  if (family === 6) return tlv(0x87, ipv6Bytes(name));
  return tlv(0x82, Buffer.from(name.toLowerCase(), 'ascii'));
}

/** The 16 octets of an IPv6 address (already known valid), `::` and a dotted IPv4 tail included. */
function ipv6Bytes(address: string): Buffer {
  let text = address.split('%')[0] as string;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = (dotted[1] as string).split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const groups = (part: string | undefined) => (part ? part.split(':').map((group) => Number.parseInt(group, 16)) : []);
  const before = groups(head);
  const after = groups(tail);
  const all = tail === undefined ? before : [...before, ...Array(8 - before.length - after.length).fill(0), ...after];
  const bytes = Buffer.alloc(16);
  for (const [index, group] of all.entries()) bytes.writeUInt16BE(group, index * 2);
  return bytes;
}
