import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ADMITTED,
  clientOptions,
  connectClient,
  delay,
  RawClient,
  REFUSED_CLOSE,
  REFUSED_CONNACK,
  startBroker,
  type TestBroker,
  tryConnect,
  UNAVAILABLE,
  until,
} from './broker-support.js';

let broker: TestBroker;
before(async () => {
  broker = await startBroker();
});
after(() => broker.stop());

/** A CONNECT for protocol level `level` (which mqtt-packet cannot build). */
function connectForLevel(level: number): Buffer {
  const body = Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, level, 0x02, 0, 60, 0, 1, 0x61]);
  return Buffer.concat([Buffer.from([0x10, body.length]), body]);
}

describe('admission', () => {
  for (const version of [4, 5] as const) {
    test(`MQTT ${version}: an admitted client gets CONNACK 0 and the hook sees its CONNECT`, async () => {
      const client = await connectClient(broker.port, version, { clientId: `admitted-${version}`, keepalive: 30 });
      const seen = broker.admissions.find((a) => a.info.clientId === `admitted-${version}`);
      assert.deepEqual(seen?.info, {
        clientId: `admitted-${version}`,
        protocolVersion: version,
        cleanStart: true,
        keepAlive: 30,
        hasWill: false,
        persistentSession: false,
        username: ADMITTED,
      });
      assert.equal(seen?.connection.admitted, true);
      assert.equal(seen?.connection.protocolVersion, version);
      await client.endAsync();
    });
  }

  test('MQTT 4 refusal by CONNACK is return code 5, MQTT 5 reason 0x87', async () => {
    const v4 = await tryConnect(clientOptions(broker.port, 4, { username: REFUSED_CONNACK }));
    assert.equal(v4.refusedWith, 5);
    const v5 = await tryConnect(clientOptions(broker.port, 5, { username: REFUSED_CONNACK }));
    assert.equal(v5.refusedWith, 0x87);
  });

  test('a refusal by close sends no CONNACK, in both versions', async () => {
    for (const version of [4, 5] as const) {
      const outcome = await tryConnect(clientOptions(broker.port, version, { username: REFUSED_CLOSE }));
      assert.equal(outcome.closedWithoutConnack, true, `MQTT ${version}`);
    }
  });

  test('a failing admission is "server unavailable": return code 3, reason 0x88', async () => {
    const v4 = await tryConnect(clientOptions(broker.port, 4, { username: UNAVAILABLE }));
    assert.equal(v4.refusedWith, 3);
    const v5 = await tryConnect(clientOptions(broker.port, 5, { username: UNAVAILABLE }));
    assert.equal(v5.refusedWith, 0x88);
  });

  test('a refused connection is closed and reported to the closed hook, not admitted', async () => {
    const client = await RawClient.connected(broker.port, 4, { clientId: 'refused-one', username: REFUSED_CLOSE });
    await client.waitClosed();
    assert.deepEqual(client.packets, []);
    await until(() => broker.closed.some((c) => c.clientId === 'refused-one'));
    assert.equal(broker.closed.find((c) => c.clientId === 'refused-one')?.admitted, false);
  });

  test('packets sent before CONNACK are handled once admitted, in order', async () => {
    const client = await RawClient.open(broker.port, 4);
    const { generate } = await import('mqtt-packet');
    const bytes = Buffer.concat([
      generate({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clientId: 'eager',
        clean: true,
        keepalive: 60,
        username: ADMITTED,
      }),
      generate({ cmd: 'subscribe', messageId: 7, subscriptions: [{ topic: 'eager/#', qos: 1 }] }),
      generate({ cmd: 'pingreq' }),
    ]);
    client.write(bytes);
    assert.equal((await client.next('connack')).returnCode, 0);
    assert.deepEqual((await client.next('suback')).granted, [1]);
    await client.next('pingresp');
    client.destroy();
  });

  test('packets following a refused CONNECT are never handled', async () => {
    const client = await RawClient.open(broker.port, 4);
    const { generate } = await import('mqtt-packet');
    client.write(
      Buffer.concat([
        generate({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: 4,
          clientId: 'sneaky',
          clean: true,
          keepalive: 60,
          username: REFUSED_CONNACK,
        }),
        generate({ cmd: 'publish', topic: 'sneaky/topic', payload: 'x', qos: 0, retain: false, dup: false }),
      ]),
    );
    assert.equal((await client.next('connack')).returnCode, 5);
    await client.waitClosed();
    assert.equal(
      broker.publishes.some((p) => p.topic === 'sneaky/topic'),
      false,
    );
  });
});

