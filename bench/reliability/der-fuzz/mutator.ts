/**
 * The seeded mutations. Each mutant is a seed with one to three of them applied, either to the signed part
 * (which is then signed again with the seed's real key, so a broken signature is not what refuses it) or to the
 * whole signed document (signature left as it was). Same seed number, same mutants.
 */

import { encodeOidContent } from '../../../src/ca/der-writer.js';
import type { Prng } from '../prng.js';
import { allNodes, cloneTree, type DerNode, parseTree, writeTree } from './der-tree.js';
import { type Seed, signDocument } from './seeds.js';

type TreeMutation = (root: DerNode, random: Prng, room: number) => boolean;
type ByteMutation = (bytes: Buffer, random: Prng) => Buffer;

const isTime = (n: DerNode) => n.tag === 0x17 || n.tag === 0x18;
const isOid = (n: DerNode) => n.tag === 0x06;
const oidText = (n: DerNode | undefined) => (n?.tag === 0x06 && n.content ? n.content.toString('hex') : '');
/** 2.5.4.x, emailAddress, domainComponent: the attribute types of a Name. */
const isNameAttributeType = (n: DerNode | undefined) => {
  const hex = oidText(n);
  return hex.startsWith('5504') || hex === '2a864886f70d010901' || hex === '0992268993f22c640119';
};

function pickNode(root: DerNode, random: Prng, where: (node: DerNode, parent?: DerNode) => boolean) {
  const candidates = allNodes(root).filter(({ node, parent }) => where(node, parent));
  return candidates.length === 0 ? undefined : random.pick(candidates);
}

/** Name attribute values: the second child of a SEQUENCE whose first is a Name attribute type. */
function nameValues(root: DerNode): DerNode[] {
  return allNodes(root)
    .filter(({ node }) => node.tag === 0x30 && node.children?.length === 2 && isNameAttributeType(node.children[0]))
    .map(({ node }) => node.children?.[1] as DerNode);
}

const BAD_TIMES: readonly [number, string][] = [
  [0x17, '991332235959Z'], // month 13
  [0x17, '250230120000Z'], // 30 February
  [0x17, '250101246000Z'], // hour 24
  [0x17, '250101235960Z'], // second 60
  [0x17, '2501012359Z'], // no seconds
  [0x17, '250101235959+0100'], // offset
  [0x17, '250101235959'], // no Z
  [0x18, '20300101000000Z'], // GeneralizedTime before 2050
  [0x18, '20500101000000.5Z'], // fraction
  [0x18, '2050010100000Z'], // short
  [0x17, '25010123595 Z'],
  [0x17, ''],
];

