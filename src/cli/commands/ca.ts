import { rewriteCaKeys } from '../../ca/protect-keys.js';
import { CA_PASSPHRASE, caPassphraseSource, NEW_CA_PASSPHRASE, newPassphrase } from '../../home/ca-passphrase.js';
import { openHomeAuthority } from '../../home/open-home.js';
import { terminalPassphraseReader } from '../../home/terminal-passphrase.js';
import { ArgumentParser } from '../argv/argparse.js';
import { CA_COMMAND, COMMAND_SUMMARIES } from '../argv/command-names.js';
import { UnknownArgumentError } from '../errors/cli-errors.js';
import { type CliIO, writeNote } from '../io.js';

const HELP = `NAME
       ${CA_COMMAND} - ${COMMAND_SUMMARIES[CA_COMMAND]}

SYNOPSIS
       fleetca ca export
       fleetca ca crl [--out FILE] [--pem] [--store URL]
       fleetca ca protect
       fleetca ca passphrase

COMMANDS
       o export
         Prints the CA chain that verifies every certificate fleetca issues:
         the issuing CA certificate, then the root, in PEM. Give it to
         \`openssl verify -CAfile\` or to a TLS stack as its trust store.
         Never needs the CA passphrase.

       o crl
         Signs a new CRL of the issuing CA from the registry (X.509 v2,
         RFC 5280): REVOKED certificates (with the reason recorded, if
         any), certificates in any other status but ACTIVE as
         certificateHold, and deleted ones as revoked. Each CRL has the
         next CRL number of the registry, shared with fleetca serve and
         its replicas. Written to --out (replaced atomically) or stdout,
         DER unless --pem. Brokers that read a crlfile (Mosquitto, nginx)
         want --pem; run it again, then reload the broker, to publish a
         change. --store as for fleetca serve. Needs the CA passphrase
         when the CA keys are encrypted.

       o protect
         Encrypts the CA's private keys (root-ca.key, issuing-ca.key) with a
         passphrase: PKCS#8, PBES2 with PBKDF2-HMAC-SHA256 (600,000
         iterations) and AES-256-CBC. The passphrase comes from the file
         named by ${CA_PASSPHRASE.file}, else ${CA_PASSPHRASE.value}, else
         it is asked twice on the terminal. From then on every command that
         signs (fleetca serve, create-keys-and-certificate, ...) needs it the
         same way; fleetca serve refuses to start without it.

       o passphrase
         Changes the passphrase of encrypted CA keys: the current one as
         above, the new one from the file named by ${NEW_CA_PASSPHRASE.file},
         else ${NEW_CA_PASSPHRASE.value}, else asked twice on the terminal.
         Run it again with the same settings if it was interrupted.

       Each key file is replaced atomically (written and fsynced under a
       temporary name, then renamed); no plain copy is ever written.
`;

const parser = new ArgumentParser([
  {
    dest: 'subcommand',
    nargs: 'one',
    choices: ['export', 'crl', 'protect', 'passphrase', 'help'],
    listChoices: true,
  },
  { optionStrings: ['--out'], kind: 'store', dest: 'out' },
  { optionStrings: ['--pem'], kind: 'const', dest: 'pem', constValue: true, default: false },
  { optionStrings: ['--store'], kind: 'store', dest: 'store' },
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
  if (values.subcommand === 'crl') {
    const { runCrlCommand } = await import('./ca-crl.js');
    return runCrlCommand(
      { out: values.out as string | undefined, pem: values.pem === true, store: values.store as string | undefined },
      io,
    );
  }
  const misplaced = ['out', 'pem', 'store'].find((name) => values[name] !== undefined && values[name] !== false);
  if (misplaced !== undefined) {
    throw new UnknownArgumentError(`Unknown options: --${misplaced}`);
  }
  const ask = terminalPassphraseReader() ?? false;
  const { authority } = await openHomeAuthority(io.env, (note) => writeNote(io, note), ask);
  if (values.subcommand === 'export') {
    io.stdout.write(authority.chainPem());
    return 0;
  }
  const protecting = values.subcommand === 'protect';
  const current = protecting ? undefined : caPassphraseSource(io.env, ask);
  const next = await newPassphrase(io.env, protecting ? CA_PASSPHRASE : NEW_CA_PASSPHRASE, ask);
  try {
    const outcomes = await rewriteCaKeys(authority.directory, { current, next: next.bytes });
    for (const [file, outcome] of Object.entries(outcomes)) {
      writeNote(io, `${file}: ${outcome} (passphrase from ${next.source})`);
    }
  } finally {
    next.bytes.fill(0);
  }
  return 0;
}
