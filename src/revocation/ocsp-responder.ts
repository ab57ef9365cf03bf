import type { RevocationSigner } from '../ca/authority.js';
import { readCertificateParts } from '../ca/certificate-reader.js';
import { Tag } from '../ca/der.js';
import { nullValue, octetString, oid, sequence, tlv } from '../ca/der-writer.js';
import { type OcspCertId, OcspMalformedRequest, parseOcspRequest } from '../ca/ocsp/ocsp-request.js';
import { buildOcspResponse, CERT_ID_HASHES, issuerHashes, ocspStatusResponse } from '../ca/ocsp/ocsp-response.js';
import { Oid } from '../ca/oids.js';
import { revocationStateOf } from '../domain/certificates/revocation.js';
import type { Registry } from '../registry/registry.js';
import type { RegistryChange } from '../registry/registry-changes.js';
import { type OcspStatus, OcspStatusCache } from './ocsp-status-cache.js';
import { ResponderIdentity } from './responder-identity.js';
import type { RevocationSettings } from './revocation-settings.js';

/** An OCSPResponse and how long an HTTP cache may keep it (none for errors and nonce-bound answers). */
export interface OcspAnswer {
  readonly der: Buffer;
  readonly validity?: { readonly thisUpdate: Date; readonly nextUpdate: Date };
}

/** Statuses and signed responses kept at most (the oldest go first). */
const CACHE_CAPACITY = 100_000;
/** A serial fleetca never issued is asked about again after this long (a flood of made-up serials stays cheap). */
const UNKNOWN_KEPT_MS = 60_000;

interface SignedResponse {
  readonly der: Buffer;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly serial: string;
  /** The keeping of the status it was signed from (OcspStatusCache's stamp): reused only while that one is kept. */
  readonly stamp: number;
}

/** A status to sign, and the stamp of its keeping when it is (still) kept. */
interface ReadStatus {
  readonly status: OcspStatus;
  readonly stamp?: number;
}

/**
 * RFC 6960 responder for the certificates fleetca's issuing CA signed. A CertID is ours when its issuer hashes are
 * the issuing CA's under its hash algorithm (SHA-1, SHA-256, SHA-384, SHA-512); a request naming any other issuer
 * — a customer's registered CA, whose key fleetca does not hold — is answered `unauthorized` (RFC 5019 §2.2.3).
 * Statuses come from the registry through the domain's mapping and are kept until the certificate changes; a
 * response without a nonce is signed once and reused for half its lifetime, one with a nonce is signed fresh.
 */
export class OcspResponder {
  readonly #registry: Registry;
  readonly #issuerKeyId: string;
  readonly #issuerHashes: ReadonlyMap<string, { readonly nameHash: Buffer; readonly keyHash: Buffer }>;
  readonly #identity: ResponderIdentity;
  readonly #settings: RevocationSettings;
  readonly #now: () => Date;
  readonly #statuses = new OcspStatusCache(CACHE_CAPACITY);
  readonly #signed = new Map<string, SignedResponse>();
  /** The signed responses' keys by serial (a serial has one CertID per hash algorithm). */
  readonly #signedBySerial = new Map<string, Set<string>>();
  /** Stapled responses by request (a server has one or two TLS identities). */
  readonly #stapled = new Map<string, { readonly der: Buffer; readonly until: number }>();
  /** fleetca's own certificates outside the registry (TLS identities): good while this process uses them. */
  readonly #vouched = new Set<string>();
  #unsubscribe: (() => void) | undefined;
  #changes = 0;

