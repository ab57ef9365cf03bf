/**
 * An editable DER tree for the fuzzer: seeds are read into nodes, mutated (tags, contents, children, and how each
 * length is written: minimal, long form with leading zeros, or indefinite), then written back to bytes.
 */

import { readChildren, type readTlv, readWhole } from '../../../src/ca/der.js';

export type LengthForm = 'minimal' | 'long' | 'padded' | 'indefinite';

export interface DerNode {
  /** The identifier octet (the fuzzer only writes low tag numbers). */
  tag: number;
  /** Primitive content; absent when the node has children. */
  content?: Buffer;
  children?: DerNode[];
  /** An OCTET STRING whose content is itself DER (an extension's value): written from its children. */
  encapsulated?: boolean;
  length: LengthForm;
}

/** Reads DER into a tree, descending into constructed elements and into OCTET STRINGs that hold one DER element. */
export function parseTree(der: Uint8Array): DerNode {
  return nodeOf(Buffer.from(der), readWhole(der));
}

function nodeOf(buffer: Buffer, element: ReturnType<typeof readTlv>): DerNode {
  if (element.constructed) {
    return {
      tag: element.tag,
      children: readChildren(buffer, element).map((child) => nodeOf(buffer, child)),
      length: 'minimal',
    };
  }
  const content = buffer.subarray(element.contentStart, element.contentEnd);
  if (element.tag === 0x04 && content.length > 1) {
    try {
      const inner = readWhole(content);
      if (inner.constructed)
        return { tag: 0x04, children: [nodeOf(content, inner)], encapsulated: true, length: 'minimal' };
    } catch {
      // not DER inside: an ordinary OCTET STRING
    }
  }
  return { tag: element.tag, content: Buffer.from(content), length: 'minimal' };
}

/** Writes the tree back, each node's length in its chosen form. */
export function writeTree(node: DerNode): Buffer {
  const content = node.children ? Buffer.concat(node.children.map(writeTree)) : (node.content ?? Buffer.alloc(0));
  return Buffer.concat([
    Buffer.from([node.tag]),
    lengthOctets(content.length, node.length),
    content,
    ...(node.length === 'indefinite' ? [Buffer.from([0, 0])] : []),
  ]);
}

function lengthOctets(length: number, form: LengthForm): Buffer {
  if (form === 'indefinite') return Buffer.from([0x80]);
  const digits: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) digits.unshift(n % 256);
  if (form === 'minimal') return length < 0x80 ? Buffer.from([length]) : Buffer.from([0x80 | digits.length, ...digits]);
  if (form === 'long') return Buffer.from([0x80 | Math.max(digits.length, 1), ...(digits.length ? digits : [0])]);
  return Buffer.from([0x80 | (digits.length + 1), 0, ...digits]); // padded: a leading zero octet
}

/** Every node with its parent, depth first (the root's parent is undefined). */
export function allNodes(root: DerNode): { node: DerNode; parent: DerNode | undefined }[] {
  const out: { node: DerNode; parent: DerNode | undefined }[] = [];
  const visit = (node: DerNode, parent: DerNode | undefined) => {
    out.push({ node, parent });
    for (const child of node.children ?? []) visit(child, node);
  };
  visit(root, undefined);
  return out;
}

export function cloneTree(node: DerNode): DerNode {
  return {
    tag: node.tag,
    length: node.length,
    ...(node.content && { content: Buffer.from(node.content) }),
    ...(node.children && { children: node.children.map(cloneTree) }),
    ...(node.encapsulated && { encapsulated: true }),
  };
}
