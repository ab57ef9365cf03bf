/**
 * The program name and the usage block, in the AWS CLI's wording with `fleetca` where it says `aws`.
 */
export const PROG = 'fleetca';

/** `USAGE` of awscli/argparser.py: the usage line plus the help hints, ending in a newline. */
export const USAGE =
  `${PROG} [options] <command> <subcommand> [<subcommand> ...] [parameters]\n` +
  'To see help text, you can run:\n' +
  '\n' +
  `  ${PROG} help\n` +
  `  ${PROG} <command> help\n` +
  `  ${PROG} <command> <subcommand> help\n`;

/** What argparse's `format_usage()` returns for the CLI parsers. */
export const FORMATTED_USAGE = `usage: ${USAGE}`;
