import { evaluateCondition } from './evaluate-condition.js';
import type { Evaluation } from './evaluation.js';
import type { Expression } from './expression.js';
import { quote } from './json-value.js';
import { describeValue, listOf, type ResolvedValue, textOf } from './resolved-value.js';
import { invalidParameters } from './template-error.js';

/** Evaluates an expression; recursion follows the template's nesting, which parseTemplate has bounded. */
export function evaluateExpression(expression: Expression, evaluation: Evaluation): ResolvedValue {
  switch (expression.kind) {
    case 'literal':
      return expression.value;
    case 'list':
      return expression.items.map((item) => evaluateExpression(item, evaluation));
    case 'object':
      return Object.fromEntries(expression.entries.map(([key, item]) => [key, evaluateExpression(item, evaluation)]));
    case 'ref':
      return evaluation.resolveReference(expression.name, expression.where);
    case 'join':
      return evaluateJoin(expression, evaluation);
    case 'sub':
      return evaluateSub(expression, evaluation);
    case 'select':
      return evaluateSelect(expression, evaluation);
    case 'split':
      return evaluateSplit(expression, evaluation);
    case 'findInMap':
      return evaluateFindInMap(expression, evaluation);
    case 'if':
      return evaluateExpression(
        evaluateCondition(expression.condition, evaluation) ? expression.whenTrue : expression.whenFalse,
        evaluation,
      );
  }
}

/** Evaluates an expression that must give a string (numbers and booleans give their text). */
export function evaluateText(expression: Expression, evaluation: Evaluation, where: string): string {
  return textOf(evaluateExpression(expression, evaluation), where);
}

type Node<K extends Expression['kind']> = Extract<Expression, { kind: K }>;

function evaluateJoin(join: Node<'join'>, evaluation: Evaluation): string {
  const delimiter = evaluateText(join.delimiter, evaluation, `${join.where}[0]`);
  const values = listOf(evaluateExpression(join.values, evaluation), `${join.where}[1]`).map((value, index) =>
    textOf(value, `${join.where}[1][${index}]`),
  );
  const length =
    values.reduce((sum, value) => sum + value.length, 0) + delimiter.length * Math.max(0, values.length - 1);
  evaluation.produce(length, join.where);
  return values.join(delimiter);
}

function evaluateSub(sub: Node<'sub'>, evaluation: Evaluation): string {
  // Each variable is evaluated once however often the string names it.
  const resolved = new Map<string, string>();
  const variableValue = (name: string): string => {
    let value = resolved.get(name);
    if (value === undefined) {
      const variable = sub.variables.get(name);
      value =
        variable === undefined
          ? evaluation.resolveReference(name, sub.where)
          : evaluateText(variable, evaluation, `${sub.where}[1].${name}`);
      resolved.set(name, value);
    }
    return value;
  };
  const pieces = sub.parts.map((part) => (part.kind === 'text' ? part.text : variableValue(part.name)));
  evaluation.produce(
    pieces.reduce((sum, piece) => sum + piece.length, 0),
    sub.where,
  );
  return pieces.join('');
}

function evaluateSelect(select: Node<'select'>, evaluation: Evaluation): ResolvedValue {
  const index = selectIndex(evaluateExpression(select.index, evaluation), `${select.where}[0]`);
  const list = listOf(evaluateExpression(select.list, evaluation), `${select.where}[1]`);
  const value = list[index];
  if (value === undefined) {
    throw invalidParameters(`${select.where}: index ${index} is out of range for a list of ${list.length} values`);
  }
  if (value === null) throw invalidParameters(`${select.where}: the value at index ${index} is null`);
  return value;
}

function selectIndex(value: ResolvedValue, where: string): number {
  const index = typeof value === 'string' && /^[0-9]{1,9}$/.test(value) ? Number(value) : value;
  if (typeof index === 'number' && Number.isSafeInteger(index) && index >= 0) return index;
  const found = typeof value === 'string' || typeof value === 'number' ? quote(String(value)) : describeValue(value);
  throw invalidParameters(`${where}: the index must be a non-negative integer, found ${found}`);
}

function evaluateSplit(split: Node<'split'>, evaluation: Evaluation): string[] {
  const delimiter = evaluateText(split.delimiter, evaluation, `${split.where}[0]`);
  if (delimiter === '') throw invalidParameters(`${split.where}[0]: the delimiter must not be empty`);
  const source = evaluateText(split.source, evaluation, `${split.where}[1]`);
  // Counted before splitting, so a huge list is refused before it exists.
  evaluation.produceList(countOccurrences(source, delimiter) + 1, split.where);
  evaluation.produce(source.length, split.where);
  return source.split(delimiter);
}

function countOccurrences(text: string, delimiter: string): number {
  let count = 0;
  for (let at = text.indexOf(delimiter); at >= 0; at = text.indexOf(delimiter, at + delimiter.length)) count++;
  return count;
}

function evaluateFindInMap(find: Node<'findInMap'>, evaluation: Evaluation): ResolvedValue {
  const mapName = evaluateText(find.mapName, evaluation, `${find.where}[0]`);
  const topKey = evaluateText(find.topKey, evaluation, `${find.where}[1]`);
  const secondKey = evaluateText(find.secondKey, evaluation, `${find.where}[2]`);
  const value = evaluation.template.mappings.get(mapName)?.get(topKey)?.get(secondKey);
  if (value === undefined) {
    throw invalidParameters(
      `${find.where}: no value for ${quote(mapName)}, ${quote(topKey)}, ${quote(secondKey)} in the Mappings`,
    );
  }
  return value;
}
