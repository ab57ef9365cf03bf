/**
 * The `iot:Certificate.*` policy variables of a device certificate (developerguide/cert-policy-variables.md and
 * use-policy-variables.md): the 13 Subject and Issuer attributes, the five kinds of Subject and Issuer alternative
 * name, and the serial number — AWS populates exactly these (reference §1.5). Values keep certificate order; the
 * evaluator applies the five-item and 1024-character limits. Read with the strict readers in this folder.
 */

import { readCertificateParts } from './certificate-reader.js';
import {
  contentBytes,
  type DerElement,
  DerError,
  decodeOid,
  elementBytes,
  expectTag,
  readChildren,
  readWhole,
  Tag,
} from './der.js';
import { nameAttributeValues } from './name-reader.js';
import { Oid } from './oids.js';

/** Policy-variable suffix → attribute type OID, with the short name used when a Name is written out as text. */
const NAME_ATTRIBUTES: ReadonlyArray<{ readonly variable: string; readonly oid: string; readonly short: string }> = [
  { variable: 'DistinguishedNameQualifier', oid: '2.5.4.46', short: 'dnQualifier' },
  { variable: 'Country', oid: '2.5.4.6', short: 'C' },
  { variable: 'Organization', oid: '2.5.4.10', short: 'O' },
  { variable: 'OrganizationalUnit', oid: '2.5.4.11', short: 'OU' },
  { variable: 'State', oid: '2.5.4.8', short: 'ST' },
  { variable: 'CommonName', oid: Oid.commonName, short: 'CN' },
  { variable: 'SerialNumber', oid: '2.5.4.5', short: 'serialNumber' },
  { variable: 'Title', oid: '2.5.4.12', short: 'title' },
  { variable: 'Surname', oid: '2.5.4.4', short: 'SN' },
  { variable: 'GivenName', oid: '2.5.4.42', short: 'GN' },
  { variable: 'Initials', oid: '2.5.4.43', short: 'initials' },
  { variable: 'Pseudonym', oid: '2.5.4.65', short: 'pseudonym' },
  { variable: 'GenerationQualifier', oid: '2.5.4.44', short: 'generationQualifier' },
];

/** Other attribute types a directoryName may hold, named when written out. */
const OTHER_SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.7': 'L',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

const ISSUER_ALT_NAME = '2.5.29.18';

/** GeneralName choices AWS maps to variables: IMPLICIT tags [1] [2] [6] [7], and [4] (EXPLICIT, a Name). */
const GENERAL_NAMES: ReadonlyMap<number, string> = new Map([
  [0x81, 'RFC822Name'],
  [0x82, 'DNSName'],
  [0xa4, 'DirectoryName'],
  [0x86, 'UniformResourceIdentifier'],
  [0x87, 'IPAddress'],
]);

/**
 * `Subject.CommonName` → ['dev-1'], `Subject.AlternativeName.DNSName` → ['a', 'b'], `SerialNumber` → ['…'],
 * attributes the certificate lacks left out. Throws DerError when `der` is not a certificate.
 */
export function certificatePolicyVariables(der: Buffer): Map<string, string[]> {
  const parts = readCertificateParts(der);
  const variables = new Map<string, string[]>();
  const put = (key: string, values: string[]): void => {
    if (values.length > 0) variables.set(key, values);
  };
  for (const [side, name] of [
    ['Subject', parts.subject],
    ['Issuer', parts.issuer],
  ] as const) {
    for (const attribute of NAME_ATTRIBUTES) {
      put(`${side}.${attribute.variable}`, nameAttributeValues(name, attribute.oid).map(escapeDnValue));
    }
  }
  for (const [side, oid] of [
    ['Subject', Oid.subjectAltName],
    ['Issuer', ISSUER_ALT_NAME],
  ] as const) {
    const extension = parts.extensions.find((candidate) => candidate.oid === oid);
    if (!extension) continue;
    for (const [kind, values] of alternativeNames(extension.value)) put(`${side}.AlternativeName.${kind}`, values);
  }
  put('SerialNumber', [serialNumberText(parts.serial)]);
  return variables;
}

