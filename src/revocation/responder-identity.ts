import { generateKeyPair, type KeyObject } from 'node:crypto';
import type { RevocationSigner } from '../ca/authority.js';
import { ecdsaResponderSigner, responderKeyHash } from '../ca/ocsp/ocsp-response.js';

/** The delegated responder as a response names and signs with it. */
export interface Responder {
  readonly certificateDer: Buffer;
  readonly keyHash: Buffer;
  readonly signer: ReturnType<typeof ecdsaResponderSigner>;
  readonly notBefore: number;
  readonly notAfter: number;
  /** The responder certificate's serial (hex): fleetca vouches for it itself. */
  readonly serialNumber: string;
}

/**
 * fleetca's delegated OCSP responder: an ECDSA P-256 key made in memory (never written anywhere) and a short-lived
 * certificate for it from the issuing CA (id-kp-OCSPSigning, ocsp-nocheck), renewed once half its life has passed.
 * ECDSA because every nonce asks for a fresh signature: a P-256 signature costs a small fraction of an RSA one.
 * Each replica has its own; clients check the certificate carried in the response against the issuing CA.
 */
export class ResponderIdentity {
  readonly #authority: RevocationSigner;
  readonly #lifetimeMs: number;
  readonly #now: () => Date;
  #current: Responder | undefined;
  #renewing: Promise<Responder> | undefined;

  constructor(authority: RevocationSigner, lifetimeMs: number, now: () => Date) {
    this.#authority = authority;
    this.#lifetimeMs = lifetimeMs;
    this.#now = now;
  }

  /** The responder to sign with now: the current one, renewed first when it is past half its life. */
  async current(): Promise<Responder> {
    const current = this.#current;
    const now = this.#now().getTime();
    if (current && now < current.notBefore + (current.notAfter - current.notBefore) / 2) return current;
    // Past half-life the old one still signs while the new one is made; only the very first call waits.
    const renewal = this.#renew();
    if (!current || now >= current.notAfter) return renewal;
    // A failed renewal is tried again by the next call; the current one signs meanwhile.
    renewal.catch(() => {});
    return current;
  }

  #renew(): Promise<Responder> {
    this.#renewing ??= this.#issue().then(
      (responder) => {
        this.#current = responder;
        this.#renewing = undefined;
        return responder;
      },
      (err: unknown) => {
        this.#renewing = undefined;
        throw err;
      },
    );
    return this.#renewing;
  }

  async #issue(): Promise<Responder> {
    const { publicKey, privateKey } = await ecKeyPair();
    const issued = await this.#authority.issueOcspResponderCertificate({
      publicKey,
      now: this.#now(),
      lifetimeMs: this.#lifetimeMs,
    });
    return {
      certificateDer: issued.der,
      keyHash: responderKeyHash(issued.der),
      signer: ecdsaResponderSigner(privateKey),
      notBefore: issued.notBefore.getTime(),
      notAfter: issued.notAfter.getTime(),
      serialNumber: issued.issuedBy.serialNumber,
    };
  }
}

function ecKeyPair(): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  return new Promise((resolve, reject) =>
    generateKeyPair('ec', { namedCurve: 'prime256v1' }, (err, publicKey, privateKey) =>
      err ? reject(err) : resolve({ publicKey, privateKey }),
    ),
  );
}
