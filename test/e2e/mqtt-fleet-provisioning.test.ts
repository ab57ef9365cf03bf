/**
 * Fleet provisioning over MQTT with MQTT.js against the real `fleetca serve` (reference §4): the whole flow on
 * the json and cbor topics, the answers exactly as specified, and bad input — each answered on /rejected with
 * {statusCode, errorCode, errorMessage}, nothing half-created, and the connection still serving afterwards.
 */
import assert from 'node:assert/strict';
import { createPublicKey, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CreateProvisioningClaimCommand,
  DeleteProvisioningTemplateCommand,
  DescribeCertificateCommand,
  DescribeThingCommand,
  type IoTClient,
  ListPrincipalThingsCommand,
  ListThingPrincipalsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-iot';
import {
  type Answer,
  type ClaimIdentity,
  checkCertificateFromCsr,
  checkKeysAndCertificate,
  checkRejection,
  createClaim,
  createFleetTemplate,
  decodeAnswer,
  encodeRequest,
  fleetTemplateBody,
  type PayloadFormat,
  ProvisioningConnection,
  topics,
} from '../helpers/fleet-provisioning.js';
import { createAccount, iotClientFor, type RunningServer, startServer } from '../helpers/fleetca-server.js';
import { deviceOptions, nextMessage, tryConnect } from '../helpers/mqtt-devices.js';
import { cliEnv, makeEcCsr, runCli, tempHome } from '../helpers/run-cli.js';

const ACCOUNT = '123456789012';
const OTHER_ACCOUNT = '210987654321';
const REGION = 'us-east-1';
const TEMPLATE = 'FleetTemplate';
const OTHER_TEMPLATE = 'OtherTemplate';
const DOOMED_TEMPLATE = 'DoomedTemplate';
const DEVICE_CONFIGURATION = { Fallback: 'false', FallbackUrl: 'https://www.example.com/firmware/' };
const MAX_REQUEST_BYTES = 16 * 1024;
const FORMATS: readonly PayloadFormat[] = ['json', 'cbor'];

let home: string;
let env: NodeJS.ProcessEnv;
let server: RunningServer;
let rest: IoTClient;
let chain: string;
let port: number;
const connections = new Set<ProvisioningConnection>();

before(async () => {
  home = await tempHome('fleetca-mqtt-provisioning-');
  env = cliEnv(home);
  server = await startServer(env, ['--key-pool-size', '16']);
  port = server.mqttPort as number;
  rest = iotClientFor(server, await createAccount(env, ACCOUNT), REGION);
  const exported = await runCli(['ca', 'export'], env);
  assert.equal(exported.code, 0, exported.stderr);
  chain = exported.stdout;
  await createFleetTemplate(rest, TEMPLATE, fleetTemplateBody(DEVICE_CONFIGURATION));
  await createFleetTemplate(rest, OTHER_TEMPLATE);
  await createFleetTemplate(rest, DOOMED_TEMPLATE);
});

after(async () => {
  for (const connection of connections) await connection.end();
  rest?.destroy();
  if (server) {
    const code = await server.stop();
    assert.equal(code, 0, `fleetca serve exited with ${code}; its log:\n${server.logs().slice(-4000)}`);
  }
});

async function connectClaim(claim: ClaimIdentity): Promise<ProvisioningConnection> {
  const connection = await ProvisioningConnection.connect(port, chain, claim);
  connections.add(connection);
  return connection;
}

async function end(connection: ProvisioningConnection): Promise<void> {
  await connection.end();
  connections.delete(connection);
}

/** The answer, checked to be on the expected topic, decoded. */
function answerBody(answer: Answer, format: PayloadFormat, outcome: 'accepted' | 'rejected'): Record<string, unknown> {
  const body = decodeAnswer(format, answer.payload);
  assert.equal(answer.outcome, outcome, `${answer.topic}: ${JSON.stringify(body)}`);
  return body;
}

async function certificateStatus(certificateId: string): Promise<string | undefined> {
  const described = await rest.send(new DescribeCertificateCommand({ certificateId }));
  return described.certificateDescription?.status;
}

function certificateArn(certificateId: string, account = ACCOUNT): string {
  return `arn:aws:iot:${REGION}:${account}:cert/${certificateId}`;
}

/** After a rejected RegisterThing: no thing, the certificate still PENDING_ACTIVATION and attached to nothing. */
async function assertNothingProvisioned(certificateId: string, serial: string): Promise<void> {
  await assert.rejects(
    rest.send(new DescribeThingCommand({ thingName: `device-${serial}` })),
    (err: unknown) => err instanceof ResourceNotFoundException,
    `no thing device-${serial}`,
  );
  assert.equal(await certificateStatus(certificateId), 'PENDING_ACTIVATION');
  const things = await rest.send(new ListPrincipalThingsCommand({ principal: certificateArn(certificateId) }));
  assert.deepEqual(things.things ?? [], []);
}

/** After an accepted RegisterThing: the thing, its attributes, the certificate attached and ACTIVE. */
async function assertProvisioned(certificateId: string, serial: string): Promise<void> {
  const thing = await rest.send(new DescribeThingCommand({ thingName: `device-${serial}` }));
  assert.equal(thing.thingName, `device-${serial}`);
  assert.deepEqual(thing.attributes, { serial });
  const principals = await rest.send(new ListThingPrincipalsCommand({ thingName: `device-${serial}` }));
  assert.deepEqual(principals.principals, [certificateArn(certificateId)]);
  assert.equal(await certificateStatus(certificateId), 'ACTIVE');
}

/** CreateKeysAndCertificate on a connection subscribed to its answers; checks and returns the answer. */
async function createKeys(connection: ProvisioningConnection, format: PayloadFormat = 'json') {
  const answer = await connection.request(topics.create(format), encodeRequest(format, {}));
  return checkKeysAndCertificate(answerBody(answer, format, 'accepted'));
}

async function registerThing(
  connection: ProvisioningConnection,
  request: unknown,
  format: PayloadFormat = 'json',
  templateName = TEMPLATE,
): Promise<Answer> {
  return connection.request(topics.registerThing(templateName, format), encodeRequest(format, request));
}

/** The same connection still answers a valid request. */
async function assertStillServes(connection: ProvisioningConnection): Promise<void> {
  await createKeys(connection, 'json');
}

/** Sends an MQTT.js device with the new certificate to an ordinary topic and back. */
async function useAsDevice(certificatePem: string, privateKey: string, serial: string): Promise<void> {
  const { client } = await tryConnect(deviceOptions(port, chain, { certificatePem, privateKey }));
  assert.ok(client, 'the provisioned certificate connects');
  try {
    const topic = `fleet/${serial}/telemetry`;
    const granted = await client.subscribeAsync(topic, { qos: 1 });
    assert.equal(granted[0]?.qos, 1);
    const received = nextMessage(client, topic);
    await client.publishAsync(topic, JSON.stringify({ serial }), { qos: 1 });
    assert.deepEqual(JSON.parse((await received).toString()), { serial });
  } finally {
    await client.endAsync();
  }
}

describe('the flow, on both payload formats', () => {
  let claim: ClaimIdentity;

  before(async () => {
    claim = await createClaim(rest, TEMPLATE);
  });

  for (const format of FORMATS) {
    test(`${format}: CreateKeysAndCertificate, RegisterThing, then the new certificate is a device`, async () => {
      const serial = `KEYS-${format}`;
      const connection = await connectClaim(claim);
      assert.deepEqual(await connection.subscribeAnswers(topics.create(format)), [1, 1]);
      assert.deepEqual(await connection.subscribeAnswers(topics.registerThing(TEMPLATE, format)), [1, 1]);

      const created = await createKeys(connection, format);
      assert.equal(await certificateStatus(created.certificateId), 'PENDING_ACTIVATION', 'pending until RegisterThing');

      const answer = await registerThing(
        connection,
        { certificateOwnershipToken: created.certificateOwnershipToken, parameters: { SerialNumber: serial } },
        format,
      );
      const registered = answerBody(answer, format, 'accepted');
      assert.deepEqual(Object.keys(registered), ['deviceConfiguration', 'thingName']);
      assert.deepEqual(registered, { deviceConfiguration: DEVICE_CONFIGURATION, thingName: `device-${serial}` });
      assert.equal(
        connection.received.filter((received) => received.outcome === 'rejected').length,
        0,
        'nothing on a rejected topic',
      );
      await end(connection);

      await assertProvisioned(created.certificateId, serial);
      await useAsDevice(created.certificatePem, created.privateKey, serial);
    });

    test(`${format}: CreateCertificateFromCsr, RegisterThing, then the CSR's key is a device`, async () => {
      const serial = `CSR-${format}`;
      const csrFile = await makeEcCsr(home, serial);
      const csrPem = await readFile(csrFile, 'utf8');
      const keyPem = await readFile(join(home, `${serial}.key`), 'utf8');
      const connection = await connectClaim(claim);
      await connection.subscribeAnswers(topics.createFromCsr(format));
      await connection.subscribeAnswers(topics.registerThing(TEMPLATE, format));

      const answer = await connection.request(
        topics.createFromCsr(format),
        encodeRequest(format, { certificateSigningRequest: csrPem }),
      );
      const publicKey = createPublicKey(keyPem).export({ type: 'spki', format: 'pem' }) as string;
      const created = checkCertificateFromCsr(answerBody(answer, format, 'accepted'), publicKey);
      assert.equal(await certificateStatus(created.certificateId), 'PENDING_ACTIVATION');

      const registered = answerBody(
        await registerThing(
          connection,
          { certificateOwnershipToken: created.certificateOwnershipToken, parameters: { SerialNumber: serial } },
          format,
        ),
        format,
        'accepted',
      );
      assert.deepEqual(registered, { deviceConfiguration: DEVICE_CONFIGURATION, thingName: `device-${serial}` });
      await end(connection);

      await assertProvisioned(created.certificateId, serial);
      await useAsDevice(created.certificatePem, keyPem, serial);
    });
  }

  test('CreateKeysAndCertificate accepts an empty payload as well as {}', async () => {
    const connection = await connectClaim(claim);
    for (const format of FORMATS) {
      await connection.subscribeAnswers(topics.create(format));
      const answer = await connection.request(topics.create(format), Buffer.alloc(0));
      checkKeysAndCertificate(answerBody(answer, format, 'accepted'));
    }
    await end(connection);
  });

  test('answers go only to the asking connection, even when another one subscribed to the same topics', async () => {
    const asking = await connectClaim(claim);
    const listening = await connectClaim(claim);
    for (const format of FORMATS) {
      await asking.subscribeAnswers(topics.create(format));
      assert.deepEqual(await listening.subscribeAnswers(topics.create(format)), [1, 1], 'a claim may subscribe');
    }
    await listening.subscribe([`$aws/certificates/create/+/accepted`]);
    for (const format of FORMATS) await createKeys(asking, format);
    // Anything sent to the listening connection along with those answers is on its way before the answer to its
    // own request made afterwards, which therefore comes last; the asking one's likewise.
    const ownAnswer = await listening.request(topics.create('json'), '{');
    assert.equal(ownAnswer.outcome, 'rejected');
    assert.equal((await asking.request(topics.create('json'), '{')).outcome, 'rejected');
    assert.equal(asking.received.length, 3, 'one answer per request');
    assert.deepEqual(listening.received, [ownAnswer], 'the other connection received nothing but its own answer');
    await end(asking);
    await end(listening);
  });
});

describe('bad input: rejected as {statusCode, errorCode, errorMessage}; the connection keeps serving', () => {
  let claim: ClaimIdentity;
  let connection: ProvisioningConnection;

  before(async () => {
    claim = await createClaim(rest, TEMPLATE);
    connection = await connectClaim(claim);
    for (const format of FORMATS) {
      await connection.subscribeAnswers(topics.create(format));
      await connection.subscribeAnswers(topics.createFromCsr(format));
      await connection.subscribeAnswers(topics.registerThing(TEMPLATE, format));
    }
  });

  test('malformed JSON', async () => {
    for (const topic of [topics.create('json'), topics.createFromCsr('json'), topics.registerThing(TEMPLATE, 'json')]) {
      const answer = await connection.request(topic, '{"certificateOwnershipToken": ');
      assert.equal(answer.topic, `${topic}/rejected`);
      checkRejection(answerBody(answer, 'json', 'rejected'), {
        statusCode: 400,
        errorCode: 'InvalidPayload',
        errorMessage: 'The request payload is not valid JSON.',
      });
    }
    await assertStillServes(connection);
  });

  test('malformed CBOR (a truncated map, a lone break code)', async () => {
    for (const payload of [Buffer.from([0xa1, 0x61]), Buffer.from([0xff])]) {
      const answer = await connection.request(topics.create('cbor'), payload);
      checkRejection(answerBody(answer, 'cbor', 'rejected'), {
        statusCode: 400,
        errorCode: 'InvalidPayload',
        errorMessage: 'The request payload is not valid CBOR.',
      });
    }
    const answer = await connection.request(topics.registerThing(TEMPLATE, 'cbor'), Buffer.from([0xbf, 0x61, 0x61]));
    checkRejection(answerBody(answer, 'cbor', 'rejected'), {
      statusCode: 400,
      errorCode: 'InvalidPayload',
      errorMessage: 'The request payload is not valid CBOR.',
    });
    await assertStillServes(connection);
  });

  test('a JSON array, a JSON string, a CBOR array: not an object', async () => {
    for (const payload of ['[]', '[{"certificateOwnershipToken":"x"}]', '"{}"', 'null']) {
      const answer = await connection.request(topics.registerThing(TEMPLATE, 'json'), payload);
      checkRejection(answerBody(answer, 'json', 'rejected'), {
        statusCode: 400,
        errorCode: 'InvalidPayload',
        errorMessage: 'The request payload must be a JSON object.',
      });
    }
    const answer = await connection.request(topics.create('cbor'), encodeRequest('cbor', [1, 2]));
    checkRejection(answerBody(answer, 'cbor', 'rejected'), {
      statusCode: 400,
      errorCode: 'InvalidPayload',
      errorMessage: 'The request payload must be a CBOR map.',
    });
    await assertStillServes(connection);
  });

  test('a payload over 16 KiB: 413 PayloadTooLarge; exactly 16 KiB is processed', async () => {
    const padded = (bytes: number) => {
      const text = JSON.stringify({ pad: '' });
      return JSON.stringify({ pad: 'x'.repeat(bytes - text.length) });
    };
    for (const topic of [topics.create('json'), topics.registerThing(TEMPLATE, 'json')]) {
      const payload = padded(MAX_REQUEST_BYTES + 1);
      assert.equal(Buffer.byteLength(payload), MAX_REQUEST_BYTES + 1);
      const answer = await connection.request(topic, payload);
      checkRejection(answerBody(answer, 'json', 'rejected'), {
        statusCode: 413,
        errorCode: 'PayloadTooLarge',
        errorMessage: `The request payload is larger than ${MAX_REQUEST_BYTES} bytes.`,
      });
    }
    const large = await connection.request(topics.create('cbor'), encodeRequest('cbor', { pad: 'x'.repeat(20_000) }));
    checkRejection(answerBody(large, 'cbor', 'rejected'), { statusCode: 413, errorCode: 'PayloadTooLarge' });
    // At the limit the request is read: CreateKeysAndCertificate ignores what it does not know.
    const atLimit = await connection.request(topics.create('json'), padded(MAX_REQUEST_BYTES));
    checkKeysAndCertificate(answerBody(atLimit, 'json', 'accepted'));
  });

  test('an empty or missing ownership token', async () => {
    const created = await createKeys(connection);
    for (const format of FORMATS) {
      for (const request of [
        { certificateOwnershipToken: '', parameters: { SerialNumber: 'EMPTY-TOKEN' } },
        { parameters: { SerialNumber: 'EMPTY-TOKEN' } },
      ]) {
        checkRejection(answerBody(await registerThing(connection, request, format), format, 'rejected'), {
          statusCode: 400,
          errorCode: 'InvalidCertificateOwnershipToken',
          errorMessage: 'Certificate ownership token cannot be empty.',
        });
      }
    }
    await assertNothingProvisioned(created.certificateId, 'EMPTY-TOKEN');
    await assertStillServes(connection);
  });

  test('forged tokens: random cipher text, an AWS-shaped envelope, not base64 at all', async () => {
    const created = await createKeys(connection);
    const envelope = (version: string) =>
      Buffer.from(JSON.stringify({ version, cipher: randomBytes(120).toString('base64') })).toString('base64');
    for (const forged of [envelope('fleetca-1'), envelope('20191023'), 'not a token', 'x'.repeat(5000)]) {
      const answer = await registerThing(connection, {
        certificateOwnershipToken: forged,
        parameters: { SerialNumber: 'FORGED' },
      });
      checkRejection(answerBody(answer, 'json', 'rejected'), {
        statusCode: 400,
        errorCode: 'InvalidCertificateOwnershipToken',
        errorMessage: 'Certificate ownership token is invalid.',
      });
    }
    await assertNothingProvisioned(created.certificateId, 'FORGED');
    await assertStillServes(connection);
  });

  test('an altered token is refused and burns nothing: the genuine one still works', async () => {
    const created = await createKeys(connection);
    const token = created.certificateOwnershipToken;
    const envelope = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { version: string; cipher: string };
    const sealed = Buffer.from(envelope.cipher, 'base64');
    const alterations = [
      // One bit of the cipher text, of the tag, of the nonce.
      flipBit(sealed, 20),
      flipBit(sealed, sealed.length - 1),
      flipBit(sealed, 0),
    ].map((cipher) =>
      Buffer.from(JSON.stringify({ ...envelope, cipher: cipher.toString('base64') })).toString('base64'),
    );
    alterations.push(`${token.slice(0, -8)}${token.slice(-8).split('').reverse().join('')}`);
    for (const altered of alterations) {
      assert.notEqual(altered, token);
      const answer = await registerThing(connection, {
        certificateOwnershipToken: altered,
        parameters: { SerialNumber: 'ALTERED' },
      });
      checkRejection(answerBody(answer, 'json', 'rejected'), {
        statusCode: 400,
        errorCode: 'InvalidCertificateOwnershipToken',
        errorMessage: 'Certificate ownership token is invalid.',
      });
    }
    await assertNothingProvisioned(created.certificateId, 'ALTERED');

    const genuine = await registerThing(connection, {
      certificateOwnershipToken: token,
      parameters: { SerialNumber: 'ALTERED' },
    });
    answerBody(genuine, 'json', 'accepted');
    await assertProvisioned(created.certificateId, 'ALTERED');
  });

  test('a token used once is refused the second time, whatever the parameters', async () => {
    const created = await createKeys(connection);
    const first = await registerThing(connection, {
      certificateOwnershipToken: created.certificateOwnershipToken,
      parameters: { SerialNumber: 'ONCE' },
    });
    answerBody(first, 'json', 'accepted');
    for (const serial of ['ONCE', 'TWICE']) {
      const again = await registerThing(
        connection,
        { certificateOwnershipToken: created.certificateOwnershipToken, parameters: { SerialNumber: serial } },
        'cbor',
      );
      checkRejection(answerBody(again, 'cbor', 'rejected'), {
        statusCode: 400,
        errorCode: 'InvalidCertificateOwnershipToken',
        errorMessage: 'Certificate ownership token has already been used.',
      });
    }
    await assert.rejects(
      rest.send(new DescribeThingCommand({ thingName: 'device-TWICE' })),
      (err: unknown) => err instanceof ResourceNotFoundException,
    );
    await assertProvisioned(created.certificateId, 'ONCE');
    await assertStillServes(connection);
  });

  test("another account's token is invalid here", async () => {
    const otherRest = iotClientFor(server, await createAccount(env, OTHER_ACCOUNT), REGION);
    try {
      await createFleetTemplate(otherRest, TEMPLATE);
      const otherClaim = await connectClaim(await createClaim(otherRest, TEMPLATE));
      await otherClaim.subscribeAnswers(topics.create('json'));
      const foreign = await createKeys(otherClaim);
      await end(otherClaim);
      const answer = await registerThing(connection, {
        certificateOwnershipToken: foreign.certificateOwnershipToken,
        parameters: { SerialNumber: 'FOREIGN' },
      });
      checkRejection(answerBody(answer, 'json', 'rejected'), {
        statusCode: 400,
        errorCode: 'InvalidCertificateOwnershipToken',
        errorMessage: 'Certificate ownership token is invalid.',
      });
      const described = await otherRest.send(new DescribeCertificateCommand({ certificateId: foreign.certificateId }));
      assert.equal(described.certificateDescription?.status, 'PENDING_ACTIVATION');
      await assert.rejects(
        rest.send(new DescribeThingCommand({ thingName: 'device-FOREIGN' })),
        (err: unknown) => err instanceof ResourceNotFoundException,
      );
    } finally {
      otherRest.destroy();
    }
    await assertStillServes(connection);
  });

  test('template parameters that do not resolve', async () => {
    const created = await createKeys(connection);
    for (const format of FORMATS) {
      for (const parameters of [undefined, {}, { Serial: 'typo' }]) {
        const answer = await registerThing(
          connection,
          { certificateOwnershipToken: created.certificateOwnershipToken, ...(parameters && { parameters }) },
          format,
        );
        checkRejection(answerBody(answer, format, 'rejected'), {
          statusCode: 400,
          errorCode: 'InvalidParameters',
          errorMessage: 'Cannot resolve reference value: SerialNumber',
        });
      }
    }
    const notAString = await registerThing(connection, {
      certificateOwnershipToken: created.certificateOwnershipToken,
      parameters: { SerialNumber: 42 },
    });
    checkRejection(answerBody(notAString, 'json', 'rejected'), {
      statusCode: 400,
      errorCode: 'InvalidParameters',
      errorMessage: 'Parameter SerialNumber must be a string.',
    });
    for (const parameters of [['SerialNumber'], 'SerialNumber=1']) {
      const answer = await registerThing(connection, {
        certificateOwnershipToken: created.certificateOwnershipToken,
        parameters,
      });
      checkRejection(answerBody(answer, 'json', 'rejected'), {
        statusCode: 400,
        errorCode: 'InvalidParameters',
        errorMessage: 'parameters must be a map of strings.',
      });
    }
    assert.equal(await certificateStatus(created.certificateId), 'PENDING_ACTIVATION');
    const things = await rest.send(
      new ListPrincipalThingsCommand({ principal: certificateArn(created.certificateId) }),
    );
    assert.deepEqual(things.things ?? [], []);
    // The token was not spent by the failures.
    const answer = await registerThing(connection, {
      certificateOwnershipToken: created.certificateOwnershipToken,
      parameters: { SerialNumber: 'RESOLVED' },
    });
    answerBody(answer, 'json', 'accepted');
    await assertProvisioned(created.certificateId, 'RESOLVED');
  });

  test('a CSR that does not parse, or no CSR', async () => {
    const bad = [
      '-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgQ1NS\n-----END CERTIFICATE REQUEST-----\n',
      'not PEM at all',
    ];
    for (const format of FORMATS) {
      for (const certificateSigningRequest of bad) {
        const answer = await connection.request(
          topics.createFromCsr(format),
          encodeRequest(format, { certificateSigningRequest }),
        );
        checkRejection(answerBody(answer, format, 'rejected'), {
          statusCode: 400,
          errorCode: 'InvalidCertificateSigningRequest',
          errorMessage: /^The certificate signing request is not valid: ./,
        });
      }
      for (const request of [{}, { certificateSigningRequest: '' }, { certificateSigningRequest: 7 }]) {
        const answer = await connection.request(topics.createFromCsr(format), encodeRequest(format, request));
        checkRejection(answerBody(answer, format, 'rejected'), {
          statusCode: 400,
          errorCode: 'InvalidCertificateSigningRequest',
          errorMessage: 'certificateSigningRequest must be a non-empty string.',
        });
      }
    }
    await assertStillServes(connection);
  });

  test('a template deleted after the claim was made: the claim ends with it, and nothing is provisioned', async () => {
    const doomedClaim = await createClaim(rest, DOOMED_TEMPLATE);
    const doomed = await connectClaim(doomedClaim);
    await doomed.subscribeAnswers(topics.create('json'));
    const created = await createKeys(doomed);
    const closed = doomed.closed();
    await rest.send(new DeleteProvisioningTemplateCommand({ templateName: DOOMED_TEMPLATE }));
    await closed;
    await end(doomed);
    const again = await tryConnect(deviceOptions(port, chain, doomedClaim));
    assert.equal(again.closedWithoutConnack, true, 'the claim is gone with its template');
    await assertNothingProvisioned(created.certificateId, 'DOOMED');
    await assert.rejects(
      rest.send(new CreateProvisioningClaimCommand({ templateName: DOOMED_TEMPLATE })),
      (err: unknown) => err instanceof ResourceNotFoundException,
      'no new claim for a deleted template',
    );
  });

  test("a claim for one template may not use another template's topics: SUBACK 128, and a publish disconnects", async () => {
    const intruder = await connectClaim(claim);
    assert.deepEqual(await intruder.subscribeAnswers(topics.registerThing(OTHER_TEMPLATE, 'json')), [128, 128]);
    assert.deepEqual(await intruder.subscribe([`$aws/provisioning-templates/+/provision/json/accepted`]), [128]);
    const created = await createKeys(connection);
    const closed = intruder.closed();
    intruder.client.publish(
      topics.registerThing(OTHER_TEMPLATE, 'json'),
      JSON.stringify({
        certificateOwnershipToken: created.certificateOwnershipToken,
        parameters: { SerialNumber: 'B' },
      }),
      { qos: 1 },
    );
    await closed;
    await end(intruder);
    await assertNothingProvisioned(created.certificateId, 'B');
    await assertStillServes(connection);
  });
});

function flipBit(buffer: Buffer, index: number): Buffer {
  const copy = Buffer.from(buffer);
  copy[index] = (copy[index] as number) ^ 0x01;
  return copy;
}
