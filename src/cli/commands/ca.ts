import { openHomeAuthority } from '../../home/open-home.js';
import { ArgumentParser } from '../argv/argparse.js';
import { CA_COMMAND, COMMAND_SUMMARIES } from '../argv/command-table.js';
import { UnknownArgumentError } from '../errors/cli-errors.js';
import { type CliIO, writeNote } from '../io.js';

const HELP = `NAME
       ${CA_COMMAND} - ${COMMAND_SUMMARIES[CA_COMMAND]}

SYNOPSIS
       fleetca ca export

COMMANDS
       o export
         Prints the CA chain that verifies every certificate fleetca issues:
         the issuing CA certificate, then the root, in PEM. Give it to
         \`openssl verify -CAfile\` or to a TLS stack as its trust store.
`;

const parser = new ArgumentParser([
  { dest: 'subcommand', nargs: 'one', choices: ['export', 'help'], listChoices: true },
]);

/** `fleetca ca ...`: the data directory's certificate authority. Errors go to main's reporter. */
export async function runCaCommand(args: readonly string[], io: CliIO): Promise<number> {
  if (args.includes('--help')) {
    io.stdout.write(HELP);
    return 0;
  }
  const { values, extras } = parser.parseKnownArgs(args);
  if (values.subcommand === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  if (extras.length > 0) throw new UnknownArgumentError(`Unknown options: ${extras.join(', ')}`);
  const { authority } = await openHomeAuthority(io.env, (note) => writeNote(io, note));
  io.stdout.write(authority.chainPem());
  return 0;
}
