import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatIsoTimestamp, utcOffsetSeconds } from '../../../src/cli/output/iso-timestamp.js';
import { pyJsonDumps } from '../../../src/cli/python/json.js';
import { CERT_ID, runFleetca } from '../cli-harness.js';

const OK_RESPONSE = {
  certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${CERT_ID}`,
  certificateId: CERT_ID,
  certificatePem: '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n',
  keyPair: {
    PublicKey: '-----BEGIN PUBLIC KEY-----\nMIIBpub\n-----END PUBLIC KEY-----\n',
    PrivateKey: '-----BEGIN RSA PRIVATE KEY-----\nMIIEpriv\n-----END RSA PRIVATE KEY-----\n',
  },
};

// Captured `fmt-ok-json` with fleetca's certificate id.
const OK_JSON = `{
    "certificateArn": "arn:aws:iot:us-east-1:123456789012:cert/${CERT_ID}",
    "certificateId": "${CERT_ID}",
    "certificatePem": "-----BEGIN CERTIFICATE-----\\nMIIBcert\\n-----END CERTIFICATE-----\\n",
    "keyPair": {
        "PublicKey": "-----BEGIN PUBLIC KEY-----\\nMIIBpub\\n-----END PUBLIC KEY-----\\n",
        "PrivateKey": "-----BEGIN RSA PRIVATE KEY-----\\nMIIEpriv\\n-----END RSA PRIVATE KEY-----\\n"
    }
}
`;

describe('JSON output', () => {
  it('prints members in model order with Python json.dumps(indent=4) layout', async () => {
    const result = await runFleetca(['iot', 'create-keys-and-certificate'], { respond: () => OK_RESPONSE });
    assert.equal(result.code, 0);
    assert.equal(result.stdout, OK_JSON);
    assert.equal(result.stderr, '');
  });

  it('ignores wire order and drops unknown keys (fmt-reorder-json)', async () => {
    const result = await runFleetca(['iot', 'create-keys-and-certificate'], {
      respond: () => ({
        zzz: 'unknown',
        keyPair: { Extra: 1, PrivateKey: 'K2', PublicKey: 'K1' },
        certificatePem: 'P',
        certificateId: CERT_ID,
        certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${CERT_ID}`,
        ResponseMetadata: { RequestId: 'x' },
      }),
    });
    assert.equal(
      result.stdout,
      `{
    "certificateArn": "arn:aws:iot:us-east-1:123456789012:cert/${CERT_ID}",
    "certificateId": "${CERT_ID}",
    "certificatePem": "P",
    "keyPair": {
        "PublicKey": "K1",
        "PrivateKey": "K2"
    }
}
`,
    );
  });

  it('drops null members (fmt-nullval-json)', async () => {
    const result = await runFleetca(['iot', 'create-keys-and-certificate'], {
      respond: () => ({ certificateArn: null, certificateId: CERT_ID, keyPair: null }),
    });
    assert.equal(result.stdout, `{\n    "certificateId": "${CERT_ID}"\n}\n`);
  });

  it('writes non-ASCII raw and escapes like Python (fmt-unicode-json)', async () => {
    const result = await runFleetca(['iot', 'create-keys-and-certificate'], {
      respond: () => ({
        certificatePem: 'caf\u00e9 \u65e5\u672c \u{1F600} tab\tq"b\\',
        keyPair: { PublicKey: '\u00fc', PrivateKey: '\u65e5\u672c\u8a9e' },
      }),
    });
    assert.equal(
      result.stdout,
      '{\n    "certificatePem": "café 日本 😀 tab\\tq\\"b\\\\",\n    "keyPair": {\n' +
        '        "PublicKey": "ü",\n        "PrivateKey": "日本語"\n    }\n}\n',
    );
  });

  it('escapes control characters as \\u00XX and leaves / DEL and U+2028 alone', async () => {
    const result = await runFleetca(['iot', 'create-keys-and-certificate'], {
      respond: () => ({ certificatePem: '\u0001\b\f\r/\u007f\u2028' }),
    });
    assert.equal(result.stdout, '{\n    "certificatePem": "\\u0001\\b\\f\\r/\u007f\u2028"\n}\n');
  });

  it('prints nothing at all for a {} result', async () => {
    const update = await runFleetca([
      'iot',
      'update-certificate',
      '--certificate-id',
      CERT_ID,
      '--new-status',
      'ACTIVE',
    ]);
    assert.deepEqual([update.code, update.stdout, update.stderr], [0, '', '']);
    const empty = await runFleetca(['iot', 'create-keys-and-certificate'], { respond: () => ({}) });
    assert.deepEqual([empty.code, empty.stdout], [0, '']);
  });

  it('prints nothing with --output off but still runs the call', async () => {
    const result = await runFleetca(['iot', 'create-keys-and-certificate', '--output', 'off'], {
      respond: () => OK_RESPONSE,
    });
    assert.deepEqual([result.code, result.stdout, result.stderr, result.calls.length], [0, '', '', 1]);
  });

  it('renders nested structures, integers and timestamps of describe-certificate', async () => {
    const result = await runFleetca(['iot', 'describe-certificate', '--certificate-id', CERT_ID], {
      respond: () => ({
        certificateDescription: {
          validity: { notAfter: 2524607999000, notBefore: 1684160718000 },
          customerVersion: 1,
          lastModifiedDate: 1684160838548,
          creationDate: 1684160838000,
          certificatePem: 'PEM',
          status: 'ACTIVE',
          certificateId: CERT_ID,
          transferData: {},
          generationId: null,
        },
      }),
    });
    assert.equal(
      result.stdout,
      `{
    "certificateDescription": {
        "certificateId": "${CERT_ID}",
        "status": "ACTIVE",
        "certificatePem": "PEM",
        "creationDate": "2023-05-15T14:27:18+00:00",
        "lastModifiedDate": "2023-05-15T14:27:18.548000+00:00",
        "customerVersion": 1,
        "transferData": {},
        "validity": {
            "notBefore": "2023-05-15T14:25:18+00:00",
            "notAfter": "2049-12-31T23:59:59+00:00"
        }
    }
}
`,
    );
  });

  it('renders timestamps in the local zone of the environment (TZ)', async () => {
    const respond = () => ({
      certificates: [{ certificateId: CERT_ID, creationDate: 1684160838548 }, { creationDate: 1700000000000 }],
    });
    const newYork = await runFleetca(['iot', 'list-certificates'], { env: { TZ: 'America/New_York' }, respond });
    assert.equal(
      newYork.stdout,
      `{
    "certificates": [
        {
            "certificateId": "${CERT_ID}",
            "creationDate": "2023-05-15T10:27:18.548000-04:00"
        },
        {
            "creationDate": "2023-11-14T17:13:20-05:00"
        }
    ]
}
`,
    );
  });
});

