import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  childSlices,
  DerError,
  decodeOid,
  decodeSmallInteger,
  readChildren,
  readTlv,
  readWhole,
} from '../../src/ca/der.js';
import { encodeLength, encodeOidContent, namedBitString, time, unsignedInteger } from '../../src/ca/der-writer.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('der reader', () => {
  it('reads a short-form TLV', () => {
    const el = readTlv(hex('0403 aabbcc'));
    assert.deepEqual(
      { tag: el.tag, constructed: el.constructed, headerLength: el.headerLength, start: el.start },
      { tag: 0x04, constructed: false, headerLength: 2, start: 0 },
    );
    assert.equal(el.contentStart, 2);
    assert.equal(el.contentEnd, 5);
  });

  it('reads long-form lengths at an offset', () => {
    const buf = Buffer.concat([hex('ff'), hex('0481c8'), Buffer.alloc(200, 1)]);
    const el = readTlv(buf, 1);
    assert.equal(el.headerLength, 3);
    assert.equal(el.contentStart, 4);
    assert.equal(el.contentEnd, 204);
  });

  it('reads high tag numbers', () => {
    const el = readTlv(hex('9f2001 00'));
    assert.equal(el.tagClass, 2);
    assert.equal(el.tagNumber, 32);
    assert.equal(el.contentEnd, 4);
  });

  it('rejects indefinite lengths', () => {
    assert.throws(
      () => readTlv(hex('3080 0500 0000')),
      (e: Error) => e instanceof DerError && /indefinite/.test(e.message),
    );
  });

  it('rejects non-minimal long-form lengths', () => {
    assert.throws(() => readTlv(hex('0481 05 0102030405')), /non-minimal/);
    assert.throws(() => readTlv(hex('0482 0005 0102030405')), /non-minimal/);
    assert.throws(() => readTlv(Buffer.concat([hex('0482 00c8'), Buffer.alloc(200)])), /non-minimal/);
  });

  it('rejects non-minimal high tag numbers', () => {
    assert.throws(() => readTlv(hex('9f0100')), /non-minimal/);
    assert.throws(() => readTlv(hex('9f800100')), /non-minimal/);
  });

  it('rejects lengths past the buffer and truncated headers', () => {
    assert.throws(() => readTlv(hex('0405 0102')), /past the end/);
    assert.throws(() => readTlv(hex('30')), /truncated/);
    assert.throws(() => readTlv(hex('3082 01')), /truncated/);
    assert.throws(() => readTlv(hex('')), /end of data/);
    assert.throws(() => readTlv(hex('30ff')), DerError);
  });

  it('readWhole rejects trailing bytes', () => {
    assert.equal(readWhole(hex('0500')).contentEnd, 2);
    assert.throws(() => readWhole(hex('0500 00')), /1 trailing bytes/);
  });

  it('lists children, which must fill their parent exactly', () => {
    const buf = hex('3008 020101 0403aabbcc');
    const parent = readWhole(buf);
    assert.deepEqual(
      childSlices(buf, parent).map((b) => b.toString('hex')),
      ['020101', '0403aabbcc'],
    );
    // The second child claims 4 bytes but its parent only has 3 left.
    const bad = hex('3008 020101 0404aabbcc');
    assert.throws(() => readChildren(bad, readTlv(bad, 0, 10)), DerError);
    assert.throws(() => readChildren(buf, readTlv(buf, 2)), /not constructed/);
  });

  it('child slices are the exact bytes, not re-encodings', () => {
    // A BER-style BOOLEAN TRUE (01 instead of ff) inside is kept as is.
    const buf = hex('3003 010101');
    assert.deepEqual(childSlices(buf, readWhole(buf))[0], hex('010101'));
  });

  it('decodes object identifiers', () => {
    assert.equal(decodeOid(hex('2a864886f70d01010b')), '1.2.840.113549.1.1.11');
    assert.equal(decodeOid(hex('550403')), '2.5.4.3');
    assert.equal(decodeOid(hex('0992268993f22c640119')), '0.9.2342.19200300.100.1.25');
    assert.equal(decodeOid(hex('8837')), '2.999');
    assert.throws(() => decodeOid(hex('2a8086')), /non-minimal/);
    assert.throws(() => decodeOid(hex('2a86')), /truncated/);
    assert.throws(() => decodeOid(hex('')), /empty/);
  });

  it('decodes small integers strictly', () => {
    assert.equal(decodeSmallInteger(hex('00')), 0);
    assert.equal(decodeSmallInteger(hex('7f')), 127);
    assert.equal(decodeSmallInteger(hex('0080')), 128);
    assert.equal(decodeSmallInteger(hex('ff')), -1);
    assert.equal(decodeSmallInteger(hex('ff7f')), -129);
    assert.throws(() => decodeSmallInteger(hex('0001')), /non-minimal/);
    assert.throws(() => decodeSmallInteger(hex('ff80')), /non-minimal/);
    assert.throws(() => decodeSmallInteger(hex('')), /empty/);
  });
});

describe('der writer', () => {
  it('encodes minimal lengths', () => {
    assert.equal(encodeLength(0).toString('hex'), '00');
    assert.equal(encodeLength(127).toString('hex'), '7f');
    assert.equal(encodeLength(128).toString('hex'), '8180');
    assert.equal(encodeLength(256).toString('hex'), '820100');
  });

  it('encodes positive integers with a pad only when needed', () => {
    assert.equal(unsignedInteger(hex('7f')).toString('hex'), '02017f');
    assert.equal(unsignedInteger(hex('80')).toString('hex'), '02020080');
    assert.equal(unsignedInteger(hex('000001')).toString('hex'), '020101');
    assert.equal(unsignedInteger(hex('0000')).toString('hex'), '020100');
  });

  it('round-trips object identifiers', () => {
    for (const oid of ['1.2.840.113549.1.1.11', '2.5.29.35', '0.9.2342.19200300.100.1.25', '2.999.1']) {
      assert.equal(decodeOid(encodeOidContent(oid)), oid);
    }
    assert.throws(() => encodeOidContent('1.40'), RangeError);
    assert.throws(() => encodeOidContent('3.1'), RangeError);
    assert.throws(() => encodeOidContent('1.02'), RangeError);
  });

  it('encodes named bit strings as DER requires', () => {
    assert.equal(namedBitString([0]).toString('hex'), '03020780');
    assert.equal(namedBitString([5, 6]).toString('hex'), '03020106');
    assert.equal(namedBitString([0, 5, 6]).toString('hex'), '03020186');
    assert.equal(namedBitString([8]).toString('hex'), '0303070080');
  });

  it('picks UTCTime before 2050 and GeneralizedTime from 2050', () => {
    assert.equal(time(new Date('2049-12-31T23:59:59.999Z')).toString('latin1'), '\x17\x0d491231235959Z');
    assert.equal(time(new Date('2050-01-01T00:00:00Z')).toString('latin1'), '\x18\x0f20500101000000Z');
    assert.equal(time(new Date('1999-02-03T04:05:06Z')).toString('latin1'), '\x17\x0d990203040506Z');
    assert.throws(() => time(new Date('1949-12-31T23:59:59Z')), RangeError);
    assert.throws(() => time(new Date(Number.NaN)), RangeError);
  });
});
