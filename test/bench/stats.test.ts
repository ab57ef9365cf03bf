import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { makeCsr } from '../../bench/csr.js';
import { PrometheusParseError, parsePrometheusText, sampleValue } from '../../bench/prometheus.js';
import { formatMs, formatRate, renderScenario, table, upsertSection } from '../../bench/report.js';
import { percentile, ratio, summarizeLatencies } from '../../bench/stats.js';
import { checkKeysAndCertificate, FLEETCA_RULES, isThrottled, MOTO_RULES } from '../../bench/validate.js';
import { readCertificateSigningRequest } from '../../src/ca/csr.js';
import { makeTempDir, openssl, opensslRun, writeTemp } from '../helpers/ca-test-support.js';

describe('percentile (nearest rank)', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('picks values that occurred, by rank ceil(p/100 * n)', () => {
    assert.equal(percentile(oneToHundred, 50), 50);
    assert.equal(percentile(oneToHundred, 99), 99);
    assert.equal(percentile(oneToHundred, 100), 100);
    assert.equal(percentile(oneToHundred, 0), 1);
    assert.equal(percentile(oneToHundred, 99.5), 100);
  });

  it('on small samples the p99 is the maximum and the p50 the lower middle', () => {
    assert.equal(percentile([3, 7, 9], 99), 9);
    assert.equal(percentile([3, 7, 9], 50), 7);
    assert.equal(percentile([1, 2, 3, 4], 50), 2);
    assert.equal(percentile([42], 1), 42);
  });

  it('is NaN for no data and refuses percentiles outside 0..100', () => {
    assert.ok(Number.isNaN(percentile([], 50)));
    assert.throws(() => percentile([1], 101), RangeError);
    assert.throws(() => percentile([1], -1), RangeError);
    assert.throws(() => percentile([1], Number.NaN), RangeError);
  });

  it('summarizeLatencies sorts numerically without touching its input', () => {
    const latencies = [10, 9, 100, 1.5, 2];
    const summary = summarizeLatencies(latencies);
    assert.deepEqual(latencies, [10, 9, 100, 1.5, 2]);
    assert.equal(summary.count, 5);
    assert.equal(summary.p50, 9);
    assert.equal(summary.p99, 100);
    assert.equal(summary.max, 100);
    assert.equal(summary.mean, 24.5);
    const empty = summarizeLatencies([]);
    assert.equal(empty.count, 0);
    assert.ok(Number.isNaN(empty.p50) && Number.isNaN(empty.mean));
  });

  it('ratio is NaN rather than Infinity or 0 when a side is missing', () => {
    assert.equal(ratio(6, 3), 2);
    assert.ok(Number.isNaN(ratio(1, 0)));
    assert.ok(Number.isNaN(ratio(Number.NaN, 2)));
  });
});

