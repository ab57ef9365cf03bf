import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CsrError, readCertificateSigningRequest } from '../../src/ca/csr.js';
import { boolean, octetString, oid, sequence, set, tlv } from '../../src/ca/der-writer.js';
import { encodeName } from '../../src/ca/distinguished-name.js';
import { fromPem, toPem } from '../../src/ca/pem.js';
import { AWS_SAMPLE_CERTIFICATE_PEM } from '../helpers/aws-sample-certificate.js';
import { buildCsr, makeTempDir, openssl } from '../helpers/ca-test-support.js';

const tmp = makeTempDir('csr');
after(() => tmp.remove());

/** Key files made by the openssl CLI, by name. */
const keys: Record<string, string> = {};

function genpkey(name: string, args: string[]): void {
  const path = join(tmp.path, `${name}.key`);
  openssl(['genpkey', ...args, '-out', path]);
  keys[name] = path;
}

before(() => {
  genpkey('rsa2048', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']);
  genpkey('rsa1024', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024']);
  genpkey('p256', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']);
  genpkey('p384', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384']);
  genpkey('p521', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521']);
  genpkey('secp256k1', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1']);
  genpkey('ed25519', ['-algorithm', 'Ed25519']);
  const dsaParams = join(tmp.path, 'dsa.params');
  openssl(['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:1024', '-out', dsaParams]);
  genpkey('dsa', ['-paramfile', dsaParams]);
});

/** `openssl req -new` with the given key and extra arguments; the PEM CSR. */
function req(key: string, ...extra: string[]): string {
  return openssl(['req', '-new', '-key', keys[key] as string, '-subj', '/CN=device-1/O=Acme', ...extra]).toString();
}

function privateKey(name: string): KeyObject {
  return createPrivateKey(readFileSync(keys[name] as string));
}

function spkiOf(name: string): Buffer {
  return createPublicKey(privateKey(name)).export({ type: 'spki', format: 'der' });
}

function refused(pem: string, pattern: RegExp): void {
  assert.throws(
    () => readCertificateSigningRequest(pem),
    (e: Error) => {
      assert.ok(e instanceof CsrError, `expected CsrError, got ${e}`);
      assert.match(e.message, pattern);
      return true;
    },
  );
}

/** Re-armours a CSR after `edit` changed its DER. */
function editDer(pem: string, edit: (der: Buffer) => Buffer): string {
  return toPem('CERTIFICATE REQUEST', edit(Buffer.from(fromPem(pem, ['CERTIFICATE REQUEST']).der)));
}

describe('readCertificateSigningRequest accepts', () => {
  const cases: Array<[string, string, string[]]> = [
    ['RSA-2048 sha256WithRSAEncryption', 'rsa2048', ['-sha256']],
    ['RSA-2048 sha1WithRSAEncryption', 'rsa2048', ['-sha1']],
    ['RSA-2048 sha384WithRSAEncryption', 'rsa2048', ['-sha384']],
    ['RSA-2048 sha512WithRSAEncryption', 'rsa2048', ['-sha512']],
    [
      'RSA-2048 RSASSA-PSS sha256, salt 32',
      'rsa2048',
      ['-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'],
    ],
    [
      'RSA-2048 RSASSA-PSS sha512, maximum salt',
      'rsa2048',
      ['-sha512', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:max'],
    ],
    [
      'RSA-2048 RSASSA-PSS sha1 (all-default parameters)',
      'rsa2048',
      ['-sha1', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:20'],
    ],
    ['EC P-256 ecdsa-with-SHA256', 'p256', ['-sha256']],
    ['EC P-256 ecdsa-with-SHA1', 'p256', ['-sha1']],
    ['EC P-384 ecdsa-with-SHA384', 'p384', ['-sha384']],
    ['EC P-521 ecdsa-with-SHA512', 'p521', ['-sha512']],
  ];
  for (const [title, key, extra] of cases) {
    it(title, () => {
      const csr = readCertificateSigningRequest(req(key, ...extra));
      assert.deepEqual(csr.publicKey.export({ type: 'spki', format: 'der' }), spkiOf(key));
      // openssl's default string mask writes UTF8String, as encodeName does.
      assert.deepEqual(csr.subject, encodeName('CN=device-1,O=Acme'));
    });
  }

  it('reports the key details', () => {
    assert.equal(readCertificateSigningRequest(req('rsa2048')).publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.equal(readCertificateSigningRequest(req('p384')).publicKey.asymmetricKeyDetails?.namedCurve, 'secp384r1');
    assert.equal(readCertificateSigningRequest(req('p521')).publicKey.asymmetricKeyDetails?.namedCurve, 'secp521r1');
  });

  it('the NEW CERTIFICATE REQUEST label and CRLF line endings', () => {
    const pem = req('p256')
      .replace(/CERTIFICATE REQUEST/g, 'NEW CERTIFICATE REQUEST')
      .replace(/\n/g, '\r\n');
    assert.deepEqual(readCertificateSigningRequest(pem).subject, encodeName('CN=device-1,O=Acme'));
  });

  it('non-DER content covered by a valid signature is still refused: DER is checked before the signature', () => {
    // An extensionRequest whose critical flag is BER TRUE (01) instead of DER TRUE (ff), correctly signed.
    const berTrue = Buffer.from([0x01, 0x01, 0x01]);
    assert.notDeepEqual(berTrue, boolean(true));
    const extension = sequence(oid('2.5.29.19'), berTrue, octetString(sequence()));
    const attribute = sequence(oid('1.2.840.113549.1.9.14'), set(sequence(extension)));
    const key = privateKey('rsa2048');
    const pem = buildCsr({
      subject: encodeName('CN=ber'),
      publicKey: createPublicKey(key),
      privateKey: key,
      attributes: attribute,
    });
    assert.ok(fromPem(pem, ['CERTIFICATE REQUEST']).der.includes(Buffer.concat([oid('2.5.29.19'), berTrue])));
    assert.throws(() => readCertificateSigningRequest(pem), /could not be parsed: BOOLEAN must be one octet, 00 or FF/);
  });

  it('a request without the attributes field', () => {
    // PKCS#10 makes attributes [0] mandatory, but some small encoders drop it when empty.
    const key = privateKey('p256');
    const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
    const info = sequence(Buffer.from([0x02, 0x01, 0x00]), encodeName('CN=x'), spki);
    const signature = sign('sha256', info, key);
    const der = sequence(info, sequence(oid('1.2.840.10045.4.3.2')), tlv(0x03, Buffer.from([0]), signature));
    assert.deepEqual(readCertificateSigningRequest(toPem('CERTIFICATE REQUEST', der)).subject, encodeName('CN=x'));
  });
});

describe('readCertificateSigningRequest refuses', () => {
  it('RSA-1024, naming the size', () =>
    refused(
      req('rsa1024'),
      /unsupported public key: RSA 1024 bits; only RSA keys of at least 2048 bits or EC keys on P-256, P-384 or P-521/,
    ));
  it('Ed25519', () => refused(req('ed25519'), /unsupported public key: Ed25519/));
  it('secp256k1, naming the curve', () => refused(req('secp256k1'), /unsupported public key: EC on curve secp256k1/));
  it('DSA', () => refused(req('dsa'), /unsupported public key: DSA/));

  it('an RSA key with an even public exponent', () => {
    refused(
      editDer(req('rsa2048'), (der) => {
        const at = der.indexOf(Buffer.from('0203010001', 'hex'));
        der[at + 4] = 0x00; // e = 65536
        return der;
      }),
      /RSA public exponent 65536 is not valid/,
    );
  });

  it('a tampered signature', () => {
    refused(
      editDer(req('rsa2048'), (der) => {
        der[der.length - 1] = (der[der.length - 1] as number) ^ 0x01;
        return der;
      }),
      /signature does not verify/,
    );
  });

  it('tampered RSASSA-PSS and ECDSA signatures', () => {
    const flipLast = (der: Buffer) => {
      der[der.length - 1] = (der[der.length - 1] as number) ^ 0x80;
      return der;
    };
    refused(
      editDer(req('rsa2048', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'), flipLast),
      /does not verify/,
    );
    refused(editDer(req('p384', '-sha384'), flipLast), /does not verify/);
  });

  it('a tampered subject', () => {
    refused(
      editDer(req('p256'), (der) => {
        const at = der.indexOf(Buffer.from('device-1'));
        der[at] = 'D'.charCodeAt(0);
        return der;
      }),
      /signature does not verify/,
    );
  });

  it('a version other than 0', () => {
    refused(
      editDer(req('p256'), (der) => {
        // The first INTEGER in the CertificationRequestInfo: 02 01 00.
        const at = der.indexOf(Buffer.from([0x02, 0x01, 0x00]));
        der[at + 2] = 1;
        return der;
      }),
      /unsupported certificate signing request version 1/,
    );
  });

  it('an unsupported signature algorithm, naming it', () => {
    refused(
      editDer(req('rsa2048'), (der) => {
        const sha256WithRsa = oid('1.2.840.113549.1.1.11');
        const at = der.lastIndexOf(sha256WithRsa);
        oid('1.2.840.113549.1.1.4').copy(der, at);
        return der;
      }),
      /unsupported signature algorithm md5WithRSAEncryption/,
    );
  });

  it('an RSA signature algorithm on an EC key', () => {
    const key = privateKey('p256');
    const algorithm = sequence(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));
    refused(
      buildCsr({ subject: encodeName('CN=x'), publicKey: createPublicKey(key), privateKey: key, algorithm }),
      /signed with an RSA algorithm but its public key is EC/,
    );
  });

  it('RSASSA-PSS whose MGF1 digest differs from the message digest', () => {
    refused(
      req('rsa2048', '-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_mgf1_md:sha1'),
      /MGF1 with sha1 and message digest sha256 differ/,
    );
  });

  it('RSASSA-PSS without parameters', () => {
    const key = privateKey('rsa2048');
    refused(
      buildCsr({
        subject: encodeName('CN=x'),
        publicKey: createPublicKey(key),
        privateKey: key,
        algorithm: sequence(oid('1.2.840.113549.1.1.10')),
      }),
      /RSASSA-PSS signature algorithm is missing its parameters/,
    );
  });

  it('garbage and empty text', () => {
    refused('this is not a CSR', /not a PEM CSR/);
    refused('', /not a PEM CSR/);
    refused(undefined as unknown as string, /must be a PEM string/);
  });

  it('a certificate instead of a CSR', () => {
    refused(
      AWS_SAMPLE_CERTIFICATE_PEM,
      /not a PEM CSR: expected a PEM "CERTIFICATE REQUEST" or "NEW CERTIFICATE REQUEST" block, found "CERTIFICATE"/,
    );
  });

  it('a certificate inside a CERTIFICATE REQUEST label', () => {
    refused(AWS_SAMPLE_CERTIFICATE_PEM.replace(/CERTIFICATE/g, 'CERTIFICATE REQUEST'), /could not be parsed|signature/);
  });

  it('bytes that are not DER', () => {
    refused(toPem('CERTIFICATE REQUEST', Buffer.from('hello, world')), /could not be parsed/);
    refused(
      editDer(req('p256'), (der) => der.subarray(0, der.length - 3)),
      /could not be parsed/,
    );
    refused(
      editDer(req('p256'), (der) => Buffer.concat([der, Buffer.from([0])])),
      /could not be parsed: 1 trailing bytes/,
    );
  });

  it('an indefinite-length encoding', () => {
    refused(
      editDer(req('p256'), (der) => {
        // 30 81 xx / 30 82 xx xx → 30 80 ... 00 00 (BER indefinite form)
        const headerLength = der[1] === 0x81 ? 3 : der[1] === 0x82 ? 4 : 2;
        return Buffer.concat([Buffer.from([0x30, 0x80]), der.subarray(headerLength), Buffer.from([0, 0])]);
      }),
      /indefinite length/,
    );
  });

  it('a malformed subject Name', () => {
    const key = privateKey('p256');
    const badName = sequence(tlv(0x31)); // an empty RDN SET
    refused(buildCsr({ subject: badName, publicKey: createPublicKey(key), privateKey: key }), /empty RDN/);
  });

  it('a key that node:crypto generated with an unsupported curve', () => {
    const { publicKey, privateKey: key } = generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' });
    refused(buildCsr({ subject: encodeName('CN=x'), publicKey, privateKey: key }), /EC on curve brainpoolP256r1/);
  });
});
