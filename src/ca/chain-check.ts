/**
 * A certificate chain checked with node:crypto, leaf first: each link's signature by the next certificate's key,
 * each certificate's validity at a given time, and the self-signature of a self-issued last certificate. The
 * findings are plain sentences, for people reading DescribeCertificateChain's answer.
 */

import { X509Certificate } from 'node:crypto';
import { readCertificateParts } from './certificate-reader.js';
import { readValidity } from './certificate-validity.js';
import { namesMatch } from './name-match.js';

/** One certificate of a chain, and how a sentence names it ("the certificate", "fleetca's issuing CA"). */
export interface ChainLink {
  readonly certificate: X509Certificate;
  readonly name: string;
}

/** What a chain shows of one certificate; dates are epoch milliseconds. */
export interface ChainCertificateView {
  readonly certificatePem: string;
  /** Its subject as one line, attributes in the certificate's order, comma-separated. */
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: number;
  readonly notAfter: number;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n/g;

/** The certificates of a PEM bundle written by fleetca (`CertificateAuthority.chainPem`), in order. */
export function certificatesOfBundle(pem: string): X509Certificate[] {
  return (pem.match(PEM_CERTIFICATE) ?? []).map((block) => new X509Certificate(block));
}

export function viewOf(certificate: X509Certificate, pem = certificate.toString()): ChainCertificateView {
  const { notBefore, notAfter } = readValidity(certificate.raw);
  return {
    certificatePem: pem,
    subject: oneLine(certificate.subject),
    issuer: oneLine(certificate.issuer),
    notBefore: notBefore.getTime(),
    notAfter: notAfter.getTime(),
  };
}

/** Whether the certificate names itself as its issuer (a root, or a self-signed device certificate), RFC 5280 §7.1. */
export function isSelfIssued(certificate: X509Certificate): boolean {
  const { subject, issuer } = readCertificateParts(certificate.raw);
  return namesMatch(subject, issuer);
}

/** Everything wrong with the chain at `now`, one sentence each, in chain order; empty when it holds. */
export function chainProblems(links: readonly ChainLink[], now: Date): string[] {
  const problems: string[] = [];
  links.forEach((link, i) => {
    problems.push(...validityProblems(link, now));
    const issuer = links[i + 1];
    if (issuer) problems.push(...linkProblems(link, issuer));
    else if (isSelfIssued(link.certificate) && !signedBy(link.certificate, link.certificate)) {
      problems.push(`${capitalised(link.name)} names itself as its issuer, but its self-signature does not verify.`);
    }
  });
  return problems;
}

function validityProblems(link: ChainLink, now: Date): string[] {
  const { notBefore, notAfter } = readValidity(link.certificate.raw);
  if (now < notBefore) return [`${capitalised(link.name)} is not valid before ${notBefore.toISOString()}.`];
  if (now > notAfter) return [`${capitalised(link.name)} expired on ${notAfter.toISOString()}.`];
  return [];
}

function linkProblems(link: ChainLink, issuer: ChainLink): string[] {
  if (!link.certificate.checkIssued(issuer.certificate)) {
    const named = oneLine(link.certificate.issuer);
    const subject = oneLine(issuer.certificate.subject);
    // Same name, other key: the authority key identifier (or the issuer's key usage) rules it out.
    const why = named === subject ? `it names ${subject} but not its key` : `its issuer is ${named}, not ${subject}`;
    return [`${capitalised(link.name)} was not issued by ${issuer.name}: ${why}.`];
  }
  if (!signedBy(link.certificate, issuer.certificate)) {
    return [`The signature of ${issuer.name} on ${link.name} does not verify.`];
  }
  return [];
}

function signedBy(certificate: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return certificate.verify(issuer.publicKey);
  } catch {
    // A key the signature algorithm does not fit: not signed by it.
    return false;
  }
}

/** node:crypto's multi-line Name text as one line: `CN=device, O=Example`. */
function oneLine(name: string): string {
  return name.split('\n').join(', ');
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
