import { ANY_ACCESS_KEY_ID_PATTERN } from '../../domain/accounts/access-key-material.js';
import { isAccountId } from '../../domain/accounts/account-id.js';
import { ServiceError } from '../../errors.js';
import { openHome } from '../../home/open-home.js';
import type { OperationModel } from '../../model/shapes.js';
import { ADMIN_OPERATIONS } from '../../operations/catalog.js';
import { invokeOperation } from '../../operations/index.js';
import { type Action, ArgumentParser } from '../argv/argparse.js';
import { ADMIN_COMMAND, COMMAND_SUMMARIES } from '../argv/command-names.js';
import { xformName } from '../argv/names.js';
import { GeneralError, ParamValidationError, UnknownArgumentError } from '../errors/cli-errors.js';
import { type CliIO, writeNote } from '../io.js';
import { parseResponse } from '../output/parse-response.js';
import {
  EXPLAIN_HELP,
  EXPLAIN_OPTIONS,
  EXPLAIN_SUBCOMMAND,
  type ExplainOptions,
  explainOptions,
} from './admin-authorization.js';
import {
  CLAIM_HELP,
  CLAIM_OPTIONS,
  type ClaimOptions,
  type ClaimSubcommand,
  checkClaimOptions,
  claimScope,
  isClaimSubcommand,
} from './admin-claims.js';
import { REVOKE_HELP, REVOKE_OPTIONS, REVOKE_SUBCOMMAND } from './admin-revocation.js';
import { OUTPUT_OPTIONS, type OutputChoice, outputChoice, printResult } from './command-output.js';

const HELP = `NAME
       ${ADMIN_COMMAND} - ${COMMAND_SUMMARIES[ADMIN_COMMAND]}

SYNOPSIS
       fleetca admin <subcommand> [options] [--store URL]
                     [--output FORMAT] [--query EXPRESSION]

DESCRIPTION
       Accounts are the AWS account ids that "fleetca serve" acts for; each
       access key signs requests (SigV4) as its account. Secrets are shown
       once, when created, and are kept in the registry so that signatures
       can be checked: protect the data directory accordingly.

COMMANDS
       o create-account [--account-id ID]
         Creates an account (12 digits; random when not given) and its first
         access key. Prints accountId, accessKeyId and secretAccessKey.

       o create-access-key --account-id ID
         Creates another access key for an account.

       o list-accounts
         Lists the accounts and when they were created.

       o list-access-keys --account-id ID
         Lists an account's access key ids and creation dates (never secrets).

       o delete-access-key --access-key-id AKID
         Deletes an access key; requests signed with it are refused from then on.

       o delete-account --account-id ID
         Deletes an account that has no access keys left.
${CLAIM_HELP}${EXPLAIN_HELP}${REVOKE_HELP}
OPTIONS
       --store (string) The registry: postgres://user@host:5432/database or
       sqlite:FILE. Default: FLEETCA_STORE, else registry.db in the data
       directory. Keys deleted on PostgreSQL are refused by every server on
       it within a second.

       --output (string) json (default), text, table, yaml, yaml-stream or
       off, as for every "fleetca iot" command. The AWS config's output
       setting does not apply here: scripts that keep secrets get JSON.

       --query (string) A JMESPath query applied to the result, e.g.
       --query accounts[].accountId.
`;

type Subcommand =
  | 'create-account'
  | 'create-access-key'
  | 'list-accounts'
  | 'list-access-keys'
  | 'delete-access-key'
  | 'delete-account'
  | ClaimSubcommand
  | typeof EXPLAIN_SUBCOMMAND
  | typeof REVOKE_SUBCOMMAND;

const ACCOUNT_ID = (required: boolean): Action => ({
  optionStrings: ['--account-id'],
  kind: 'store',
  dest: 'accountId',
  required,
});
const STORE: Action = { optionStrings: ['--store'], kind: 'store', dest: 'store' };
const ACCESS_KEY_ID: Action = {
  optionStrings: ['--access-key-id'],
  kind: 'store',
  dest: 'accessKeyId',
  required: true,
};

/** Each subcommand's own options: anything else on its line is an unknown option. */
const OPTIONS: Readonly<Record<Subcommand, readonly Action[]>> = {
  'create-account': [ACCOUNT_ID(false)],
  'create-access-key': [ACCOUNT_ID(true)],
  'list-accounts': [],
  'list-access-keys': [ACCOUNT_ID(true)],
  'delete-access-key': [ACCESS_KEY_ID],
  'delete-account': [ACCOUNT_ID(true)],
  ...CLAIM_OPTIONS,
  [EXPLAIN_SUBCOMMAND]: EXPLAIN_OPTIONS,
  [REVOKE_SUBCOMMAND]: REVOKE_OPTIONS,
};

