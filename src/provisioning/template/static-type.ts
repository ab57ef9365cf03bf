import type { Expression } from './expression.js';
import { invalidTemplate } from './template-error.js';

/**
 * What an expression is known to resolve to before any parameter is known, so argument shapes that can never
 * work are refused when the template is created rather than when a device provisions. 'unknown' for functions
 * whose result depends on data (Fn::Select, Fn::FindInMap, Fn::If with different branches).
 */
export type StaticType = 'string' | 'scalar' | 'null' | 'list' | 'object' | 'unknown';

export function staticTypeOf(expression: Expression): StaticType {
  switch (expression.kind) {
    case 'literal':
      if (expression.value === null) return 'null';
      return typeof expression.value === 'string' ? 'string' : 'scalar';
    case 'list':
      return 'list';
    case 'object':
      return 'object';
    case 'ref':
    case 'join':
    case 'sub':
      return 'string';
    case 'split':
      return 'list';
    case 'if': {
      const whenTrue = staticTypeOf(expression.whenTrue);
      return whenTrue === staticTypeOf(expression.whenFalse) ? whenTrue : 'unknown';
    }
    case 'select':
    case 'findInMap':
      return 'unknown';
  }
}

const DESCRIPTIONS: Record<StaticType, string> = {
  string: 'a string',
  scalar: 'a number or boolean',
  null: 'null',
  list: 'a list',
  object: 'an object',
  unknown: 'a value',
};

/** Refuses an expression that can never resolve to a string (numbers and booleans read as their text). */
export function requireStringLike(expression: Expression, where: string): void {
  const type = staticTypeOf(expression);
  if (type === 'list' || type === 'object' || type === 'null') {
    throw invalidTemplate(`${where}: expected a string, found ${DESCRIPTIONS[type]}`);
  }
}

/** Refuses an expression that can never resolve to a list. */
export function requireListLike(expression: Expression, where: string): void {
  const type = staticTypeOf(expression);
  if (type !== 'list' && type !== 'unknown') {
    throw invalidTemplate(`${where}: expected a list, found ${DESCRIPTIONS[type]}`);
  }
}

/** For a list written out in the template, refuses items that can never be strings. */
export function requireStringLikeItems(expression: Expression, where: string): void {
  if (expression.kind !== 'list') return;
  for (const [index, item] of expression.items.entries()) requireStringLike(item, `${where}[${index}]`);
}
