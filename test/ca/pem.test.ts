import assert from 'node:assert/strict';
import { randomBytes, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { fromPem, PemError, toPem } from '../../src/ca/pem.js';
import { AWS_SAMPLE_CERTIFICATE_PEM } from '../helpers/aws-sample-certificate.js';
import { makeTempDir, openssl, writeTemp } from '../helpers/ca-test-support.js';

describe('toPem', () => {
  it('reproduces an AWS-issued certificate PEM byte for byte', () => {
    const der = new X509Certificate(AWS_SAMPLE_CERTIFICATE_PEM).raw;
    assert.equal(toPem('CERTIFICATE', der), AWS_SAMPLE_CERTIFICATE_PEM);
  });

  it('writes 64-character lines, LF endings and a trailing newline, like openssl', () => {
    const tmp = makeTempDir('pem');
    try {
      for (const size of [1, 47, 48, 49, 96, 300]) {
        const data = randomBytes(size);
        const pem = toPem('CMS', data);
        assert.match(
          pem,
          /^-----BEGIN CMS-----\n(?:[A-Za-z0-9+/]{64}\n)*[A-Za-z0-9+/]{1,63}={0,2}\n-----END CMS-----\n$|^-----BEGIN CMS-----\n(?:[A-Za-z0-9+/]{64}\n)+-----END CMS-----\n$/,
        );
        assert.ok(!pem.includes('\r'));
        // openssl base64 -e wraps at 64 columns too; its body must be identical.
        const path = writeTemp(tmp.path, `d${size}`, data);
        const body = openssl(['base64', '-e', '-in', path]).toString();
        assert.equal(pem, `-----BEGIN CMS-----\n${body}-----END CMS-----\n`);
      }
    } finally {
      tmp.remove();
    }
  });

  it('refuses invalid labels', () => {
    assert.throws(() => toPem('bad\nlabel', Buffer.from([1])), RangeError);
    assert.throws(() => toPem('', Buffer.from([1])), RangeError);
  });
});

describe('fromPem', () => {
  const der = randomBytes(100);
  const pem = toPem('CERTIFICATE REQUEST', der);

  it('decodes what toPem writes', () => {
    assert.deepEqual(fromPem(pem, ['CERTIFICATE REQUEST']), { label: 'CERTIFICATE REQUEST', der });
  });

  it('accepts CRLF, surrounding whitespace, trailing spaces and other line lengths', () => {
    assert.deepEqual(fromPem(pem.replace(/\n/g, '\r\n'), ['CERTIFICATE REQUEST']).der, der);
    assert.deepEqual(fromPem(`\n\n  \n${pem}\n\n`, ['CERTIFICATE REQUEST']).der, der);
    assert.deepEqual(fromPem(pem.replace(/\n/g, '  \n'), ['CERTIFICATE REQUEST']).der, der);
    const b64 = der.toString('base64');
    const wrapped76 = `-----BEGIN CERTIFICATE REQUEST-----\n${b64.slice(0, 76)}\n${b64.slice(76)}\n-----END CERTIFICATE REQUEST-----`;
    assert.deepEqual(fromPem(wrapped76, ['CERTIFICATE REQUEST']).der, der);
  });

  it('returns which of the accepted labels was found', () => {
    assert.equal(
      fromPem(toPem('NEW CERTIFICATE REQUEST', der), ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']).label,
      'NEW CERTIFICATE REQUEST',
    );
  });

  const rejects = (text: string, pattern: RegExp) =>
    assert.throws(
      () => fromPem(text, ['CERTIFICATE REQUEST']),
      (e: Error) => e instanceof PemError && pattern.test(e.message),
    );

  it('rejects another label, naming it', () => {
    rejects(toPem('CERTIFICATE', der), /found "CERTIFICATE"/);
  });

  it('rejects garbage, empty text and text around the block', () => {
    rejects('', /no text/);
    rejects('hello world', /does not start/);
    rejects(`garbage\n${pem}`, /does not start/);
    rejects(`${pem}garbage\n`, /after the PEM/);
    rejects(`${pem}${pem}`, /after the PEM/);
  });

  it('rejects a missing or mismatched END line', () => {
    rejects(pem.replace('-----END CERTIFICATE REQUEST-----\n', ''), /no "-----END/);
    rejects(pem.replace('END CERTIFICATE REQUEST', 'END CERTIFICATE'), /no "-----END/);
  });

  it('rejects bad base64, inner blank lines, headers and misplaced padding', () => {
    const lines = pem.split('\n');
    rejects([lines[0], '!!!!', ...lines.slice(1)].join('\n'), /invalid base64/);
    rejects([lines[0], lines[1], '', ...lines.slice(2)].join('\n'), /invalid base64/);
    rejects([lines[0], 'Proc-Type: 4,ENCRYPTED', ...lines.slice(1)].join('\n'), /headers/);
    rejects('-----BEGIN CERTIFICATE REQUEST-----\nAA==\nAAAA\n-----END CERTIFICATE REQUEST-----\n', /padding/);
    rejects('-----BEGIN CERTIFICATE REQUEST-----\nAAA\n-----END CERTIFICATE REQUEST-----\n', /truncated/);
    rejects('-----BEGIN CERTIFICATE REQUEST-----\nAB==\n-----END CERTIFICATE REQUEST-----\n', /non-canonical/);
    rejects('-----BEGIN CERTIFICATE REQUEST-----\n-----END CERTIFICATE REQUEST-----\n', /empty/);
  });
});