describe('CONNECT checks', () => {
  test('MQTT 3.1 (MQIsdp, level 3) is served', async () => {
    const client = await connectClient(broker.port, 4, { protocolVersion: 3, protocolId: 'MQIsdp' });
    assert.equal(broker.connectionOf(client.options.clientId as string)?.protocolVersion, 3);
    await client.endAsync();
  });

  test('protocol level 6 gets MQTT 5 CONNACK 0x84, level 2 MQTT 3 return code 1, then close', async () => {
    const newer = await RawClient.open(broker.port);
    const newerBytes: Buffer[] = [];
    newer.socket.on('data', (chunk: Buffer) => newerBytes.push(chunk));
    newer.write(connectForLevel(6));
    await newer.waitClosed();
    assert.deepEqual(Buffer.concat(newerBytes), Buffer.from([0x20, 0x03, 0x00, 0x84, 0x00]));

    const older = await RawClient.open(broker.port);
    const olderBytes: Buffer[] = [];
    older.socket.on('data', (chunk: Buffer) => olderBytes.push(chunk));
    older.write(connectForLevel(2));
    await older.waitClosed();
    assert.deepEqual(Buffer.concat(olderBytes), Buffer.from([0x20, 0x02, 0x00, 0x01]));
  });

  test('the protocol name must go with the level (MQTT with level 3 is refused)', async () => {
    const client = await RawClient.connected(broker.port, 4, { protocolId: 'MQTT', protocolVersion: 3 });
    assert.equal((await client.next('connack')).returnCode, 1);
    await client.waitClosed();
  });

  test('an empty client id with a clean start is assigned one (MQTT 5 is told which)', async () => {
    const v4 = await RawClient.connected(broker.port, 4, { clientId: '', clean: true });
    assert.equal((await v4.next('connack')).returnCode, 0);
    v4.destroy();
    const v5 = await connectClient(broker.port, 5, { clientId: '', clean: true });
    const assigned = (v5.connack as { properties?: { assignedClientIdentifier?: string } }).properties
      ?.assignedClientIdentifier;
    assert.match(assigned ?? '', /^fleetca-/);
    assert.equal(broker.connectionOf(assigned as string)?.admitted, true);
    await v5.endAsync();
  });

  test('an empty client id without a clean start is refused: return code 2, reason 0x85', async () => {
    // mqtt-packet will not build such a CONNECT: flags 0x80 (username), keep alive 60, empty client id, 'device'.
    const user = [0, 6, ...Buffer.from(ADMITTED)];
    const v4Body = [0, 4, ...Buffer.from('MQTT'), 4, 0x80, 0, 60, 0, 0, ...user];
    const v4 = await RawClient.open(broker.port, 4);
    v4.write(Buffer.from([0x10, v4Body.length, ...v4Body]));
    assert.equal((await v4.next('connack')).returnCode, 2);
    await v4.waitClosed();
    const v5Body = [0, 4, ...Buffer.from('MQTT'), 5, 0x80, 0, 60, 0, 0, 0, ...user];
    const v5 = await RawClient.open(broker.port, 5);
    v5.write(Buffer.from([0x10, v5Body.length, ...v5Body]));
    assert.equal((await v5.next('connack')).reasonCode, 0x85);
    await v5.waitClosed();
  });

  test('a will with QoS 2 or a wildcard topic is refused (MQTT 5: 0x9B / 0x90; MQTT 3: closed)', async () => {
    const qos2 = await RawClient.connected(broker.port, 5, {
      will: { topic: 'wills/x', payload: Buffer.from('x'), qos: 2, retain: false },
    });
    assert.equal((await qos2.next('connack')).reasonCode, 0x9b);
    const wildcard = await RawClient.connected(broker.port, 5, {
      will: { topic: 'wills/#', payload: Buffer.from('x'), qos: 0, retain: false },
    });
    assert.equal((await wildcard.next('connack')).reasonCode, 0x90);
    const v4 = await RawClient.connected(broker.port, 4, {
      will: { topic: 'wills/x', payload: Buffer.from('x'), qos: 2, retain: false },
    });
    await v4.waitClosed();
    assert.deepEqual(v4.packets, []);
  });

  test('MQTT 5 enhanced authentication is refused with 0x8C', async () => {
    const client = await RawClient.connected(broker.port, 5, { properties: { authenticationMethod: 'SCRAM-SHA-1' } });
    assert.equal((await client.next('connack')).reasonCode, 0x8c);
    await client.waitClosed();
  });

  test('MQTT 5 CONNACK states the broker limits', async () => {
    const client = await connectClient(broker.port, 5, { keepalive: 60 });
    assert.equal((client.connack as { reasonCode?: number }).reasonCode, 0);
    assert.deepEqual((client.connack as { properties?: object }).properties, {
      maximumQoS: 1,
      retainAvailable: true,
      wildcardSubscriptionAvailable: true,
      subscriptionIdentifiersAvailable: false,
      sharedSubscriptionAvailable: false,
      topicAliasMaximum: 0,
      maximumPacketSize: 64 * 1024,
      receiveMaximum: 100,
    });
    await client.endAsync();
  });

  test('keep alive 0 or above 1200 s becomes 1200 s (Server Keep Alive); session expiry is capped', async () => {
    const none = await RawClient.connected(broker.port, 5, { keepalive: 0 });
    assert.equal((await none.next('connack')).properties?.serverKeepAlive, 1200);
    const long = await RawClient.connected(broker.port, 5, {
      keepalive: 4000,
      properties: { sessionExpiryInterval: 0xffffffff },
    });
    const connack = await long.next('connack');
    assert.equal(connack.properties?.serverKeepAlive, 1200);
    assert.equal(connack.properties?.sessionExpiryInterval, 3600);
    none.destroy();
    long.destroy();
  });
});

