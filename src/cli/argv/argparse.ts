/**
 * A re-implementation of the parts of Python 3.11's `argparse` that the AWS CLI relies on:
 * `parse_known_args` with its pattern-based consumption of optionals and positionals, prefix
 * abbreviations, `--opt=value`, negative-number and space heuristics, `--`, required checks and
 * the exact error texts. The AWS CLI runs three such parsers in a row (global, service,
 * operation), so matching argparse's algorithm — not just its happy path — is what keeps
 * edge cases (`--no`, `--certificate-id --x`, stray positionals) byte-identical. Errors are
 * thrown as ArgParseError (argparse's `error()`), reported with the usage block, exit 252.
 */

import { ArgParseError } from '../errors/cli-errors.js';
import { getCloseMatches } from '../python/close-matches.js';
import { parsePyInt } from '../python/int.js';
import { pyStrRepr } from '../python/repr.js';

/** A value converter, named like the Python callable (`int`) for the `invalid int value` message. */
export interface ArgType {
  readonly name: string;
  /** Returns the converted value, or undefined when the text is not valid. */
  convert(text: string): unknown;
  /** fleetca's own commands: what a valid value is, added to the message (`a whole number from 0 to 65535`). */
  readonly expected?: string;
}

interface BaseAction {
  readonly dest: string;
  readonly required?: boolean;
  readonly default?: unknown;
  /** Dynamic choices (CommandAction reads them from the command table). */
  readonly choices?: readonly string[];
  /** fleetca's own commands: an invalid choice is answered with the valid ones (the AWS CLI lists none). */
  readonly listChoices?: boolean;
}

/** An option such as `--region VALUE`, `--set-as-active` or `--version`. */
export interface OptionalAction extends BaseAction {
  readonly optionStrings: readonly string[];
  /** store: one value; const: no value, stores `constValue`; version: prints the version and exits. */
  readonly kind: 'store' | 'const' | 'version';
  readonly constValue?: unknown;
  /**
   * For `store`: how many strings it takes — one (default), `optional` (nargs='?', `constValue`
   * when none follows) or `many` (nargs='+', a list of strings).
   */
  readonly nargs?: 'optional' | 'many';
  readonly type?: ArgType;
  /** Recognised only when written out in full (no abbreviation), e.g. fleetca's `--help`. */
  readonly exactOnly?: boolean;
}

/** A positional argument (`command`, `operation`, the operation parser's optional `help`). */
export interface PositionalAction extends BaseAction {
  readonly optionStrings?: undefined;
  readonly nargs: 'one' | 'optional';
}

/** Anything a parser can be built from. */
export type Action = OptionalAction | PositionalAction;

/** The argparse Namespace: values by dest, undefined where nothing was given (Python's None). */
export type ParsedValues = Record<string, unknown>;

/** What `parse_known_args` returns. */
export interface ParseResult {
  readonly values: ParsedValues;
  readonly extras: string[];
}

/** Raised by a `version` action while parsing, like argparse's `_VersionAction` exiting 0. */
export class VersionRequested extends Error {
  override readonly name = 'VersionRequested';
}

/** Python's `int` as an argparse `type=`. */
export const INT_TYPE: ArgType = { name: 'int', convert: parsePyInt };

type OptionTuple = { action: OptionalAction | undefined; optionString: string; explicitArg: string | undefined };

const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/;

function isPositional(action: Action): action is PositionalAction {
  return action.optionStrings === undefined;
}

/** `_get_action_name`: the option strings joined by `/`, else the dest. */
function actionName(action: Action): string {
  return isPositional(action) ? action.dest : action.optionStrings.join('/');
}

function argumentError(action: Action, message: string): ArgParseError {
  return new ArgParseError(`argument ${actionName(action)}: ${message}`);
}

/** `_get_nargs_pattern`: optionals drop the `-*` parts that let positionals swallow `--`. */
function nargsPattern(action: Action): string {
  if (isPositional(action)) return action.nargs === 'one' ? '(-*A-*)' : '(-*A?-*)';
  if (action.kind !== 'store') return '()';
  if (action.nargs === 'optional') return '(A?)';
  return action.nargs === 'many' ? '(A[A]*)' : '(A)';
}

