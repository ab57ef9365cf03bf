import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { xformName } from '../../../src/cli/argv/names.js';
import { getCloseMatches } from '../../../src/cli/python/close-matches.js';
import { argparseError, CERT_ID, runFleetca, unknownOptions } from '../cli-harness.js';

describe('command-line grammar', () => {
  it('reports unknown options after the usage block, values included (exit 252)', async () => {
    const result = await runFleetca(['iot', 'create-keys-and-certificate', '--foo', 'bar']);
    assert.equal(result.code, 252);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, unknownOptions('--foo, bar'));
    // Byte-exact against the captured v2.36.7 layout with `aws` replaced by `fleetca`.
    assert.equal(
      result.stderr,
      '\nusage: fleetca [options] <command> <subcommand> [<subcommand> ...] [parameters]\nTo see help text, you can run:\n\n' +
        '  fleetca help\n  fleetca <command> help\n  fleetca <command> <subcommand> help\n\n\nfleetca: [ERROR]: Unknown options: --foo, bar\n',
    );
    assert.equal(result.opened.length, 0);
  });

  it('treats a value after a flag as an unknown option (--set-as-active true)', async () => {
    const result = await runFleetca(['iot', 'create-keys-and-certificate', '--set-as-active', 'true']);
    assert.deepEqual([result.code, result.stderr], [252, unknownOptions('true')]);
  });

  it('lists stray positionals after the unknown options, as the help positional collects them', async () => {
    const result = await runFleetca(['iot', 'describe-certificate', 'stray', '--certificate-id', CERT_ID, '--x=1']);
    assert.deepEqual([result.code, result.stderr], [252, unknownOptions('--x=1, stray')]);
  });

  it('refuses an explicit value for a flag', async () => {
    const result = await runFleetca(['iot', 'create-keys-and-certificate', '--set-as-active=true']);
    assert.deepEqual(
      [result.code, result.stderr],
      [252, argparseError("argument --set-as-active: ignored explicit argument 'true'")],
    );
  });

  it('maps the boolean flags to setAsActive, last one winning, absent when not given', async () => {
    const cases: Array<[string[], unknown]> = [
      [[], undefined],
      [['--set-as-active'], true],
      [['--no-set-as-active'], false],
      [['--set-as-active', '--no-set-as-active'], false],
      [['--no-set-as-active', '--set-as-active'], true],
    ];
    for (const [flags, expected] of cases) {
      const result = await runFleetca(['iot', 'create-keys-and-certificate', ...flags]);
      assert.equal(result.code, 0);
      assert.deepEqual(result.calls[0]?.params, expected === undefined ? {} : { setAsActive: expected });
    }
  });

  it('accepts unambiguous prefixes, globals resolved first', async () => {
    const result = await runFleetca(
      ['iot', 'create-keys-and-certificate', '--reg', 'eu-west-1', '--out', 'off', '--set', '--no-pag'],
      { respond: () => ({ certificateId: CERT_ID }) },
    );
    assert.equal(result.code, 0);
    assert.deepEqual(result.regions, ['eu-west-1']);
    assert.deepEqual(result.calls[0]?.params, { setAsActive: true });
    assert.equal(result.stdout, '');
    const negative = await runFleetca(['iot', 'create-keys-and-certificate', '--no-set']);
    assert.deepEqual(negative.calls[0]?.params, { setAsActive: false });
  });

  it('reports an ambiguous abbreviation with every match in table order', async () => {
    const result = await runFleetca(['iot', 'create-certificate-from-csr', '--cert', 'x']);
    assert.equal(result.code, 252);
    assert.equal(
      result.stderr,
      argparseError('ambiguous option: --cert could match --certificate-signing-request, --certificate-pem-outfile'),
    );
    const paging = await runFleetca(['iot', 'list-certificates', '--m', '1']);
    assert.equal(paging.stderr, argparseError('ambiguous option: --m could match --marker, --max-items'));
  });

  it('accepts --opt=value and --opt value, the last occurrence winning', async () => {
    const result = await runFleetca([
      'iot',
      'delete-certificate',
      `--certificate-id=${'b'.repeat(64)}`,
      '--certificate-id',
      CERT_ID,
      '--force-delete',
    ]);
    assert.equal(result.code, 0);
    assert.deepEqual(result.calls, [
      { operation: 'DeleteCertificate', params: { certificateId: CERT_ID, forceDelete: true } },
    ]);
  });

  it('takes global options anywhere on the line', async () => {
    const result = await runFleetca([
      '--region',
      'us-west-2',
      'iot',
      'create-keys-and-certificate',
      '--region',
      'ap-south-1',
    ]);
    assert.deepEqual(result.regions, ['ap-south-1']);
  });

  it('enforces required arguments in table order', async () => {
    const result = await runFleetca(['iot', 'update-certificate']);
    assert.equal(result.code, 252);
    assert.equal(result.stderr, argparseError('the following arguments are required: --certificate-id, --new-status'));
    assert.equal(result.opened.length, 0);
  });

  it('needs a value for a value option', async () => {
    const result = await runFleetca(['iot', 'describe-certificate', '--certificate-id']);
    assert.equal(result.stderr, argparseError('argument --certificate-id: expected one argument'));
    const dashed = await runFleetca(['iot', 'describe-certificate', '--certificate-id', '--x']);
    assert.equal(dashed.stderr, argparseError('argument --certificate-id: expected one argument'));
  });

  it('parses integers like argparse type=int', async () => {
    const bad = await runFleetca(['iot', 'list-certificates', '--page-size', 'abc']);
    assert.deepEqual([bad.code, bad.stderr], [252, argparseError("argument --page-size: invalid int value: 'abc'")]);
    const badMax = await runFleetca(['iot', 'list-certificates', '--max-items', '1.5']);
    assert.equal(badMax.stderr, argparseError("argument --max-items: invalid int value: '1.5'"));
    // A negative number is a value, not an option; Python int() accepts spaces and underscores.
    const negative = await runFleetca(['iot', 'list-certificates', '--page-size', '-5']);
    assert.equal(negative.stderr.includes('valid min value: 1'), true);
    const underscored = await runFleetca(['iot', 'list-certificates', '--page-size', ' 1_0 ']);
    assert.deepEqual(underscored.calls[0]?.params, { pageSize: 10 });
  });

  it('validates --output choices with the 2.31+ wording and a close match', async () => {
    const result = await runFleetca(['--output', 'xml', 'iot', 'create-keys-and-certificate']);
    assert.deepEqual(
      [result.code, result.stderr],
      [252, argparseError("argument --output: Found invalid choice 'xml'\n")],
    );
    // The captured bytes of v2.36.7 for `--output xml`.
    assert.equal(
      result.stderr,
      "\nfleetca: [ERROR]: An error occurred (ParamValidation): argument --output: Found invalid choice 'xml'\n\n\n" +
        'usage: fleetca [options] <command> <subcommand> [<subcommand> ...] [parameters]\nTo see help text, you can run:\n\n' +
        '  fleetca help\n  fleetca <command> help\n  fleetca <command> <subcommand> help\n',
    );
    const typo = await runFleetca(['--output', 'jsn', 'iot', 'create-keys-and-certificate']);
    assert.equal(
      typo.stderr,
      argparseError("argument --output: Found invalid choice 'jsn'\n\nMaybe you meant:\n\n  * json"),
    );
  });

  it('suggests operations for a typo', async () => {
    const result = await runFleetca(['iot', 'lst-certificates']);
    assert.equal(
      result.stderr,
      argparseError(
        // difflib.get_close_matches over fleetca's operations (Python gives the same three).
        "argument operation: Found invalid choice 'lst-certificates'\n\nMaybe you meant:\n\n  * list-certificates\n  * list-ca-certificates\n  * delete-certificate",
      ),
    );
    const service = await runFleetca(['iott']);
    assert.equal(
      service.stderr,
      argparseError("argument command: Found invalid choice 'iott'\n\nMaybe you meant:\n\n  * iot"),
    );
  });

  it('requires a command and an operation', async () => {
    const none = await runFleetca([]);
    assert.deepEqual(
      [none.code, none.stdout, none.stderr],
      [252, '', argparseError('the following arguments are required: command')],
    );
    const iot = await runFleetca(['iot']);
    assert.equal(iot.stderr, argparseError('the following arguments are required: operation'));
  });

  it('passes PEM text starting with dashes as a value', async () => {
    const csr = '-----BEGIN CERTIFICATE REQUEST-----\nMII=\n-----END CERTIFICATE REQUEST-----\n';
    const result = await runFleetca(['iot', 'create-certificate-from-csr', '--certificate-signing-request', csr]);
    assert.equal(result.code, 0);
    assert.deepEqual(result.calls[0]?.params, { certificateSigningRequest: csr });
  });
});

describe('names and close matches', () => {
  it('derives CLI names like botocore xform_name', () => {
    assert.equal(xformName('CreateKeysAndCertificate'), 'create-keys-and-certificate');
    assert.equal(xformName('setAsActive'), 'set-as-active');
    assert.equal(xformName('CACertificates'), 'ca-certificates');
    assert.equal(xformName('ListCACertificatesByCA'), 'list-ca-certificates-by-ca');
    assert.equal(xformName('certificateId'), 'certificate-id');
  });

  it('ranks like difflib.get_close_matches', () => {
    assert.deepEqual(
      getCloseMatches('describe-certificat', ['describe-certificate', 'describe-ca-certificate', 'help']),
      ['describe-certificate', 'describe-ca-certificate'],
    );
    assert.deepEqual(getCloseMatches('appel', ['ape', 'apple', 'peach', 'puppy'], 3, 0.6), ['apple', 'ape']);
    assert.deepEqual(getCloseMatches('appel', ['ape', 'apple', 'peach', 'puppy']), ['apple']);
    assert.deepEqual(getCloseMatches('xyz', ['json', 'text']), []);
  });
});
