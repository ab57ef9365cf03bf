import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import {
  CertificateStateException,
  CreateCertificateFromCsrCommand,
  CreateKeysAndCertificateCommand,
  DeleteCertificateCommand,
  DescribeCertificateCommand,
  InvalidRequestException,
  IoTClient,
  paginateListCertificates,
  ResourceNotFoundException,
  UpdateCertificateCommand,
} from '@aws-sdk/client-iot';
import { createAccount, type RunningServer, startServer } from '../helpers/fleetca-server.js';
import { cliEnv, makeEcCsr, tempHome } from '../helpers/run-cli.js';

let server: RunningServer;
let home: string;
let iot: IoTClient;

before(async () => {
  home = await tempHome('fleetca-sdk-js-');
  const env = cliEnv(home);
  server = await startServer(env);
  const credentials = await createAccount(env, '210987654321');
  iot = new IoTClient({
    endpoint: server.url,
    region: 'ap-southeast-2',
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    maxAttempts: 1,
  });
});

after(async () => {
  iot.destroy();
  assert.equal(await server.stop(), 0);
});

test('@aws-sdk/client-iot: create, describe, update, delete, with modeled exception classes', async () => {
  const created = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
  assert.ok(created.certificatePem && created.certificateId && created.keyPair?.PrivateKey);
  const cert = new X509Certificate(created.certificatePem);
  assert.equal(created.certificateId, createHash('sha256').update(cert.raw).digest('hex'));
  assert.equal(created.certificateArn, `arn:aws:iot:ap-southeast-2:210987654321:cert/${created.certificateId}`);

  const described = await iot.send(new DescribeCertificateCommand({ certificateId: created.certificateId }));
  const description = described.certificateDescription;
  assert.equal(description?.status, 'ACTIVE');
  assert.ok(description?.creationDate instanceof Date);
  assert.equal(description?.validity?.notAfter?.toISOString(), '2049-12-31T23:59:59.000Z');
  assert.equal(description?.validity?.notBefore?.getTime(), new Date(cert.validFrom).getTime());
  assert.equal(described.$metadata.httpStatusCode, 200);
  assert.ok(described.$metadata.requestId);

  await assert.rejects(
    iot.send(new DeleteCertificateCommand({ certificateId: created.certificateId })),
    (err: unknown) => err instanceof CertificateStateException && err.$metadata.httpStatusCode === 406,
  );
  await iot.send(new UpdateCertificateCommand({ certificateId: created.certificateId, newStatus: 'INACTIVE' }));
  await iot.send(new DeleteCertificateCommand({ certificateId: created.certificateId }));
  await assert.rejects(
    iot.send(new DescribeCertificateCommand({ certificateId: created.certificateId })),
    (err: unknown) =>
      err instanceof ResourceNotFoundException && err.message === 'The specified resource does not exist',
  );
  await assert.rejects(
    iot.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: 'garbage' })),
    InvalidRequestException,
  );
});

test('@aws-sdk/client-iot: the paginator lists every certificate once, newest first', async () => {
  const csr = await readFile(await makeEcCsr(home, 'sdk-js-device'), 'utf8');
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const out = await iot.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: csr }));
    ids.push(out.certificateId as string);
  }
  const seen: { id: string; created: number }[] = [];
  let pages = 0;
  for await (const page of paginateListCertificates({ client: iot, pageSize: 2 }, {})) {
    pages++;
    for (const c of page.certificates ?? [])
      seen.push({ id: c.certificateId as string, created: c.creationDate?.getTime() ?? 0 });
  }
  assert.ok(pages >= 3);
  assert.deepEqual(
    seen.map((s) => s.id).filter((id) => ids.includes(id)),
    [...ids].reverse(),
  );
  assert.equal(new Set(seen.map((s) => s.id)).size, seen.length);
  assert.deepEqual(
    seen.map((s) => s.created),
    seen.map((s) => s.created).sort((a, b) => b - a),
  );
});
