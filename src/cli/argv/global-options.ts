import type { CompiledQuery } from '../output/formatter.js';
import type { OptionalAction } from './argparse.js';

/** The output formats AWS CLI v2 accepts for `--output`, in its order. */
export const OUTPUT_CHOICES = ['json', 'text', 'table', 'yaml', 'yaml-stream', 'off'] as const;

/** The values of `--cli-error-format` (AWS CLI v2 ≥ 2.34), in its order. */
export const CLI_ERROR_FORMATS = ['legacy', 'json', 'yaml', 'text', 'table', 'enhanced'] as const;

/**
 * One global option: a row of the main parser's table. Adding an AWS global option is adding a
 * row here (and reading its dest where it takes effect); parsing, abbreviations, ambiguity
 * messages and help follow from the table.
 */
export interface GlobalOption {
  /** The option string, `--region`. */
  readonly option: string;
  /** Where the value lands in ParsedGlobals. */
  readonly dest: string;
  /**
   * value: takes one argument; true/false: a flag storing that constant (argparse
   * store_true/store_false); version: prints the version line and exits 0.
   */
  readonly takes: 'value' | true | false | 'version';
  readonly default?: unknown;
  readonly choices?: readonly string[];
  /** Shown in help. */
  readonly help: string;
}

/**
 * The main parser's options, in AWS CLI v2's order (awscli/data/cli.json) so that an ambiguous
 * abbreviation lists its matches the way the AWS CLI does.
 */
export const GLOBAL_OPTIONS: readonly GlobalOption[] = [
  {
    option: '--debug',
    dest: 'debug',
    takes: true,
    default: false,
    help: 'Turn on debug logging to stderr: the arguments, the resolved configuration, each request and each response. Response bodies are logged in full, including any private key they carry.',
  },
  {
    option: '--endpoint-url',
    dest: 'endpoint_url',
    takes: 'value',
    help: "Override command's default URL with the given URL. With an endpoint (here, in AWS_ENDPOINT_URL_IOT, AWS_ENDPOINT_URL or the profile), fleetca calls that fleetca server over HTTP(S) with SigV4; without one it works on the local data directory.",
  },
  {
    option: '--no-verify-ssl',
    dest: 'verify_ssl',
    takes: false,
    default: true,
    help: 'By default, fleetca verifies the TLS certificate of an https endpoint. This option overrides the default behavior of verifying SSL certificates.',
  },
  {
    option: '--no-paginate',
    dest: 'paginate',
    takes: false,
    default: true,
    help: 'Disable automatic pagination. If automatic pagination is disabled, only one call is made, for the first page of results.',
  },
  {
    option: '--output',
    dest: 'output',
    takes: 'value',
    choices: OUTPUT_CHOICES,
    help: 'The formatting style for command output.',
  },
  {
    option: '--query',
    dest: 'query',
    takes: 'value',
    help: 'A JMESPath query to use in filtering the response data.',
  },
  {
    option: '--profile',
    dest: 'profile',
    takes: 'value',
    help: 'Use a specific profile from your credential file.',
  },
  {
    option: '--region',
    dest: 'region',
    takes: 'value',
    help: 'The region to use. Overrides config/env settings.',
  },
  {
    option: '--version',
    dest: 'version',
    takes: 'version',
    help: 'Display the version of this tool.',
  },
  {
    option: '--color',
    dest: 'color',
    takes: 'value',
    default: 'auto',
    choices: ['on', 'off', 'auto'],
    help: 'Turn on/off color output (table output only).',
  },
  {
    option: '--no-sign-request',
    dest: 'sign_request',
    takes: false,
    default: true,
    help: 'Do not sign requests. Credentials will not be loaded if this argument is provided.',
  },
  {
    option: '--ca-bundle',
    dest: 'ca_bundle',
    takes: 'value',
    help: 'The CA certificate bundle to use when verifying SSL certificates. Overrides config/env settings.',
  },
  {
    option: '--cli-read-timeout',
    dest: 'read_timeout',
    takes: 'value',
    help: 'The maximum socket read time in seconds. If the value is set to 0, the socket read will be blocking and not timeout. The default value is 60 seconds.',
  },
  {
    option: '--cli-connect-timeout',
    dest: 'connect_timeout',
    takes: 'value',
    help: 'The maximum socket connect time in seconds. If the value is set to 0, the socket connect will be blocking and not timeout. The default value is 60 seconds.',
  },
  {
    option: '--cli-binary-format',
    dest: 'cli_binary_format',
    takes: 'value',
    choices: ['base64', 'raw-in-base64-out'],
    help: 'The formatting style to be used for binary blobs. The default format is base64. No fleetca operation has a blob parameter, so it has no effect.',
  },
  {
    option: '--no-cli-pager',
    dest: 'no_cli_pager',
    takes: true,
    default: false,
    help: 'Disable the output pager. Output is paged only when stdout is a terminal.',
  },
  {
    option: '--cli-auto-prompt',
    dest: 'cli_auto_prompt',
    takes: true,
    default: false,
    help: 'Prompt for the parameters of the command interactively before running it.',
  },
  {
    option: '--no-cli-auto-prompt',
    dest: 'no_cli_auto_prompt',
    takes: true,
    default: false,
    help: 'Disable the interactive prompt, whatever the environment or the config file say.',
  },
  {
    option: '--cli-error-format',
    dest: 'cli_error_format',
    takes: 'value',
    choices: CLI_ERROR_FORMATS,
    help: 'The format of error messages on stderr: enhanced (default), legacy, or one of the output formats json, yaml, text, table.',
  },
  // fleetca's own, after AWS's so that abbreviations of theirs resolve as in the AWS CLI.
  {
    option: '--store',
    dest: 'store',
    takes: 'value',
    help: 'The registry to work on without an endpoint: postgres://user@host:5432/db (PostgreSQL) or sqlite:FILE. Default: FLEETCA_STORE, else registry.db in the data directory.',
  },
];

/** The values of the global options after parsing; `paginate` may be switched off by customizations. */
export interface ParsedGlobals {
  region: string | undefined;
  profile: string | undefined;
  output: string | undefined;
  paginate: boolean;
  /** `--store`: the local registry's location (fleetca's own option). */
  store: string | undefined;
  /** `--query`, compiled by main right after the global parse (query/compile-query.ts). */
  query?: CompiledQuery;
  /** Every parsed global by dest, for options that have no typed field yet. */
  readonly all: Readonly<Record<string, unknown>>;
}

/** The argparse actions of the global option table. */
export function globalOptionActions(): OptionalAction[] {
  return GLOBAL_OPTIONS.map((row): OptionalAction => {
    const base = { optionStrings: [row.option], dest: row.dest, default: row.default };
    if (row.takes === 'value') return { ...base, kind: 'store', choices: row.choices };
    if (row.takes === 'version') return { ...base, kind: 'version' };
    return { ...base, kind: 'const', constValue: row.takes };
  });
}

/** Reads ParsedGlobals from the main parser's values. */
export function toParsedGlobals(values: Readonly<Record<string, unknown>>): ParsedGlobals {
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  return {
    region: text('region'),
    profile: text('profile'),
    output: text('output'),
    paginate: values.paginate !== false,
    store: text('store'),
    all: values,
  };
}