/** AWS treats the serial number as a decimal integer (use-policy-variables.md: 92:12:…:86 → 10525622389124227206). */
export function serialNumberText(content: Buffer): string {
  if (content.length === 0) throw new DerError('serialNumber is empty');
  let value = BigInt(`0x${content.toString('hex')}`);
  // INTEGER is two's complement; RFC 5280 serials are positive, but a negative one is shown as what it encodes.
  if ((content[0] as number) & 0x80) value -= 1n << BigInt(content.length * 8);
  return value.toString(10);
}

/**
 * A DN value as AWS substitutes it: the characters `, " \ + = < > ;` prefixed with a backslash
 * (use-policy-variables.md, "Special Characters": `O=Amazon.com Inc.` becomes `O\=Amazon.com Inc.`).
 */
export function escapeDnValue(value: string): string {
  return value.replace(/[,"\\+=<>;]/g, (char) => `\\${char}`);
}

/** GeneralNames, grouped by the variable each kind feeds, in certificate order. */
function alternativeNames(value: Buffer): Map<string, string[]> {
  const byKind = new Map<string, string[]>();
  for (const element of readChildren(value, expectTag(readWhole(value), Tag.SEQUENCE, 'GeneralNames'))) {
    const kind = GENERAL_NAMES.get(element.tag);
    if (!kind) continue;
    const text = generalNameText(value, element, kind);
    const list = byKind.get(kind) ?? [];
    list.push(text);
    byKind.set(kind, list);
  }
  return byKind;
}

function generalNameText(buffer: Buffer, element: DerElement, kind: string): string {
  const content = contentBytes(buffer, element);
  if (kind === 'IPAddress') return ipAddressText(content);
  if (kind === 'DirectoryName') {
    const [name, extra] = readChildren(buffer, element);
    if (!name || extra) throw new DerError('directoryName must hold one Name');
    return directoryNameText(elementBytes(buffer, name));
  }
  return content.toString('latin1'); // IA5String
}

/**
 * A directoryName written the way AWS's own example shows it (OpenSSL's `/C=US/O=IoT/CN=x`): attributes in
 * encoded order, values escaped as DN values are. AWS does not document the form it substitutes.
 */
function directoryNameText(name: Buffer): string {
  const valuesByOid = new Map<string, string[]>();
  const order: string[] = [];
  for (const rdn of readChildren(name, expectTag(readWhole(name), Tag.SEQUENCE, 'Name'))) {
    for (const attribute of readChildren(name, expectTag(rdn, Tag.SET, 'RelativeDistinguishedName'))) {
      const [type] = readChildren(name, expectTag(attribute, Tag.SEQUENCE, 'AttributeTypeAndValue'));
      if (!type) throw new DerError('AttributeTypeAndValue: expected a type');
      order.push(decodeOid(contentBytes(name, expectTag(type, Tag.OID, 'attribute type'))));
    }
  }
  // The k-th occurrence of a type in the walk is the k-th value the name reader returns for it.
  const taken = new Map<string, number>();
  return order
    .map((oid) => {
      if (!valuesByOid.has(oid)) valuesByOid.set(oid, nameAttributeValues(name, oid));
      const index = taken.get(oid) ?? 0;
      taken.set(oid, index + 1);
      const short = NAME_ATTRIBUTES.find((attribute) => attribute.oid === oid)?.short ?? OTHER_SHORT_NAMES[oid] ?? oid;
      return `/${short}=${escapeDnValue(valuesByOid.get(oid)?.[index] ?? '')}`;
    })
    .join('');
}

/** Four octets as a dotted quad, sixteen as RFC 5952 text (lower case, the longest run of zero groups as `::`). */
function ipAddressText(octets: Buffer): string {
  if (octets.length === 4) return [...octets].join('.');
  if (octets.length !== 16) return octets.toString('hex');
  const groups = Array.from({ length: 8 }, (_, index) => octets.readUInt16BE(index * 2));
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; ) {
    if (groups[start] !== 0) {
      start++;
      continue;
    }
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
