/**
 * Outside CAs and device certificates made with the openssl command line, as a user of
 * RegisterCACertificate / RegisterCertificate would make them. EC P-256 keys keep it fast.
 */

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A key and the certificate made for it, as files and as PEM text. */
export interface Issued {
  readonly name: string;
  readonly keyFile: string;
  readonly certFile: string;
  readonly pem: string;
}

export interface CaOptions {
  /** openssl -subj form; defaults to `/CN=<name>`. */
  readonly subject?: string;
  /** BasicConstraints cA; true unless said otherwise. */
  readonly ca?: boolean;
  /** Sign with this CA instead of self-signing (an intermediate CA). */
  readonly issuer?: Issued;
  /** Reuse this key instead of generating one (same subject + same key = indistinguishable CAs). */
  readonly keyOf?: Issued;
}

const CONFIG = `[req]
distinguished_name = dn
[dn]
[v3_ca]
basicConstraints = critical,CA:TRUE
subjectKeyIdentifier = hash
keyUsage = critical,keyCertSign,cRLSign
[v3_leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
`;

export class TestPki {
  readonly #config: string;

  constructor(readonly dir: string) {
    this.#config = join(dir, 'openssl.cnf');
    writeFileSync(this.#config, CONFIG);
  }

  /** A CA certificate: self-signed unless `issuer` is given. */
  ca(name: string, options: CaOptions = {}): Issued {
    const subject = options.subject ?? `/CN=${name}`;
    const extensions = options.ca === false ? 'v3_leaf' : 'v3_ca';
    const keyFile = options.keyOf?.keyFile ?? this.#key(name);
    const certFile = join(this.dir, `${name}.pem`);
    if (options.issuer) {
      this.#sign(name, keyFile, subject, options.issuer, extensions, certFile);
    } else {
      this.#openssl([
        'req',
        '-x509',
        '-new',
        '-key',
        keyFile,
        '-subj',
        subject,
        '-config',
        this.#config,
        '-extensions',
        extensions,
        '-set_serial',
        serial(),
        '-days',
        '3650',
        '-sha256',
        '-out',
        certFile,
      ]);
    }
    return { name, keyFile, certFile, pem: readFileSync(certFile, 'utf8') };
  }

  /** A device certificate signed by `issuer`; `days` -1 makes one that has already expired (notAfter < notBefore). */
  leaf(name: string, issuer: Issued, subject = `/CN=${name}`, days = 365): Issued {
    const keyFile = this.#key(name);
    const certFile = join(this.dir, `${name}.pem`);
    this.#sign(name, keyFile, subject, issuer, 'v3_leaf', certFile, days);
    return { name, keyFile, certFile, pem: readFileSync(certFile, 'utf8') };
  }

  /** The private-key verification certificate AWS asks for: CN = registration code, signed by the CA. */
  verification(name: string, ca: Issued, code: string): Issued {
    return this.leaf(name, ca, `/CN=${code}`);
  }

  #key(name: string): string {
    const keyFile = join(this.dir, `${name}.key`);
    this.#openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile]);
    return keyFile;
  }

  #sign(
    name: string,
    keyFile: string,
    subject: string,
    issuer: Issued,
    extensions: string,
    out: string,
    days = 365,
  ): void {
    const csr = join(this.dir, `${name}.csr`);
    this.#openssl(['req', '-new', '-key', keyFile, '-subj', subject, '-config', this.#config, '-out', csr]);
    this.#openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      issuer.certFile,
      '-CAkey',
      issuer.keyFile,
      '-set_serial',
      serial(),
      '-days',
      String(days),
      '-sha256',
      '-extfile',
      this.#config,
      '-extensions',
      extensions,
      '-out',
      out,
    ]);
  }

  #openssl(args: readonly string[]): void {
    execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  }
}

/** A random positive 64-bit serial, so certificates with equal contents still differ. */
function serial(): string {
  const bytes = randomBytes(8);
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x01;
  return `0x${bytes.toString('hex')}`;
}