/** An argparse parser over a fixed list of actions, in the order they were added. */
export class ArgumentParser {
  private readonly optionActions = new Map<string, OptionalAction>();
  private readonly actions: readonly Action[];

  constructor(actions: readonly Action[]) {
    this.actions = actions;
    for (const action of actions) {
      // conflict_handler='resolve': a later option string replaces an earlier one.
      if (!isPositional(action)) for (const option of action.optionStrings) this.optionActions.set(option, action);
    }
  }

  /** `parse_known_args(args)`: the parsed values (by dest) and the strings nothing consumed. */
  parseKnownArgs(args: readonly string[]): ParseResult {
    const values: ParsedValues = {};
    for (const action of this.actions) if (!(action.dest in values)) values[action.dest] = action.default;

    const optionIndices = new Map<number, OptionTuple>();
    let pattern = '';
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] as string;
      if (arg === '--') {
        pattern += '-';
        pattern += 'A'.repeat(args.length - i - 1);
        break;
      }
      const tuple = this.parseOptional(arg);
      if (tuple === undefined) pattern += 'A';
      else {
        optionIndices.set(i, tuple);
        pattern += 'O';
      }
    }

    const seen = new Set<Action>();
    const extras: string[] = [];
    const positionals = this.actions.filter(isPositional);

    const takeAction = (action: Action, strings: string[]): void => {
      seen.add(action);
      const value = this.getValues(action, strings);
      if (!isPositional(action) && action.kind === 'version') throw new VersionRequested();
      values[action.dest] = value;
    };

    const consumeOptional = (startIndex: number): number => {
      const { action, explicitArg } = optionIndices.get(startIndex) as OptionTuple;
      if (action === undefined) {
        extras.push(args[startIndex] as string);
        return startIndex + 1;
      }
      if (explicitArg !== undefined) {
        if (action.kind === 'store') {
          takeAction(action, [explicitArg]);
          return startIndex + 1;
        }
        throw argumentError(action, `ignored explicit argument ${pyStrRepr(explicitArg)}`);
      }
      const start = startIndex + 1;
      const match = new RegExp(`^${nargsPattern(action)}`).exec(pattern.slice(start));
      if (!match) {
        const expected = action.nargs === 'many' ? 'expected at least one argument' : 'expected one argument';
        throw argumentError(action, expected);
      }
      const count = (match[1] ?? '').length;
      takeAction(action, args.slice(start, start + count));
      return start + count;
    };

    const consumePositionals = (startIndex: number): number => {
      const counts = matchPartial(positionals, pattern.slice(startIndex));
      let index = startIndex;
      counts.forEach((count, i) => {
        takeAction(positionals[i] as PositionalAction, args.slice(index, index + count));
        index += count;
      });
      positionals.splice(0, counts.length);
      return index;
    };

    let startIndex = 0;
    const maxOptionIndex = optionIndices.size > 0 ? Math.max(...optionIndices.keys()) : -1;
    while (startIndex <= maxOptionIndex) {
      const nextOptionIndex = Math.min(...[...optionIndices.keys()].filter((index) => index >= startIndex));
      if (startIndex !== nextOptionIndex) {
        const end = consumePositionals(startIndex);
        if (end > startIndex) {
          startIndex = end;
          continue;
        }
        startIndex = end;
      }
      if (!optionIndices.has(startIndex)) {
        extras.push(...args.slice(startIndex, nextOptionIndex));
        startIndex = nextOptionIndex;
      }
      startIndex = consumeOptional(startIndex);
    }
    const stopIndex = consumePositionals(startIndex);
    extras.push(...args.slice(stopIndex));

    const missing = this.actions.filter((action) => !seen.has(action) && isRequired(action)).map(actionName);
    if (missing.length > 0) throw new ArgParseError(`the following arguments are required: ${missing.join(', ')}`);
    return { values, extras };
  }

  /** `_parse_optional`: is this string an option, which one, and with what `=value`? */
  private parseOptional(arg: string): OptionTuple | undefined {
    if (!arg.startsWith('-')) return undefined;
    const exact = this.optionActions.get(arg);
    if (exact) return { action: exact, optionString: arg, explicitArg: undefined };
    if (arg.length === 1) return undefined;
    const eq = arg.indexOf('=');
    if (eq >= 0) {
      const option = arg.slice(0, eq);
      const action = this.optionActions.get(option);
      if (action) return { action, optionString: option, explicitArg: arg.slice(eq + 1) };
    }
    const tuples = this.optionTuples(arg);
    if (tuples.length > 1) {
      const options = tuples.map((tuple) => tuple.optionString).join(', ');
      throw new ArgParseError(`ambiguous option: ${arg} could match ${options}`);
    }
    if (tuples.length === 1) return tuples[0];
    // No option of this parser looks like a negative number, so `-5` is a value.
    if (NEGATIVE_NUMBER.test(arg)) return undefined;
    if (arg.includes(' ')) return undefined;
    return { action: undefined, optionString: arg, explicitArg: undefined };
  }

  /** `_get_option_tuples`: the prefix matches of a `--long` option (allow_abbrev). */
  private optionTuples(arg: string): OptionTuple[] {
    if (!arg.startsWith('--')) return [];
    const eq = arg.indexOf('=');
    const prefix = eq >= 0 ? arg.slice(0, eq) : arg;
    const explicitArg = eq >= 0 ? arg.slice(eq + 1) : undefined;
    const result: OptionTuple[] = [];
    for (const [optionString, action] of this.optionActions) {
      if (!action.exactOnly && optionString.startsWith(prefix)) result.push({ action, optionString, explicitArg });
    }
    return result;
  }

  /** `_get_values`: converts and checks the strings an action consumed. */
  private getValues(action: Action, strings: string[]): unknown {
    const dashes = strings.indexOf('--');
    const remaining = dashes >= 0 ? [...strings.slice(0, dashes), ...strings.slice(dashes + 1)] : strings;
    if (!isPositional(action) && action.kind !== 'store') return action.constValue;
    if (!isPositional(action) && action.nargs === 'optional' && remaining.length === 0) return action.constValue;
    if (!isPositional(action) && action.nargs === 'many') {
      for (const text of remaining) checkChoice(action, text);
      return remaining;
    }
    if (remaining.length === 0) return action.default;
    const text = remaining[0] as string;
    let value: unknown = text;
    if (!isPositional(action) && action.type) {
      value = action.type.convert(text);
      if (value === undefined) {
        const expected = action.type.expected === undefined ? '' : ` (expected ${action.type.expected})`;
        throw argumentError(action, `invalid ${action.type.name} value: ${pyStrRepr(text)}${expected}`);
      }
    }
    checkChoice(action, value);
    return value;
  }
}

function isRequired(action: Action): boolean {
  return isPositional(action) ? action.nargs === 'one' : action.required === true;
}

/** CLIArgParser._check_value of AWS CLI v2 (2.31+ wording). */
function checkChoice(action: Action, value: unknown): void {
  const choices = action.choices;
  if (choices === undefined || choices.includes(value as string)) return;
  const parts = [`Found invalid choice '${String(value)}'\n`];
  const possible = getCloseMatches(String(value), choices);
  if (possible.length > 0) parts.push('Maybe you meant:\n', ...possible.map((word) => `  * ${word}`));
  if (action.listChoices) parts.push(`${possible.length > 0 ? '\n' : ''}Valid choices: ${choices.join(', ')}`);
  throw argumentError(action, parts.join('\n'));
}

/** `_match_arguments_partial`: as many positionals as the remaining pattern can feed. */
function matchPartial(positionals: readonly PositionalAction[], pattern: string): number[] {
  for (let i = positionals.length; i > 0; i--) {
    const regex = new RegExp(`^${positionals.slice(0, i).map(nargsPattern).join('')}`);
    const match = regex.exec(pattern);
    if (match) return match.slice(1).map((group) => (group ?? '').length);
  }
  return [];
}