// --output and --query are taken wherever they appear on the line, before or after the subcommand.
const subcommandParser = new ArgumentParser([
  { dest: 'subcommand', nargs: 'one', choices: [...Object.keys(OPTIONS), 'help'], listChoices: true },
  ...OUTPUT_OPTIONS,
]);

interface Parsed {
  readonly accountId?: string;
  readonly accessKeyId?: string;
  readonly store?: string;
  readonly claim: ClaimOptions;
  readonly explain: ExplainOptions;
  readonly reason?: string;
}

/** Each subcommand's operation: the command is the operation's name in botocore's style (ListAccounts → list-accounts). */
const OPERATIONS: ReadonlyMap<string, OperationModel> = new Map(
  ADMIN_OPERATIONS.map((operation) => [xformName(operation.model.name), operation.model]),
);

function operationOf(subcommand: Subcommand): OperationModel {
  const model = OPERATIONS.get(subcommand);
  if (!model) throw new Error(`fleetca admin ${subcommand} has no operation in ADMIN_OPERATIONS`);
  return model;
}

/**
 * `fleetca admin ...`: accounts and access keys in the data directory. `inherited` is what global
 * options before `admin` chose (`fleetca --output text admin ...`). Errors go to main's reporter.
 */
export async function runAdminCommand(
  args: readonly string[],
  io: CliIO,
  inherited: OutputChoice = {},
): Promise<number> {
  if (args.includes('--help')) {
    io.stdout.write(HELP);
    return 0;
  }
  const { values, extras } = subcommandParser.parseKnownArgs(args);
  const subcommand = values.subcommand as Subcommand | 'help';
  if (subcommand === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  const parsed = parseOptions(subcommand, extras);
  const output = outputChoice(values, inherited);
  const model = operationOf(subcommand);
  const home = await openHome(io.env, { store: parsed.store, onNote: (note) => writeNote(io, note) });
  try {
    // Claims and policies belong to an account and region; accounts and keys to the whole registry.
    const scope =
      isClaimSubcommand(subcommand) || subcommand === EXPLAIN_SUBCOMMAND || subcommand === REVOKE_SUBCOMMAND
        ? claimScope(home, parsed.accountId, parsed.claim.region)
        : home.defaultScope(undefined);
    const input = operationInput(model, {
      ...parsed.claim,
      ...parsed.explain,
      accountId: parsed.accountId,
      accessKeyId: parsed.accessKeyId,
      reason: parsed.reason,
    });
    // In-process, the real cause of a failure helps the operator more than InternalFailureException.
    const result = await invokeOperation(model, input, home.context(scope), (error) => {
      throw error;
    });
    if (model.output)
      await printResult(subcommand, parseResponse(model.output, result, { timeZone: io.env.TZ }), output, io);
    return 0;
  } catch (error) {
    throw asAdminFailure(error);
  } finally {
    await home.close();
  }
}

function parseOptions(subcommand: Subcommand, args: readonly string[]): Parsed {
  const { values, extras } = new ArgumentParser([...OPTIONS[subcommand], STORE]).parseKnownArgs(args);
  if (extras.length > 0) throw new UnknownArgumentError(`Unknown options: ${extras.join(', ')}`);
  const accountId = values.accountId as string | undefined;
  const accessKeyId = values.accessKeyId as string | undefined;
  // Checked before the data directory is opened, so a typo never creates one.
  if (accountId !== undefined && !isAccountId(accountId)) {
    throw new ParamValidationError(`Invalid value for --account-id: ${JSON.stringify(accountId)} is not 12 digits`);
  }
  if (accessKeyId !== undefined && !ANY_ACCESS_KEY_ID_PATTERN.test(accessKeyId)) {
    throw new ParamValidationError(
      `Invalid value for --access-key-id: ${JSON.stringify(accessKeyId)} is not an access key id (16 to 128 letters, digits or underscores)`,
    );
  }
  const store = values.store as string | undefined;
  const reason = values.reason as string | undefined;
  return {
    ...(reason !== undefined && { reason }),
    claim: checkClaimOptions(values),
    explain: explainOptions(values),
    ...(accountId !== undefined && { accountId }),
    ...(accessKeyId !== undefined && { accessKeyId }),
    ...(store !== undefined && { store }),
  };
}

/** The operation's input: the parsed options that are members of its input shape (claims take the account as scope). */
function operationInput(model: OperationModel, options: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(model.input.members)
      .filter((name) => options[name] !== undefined)
      .map((name) => [name, options[name]]),
  );
}

/**
 * A refusal of the registry is the operator's input meeting its state: one line, exit 255, in the registry's
 * words (an unreachable store says which and why, as it does when the command opens it).
 */
function asAdminFailure(error: unknown): unknown {
  if (!(error instanceof ServiceError)) return error;
  if (error.code === 'ServiceUnavailableException' && error.cause !== undefined) return error.cause;
  return new GeneralError(error.message);
}