describe('before admission', () => {
  test('no CONNECT within the connect timeout: closed', async () => {
    // Its own broker with a short timeout: the shared one's outlasts every wait, so no other test meets it.
    const quick = await startBroker({ connectTimeoutMs: 400 });
    try {
      const client = await RawClient.open(quick.port);
      const started = Date.now();
      await client.waitClosed();
      assert.ok(Date.now() - started >= 300, 'not before the timeout');
    } finally {
      await quick.stop();
    }
  });

  test('a first packet other than CONNECT: closed without answer', async () => {
    const client = await RawClient.open(broker.port);
    client.send({ cmd: 'pingreq' });
    await client.waitClosed();
    assert.deepEqual(client.packets, []);
  });

  test('garbage instead of CONNECT: closed, and the broker keeps serving', async () => {
    const client = await RawClient.open(broker.port);
    client.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f, 1, 2, 3]));
    await client.waitClosed();
    const next = await connectClient(broker.port, 4);
    await next.endAsync();
  });

  test('a second CONNECT is a protocol error (MQTT 5: DISCONNECT 0x82)', async () => {
    const client = await RawClient.connected(broker.port, 5);
    await client.next('connack');
    client.send({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 5,
      clientId: 'again',
      clean: true,
      keepalive: 60,
    });
    assert.equal((await client.next('disconnect')).reasonCode, 0x82);
    await client.waitClosed();
  });

  test('the connection count follows connections', async () => {
    const before = broker.broker.connectionCount;
    const client = await connectClient(broker.port, 4);
    assert.equal(broker.broker.connectionCount, before + 1);
    await client.endAsync();
    await until(() => broker.broker.connectionCount === before);
    await delay(0);
  });
});

describe('what the admission hook learns of a CONNECT', () => {
  for (const version of [4, 5] as const) {
    test(`MQTT ${version}: a will and a persistent session are reported`, async () => {
      const clientId = `facts-${version}`;
      const client = await connectClient(broker.port, version, {
        clientId,
        clean: false,
        will: { topic: 'wills/x', payload: Buffer.from('gone'), qos: 0, retain: false },
        ...(version === 5 ? { properties: { sessionExpiryInterval: 60 } } : {}),
      });
      const seen = broker.admissions.find((a) => a.info.clientId === clientId);
      assert.equal(seen?.info.hasWill, true);
      assert.equal(seen?.info.persistentSession, true);
      await client.endAsync();
    });
  }
});