  constructor(options: {
    readonly registry: Registry;
    readonly authority: RevocationSigner;
    readonly settings: RevocationSettings;
    readonly now?: () => Date;
  }) {
    this.#registry = options.registry;
    const issuer = options.authority.revocationIssuer();
    this.#issuerKeyId = issuer.keyIdentifier.toString('hex');
    this.#issuerHashes = new Map(
      [...CERT_ID_HASHES].map(([oid, hash]) => [oid, issuerHashes(issuer.certificateDer, hash)]),
    );
    this.#settings = options.settings;
    this.#now = options.now ?? (() => new Date());
    this.#identity = new ResponderIdentity(
      options.authority,
      options.settings.responderCertificateLifetimeMs,
      this.#now,
    );
  }

  /** Follows the registry's certificate changes, so a changed status is never answered from the cache. */
  watch(): this {
    this.#unsubscribe ??= this.#registry.changes.subscribe((change) => this.#heard(change));
    return this;
  }

  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** Makes the responder certificate now rather than at the first request. */
  async ready(): Promise<void> {
    await this.#identity.current();
  }

  /** A certificate fleetca issued for itself and is using (a TLS identity): answered good. */
  vouchFor(serialNumber: string): void {
    this.#vouched.add(serialNumber);
  }

  /** The OCSPResponse for a DER OCSPRequest; never throws for what a client sent. */
  async answer(request: Buffer): Promise<OcspAnswer> {
    let parsed: ReturnType<typeof parseOcspRequest>;
    try {
      parsed = parseOcspRequest(request);
    } catch (err) {
      if (err instanceof OcspMalformedRequest) return { der: ocspStatusResponse('malformedRequest') };
      throw err;
    }
    if (!parsed.certIds.every((certId) => this.#isOurs(certId))) return { der: ocspStatusResponse('unauthorized') };
    const only = parsed.certIds.length === 1 ? parsed.certIds[0] : undefined;
    if (only && parsed.nonce === undefined) return this.#reusable(only);
    return (await this.#sign(parsed.certIds, parsed.nonce)).answer;
  }

  /**
   * The response a TLS server staples: one answer for all its certificates (signed by `issuer`), since Node's
   * OCSPRequest event may name another of a server's certificates than the one the handshake chose. Signed once and
   * reused for half its lifetime.
   */
  async staple(certificates: readonly Buffer[], issuer: Buffer): Promise<Buffer> {
    const request = ocspRequestFor(certificates, issuer);
    const key = request.toString('hex');
    const now = this.#now().getTime();
    const kept = this.#stapled.get(key);
    if (kept && now < kept.until) return kept.der;
    const { der } = await this.answer(request);
    this.#stapled.set(key, { der, until: now + this.#settings.ocspLifetimeMs / 2 });
    return der;
  }

  #isOurs(certId: OcspCertId): boolean {
    const hashes = this.#issuerHashes.get(certId.hashAlgorithm);
    return hashes?.nameHash.equals(certId.issuerNameHash) === true && hashes.keyHash.equals(certId.issuerKeyHash);
  }

  async #reusable(certId: OcspCertId): Promise<OcspAnswer> {
    const key = certId.der.toString('hex');
    const now = this.#now().getTime();
    const kept = this.#signed.get(key);
    // Reused only while the very status it was signed from is kept: a change of the certificate drops that one, and a
    // status kept again after it (another request's read) is another keeping, with another stamp.
    const fresh = kept && now < kept.thisUpdate.getTime() + this.#settings.ocspLifetimeMs / 2;
    if (kept && fresh && this.#statuses.get(certId.serialNumber, now)?.stamp === kept.stamp) {
      return { der: kept.der, validity: kept };
    }
    const { answer, stamps } = await this.#sign([certId], undefined);
    const stamp = stamps[0];
    // Not kept when signed from a status that was not kept (read while a change arrived) or was dropped meanwhile.
    const stillKept = stamp !== undefined && this.#statuses.get(certId.serialNumber, now)?.stamp === stamp;
    if (answer.validity && stillKept) {
      if (this.#signed.size >= CACHE_CAPACITY) this.#forgetSigned(this.#signed.keys().next().value as string);
      this.#signed.set(key, { der: answer.der, ...answer.validity, serial: certId.serialNumber, stamp });
      const keys = this.#signedBySerial.get(certId.serialNumber) ?? new Set<string>();
      this.#signedBySerial.set(certId.serialNumber, keys.add(key));
    }
    return answer;
  }

  async #sign(
    certIds: readonly OcspCertId[],
    nonce: Buffer | undefined,
  ): Promise<{ answer: OcspAnswer; stamps: readonly (number | undefined)[] }> {
    const responder = await this.#identity.current();
    const statuses = await Promise.all(certIds.map((certId) => this.#status(certId.serialNumber)));
    // Whole seconds: GeneralizedTime without fractions, and never later than the reads above.
    const thisUpdate = new Date(Math.floor(this.#now().getTime() / 1000) * 1000);
    const nextUpdate = new Date(Math.min(thisUpdate.getTime() + this.#settings.ocspLifetimeMs, responder.notAfter));
    const der = await buildOcspResponse({
      responder,
      producedAt: thisUpdate,
      responses: certIds.map((certId, i) => ({
        certIdDer: certId.der,
        status: (statuses[i] as ReadStatus).status,
        thisUpdate,
        nextUpdate,
      })),
      ...(nonce === undefined ? {} : { nonce }),
    });
    const stamps = statuses.map((read) => read.stamp);
    return { answer: nonce === undefined ? { der, validity: { thisUpdate, nextUpdate } } : { der }, stamps };
  }

  async #status(serial: string): Promise<ReadStatus> {
    if (this.#vouched.has(serial)) return { status: { kind: 'good' } };
    const now = this.#now().getTime();
    const kept = this.#statuses.get(serial, now);
    if (kept) return kept;
    const changesBefore = this.#changes;
    const found = await this.#registry.revocation.findIssued({ issuerKeyId: this.#issuerKeyId, serialNumber: serial });
    const status: OcspStatus = found === undefined ? { kind: 'unknown' } : revocationStateOf(found);
    // A change heard during the read may be this certificate's: the answer stands, but it is not kept.
    if (changesBefore !== this.#changes) return { status };
    // Kept until the certificate changes (the change feed), and never longer than a response lives; a serial fleetca
    // never issued, for a minute.
    const stamp =
      found === undefined
        ? this.#statuses.set(serial, status, now + UNKNOWN_KEPT_MS)
        : this.#statuses.set(serial, status, now + this.#settings.ocspLifetimeMs / 2, found.certificateId);
    return { status, stamp };
  }

  #heard(change: RegistryChange): void {
    if (change.kind === 'resync' || change.kind === 'certificate') this.#changes++;
    if (change.kind === 'resync') {
      this.#statuses.clear();
      this.#signed.clear();
      this.#signedBySerial.clear();
      return;
    }
    if (change.kind !== 'certificate') return;
    const serial = this.#statuses.forgetCertificate(change.certificateId);
    if (serial === undefined) return;
    for (const key of this.#signedBySerial.get(serial) ?? []) this.#signed.delete(key);
    this.#signedBySerial.delete(serial);
  }

  #forgetSigned(key: string): void {
    const response = this.#signed.get(key);
    this.#signed.delete(key);
    if (response) this.#signedBySerial.get(response.serial)?.delete(key);
  }
}

/** An OCSPRequest for certificates of one issuer by SHA-1 CertIDs and nothing else (stapling asks in process). */
function ocspRequestFor(certificates: readonly Buffer[], issuerDer: Buffer): Buffer {
  const { nameHash, keyHash } = issuerHashes(issuerDer, 'sha1');
  const requests = certificates.map((certificate) => {
    const serial = readCertificateParts(certificate).serial;
    const certId = sequence(
      sequence(oid(Oid.sha1), nullValue()),
      octetString(nameHash),
      octetString(keyHash),
      tlv(Tag.INTEGER, serial),
    );
    return sequence(certId);
  });
  return sequence(sequence(sequence(...requests)));
}
