import { evaluateExpression } from './evaluate-expression.js';
import type { Evaluation } from './evaluation.js';
import type { PolicyResource } from './parsed-template.js';
import { nonEmptyText } from './plan-thing.js';
import type { PolicyPlan } from './provisioning-plan.js';
import { describeValue } from './resolved-value.js';
import { invalidParameters } from './template-error.js';

/** A policy to attach by name, or to create from its document (always handed on as a JSON object's text). */
export function planPolicy(policy: PolicyResource, evaluation: Evaluation): PolicyPlan {
  const where = `Resources.${policy.logicalId}.Properties`;
  if (policy.policyName !== undefined)
    return { name: nonEmptyText(policy.policyName, evaluation, `${where}.PolicyName`) };
  const at = `${where}.PolicyDocument`;
  const value = policy.policyDocument === undefined ? null : evaluateExpression(policy.policyDocument, evaluation);
  if (typeof value === 'string') {
    checkDocumentText(value, at);
    return { document: value };
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const document = JSON.stringify(value);
    evaluation.produce(document.length, at);
    return { document };
  }
  throw invalidParameters(`${at}: expected a JSON string or an object, found ${describeValue(value)}`);
}

function checkDocumentText(text: string, at: string): void {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw invalidParameters(`${at}: the policy document is not valid JSON`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw invalidParameters(`${at}: the policy document must be a JSON object`);
  }
}