describe('isoformat of timestamps', () => {
  it('follows Python datetime.isoformat()', () => {
    assert.equal(formatIsoTimestamp(1684160838548, 'UTC'), '2023-05-15T14:27:18.548000+00:00');
    assert.equal(formatIsoTimestamp(1700000000000, 'UTC'), '2023-11-14T22:13:20+00:00');
    assert.equal(formatIsoTimestamp(1700000000123, 'Asia/Kathmandu'), '2023-11-15T03:58:20.123000+05:45');
    assert.equal(formatIsoTimestamp(1700000000000, ':Europe/Paris'), '2023-11-14T23:13:20+01:00');
    assert.equal(formatIsoTimestamp(-1, 'UTC'), '1969-12-31T23:59:59.999000+00:00');
  });

  it('reads POSIX TZ strings and falls back to UTC like glibc', () => {
    assert.equal(utcOffsetSeconds(0, 'XYZ5'), -5 * 3600);
    assert.equal(utcOffsetSeconds(0, 'ABC-3:30'), 3.5 * 3600);
    assert.equal(utcOffsetSeconds(0, ''), 0);
    assert.equal(utcOffsetSeconds(0, 'not a zone'), 0);
  });
});

describe('pyJsonDumps', () => {
  it('matches json.dumps for empty containers, numbers and compact separators', () => {
    assert.equal(
      pyJsonDumps({ a: [], b: {}, c: [1, true, null] }, { indent: 4, ensureAscii: false }),
      '{\n    "a": [],\n    "b": {},\n    "c": [\n        1,\n        true,\n        null\n    ]\n}',
    );
    assert.equal(pyJsonDumps({ marker: 'é', n: 1.5, small: 1e-5 }), '{"marker": "\\u00e9", "n": 1.5, "small": 1e-05}');
    assert.equal(pyJsonDumps('\u{1F600}\u007f'), '"\\ud83d\\ude00\\u007f"');
  });
});
