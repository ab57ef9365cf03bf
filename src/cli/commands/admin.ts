import { ANY_ACCESS_KEY_ID_PATTERN } from '../../accounts/access-key-material.js';
import { AccountError } from '../../accounts/account-error.js';
import { isAccountId, randomAccountId } from '../../accounts/account-id.js';
import type { AccountStore } from '../../accounts/account-store.js';
import { openHome } from '../../home/open-home.js';
import { type Action, ArgumentParser } from '../argv/argparse.js';
import { ADMIN_COMMAND, COMMAND_SUMMARIES } from '../argv/command-table.js';
import { GeneralError, ParamValidationError, UnknownArgumentError } from '../errors/cli-errors.js';
import { type CliIO, writeNote } from '../io.js';
import { formatIsoTimestamp } from '../output/iso-timestamp.js';
import {
  CLAIM_HELP,
  CLAIM_OPTIONS,
  type ClaimOptions,
  type ClaimSubcommand,
  checkClaimOptions,
  isClaimSubcommand,
  runClaimSubcommand,
} from './admin-claims.js';
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
${CLAIM_HELP}
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
  | ClaimSubcommand;

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
};

// --output and --query are taken wherever they appear on the line, before or after the subcommand.
const subcommandParser = new ArgumentParser([
  { dest: 'subcommand', nargs: 'one', choices: [...Object.keys(OPTIONS), 'help'], listChoices: true },
  ...OUTPUT_OPTIONS,
]);

/** How many random account ids create-account tries before reporting the clash. */
const RANDOM_ID_ATTEMPTS = 5;

interface Parsed {
  readonly accountId?: string;
  readonly accessKeyId?: string;
  readonly store?: string;
  readonly claim: ClaimOptions;
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
  const home = await openHome(io.env, { store: parsed.store, onNote: (note) => writeNote(io, note) });
  try {
    const result = isClaimSubcommand(subcommand)
      ? await runClaimSubcommand(subcommand, { ...parsed.claim, accountId: parsed.accountId }, home, io)
      : await execute(subcommand, parsed, home.registry.accounts, io);
    if (result !== undefined) printResult(subcommand, result, output, io);
    return 0;
  } catch (error) {
    // The store's refusals are the operator's input meeting the registry's state: one line, exit 255.
    if (error instanceof AccountError) throw new GeneralError(error.message);
    throw error;
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
  return {
    claim: checkClaimOptions(values),
    ...(accountId !== undefined && { accountId }),
    ...(accessKeyId !== undefined && { accessKeyId }),
    ...(store !== undefined && { store }),
  };
}

async function execute(
  subcommand: Exclude<Subcommand, ClaimSubcommand>,
  parsed: Parsed,
  accounts: AccountStore,
  io: CliIO,
): Promise<Record<string, unknown> | undefined> {
  const date = (epochMs: number) => formatIsoTimestamp(epochMs, io.env.TZ);
  switch (subcommand) {
    case 'create-account': {
      const account = await createAccount(accounts, parsed.accountId);
      const key = await accounts.createAccessKey(account);
      return { accountId: account, accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
    }
    case 'create-access-key': {
      const key = await accounts.createAccessKey(parsed.accountId as string);
      return { accountId: key.accountId, accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
    }
    case 'list-accounts':
      return {
        accounts: (await accounts.listAccounts()).map((a) => ({
          accountId: a.accountId,
          createdAt: date(a.createdAt),
        })),
      };
    case 'list-access-keys':
      // Only ids and dates: a secret is shown once, when it is created.
      return {
        accessKeys: (await accounts.listAccessKeys(parsed.accountId as string)).map((k) => ({
          accessKeyId: k.accessKeyId,
          createdAt: date(k.createdAt),
        })),
      };
    case 'delete-access-key':
      await accounts.deleteAccessKey(parsed.accessKeyId as string);
      return undefined;
    case 'delete-account':
      await accounts.deleteAccount(parsed.accountId as string);
      return undefined;
  }
}

/** Creates the given account, or one with a random id (retrying the rare clash with an existing one). */
async function createAccount(accounts: AccountStore, accountId: string | undefined): Promise<string> {
  if (accountId !== undefined) return (await accounts.createAccount(accountId)).accountId;
  for (let attempt = 1; ; attempt++) {
    try {
      return (await accounts.createAccount(randomAccountId())).accountId;
    } catch (error) {
      if (!(error instanceof AccountError && error.code === 'DUPLICATE_ACCOUNT') || attempt >= RANDOM_ID_ATTEMPTS) {
        throw error;
      }
    }
  }
}
