import type { Member, OperationModel } from '../../model/shapes.js';
import { GeneralError } from '../errors/cli-errors.js';
import { parsePyInt, pyIntErrorMessage } from '../python/int.js';
import type { OptionalAction } from './argparse.js';
import { ArgumentTable, type CallParameters, type CliArgument } from './cli-argument.js';
import { unpackComplexArgument } from './complex-argument.js';
import { xformName } from './names.js';

function constraintsOf(member: Member): Record<string, string | number> | undefined {
  const shape = member.shape;
  if (shape.type !== 'string' && shape.type !== 'integer') return undefined;
  const result: Record<string, string | number> = {};
  if (shape.min !== undefined) result.min = shape.min;
  if (shape.max !== undefined) result.max = shape.max;
  if (shape.type === 'string' && shape.pattern !== undefined) result.pattern = shape.pattern;
  return Object.keys(result).length > 0 ? result : undefined;
}

/**
 * A model member taking one value (awscli CLIArgument): parsed as a string and converted when
 * the call is built — integers with Python's `int()`, whose failure is a general error (255).
 */
export class ModelArgument implements CliArgument {
  hidden = false;
  readonly documentation: string;
  readonly typeName: string;
  readonly helpChoices?: readonly string[];
  readonly constraints?: Readonly<Record<string, string | number>>;

  constructor(
    readonly name: string,
    readonly memberName: string,
    readonly member: Member,
    public required: boolean,
  ) {
    this.documentation = member.documentation;
    this.typeName = member.shape.type;
    if (member.shape.type === 'string' && member.shape.enum) this.helpChoices = member.shape.enum;
    this.constraints = constraintsOf(member);
  }

  parserAction(): OptionalAction {
    // List members take one or more values (argparse nargs='+'), as in the AWS CLI.
    const nargs = this.member.shape.type === 'list' ? 'many' : undefined;
    return { optionStrings: [`--${this.name}`], dest: this.name, kind: 'store', required: this.required, nargs };
  }

  addToParams(call: CallParameters, value: unknown): void {
    if (value === undefined || value === null) return;
    call.params[this.memberName] = this.unpack(value);
  }

  // argprocess.unpack_cli_arg: JSON for structures and lists, unpack_scalar_cli_arg for the rest
  private unpack(value: unknown): unknown {
    const shape = this.member.shape;
    if (shape.type === 'structure' || shape.type === 'list' || shape.type === 'map')
      return unpackComplexArgument(shape, value, `--${this.name}`);
    if (shape.type !== 'integer' || typeof value === 'number') return value;
    const text = value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : String(value);
    const parsed = parsePyInt(text);
    if (parsed === undefined) throw new GeneralError(pyIntErrorMessage(text));
    return parsed;
  }
}

/**
 * A boolean member (awscli BooleanArgument): `--x` stores true, `--no-x` stores false into the
 * same dest, neither leaves it unset; they take no value.
 */
export class BooleanArgument implements CliArgument {
  hidden = false;
  readonly typeName = 'boolean';
  readonly documentation: string;

  constructor(
    readonly name: string,
    private readonly dest: string,
    private readonly memberName: string,
    member: Member,
    private readonly stores: boolean,
    public required = false,
  ) {
    this.documentation = member.documentation;
  }

  parserAction(): OptionalAction {
    return { optionStrings: [`--${this.name}`], dest: this.dest, kind: 'const', constValue: this.stores };
  }

  addToParams(call: CallParameters, value: unknown): void {
    if (value !== undefined && value !== null) call.params[this.memberName] = value;
  }
}

/** The arguments generated from the operation's input members, in model order (before customizations). */
export function modelArgumentTable(operation: OperationModel): ArgumentTable {
  const table = new ArgumentTable();
  const required = operation.input.required ?? [];
  for (const [memberName, member] of Object.entries(operation.input.members)) {
    const name = xformName(memberName);
    const isRequired = required.includes(memberName);
    if (member.shape.type === 'boolean') {
      table.add(new BooleanArgument(name, name, memberName, member, true, isRequired));
      table.add(new BooleanArgument(`no-${name}`, name, memberName, member, false));
    } else {
      table.add(new ModelArgument(name, memberName, member, isRequired));
    }
  }
  return table;
}