/** Tags for a Name value that RFC 5280 does not allow there (and some it does, with bad content). */
const BAD_NAME_TAGS = [
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x1a, 0x1b, 0x17, 0x30, 0x31, 0x80, 0x12, 0x1c, 0x1e, 0x14,
];
const BAD_NAME_CONTENTS = [
  Buffer.from([0xff, 0xfe]),
  Buffer.from([0xc3]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from('odd'),
  Buffer.from('a@b_c'),
];

const SWAP_TAGS = [
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x16, 0x17, 0x18, 0x1e, 0x30, 0x31, 0xa0, 0xa3, 0x80, 0x24,
  0x23, 0x1f, 0x3f,
];

const treeMutations: Readonly<Record<string, TreeMutation>> = {
  'non-minimal length': (root, random) => {
    const target = pickNode(root, random, () => true);
    if (!target) return false;
    target.node.length = random.pick(['long', 'padded'] as const);
    return true;
  },
  'indefinite length': (root, random) => {
    const target = pickNode(root, random, (n) => n.children !== undefined && !n.encapsulated);
    if (!target) return false;
    target.node.length = 'indefinite';
    return true;
  },
  'tag swap': (root, random) => {
    const target = pickNode(root, random, () => true);
    if (!target) return false;
    target.node.tag = random.pick(SWAP_TAGS);
    return true;
  },
  'delete element': (root, random) => {
    const target = pickNode(root, random, (_n, parent) => parent?.children !== undefined);
    if (!target?.parent?.children) return false;
    target.parent.children.splice(target.parent.children.indexOf(target.node), 1);
    return true;
  },
  'duplicate element': (root, random) => {
    const target = pickNode(root, random, (_n, parent) => parent?.children !== undefined);
    if (!target?.parent?.children) return false;
    target.parent.children.splice(target.parent.children.indexOf(target.node), 0, cloneTree(target.node));
    return true;
  },
  'duplicated extension': (root, random) => {
    // An Extension: SEQUENCE whose first child is an OID under 2.5.29 (id-ce).
    const target = pickNode(root, random, (n) => n.tag === 0x30 && oidText(n.children?.[0]).startsWith('551d'));
    if (!target?.parent?.children) return false;
    const at = target.parent.children.indexOf(target.node);
    target.parent.children.splice(at + random.below(target.parent.children.length - at + 1), 0, cloneTree(target.node));
    return true;
  },
  'bad time': (root, random) => {
    const target = pickNode(root, random, isTime);
    if (!target) return false;
    const [tag, text] = random.pick(BAD_TIMES);
    target.node.tag = tag;
    target.node.content = Buffer.from(text, 'latin1');
    return true;
  },
  'bad name value': (root, random) => {
    const values = nameValues(root);
    if (values.length === 0) return false;
    const value = random.pick(values);
    if (random.below(2) === 0) value.tag = random.pick(BAD_NAME_TAGS);
    else value.content = random.pick(BAD_NAME_CONTENTS);
    if (value.children) value.children = undefined;
    if (!value.content) value.content = Buffer.from('x');
    return true;
  },
  'equivalent name': (root, random) => {
    // Same name, other octets: UTF8String -> PrintableString and the case changed.
    const values = nameValues(root);
    if (values.length === 0) return false;
    const value = random.pick(values);
    value.tag = value.tag === 0x0c ? 0x13 : 0x0c;
    value.content = Buffer.from((value.content ?? Buffer.from('x')).toString('latin1').toUpperCase(), 'latin1');
    return true;
  },
  'huge OID': (root, random, room) => {
    const target = pickNode(root, random, isOid);
    if (!target) return false;
    const size = Math.max(1, Math.min(room, random.pick([19, 20, 21, 64, 1000, 45_000])));
    const arc = Buffer.alloc(size, 0xff);
    arc[size - 1] = 0x7f;
    target.node.content = Buffer.concat([encodeOidContent('1.3.6.1.4.1'), arc]);
    return true;
  },
  'BER BOOLEAN': (root, random) => {
    const target = pickNode(root, random, (n) => n.tag === 0x01);
    if (!target) return false;
    target.node.content = Buffer.from([random.pick([0x01, 0x00, 0x80])]);
    return true;
  },
  'non-minimal INTEGER': (root, random) => {
    const target = pickNode(root, random, (n) => n.tag === 0x02 && n.content !== undefined);
    if (!target?.node.content) return false;
    target.node.content = Buffer.concat([Buffer.from([random.pick([0x00, 0xff])]), target.node.content]);
    return true;
  },
  'BIT STRING padding': (root, random) => {
    const target = pickNode(root, random, (n) => n.tag === 0x03 && n.content !== undefined);
    if (!target?.node.content) return false;
    target.node.content = Buffer.from(target.node.content);
    target.node.content[0] = 1 + random.below(9);
    return true;
  },
  'SET order': (root, random) => {
    const target = pickNode(root, random, (n) => (n.tag === 0x31 || n.tag === 0xa0) && (n.children?.length ?? 0) >= 1);
    if (!target?.node.children) return false;
    if (target.node.children.length === 1) target.node.children.push(cloneTree(target.node.children[0] as DerNode));
    target.node.children.reverse();
    return true;
  },
  'CSR attribute': (root, random) => {
    const attributes = pickNode(root, random, (n) => n.tag === 0xa0 && n.children !== undefined);
    const list = attributes?.node.children;
    if (!list) return false;
    const variant = random.below(5);
    const first = list[0];
    if (variant === 0 && first?.children?.[1])
      first.children[1].children = []; // no value
    else if (variant === 1 && first)
      list.push(cloneTree(first)); // twice
    else if (variant === 2 && first?.children?.[1]?.children?.[0])
      first.children[1].children.push(cloneTree(first.children[1].children[0])); // two values
    else if (variant === 3)
      list.push({ tag: 0x02, content: Buffer.from([1]), length: 'minimal' }); // not an Attribute
    else
      list.push({
        tag: 0x30,
        children: [
          { tag: 0x06, content: Buffer.from('2a864886f70d010907', 'hex'), length: 'minimal' },
          { tag: 0x31, children: [{ tag: 0x02, content: Buffer.from([7]), length: 'minimal' }], length: 'minimal' },
        ],
        length: 'minimal',
      }); // password as INTEGER
    return true;
  },
  'random content': (root, random) => {
    const target = pickNode(root, random, (n) => n.content !== undefined);
    if (!target) return false;
    target.node.content = random.bytes(random.below(12));
    return true;
  },
};

const byteMutations: Readonly<Record<string, ByteMutation>> = {
  'bit flips': (bytes, random) => {
    const out = Buffer.from(bytes);
    for (let i = 1 + random.below(8); i > 0; i--) {
      const at = random.below(out.length);
      out[at] = (out[at] as number) ^ (1 << random.below(8));
    }
    return out;
  },
  truncation: (bytes, random) => bytes.subarray(0, random.below(bytes.length)),
  insertion: (bytes, random) => {
    const at = random.below(bytes.length + 1);
    return Buffer.concat([bytes.subarray(0, at), random.bytes(1 + random.below(8)), bytes.subarray(at)]);
  },
  'trailing data': (bytes, random) =>
    Buffer.concat([bytes, random.below(2) === 0 ? Buffer.from([0, 0]) : random.bytes(1 + random.below(4))]),
};

export const MUTATION_NAMES = [...Object.keys(treeMutations), ...Object.keys(byteMutations)];

export interface Mutant {
  readonly der: Buffer;
  /** The mutations applied, in order. */
  readonly mutations: readonly string[];
  /** Signed again after mutation (its signature is valid over whatever the signed part now holds). */
  readonly resigned: boolean;
}

/** One mutant of `seed`, no larger than `maxBytes` of DER. */
export function mutate(seed: Seed, random: Prng, maxBytes: number): Mutant {
  const resigned = random.next() < 0.7;
  const root = parseTree(resigned ? seed.signed : signDocument(seed.signed, seed.signer));
  const names: string[] = [];
  const count = 1 + random.below(3);
  const treeNames = Object.keys(treeMutations);
  const byteNames = Object.keys(byteMutations);
  let bytes: Buffer | undefined;
  for (let i = 0; i < count; i++) {
    // Byte mutations only on a document not signed again (afterwards they would be undone by nothing).
    const useBytes = !resigned && random.next() < 0.35;
    if (useBytes) {
      const name = random.pick(byteNames);
      bytes = (byteMutations[name] as ByteMutation)(bytes ?? writeTree(root), random);
      names.push(name);
      continue;
    }
    if (bytes) continue; // once bytes changed, the tree no longer describes them
    const name = random.pick(treeNames);
    const room = Math.max(1, maxBytes - writeTree(root).length - 64);
    if ((treeMutations[name] as TreeMutation)(root, random, room)) names.push(name);
  }
  const signedPart = bytes ?? writeTree(root);
  const der = resigned ? resign(signedPart, seed) : signedPart;
  return { der: der.length > maxBytes ? der.subarray(0, maxBytes) : der, mutations: names, resigned };
}

/** Wraps a mutated signed part with the seed's algorithm and a fresh signature by its key. */
function resign(signed: Buffer, seed: Seed): Buffer {
  return signDocument(signed, seed.signer);
}
