import { evaluateExpression } from './evaluate-expression.js';
import type { Evaluation } from './evaluation.js';
import type { ConditionExpression } from './expression.js';
import type { ResolvedValue } from './resolved-value.js';

/**
 * The value of a named condition, evaluated once per request and remembered. Conditions are evaluated only when
 * something uses them, so an unused condition cannot fail a request. Chains of references are bounded at parse.
 */
export function evaluateCondition(name: string, evaluation: Evaluation): boolean {
  const known = evaluation.conditionResults.get(name);
  if (known !== undefined) return known;
  const condition = evaluation.template.conditions.get(name);
  // parseTemplate refuses references to undeclared conditions.
  if (condition === undefined) throw new Error(`condition ${name} is not declared`);
  const result = evaluateConditionExpression(condition, evaluation);
  evaluation.conditionResults.set(name, result);
  return result;
}

function evaluateConditionExpression(condition: ConditionExpression, evaluation: Evaluation): boolean {
  switch (condition.kind) {
    case 'condition':
      return evaluateCondition(condition.name, evaluation);
    case 'equals':
      return sameValue(evaluateExpression(condition.left, evaluation), evaluateExpression(condition.right, evaluation));
    case 'and':
      return condition.operands.every((operand) => evaluateConditionExpression(operand, evaluation));
    case 'or':
      return condition.operands.some((operand) => evaluateConditionExpression(operand, evaluation));
    case 'not':
      return !evaluateConditionExpression(condition.operand, evaluation);
  }
}

/** Scalars compare by their text ("1" equals 1, as CloudFormation's string parameters make them); others as JSON. */
function sameValue(left: ResolvedValue, right: ResolvedValue): boolean {
  const text = (value: ResolvedValue) =>
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? `s:${value}`
      : `j:${JSON.stringify(value)}`;
  return text(left) === text(right);
}
