/**
 * A template value after parsing: literals, lists and objects, and the intrinsic functions, each carrying `where`
 * (its path in the template) for messages. Conditions (Fn::Equals/And/Or/Not, {"Condition": name}) have their own
 * type, since they may appear only in the Conditions section.
 */
export type Expression =
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  | { readonly kind: 'list'; readonly items: readonly Expression[] }
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, Expression])[] }
  | { readonly kind: 'ref'; readonly where: string; readonly name: string }
  | { readonly kind: 'join'; readonly where: string; readonly delimiter: Expression; readonly values: Expression }
  | {
      readonly kind: 'sub';
      readonly where: string;
      readonly parts: readonly SubPart[];
      readonly variables: ReadonlyMap<string, Expression>;
    }
  | { readonly kind: 'select'; readonly where: string; readonly index: Expression; readonly list: Expression }
  | { readonly kind: 'split'; readonly where: string; readonly delimiter: Expression; readonly source: Expression }
  | {
      readonly kind: 'findInMap';
      readonly where: string;
      readonly mapName: Expression;
      readonly topKey: Expression;
      readonly secondKey: Expression;
    }
  | {
      readonly kind: 'if';
      readonly where: string;
      readonly condition: string;
      readonly whenTrue: Expression;
      readonly whenFalse: Expression;
    };

/** Fn::Sub's template string, cut into literal text and ${Name} references. */
export type SubPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'variable'; readonly name: string };

export type ConditionExpression =
  | { readonly kind: 'equals'; readonly left: Expression; readonly right: Expression }
  | { readonly kind: 'and'; readonly operands: readonly ConditionExpression[] }
  | { readonly kind: 'or'; readonly operands: readonly ConditionExpression[] }
  | { readonly kind: 'not'; readonly operand: ConditionExpression }
  | { readonly kind: 'condition'; readonly name: string };

/** Intrinsic function names fleetca evaluates in values. */
export const VALUE_FUNCTIONS = ['Fn::Join', 'Fn::Sub', 'Fn::Select', 'Fn::Split', 'Fn::FindInMap', 'Fn::If'] as const;
/** Functions that belong in the Conditions section only. */
export const CONDITION_FUNCTIONS = ['Fn::Equals', 'Fn::And', 'Fn::Or', 'Fn::Not'] as const;
