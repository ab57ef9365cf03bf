import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CreateProvisioningClaimCommand,
  CreateProvisioningTemplateCommand,
  DeleteProvisioningTemplateCommand,
  DescribeProvisioningTemplateCommand,
  InvalidRequestException,
  type IoTClient,
  paginateListProvisioningTemplates,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  UpdateProvisioningTemplateCommand,
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
import { cliEnv, runCli, runTool, tempHome } from '../helpers/run-cli.js';

const ACCOUNT = '444455556666';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/FleetProvisioningRole`;

/** The fleet-provisioning template of AWS's own examples: a thing per serial number, the certificate, a policy. */
const FLEET_TEMPLATE = {
  Parameters: {
    SerialNumber: { Type: 'String' },
    'AWS::IoT::Certificate::Id': { Type: 'String' },
  },
  Resources: {
    thing: {
      Type: 'AWS::IoT::Thing',
      Properties: {
        ThingName: { 'Fn::Join': ['', ['device-', { Ref: 'SerialNumber' }]] },
        AttributePayload: { serial: { Ref: 'SerialNumber' } },
      },
      OverrideSettings: { AttributePayload: 'MERGE', ThingTypeName: 'REPLACE', ThingGroups: 'DO_NOTHING' },
    },
    certificate: {
      Type: 'AWS::IoT::Certificate',
      Properties: { CertificateId: { Ref: 'AWS::IoT::Certificate::Id' }, Status: 'ACTIVE' },
    },
    policy: {
      Type: 'AWS::IoT::Policy',
      Properties: {
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: ['iot:Connect', 'iot:Publish'], Resource: '*' }],
        }),
      },
    },
  },
  DeviceConfiguration: { FallbackUrl: 'https://www.example.com/test-site' },
};

/** The real aws CLI (v1) and @aws-sdk/client-iot drive the provisioning-template operations of `fleetca serve`. */
describe('provisioning templates and claims with the real AWS clients', () => {
  let home: string;
  let server: RunningServer;
  let credentials: AccountCredentials;
  let chainFile: string;
  let sdk: IoTClient;

  const { aws, ok } = awsCliAgainst(() => ({ url: server.url, env: awsClientEnv(home, credentials) }));

  before(async () => {
    home = await tempHome('fleetca-provisioning-compat-');
    const env = cliEnv(home);
    credentials = await createAccount(env, ACCOUNT);
    server = await startServer(env);
    chainFile = join(home, 'chain.pem');
    await writeFile(chainFile, (await runCli(['ca', 'export'], env)).stdout);
    sdk = iotClientFor(server, credentials);
  });

  after(async () => {
    sdk.destroy();
    assert.equal(await server.stop(), 0, 'the server shuts down cleanly');
  });

  test('aws CLI: create from file://, describe, list, create-provisioning-claim (checked with openssl), delete', async () => {
    const templateFile = join(home, 'fleet-template.json');
    await writeFile(templateFile, JSON.stringify(FLEET_TEMPLATE, null, 2));
    const created = await ok(
      'create-provisioning-template',
      '--template-name',
      'CliFleetTemplate',
      '--description',
      'Fleet provisioning by claim',
      '--template-body',
      `file://${templateFile}`,
      '--provisioning-role-arn',
      ROLE,
      '--enabled',
      '--tags',
      'Key=team,Value=devices',
    );
    assert.deepEqual(created, {
      templateArn: `arn:aws:iot:us-east-1:${ACCOUNT}:provisioningtemplate/CliFleetTemplate`,
      templateName: 'CliFleetTemplate',
      defaultVersionId: 1,
    });

    const described = await ok('describe-provisioning-template', '--template-name', 'CliFleetTemplate');
    assert.deepEqual(JSON.parse(described.templateBody), FLEET_TEMPLATE);
    assert.equal(described.enabled, true);
    assert.equal(described.type, 'FLEET_PROVISIONING');
    assert.equal(described.provisioningRoleArn, ROLE);
    assert.equal(described.description, 'Fleet provisioning by claim');
    assert.equal(typeof described.creationDate, 'number', 'v1 prints the wire value: epoch seconds');

    const listed = await ok('list-provisioning-templates');
    assert.deepEqual(
      listed.templates.map((t: { templateName: string }) => t.templateName),
      ['CliFleetTemplate'],
    );
    assert.equal(listed.templates[0].enabled, true);

    const claim = await ok('create-provisioning-claim', '--template-name', 'CliFleetTemplate');
    assert.deepEqual(Object.keys(claim), ['certificateId', 'certificatePem', 'keyPair', 'expiration']);
    assert.match(claim.keyPair.PrivateKey, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    const certFile = join(home, 'claim.pem');
    await writeFile(certFile, claim.certificatePem);
    const subject = await runTool('openssl', ['x509', '-in', certFile, '-noout', '-subject', '-nameopt', 'RFC2253']);
    assert.match(subject.stdout.trim(), /^subject=CN=[0-9a-f]{64}$/);
    const dates = await runTool('openssl', ['x509', '-in', certFile, '-noout', '-startdate', '-enddate']);
    const notBefore = Date.parse(/notBefore=(.+)/.exec(dates.stdout)?.[1] ?? '');
    const notAfter = Date.parse(/notAfter=(.+)/.exec(dates.stdout)?.[1] ?? '');
    assert.equal(notAfter - (notBefore + 120_000), 300_000, 'valid 5 minutes after notBefore + 2 min');
    assert.equal(notAfter, claim.expiration * 1000, 'expiration (epoch seconds on the wire) is notAfter');
    const text = (await runTool('openssl', ['x509', '-in', certFile, '-noout', '-text'])).stdout;
    assert.match(text, /X509v3 Basic Constraints: critical\n\s+CA:FALSE/);
    assert.match(text, /X509v3 Key Usage: critical\n\s+Digital Signature\n/);
    assert.equal(
      (await runTool('openssl', ['verify', '-CAfile', chainFile, certFile])).stdout.trim(),
      `${certFile}: OK`,
    );
    const fingerprint = new X509Certificate(claim.certificatePem).fingerprint256.replaceAll(':', '').toLowerCase();
    assert.equal(claim.certificateId, fingerprint);
    const certificates = await ok('list-certificates');
    assert.ok(
      !certificates.certificates.some((c: { certificateId: string }) => c.certificateId === claim.certificateId),
      'a claim certificate is not listed',
    );

    await ok('update-provisioning-template', '--template-name', 'CliFleetTemplate', '--no-enabled');
    const disabled = await aws('create-provisioning-claim', '--template-name', 'CliFleetTemplate');
    assert.equal(disabled.code, 255);
    assert.equal(
      disabled.stderr.trim(),
      'An error occurred (InvalidRequestException) when calling the CreateProvisioningClaim operation: Template CliFleetTemplate is disabled',
    );

    assert.deepEqual(await ok('delete-provisioning-template', '--template-name', 'CliFleetTemplate'), {});
    const gone = await aws('describe-provisioning-template', '--template-name', 'CliFleetTemplate');
    assert.equal(gone.code, 255);
    assert.equal(
      gone.stderr.trim(),
      'An error occurred (ResourceNotFoundException) when calling the DescribeProvisioningTemplate operation: Template CliFleetTemplate does not exist',
    );
    const badBody = await aws(
      'create-provisioning-template',
      '--template-name',
      'Broken',
      '--template-body',
      '{not json',
      '--provisioning-role-arn',
      ROLE,
    );
    assert.equal(badBody.code, 255);
    assert.match(badBody.stderr, /\(InvalidRequestException\) when calling the CreateProvisioningTemplate operation/);
  });

  test('@aws-sdk/client-iot: create, describe, paginate, update, claim, modeled errors, delete', async () => {
    const body = JSON.stringify(FLEET_TEMPLATE);
    for (const name of ['sdk-b', 'sdk-a', 'sdk-c']) {
      const out = await sdk.send(
        new CreateProvisioningTemplateCommand({
          templateName: name,
          templateBody: body,
          provisioningRoleArn: ROLE,
          enabled: true,
          preProvisioningHook: {
            targetArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:hook`,
            payloadVersion: '2020-04-01',
          },
        }),
      );
      assert.equal(out.templateArn, `arn:aws:iot:us-east-1:${ACCOUNT}:provisioningtemplate/${name}`);
      assert.equal(out.defaultVersionId, 1);
    }
    await assert.rejects(
      sdk.send(
        new CreateProvisioningTemplateCommand({ templateName: 'sdk-a', templateBody: body, provisioningRoleArn: ROLE }),
      ),
      (err: unknown) =>
        err instanceof ResourceAlreadyExistsException &&
        err.message === 'Template with name sdk-a already exists' &&
        err.$metadata.httpStatusCode === 409,
    );

    const described = await sdk.send(new DescribeProvisioningTemplateCommand({ templateName: 'sdk-a' }));
    assert.ok(described.creationDate instanceof Date);
    assert.deepEqual(described.preProvisioningHook, {
      targetArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:hook`,
      payloadVersion: '2020-04-01',
    });
    assert.equal(described.type, 'FLEET_PROVISIONING');

    const names: string[] = [];
    for await (const page of paginateListProvisioningTemplates({ client: sdk, pageSize: 2 }, {})) {
      assert.ok((page.templates ?? []).length <= 2);
      names.push(...(page.templates ?? []).map((t) => t.templateName as string));
    }
    assert.deepEqual(names, ['sdk-a', 'sdk-b', 'sdk-c']);

    await sdk.send(new UpdateProvisioningTemplateCommand({ templateName: 'sdk-b', removePreProvisioningHook: true }));
    const updated = await sdk.send(new DescribeProvisioningTemplateCommand({ templateName: 'sdk-b' }));
    assert.equal(updated.preProvisioningHook, undefined);

    const claim = await sdk.send(new CreateProvisioningClaimCommand({ templateName: 'sdk-c' }));
    assert.ok(claim.expiration instanceof Date);
    const cert = new X509Certificate(claim.certificatePem as string);
    assert.equal(new Date(cert.validTo).getTime(), claim.expiration.getTime());
    assert.match(cert.subject, /^CN=[0-9a-f]{64}$/);
    assert.match(claim.keyPair?.PrivateKey ?? '', /^-----BEGIN RSA PRIVATE KEY-----\n/);

    await assert.rejects(
      sdk.send(new CreateProvisioningClaimCommand({ templateName: 'unknown' })),
      (err: unknown) => err instanceof ResourceNotFoundException && err.$metadata.httpStatusCode === 404,
    );
    await assert.rejects(
      sdk.send(
        new CreateProvisioningTemplateCommand({ templateName: 'bad', templateBody: '{', provisioningRoleArn: ROLE }),
      ),
      InvalidRequestException,
    );
    for (const name of ['sdk-a', 'sdk-b', 'sdk-c']) {
      await sdk.send(new DeleteProvisioningTemplateCommand({ templateName: name }));
    }
    await assert.rejects(
      sdk.send(new DeleteProvisioningTemplateCommand({ templateName: 'sdk-a' })),
      ResourceNotFoundException,
    );
    // The private keys of both claims went to the clients only: the server's log never shows one.
    assert.doesNotMatch(server.logs(), /PRIVATE KEY/);
  });
});
