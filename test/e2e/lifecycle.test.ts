import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { cliEnv, makeEcCsr, runCli, tempHome } from '../helpers/run-cli.js';

describe('certificate lifecycle through the CLI', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  const iot = (...args: string[]) => runCli(['iot', ...args], env);

  async function createFromCsr(name: string, ...flags: string[]): Promise<string> {
    const csr = await makeEcCsr(home, name);
    const run = await iot('create-certificate-from-csr', '--certificate-signing-request', `file://${csr}`, ...flags);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(out), ['certificateArn', 'certificateId', 'certificatePem']);
    return out.certificateId;
  }

  async function describeCert(id: string) {
    const run = await iot('describe-certificate', '--certificate-id', id);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout).certificateDescription;
  }

  before(async () => {
    home = await tempHome();
    env = cliEnv(home);
  });

  test('create-certificate-from-csr certifies the CSR subject and key; describe shows every field', async () => {
    const csr = await makeEcCsr(home, 'sensor-7', '/C=DE/O=Acme Devices/CN=sensor-7');
    const run = await iot('create-certificate-from-csr', '--certificate-signing-request', `file://${csr}`);
    assert.equal(run.code, 0, run.stderr);
    const created = JSON.parse(run.stdout);
    const cert = new X509Certificate(created.certificatePem);
    assert.equal(cert.subject, 'C=DE\nO=Acme Devices\nCN=sensor-7');
    assert.equal(cert.publicKey.asymmetricKeyType, 'ec');

    const d = await describeCert(created.certificateId);
    assert.deepEqual(Object.keys(d), [
      'certificateArn',
      'certificateId',
      'status',
      'certificatePem',
      'ownedBy',
      'creationDate',
      'lastModifiedDate',
      'customerVersion',
      'transferData',
      'generationId',
      'validity',
      'certificateMode',
    ]);
    assert.equal(d.status, 'INACTIVE', 'without --set-as-active a certificate starts INACTIVE');
    assert.equal(d.ownedBy, '000000000000');
    assert.equal(d.customerVersion, 1);
    assert.deepEqual(d.transferData, {});
    assert.equal(d.certificateMode, 'DEFAULT');
    assert.match(d.generationId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // AWS CLI v2 renders timestamps as ISO-8601 in the local zone (TZ=UTC here).
    assert.match(d.creationDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/);
    assert.equal(d.creationDate, d.lastModifiedDate);
    assert.equal(d.validity.notAfter, '2049-12-31T23:59:59+00:00');
    assert.equal(new Date(d.validity.notBefore).getTime(), new Date(cert.validFrom).getTime());
    const created_ms = new Date(d.creationDate).getTime();
    const notBefore = new Date(d.validity.notBefore).getTime();
    assert.equal(notBefore, Math.floor(created_ms / 1000) * 1000 - 120_000);
  });

  test('update-certificate follows the status machine and versions each change', async () => {
    const id = await createFromCsr('lifecycle-1');
    const first = await describeCert(id);

    assert.equal((await iot('update-certificate', '--certificate-id', id, '--new-status', 'ACTIVE')).code, 0);
    const active = await describeCert(id);
    assert.equal(active.status, 'ACTIVE');
    assert.equal(active.customerVersion, 2);
    assert.notEqual(active.generationId, first.generationId);

    // Idempotent: the same status again changes nothing.
    const again = await iot('update-certificate', '--certificate-id', id, '--new-status', 'ACTIVE');
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, '');
    assert.equal((await describeCert(id)).customerVersion, 2);

    // Pending states are not for UpdateCertificate.
    const pending = await iot('update-certificate', '--certificate-id', id, '--new-status', 'PENDING_ACTIVATION');
    assert.equal(pending.code, 254);
    assert.match(
      pending.stderr,
      /An error occurred \(InvalidRequestException\) when calling the UpdateCertificate operation/,
    );

    // A status that does not exist is refused by the service's enum check.
    const bogus = await iot('update-certificate', '--certificate-id', id, '--new-status', 'BOGUS');
    assert.equal(bogus.code, 254);
    assert.equal(
      bogus.stderr,
      "\nfleetca: [ERROR]: An error occurred (InvalidRequestException) when calling the UpdateCertificate operation: 1 validation error detected: Value 'BOGUS' at 'newStatus' failed to satisfy constraint: Member must satisfy enum value set: [ACTIVE, INACTIVE, REVOKED, PENDING_TRANSFER, REGISTER_INACTIVE, PENDING_ACTIVATION]\n",
    );

    // REVOKED is final.
    assert.equal((await iot('update-certificate', '--certificate-id', id, '--new-status', 'REVOKED')).code, 0);
    const back = await iot('update-certificate', '--certificate-id', id, '--new-status', 'ACTIVE');
    assert.equal(back.code, 254);
    assert.match(back.stderr, /\(CertificateStateException\) when calling the UpdateCertificate operation/);
    const revoked = await describeCert(id);
    assert.equal(revoked.status, 'REVOKED');
    assert.equal(revoked.customerVersion, 3);
  });

  test('delete-certificate refuses an ACTIVE certificate with AWS message, then deletes it once inactive', async () => {
    const id = await createFromCsr('lifecycle-2', '--set-as-active');
    assert.equal((await describeCert(id)).status, 'ACTIVE');

    const refused = await iot('delete-certificate', '--certificate-id', id);
    assert.equal(refused.code, 254);
    assert.equal(
      refused.stderr,
      `\nfleetca: [ERROR]: An error occurred (CertificateStateException) when calling the DeleteCertificate operation: Certificate must be deactivated (not ACTIVE) before deletion. Id: ${id}\n`,
    );
    assert.equal((await describeCert(id)).status, 'ACTIVE', 'a refused delete leaves the certificate');

    assert.equal((await iot('update-certificate', '--certificate-id', id, '--new-status', 'INACTIVE')).code, 0);
    const deleted = await iot('delete-certificate', '--certificate-id', id, '--force-delete');
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout, '');

    const gone = await iot('describe-certificate', '--certificate-id', id);
    assert.equal(gone.code, 254);
    assert.equal(
      gone.stderr,
      '\nfleetca: [ERROR]: An error occurred (ResourceNotFoundException) when calling the DescribeCertificate operation: The specified resource does not exist\n',
    );
    const twice = await iot('delete-certificate', '--certificate-id', id);
    assert.equal(twice.code, 254);
    assert.match(twice.stderr, /ResourceNotFoundException/);
  });

  test('list-certificates: newest first, ascending on request, pages merged, max-items with a token', async () => {
    const listHome = await tempHome();
    const listEnv = cliEnv(listHome);
    const ids: string[] = [];
    for (const n of [1, 2, 3, 4, 5]) {
      const csr = await makeEcCsr(listHome, `list-${n}`);
      const run = await runCli(
        ['iot', 'create-certificate-from-csr', '--certificate-signing-request', `file://${csr}`],
        listEnv,
      );
      assert.equal(run.code, 0, run.stderr);
      ids.push(JSON.parse(run.stdout).certificateId);
      await new Promise((r) => setTimeout(r, 5)); // distinct creation dates
    }
    const list = async (...args: string[]) => {
      const run = await runCli(['iot', 'list-certificates', ...args], listEnv);
      assert.equal(run.code, 0, run.stderr);
      return JSON.parse(run.stdout);
    };

    const all = await list();
    assert.deepEqual(Object.keys(all), ['certificates']);
    assert.deepEqual(
      all.certificates.map((c: { certificateId: string }) => c.certificateId),
      [...ids].reverse(),
    );
    assert.deepEqual(Object.keys(all.certificates[0]), [
      'certificateArn',
      'certificateId',
      'status',
      'certificateMode',
      'creationDate',
    ]);

    const ascending = await list('--ascending-order');
    assert.deepEqual(
      ascending.certificates.map((c: { certificateId: string }) => c.certificateId),
      ids,
    );

    // As in the AWS CLI, the model's own --page-size means manual paging: one call, nextMarker kept.
    const firstPage = await list('--page-size', '2');
    assert.equal(firstPage.certificates.length, 2);
    assert.match(firstPage.nextMarker, /^[A-Za-z0-9+/]+={0,2}$/);
    const secondPage = await list('--no-paginate', '--page-size', '2', '--marker', firstPage.nextMarker);
    const lastPage = await list('--page-size', '2', '--marker', secondPage.nextMarker);
    assert.deepEqual(
      lastPage.certificates.map((c: { certificateId: string }) => c.certificateId),
      [ids[0]],
    );
    assert.equal(lastPage.nextMarker, undefined, 'no marker after the last page');
    assert.deepEqual(
      secondPage.certificates.map((c: { certificateId: string }) => c.certificateId),
      [ids[2], ids[1]],
    );

    const truncated = await list('--max-items', '3');
    assert.equal(truncated.certificates.length, 3);
    assert.ok(truncated.NextToken);
    const rest = await list('--starting-token', truncated.NextToken);
    assert.deepEqual(
      rest.certificates.map((c: { certificateId: string }) => c.certificateId),
      [ids[1], ids[0]],
    );

    const tooBig = await runCli(['iot', 'list-certificates', '--page-size', '300'], listEnv);
    assert.equal(tooBig.code, 254);
    assert.match(tooBig.stderr, /Member must have value less than or equal to 250/);
  });
});
