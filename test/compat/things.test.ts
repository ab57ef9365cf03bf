import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import {
  AttachThingPrincipalCommand,
  CreateCertificateFromCsrCommand,
  CreateThingCommand,
  DeleteCertificateCommand,
  DeleteConflictException,
  DeleteThingCommand,
  DescribeThingCommand,
  DetachThingPrincipalCommand,
  InvalidRequestException,
  type IoTClient,
  ListPrincipalThingsCommand,
  ListThingPrincipalsCommand,
  paginateListThings,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  VersionConflictException,
} from '@aws-sdk/client-iot';
import {
  type AccountCredentials,
  awsCliAgainst,
  awsClientEnv,
  createAccount,
  iotClientFor,
  type RunningServer,
  startServer,
} from '../helpers/fleetca-server.js';
import { cliEnv, makeEcCsr, tempHome } from '../helpers/run-cli.js';

/** The thing registry through the real clients: @aws-sdk/client-iot and the aws CLI v1, against `fleetca serve`. */
describe('things against fleetca serve', () => {
  let home: string;
  let server: RunningServer;
  let credentials: AccountCredentials;
  let iot: IoTClient;
  let csr: string;

  before(async () => {
    home = await tempHome('fleetca-things-compat-');
    const env = cliEnv(home);
    credentials = await createAccount(env, '444455556666');
    server = await startServer(env);
    iot = iotClientFor(server, credentials, 'eu-west-1');
    csr = await readFile(await makeEcCsr(home, 'thing-device'), 'utf8');
  });

  after(async () => {
    iot.destroy();
    assert.equal(await server.stop(), 0, 'the server shuts down cleanly');
  });

  test('@aws-sdk/client-iot: create, attach, list both ways, refused deletions, detach, delete', async () => {
    const certificate = await iot.send(new CreateCertificateFromCsrCommand({ certificateSigningRequest: csr }));
    const arn = certificate.certificateArn as string;
    assert.equal(arn, `arn:aws:iot:eu-west-1:444455556666:cert/${certificate.certificateId}`);

    const thing = await iot.send(
      new CreateThingCommand({ thingName: 'sdk-thing', attributePayload: { attributes: { site: 'lyon' } } }),
    );
    assert.equal(thing.thingArn, 'arn:aws:iot:eu-west-1:444455556666:thing/sdk-thing');
    const again = await iot.send(
      new CreateThingCommand({ thingName: 'sdk-thing', attributePayload: { attributes: { site: 'lyon' } } }),
    );
    assert.equal(again.thingId, thing.thingId);
    await assert.rejects(
      iot.send(new CreateThingCommand({ thingName: 'sdk-thing' })),
      (err: unknown) => err instanceof ResourceAlreadyExistsException && err.$metadata.httpStatusCode === 409,
    );
    const described = await iot.send(new DescribeThingCommand({ thingName: 'sdk-thing' }));
    assert.deepEqual(
      { ...described, $metadata: undefined },
      {
        $metadata: undefined,
        defaultClientId: 'sdk-thing',
        thingName: 'sdk-thing',
        thingId: thing.thingId,
        thingArn: thing.thingArn,
        attributes: { site: 'lyon' },
        version: 1,
      },
    );

    await iot.send(new AttachThingPrincipalCommand({ thingName: 'sdk-thing', principal: arn }));
    const principals = await iot.send(new ListThingPrincipalsCommand({ thingName: 'sdk-thing' }));
    assert.deepEqual(principals.principals, [arn]);
    const things = await iot.send(new ListPrincipalThingsCommand({ principal: arn }));
    assert.deepEqual(things.things, ['sdk-thing']);

    await assert.rejects(
      iot.send(new DeleteCertificateCommand({ certificateId: certificate.certificateId, forceDelete: true })),
      (err: unknown) =>
        err instanceof DeleteConflictException &&
        err.$metadata.httpStatusCode === 409 &&
        err.message === `Things must be detached before deletion (arn: ${arn})`,
    );
    await assert.rejects(
      iot.send(new DeleteThingCommand({ thingName: 'sdk-thing' })),
      (err: unknown) =>
        err instanceof InvalidRequestException &&
        err.message === 'Cannot delete. Thing sdk-thing is still attached to one or more principals',
    );
    await assert.rejects(
      iot.send(
        new AttachThingPrincipalCommand({ thingName: 'sdk-thing', principal: arn.replace('eu-west-1', 'us-east-1') }),
      ),
      ResourceNotFoundException,
    );

    await iot.send(new DetachThingPrincipalCommand({ thingName: 'sdk-thing', principal: arn }));
    assert.deepEqual((await iot.send(new ListThingPrincipalsCommand({ thingName: 'sdk-thing' }))).principals, []);
    await assert.rejects(
      iot.send(new DeleteThingCommand({ thingName: 'sdk-thing', expectedVersion: 7 })),
      (err: unknown) => err instanceof VersionConflictException && err.$metadata.httpStatusCode === 409,
    );
    await iot.send(new DeleteThingCommand({ thingName: 'sdk-thing', expectedVersion: 1 }));
    await iot.send(new DeleteCertificateCommand({ certificateId: certificate.certificateId }));
    await assert.rejects(iot.send(new DescribeThingCommand({ thingName: 'sdk-thing' })), ResourceNotFoundException);
    await assert.rejects(iot.send(new ListPrincipalThingsCommand({ principal: arn })), ResourceNotFoundException);
  });

  test('@aws-sdk/client-iot: the ListThings paginator sees every thing once, by name', async () => {
    const names = ['page-c', 'page-a', 'page-e', 'page-b', 'page-d'];
    for (const thingName of names) await iot.send(new CreateThingCommand({ thingName }));
    const seen: string[] = [];
    for await (const page of paginateListThings({ client: iot, pageSize: 2 }, {})) {
      assert.ok((page.things ?? []).length <= 2);
      seen.push(...(page.things ?? []).map((thing) => thing.thingName as string));
    }
    assert.deepEqual(seen, [...names].sort());
    for (const thingName of names) await iot.send(new DeleteThingCommand({ thingName }));
  });

  test('aws CLI v1: create-thing, attach, list both ways, refused delete-certificate, detach, delete', async () => {
    const { aws, ok } = awsCliAgainst(() => ({ url: server.url, env: awsClientEnv(home, credentials, 'eu-west-1') }));
    const certificate = await ok('create-certificate-from-csr', '--certificate-signing-request', csr);
    const arn = certificate.certificateArn;

    const created = await ok(
      'create-thing',
      '--thing-name',
      'cli-thing',
      '--attribute-payload',
      'attributes={site=paris,floor=2}',
    );
    assert.deepEqual(Object.keys(created), ['thingName', 'thingArn', 'thingId']);
    const described = await ok('describe-thing', '--thing-name', 'cli-thing');
    assert.deepEqual(described.attributes, { site: 'paris', floor: '2' });
    assert.equal(described.version, 1);
    await ok('create-thing', '--thing-name', 'cli-other');

    assert.deepEqual(await ok('attach-thing-principal', '--thing-name', 'cli-thing', '--principal', arn), {});
    assert.deepEqual((await ok('list-thing-principals', '--thing-name', 'cli-thing')).principals, [arn]);
    assert.deepEqual((await ok('list-principal-things', '--principal', arn)).things, ['cli-thing']);
    const filtered = await ok('list-things', '--attribute-name', 'site', '--attribute-value', 'paris');
    assert.deepEqual(
      filtered.things.map((thing: { thingName: string }) => thing.thingName),
      ['cli-thing'],
    );
    const paged = await ok('list-things', '--max-items', '1');
    assert.equal(paged.things.length, 1);
    assert.ok(paged.NextToken, 'the CLI paginator hands back a token to continue');

    const refused = await aws('delete-certificate', '--certificate-id', certificate.certificateId);
    assert.equal(refused.code, 255);
    assert.equal(
      refused.stderr.trim(),
      'An error occurred (DeleteConflictException) when calling the DeleteCertificate operation: ' +
        `Things must be detached before deletion (arn: ${arn})`,
    );
    const missing = await aws('attach-thing-principal', '--thing-name', 'cli-ghost', '--principal', arn);
    assert.match(missing.stderr, /\(ResourceNotFoundException\) when calling the AttachThingPrincipal operation/);
    const badName = await aws('create-thing', '--thing-name', 'bad name');
    assert.match(badName.stderr, /\(InvalidRequestException\).*Member must satisfy regular expression pattern/);

    await ok('detach-thing-principal', '--thing-name', 'cli-thing', '--principal', arn);
    assert.deepEqual((await ok('list-principal-things', '--principal', arn)).things, []);
    await ok('delete-thing', '--thing-name', 'cli-thing');
    await ok('delete-thing', '--thing-name', 'cli-other');
    await ok('delete-certificate', '--certificate-id', certificate.certificateId);
    assert.deepEqual((await ok('list-things')).things, []);
  });
});
