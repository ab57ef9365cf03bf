import type { ParseContext } from './parse-context.js';
import { parseExpression } from './parse-expression.js';
import type { PolicyResource } from './parsed-template.js';
import { checkPropertyNames, type ResourceShape } from './resource-shape.js';
import { requireStringLike, staticTypeOf } from './static-type.js';
import { invalidTemplate } from './template-error.js';

const POLICY_PROPERTIES = new Set(['PolicyName', 'PolicyDocument']);

/**
 * An AWS::IoT::Policy declaration: PolicyName (an existing policy) or PolicyDocument (a new policy, as a JSON string
 * or an object), not both — the documented rule. Policies have no OverrideSettings.
 */
export function parsePolicyResource(resource: ResourceShape, context: ParseContext): PolicyResource {
  checkPropertyNames(resource, POLICY_PROPERTIES);
  const { properties, where } = resource;
  if (resource.overrideSettings !== undefined) {
    throw invalidTemplate(`${where}.OverrideSettings: OverrideSettings are not available for policy resources`);
  }
  const hasName = properties.PolicyName !== undefined;
  const hasDocument = properties.PolicyDocument !== undefined;
  if (hasName === hasDocument) {
    throw invalidTemplate(`${where}.Properties: a policy needs PolicyName or PolicyDocument, but not both`);
  }
  const base = {
    logicalId: resource.logicalId,
    ...(resource.condition !== undefined && { condition: resource.condition }),
  };
  if (properties.PolicyName !== undefined) {
    const policyName = parseExpression(properties.PolicyName, `${where}.Properties.PolicyName`, context);
    requireStringLike(policyName, `${where}.Properties.PolicyName`);
    return { ...base, policyName };
  }
  const at = `${where}.Properties.PolicyDocument`;
  const policyDocument = parseExpression(properties.PolicyDocument ?? null, at, context);
  const type = staticTypeOf(policyDocument);
  if (type !== 'string' && type !== 'object' && type !== 'unknown') {
    throw invalidTemplate(`${at}: expected a JSON string or an object`);
  }
  if (policyDocument.kind === 'literal' && typeof policyDocument.value === 'string') {
    checkLiteralDocument(policyDocument.value, at);
  }
  return { ...base, policyDocument };
}

/** A document written as a string must be a JSON object. */
function checkLiteralDocument(text: string, at: string): void {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw invalidTemplate(`${at}: the policy document is not valid JSON`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw invalidTemplate(`${at}: the policy document must be a JSON object`);
  }
}
