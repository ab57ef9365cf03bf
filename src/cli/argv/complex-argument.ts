import type { ListShape, Shape, StructureShape } from '../../model/shapes.js';
import { paramError } from './param-files.js';

/**
 * awscli's unpacking of structure and list arguments written as JSON (argprocess
 * `_unpack_complex_cli_arg`): `--registration-config '{"templateName":"t"}'`,
 * `--tags '[{"Key":"k","Value":"v"}]'`, or one JSON object for a list of structures.
 * The shorthand syntax (`templateName=t`) and several values after one list option are not
 * supported yet: such text is reported the way awscli reports text that is not JSON.
 */
export function unpackComplexArgument(shape: StructureShape | ListShape, value: unknown, cliName: string): unknown {
  // fileb:// bytes and anything else that is not text go on as they are; validation reports them.
  if (typeof value !== 'string') return value;
  const text = value.trimStart();
  if (shape.type === 'structure') {
    if (text.startsWith('{')) return parseJson(value, cliName);
    throw paramError(cliName, `Invalid JSON:\n${value}`);
  }
  if (text.startsWith('[')) return parseJson(value, cliName);
  // One value for a list: a list of that one member.
  return [unpackMember(shape.member, value, cliName)];
}

function unpackMember(shape: Shape, value: string, cliName: string): unknown {
  if (shape.type === 'structure' || shape.type === 'list') return unpackComplexArgument(shape, value, cliName);
  return value;
}

function parseJson(value: string, cliName: string): unknown {
  try {
    return JSON.parse(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw paramError(cliName, `Invalid JSON: ${reason}\nJSON received: ${value}`);
  }
}
