import type { Shape, StructureShape } from '../../model/shapes.js';

/**
 * botocore ArgumentGenerator: a sample value for a shape. Input skeletons use empty strings (an
 * enum's value — botocore picks one at random; fleetca takes the first), 0, true, one-item lists
 * and 1970-01-01T00:00:00 for timestamps; the output skeleton's fake response uses each member's
 * name as its string value.
 */
export function generateSkeleton(shape: Shape, useMemberNames = false, name = ''): unknown {
  switch (shape.type) {
    case 'structure':
      return generateStructure(shape, useMemberNames);
    case 'list':
      // botocore names list items after the member *shape*, which fleetca's model does not name.
      return [generateSkeleton(shape.member, useMemberNames, '')];
    case 'map':
      // botocore _generate_type_map: one sample entry under the key `KeyName`.
      return { KeyName: generateSkeleton(shape.value, useMemberNames, '') };
    case 'string':
      if (useMemberNames) return name;
      return shape.enum?.[0] ?? '';
    case 'integer':
      return 0;
    case 'boolean':
      return true;
    case 'timestamp':
      return '1970-01-01T00:00:00';
  }
}

function generateStructure(shape: StructureShape, useMemberNames: boolean): Record<string, unknown> {
  const skeleton: Record<string, unknown> = {};
  for (const [memberName, member] of Object.entries(shape.members)) {
    skeleton[memberName] = generateSkeleton(member.shape, useMemberNames, memberName);
  }
  return skeleton;
}