describe('parsePrometheusText', () => {
  const exposition = [
    '# HELP fleetca_keygen_pool_keys Keys ready in the pool.',
    '# TYPE fleetca_keygen_pool_keys gauge',
    'fleetca_keygen_pool_keys 37',
    'fleetca_keygen_pool_capacity 64',
    '# TYPE fleetca_keygen_generated_total counter',
    'fleetca_keygen_generated_total{source="request"} 12 1700000000000',
    'fleetca_keygen_generated_total{source="background",engine="fips186"} 1.5e3',
    'http_request_duration_seconds_bucket{le="+Inf"} 7',
    'odd{path="a \\"quoted\\" \\\\ value\\nline", empty=""} -Inf',
    'not_a_number NaN',
    '',
  ].join('\n');

  it('reads names, labels (with escapes), values and ignores comments and timestamps', () => {
    const samples = parsePrometheusText(exposition);
    assert.equal(samples.length, 7);
    assert.deepEqual(samples[0], { name: 'fleetca_keygen_pool_keys', labels: {}, value: 37 });
    assert.deepEqual(samples[2], { name: 'fleetca_keygen_generated_total', labels: { source: 'request' }, value: 12 });
    assert.deepEqual(samples[3]?.labels, { source: 'background', engine: 'fips186' });
    assert.equal(samples[3]?.value, 1500);
    assert.deepEqual(samples[4]?.labels, { le: '+Inf' });
    assert.deepEqual(samples[5]?.labels, { path: 'a "quoted" \\ value\nline', empty: '' });
    assert.equal(samples[5]?.value, Number.NEGATIVE_INFINITY);
    assert.ok(Number.isNaN(samples[6]?.value));
  });

  it('sampleValue finds a metric by name and label subset', () => {
    const samples = parsePrometheusText(exposition);
    assert.equal(sampleValue(samples, 'fleetca_keygen_pool_keys'), 37);
    assert.equal(sampleValue(samples, 'fleetca_keygen_pool_capacity'), 64);
    assert.equal(sampleValue(samples, 'fleetca_keygen_generated_total', { source: 'background' }), 1500);
    assert.equal(sampleValue(samples, 'fleetca_keygen_generated_total', { source: 'nope' }), undefined);
    assert.equal(sampleValue(samples, 'missing'), undefined);
  });

  it('accepts CRLF line endings and surrounding spaces', () => {
    const samples = parsePrometheusText('a 1\r\n  b{x="y"}   2  \r\n');
    assert.deepEqual(
      samples.map((s) => [s.name, s.value]),
      [
        ['a', 1],
        ['b', 2],
      ],
    );
  });

  it('refuses malformed lines, naming the line', () => {
    for (const bad of ['x', 'x 0x10', 'x abc', 'x{a="1" 2', 'x{a=1} 2', 'x{a="\\q"} 1', '9x 1', 'x 1 2 3']) {
      assert.throws(
        () => parsePrometheusText(`ok 1\n${bad}\n`),
        (err: unknown) => err instanceof PrometheusParseError && err.message.startsWith('line 2:'),
        bad,
      );
    }
  });
});

