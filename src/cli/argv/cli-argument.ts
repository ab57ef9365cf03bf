import type { CliIO } from '../io.js';
import type { OptionalAction, ParsedValues } from './argparse.js';
import type { ParsedGlobals } from './global-options.js';

/** botocore's PaginationConfig, filled by --starting-token, --page-size and --max-items. */
export interface PaginationConfig {
  StartingToken?: unknown;
  PageSize?: unknown;
  MaxItems?: unknown;
}

/** Runs after every successful service call with the parsed response (botocore `after-call`). */
export type AfterCallHandler = (response: Readonly<Record<string, unknown>>) => void;

/** What the arguments of one command line build up before the call. */
export interface CallParameters {
  /** Service parameters by model member name, in the order the arguments added them. */
  readonly params: Record<string, unknown>;
  readonly pagination: PaginationConfig;
  /** Registered in argument-table order, run in that order after each successful call. */
  readonly afterCall: AfterCallHandler[];
}

/** What an argument may touch while it adds its value: the process surface (cwd, env, stderr). */
export interface ArgumentContext {
  readonly io: CliIO;
}

/**
 * One entry of an operation's argument table (awscli BaseCLIArgument): how it is parsed and
 * how its value reaches the call. Model members, the `--no-x` half of a boolean, paging options
 * and customizations such as outfiles all implement this.
 */
export interface CliArgument {
  /** CLI name without dashes (`certificate-id`); also the parsed dest unless `action.dest` differs. */
  readonly name: string;
  readonly documentation: string;
  /** The type shown in help (`string`, `integer`, `boolean`). */
  readonly typeName: string;
  required: boolean;
  /** Undocumented: parsed but not shown in help (paging tokens replaced by --starting-token). */
  hidden: boolean;
  /** Allowed values shown in help (model enums); the service, not the CLI, checks them. */
  readonly helpChoices?: readonly string[];
  /** Model constraints shown in help. */
  readonly constraints?: Readonly<Record<string, string | number>>;
  /** The argparse action that parses it. */
  parserAction(): OptionalAction;
  /** add_to_params: puts the parsed (and paramfile-loaded) value into the call; undefined = not given. */
  addToParams(call: CallParameters, value: unknown, context: ArgumentContext): void;
}

/** Runs once the operation's arguments are parsed (awscli `operation-args-parsed`), before params are built. */
export type ArgsParsedHook = (values: ParsedValues, globals: ParsedGlobals) => void;

/**
 * What a `calling-command` handler may decide instead of the real call: an exit code (a skeleton
 * was printed), or a fake response to run the rest of the command with (`--generate-cli-skeleton output`).
 */
export type CallingCommandOverride = { readonly exitCode: number } | { readonly stubResponse: Record<string, unknown> };

/**
 * awscli `calling-command`: runs once the call parameters are built, before the client exists.
 * The first handler returning an override ends the chain. A handler may be async (to import what it needs).
 */
export type CallingCommandHook = (
  call: CallParameters,
  values: ParsedValues,
  context: ArgumentContext,
) => CallingCommandOverride | undefined | Promise<CallingCommandOverride | undefined>;

/** awscli `before-building-argument-table-parser`: sees the raw operation arguments before parsing. */
export type BeforeParseHook = (table: ArgumentTable, args: readonly string[]) => void;

/** An operation's arguments in table order (insertion order; replacing an entry keeps its place). */
export class ArgumentTable {
  readonly args = new Map<string, CliArgument>();
  readonly argsParsedHooks: ArgsParsedHook[] = [];
  readonly beforeParseHooks: BeforeParseHook[] = [];
  readonly callingCommandHooks: CallingCommandHook[] = [];

  add(argument: CliArgument): void {
    this.args.set(argument.name, argument);
  }
}
