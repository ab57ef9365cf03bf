import type { OperationModel } from '../../model/shapes.js';
import { INT_TYPE, type OptionalAction, type ParsedValues } from '../argv/argparse.js';
import type { ArgumentContext, ArgumentTable, CallParameters, CliArgument } from '../argv/cli-argument.js';
import type { ParsedGlobals } from '../argv/global-options.js';
import { xformName } from '../argv/names.js';
import { GeneralError, ParamValidationError } from '../errors/cli-errors.js';
import { parsePyInt, pyIntErrorMessage } from '../python/int.js';

const STARTING_TOKEN_HELP =
  'A token to specify where to start paginating. This is the NextToken from a previously truncated response.';
const PAGE_SIZE_HELP =
  "The size of each page to get in the AWS service call. This does not affect the number of items returned in the command's output. Setting a smaller page size results in more calls to the AWS service, retrieving fewer items in each call. This can help prevent the AWS service calls from timing out.";
const MAX_ITEMS_HELP =
  "The total number of items to return in the command's output. If the total number of items available is more than the value specified, a NextToken is provided in the command's output. To resume pagination, provide the NextToken value in the starting-token argument of a subsequent command. Do not use the NextToken response element directly outside of the AWS CLI.";

type PagingKey = 'StartingToken' | 'PageSize' | 'MaxItems';

/** awscli PageArgument: a paging option that fills PaginationConfig instead of a service parameter. */
class PageArgument implements CliArgument {
  hidden = false;
  required = false;

  constructor(
    readonly name: string,
    readonly documentation: string,
    readonly typeName: 'string' | 'integer',
    private readonly key: PagingKey,
  ) {}

  parserAction(): OptionalAction {
    return {
      optionStrings: [`--${this.name}`],
      dest: this.name,
      kind: 'store',
      type: this.typeName === 'integer' ? INT_TYPE : undefined,
    };
  }

  addToParams(call: CallParameters, value: unknown, { io }: ArgumentContext): void {
    if (value === undefined || value === null) return;
    if (this.key === 'MaxItems') {
      const count = typeof value === 'number' ? value : parsePyInt(String(value));
      if (count === undefined) throw new GeneralError(pyIntErrorMessage(String(value)));
      if (count <= 0)
        io.stderr.write('warning: Non-positive values for --max-items may result in undefined behavior.\n');
    }
    call.pagination[this.key] = value;
  }
}

/**
 * awscli/customizations/paginate.py for an operation with a paginator: hides the service's own
 * paging members, adds --starting-token, --page-size and --max-items (an added option whose name
 * equals a model member's replaces it in place and "shadows" it), and after parsing switches
 * pagination off when a service paging member was given by hand — which, because the limit key
 * `pageSize` is itself spelled `--page-size`, includes `--page-size` for IoT, exactly as in the
 * AWS CLI. With pagination off, the shadowed members come back and the paging-only options are refused.
 */
export function unifyPagingParams(table: ArgumentTable, operation: OperationModel): void {
  const paginator = operation.paginator;
  if (!paginator) return;
  const inputTokenNames = [xformName(paginator.inputToken), xformName(paginator.limitKey)];
  for (const name of inputTokenNames) {
    const argument = table.args.get(name);
    if (argument) argument.hidden = true;
  }

  const shadowed = new Map<string, CliArgument>();
  const add = (argument: PageArgument) => {
    const existing = table.args.get(argument.name);
    if (existing) shadowed.set(argument.name, existing);
    table.add(argument);
  };
  const limitShape = operation.input.members[paginator.limitKey]?.shape;
  const limitType = limitShape?.type === 'string' ? 'string' : 'integer';
  add(new PageArgument('starting-token', STARTING_TOKEN_HELP, 'string', 'StartingToken'));
  add(new PageArgument('page-size', PAGE_SIZE_HELP, limitType, 'PageSize'));
  add(new PageArgument('max-items', MAX_ITEMS_HELP, limitType, 'MaxItems'));

  table.argsParsedHooks.push((values: ParsedValues, globals: ParsedGlobals) => {
    // The AWS CLI compares against 'start_token' (sic), so only --max-items is exempt here.
    const normalized = ['start-token', 'max-items'];
    for (const name of inputTokenNames) {
      if (values[name] !== undefined && values[name] !== null && !normalized.includes(name)) globals.paginate = false;
    }
    if (globals.paginate) return;
    const used = ['starting-token', 'page-size', 'max-items'].filter(
      (name) => !shadowed.has(name) && Boolean(values[name]),
    );
    if (used.length > 0) {
      throw new ParamValidationError(
        `Cannot specify --no-paginate along with pagination arguments: ${used.map((name) => `--${name}`).join(', ')}`,
      );
    }
    for (const [name, argument] of shadowed) table.args.set(name, argument);
  });
}