describe('report rendering', () => {
  it('formats rates and milliseconds with useful precision', () => {
    assert.equal(formatRate(2345.6), '2,346');
    assert.equal(formatRate(42.34), '42.3');
    assert.equal(formatRate(Number.NaN), '—');
    assert.equal(formatMs(0.4242), '0.42');
    assert.equal(formatMs(42.42), '42.4');
    assert.equal(formatMs(1234.5), '1,235');
  });

  it('renders a row per server, the fleetca/moto ratio and the targets', () => {
    const figures = (ok: number, p50: number) => ({
      ok,
      throttled: 1,
      failed: 0,
      elapsedS: 10,
      latency: { count: ok, p50, p99: p50 * 2, max: p50 * 3, mean: p50 },
      serverCpuS: 5,
      machineCpuS: 12,
      clientCpuS: 2,
    });
    const rendered = renderScenario({
      title: 'Example',
      notes: ['a note'],
      rows: [{ label: '8 clients', kind: 'certificates', fleetca: figures(1000, 4), moto: figures(250, 8) }],
      targets: [{ description: 'fleetca ≥ 50 certs/s', measured: '100 certs/s', pass: true }],
    });
    // Columns are padded; the assertions look at the cells.
    const text = rendered.replace(/ +/g, ' ');
    assert.match(text, /^### Example\n\n- a note\n/);
    assert.match(
      text,
      /\| 8 clients \| fleetca \| 100 \| 4\.00 \| 8\.00 \| 5\.00 \| 0\.50 \| 1\.20 \| 0\.20 \| 1000 \| 1 \| 0 \|/,
    );
    assert.match(text, /\| 8 clients \| moto \| 25\.0 \|/);
    assert.match(text, /\| 8 clients \| \*\*fleetca\/moto\*\* \| 4\.00× \| 0\.50× \| 0\.50× \| 0\.25× \|/);
    assert.match(text, /\| fleetca ≥ 50 certs\/s \| 100 certs\/s \| PASS \|/);
  });

  it('pads columns to the widest cell, with a dash row as wide', () => {
    assert.equal(
      table(['a', 'long header'], [['wide cell', 'x']]),
      ['| a         | long header |', '| --------- | ----------- |', '| wide cell | x           |'].join('\n'),
    );
  });

  it('upsertSection replaces the section of its mode and keeps the others', () => {
    const first = upsertSection('', 'full', 'full one');
    assert.match(first, /^# fleetca benchmark results/);
    const both = upsertSection(first, 'quick', 'quick one');
    const replaced = upsertSection(both, 'full', 'full two');
    assert.ok(replaced.includes('full two') && !replaced.includes('full one') && replaced.includes('quick one'));
    assert.ok(replaced.indexOf('full two') < replaced.indexOf('quick one'), 'the section stays where it was');
    assert.equal(upsertSection(replaced, 'full', 'full two'), replaced);
  });
});

describe('response validation', () => {
  const reply = (status: number, body: unknown, errorType?: string) => ({
    status,
    body: JSON.stringify(body),
    latencyMs: 1,
    ...(errorType ? { errorType } : {}),
  });

  /** A real RSA key and a self-signed certificate for it, as a CreateKeysAndCertificate response would carry. */
  function issued() {
    const tmp = makeTempDir('bench-validate');
    try {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const privatePem = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
      const keyFile = writeTemp(tmp.path, 'key.pem', privatePem);
      const certificatePem = openssl(['req', '-x509', '-key', keyFile, '-subj', '/CN=bench', '-days', '1']).toString();
      const publicPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }) as string;
      return { certificatePem, publicPem, privatePem };
    } finally {
      tmp.remove();
    }
  }

  it('accepts consistent CreateKeysAndCertificate replies under each server rule, and names what is wrong', () => {
    const { certificatePem, publicPem, privatePem } = issued();
    const der = new X509Certificate(certificatePem).raw;
    const derId = createHash('sha256').update(der).digest('hex');
    const pemId = createHash('sha256').update(certificatePem).digest('hex');
    const body = (certificateId: string, privateKey = privatePem) => ({
      certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${certificateId}`,
      certificateId,
      certificatePem,
      keyPair: { PublicKey: publicPem, PrivateKey: privateKey },
    });
    assert.equal(checkKeysAndCertificate(reply(200, body(derId)), FLEETCA_RULES), undefined);
    assert.equal(checkKeysAndCertificate(reply(200, body(pemId)), MOTO_RULES), undefined);
    assert.match(checkKeysAndCertificate(reply(200, body(pemId)), FLEETCA_RULES) ?? '', /not the sha256-of-der/);
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    assert.match(
      checkKeysAndCertificate(reply(200, body(derId, otherKey as string)), FLEETCA_RULES) ?? '',
      /PrivateKey does not belong/,
    );
    const wrongArn = { ...body(derId), certificateArn: 'arn:aws:iot:us-east-1:123456789012:cert/other' };
    assert.match(checkKeysAndCertificate(reply(200, wrongArn), FLEETCA_RULES) ?? '', /does not name the id/);
    assert.match(checkKeysAndCertificate(reply(500, {}), FLEETCA_RULES) ?? '', /^HTTP 500/);
    assert.match(checkKeysAndCertificate(reply(200, { certificateArn: 'a' }), MOTO_RULES) ?? '', /missing/);
    assert.match(
      checkKeysAndCertificate(reply(200, { ...body(derId), certificatePem: 'not a pem' }), FLEETCA_RULES) ?? '',
      /does not parse/,
    );
  });

  it('tells throttling apart from failures', () => {
    assert.ok(isThrottled(reply(400, { message: 'Rate exceeded.' }, 'ThrottlingException')));
    assert.ok(isThrottled(reply(429, {})));
    assert.ok(!isThrottled(reply(400, { message: 'bad' }, 'InvalidRequestException')));
    assert.ok(!isThrottled(reply(200, {})));
  });

  it('makeCsr builds a signed PKCS#10 request that fleetca and openssl both accept', () => {
    const csr = makeCsr('bench-test-device');
    const parsed = readCertificateSigningRequest(csr.pem);
    assert.deepEqual(parsed.publicKey.export({ type: 'spki', format: 'der' }), csr.publicKeySpki);
    const verified = opensslRun(['req', '-verify', '-noout', '-subject'], csr.pem);
    assert.equal(verified.status, 0, verified.stderr);
    assert.match(verified.stdout, /CN\s*=\s*bench-test-device/);
    assert.notDeepEqual(makeCsr('another').publicKeySpki, csr.publicKeySpki);
  });
});
