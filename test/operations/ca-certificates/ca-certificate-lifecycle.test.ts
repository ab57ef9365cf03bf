import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DeleteCACertificate,
  DescribeCACertificate,
  ListCACertificates,
  RegisterCACertificate,
  UpdateCACertificate,
} from '../../../src/model/ca-certificates.js';
import { DescribeCertificate, ListCertificatesByCA, RegisterCertificate } from '../../../src/model/certificates.js';
import { TestPki } from '../../helpers/test-pki.js';
import { makeCaRecord } from '../../registry/ca-certificate-fixtures.js';
import { OTHER_ACCOUNT, openTestService, type TestService } from '../operation-context.js';

describe('DescribeCACertificate, UpdateCACertificate, DeleteCACertificate', () => {
  let service: TestService;
  let pki: TestPki;
  let count = 0;

  /** A fresh SNI_ONLY CA (no verification certificate needed), registered with `extra`. */
  const newCa = async (extra: Record<string, unknown> = {}) => {
    const ca = pki.ca(`ca-${count++}`);
    const out = await service.call(RegisterCACertificate, {
      caCertificate: ca.pem,
      certificateMode: 'SNI_ONLY',
      ...extra,
    });
    return { ca, id: String(out.certificateId) };
  };
  const describeCa = async (certificateId: string) => service.call(DescribeCACertificate, { certificateId });
  const descriptionOf = async (certificateId: string) =>
    (await describeCa(certificateId)).certificateDescription as Record<string, unknown>;

  before(async () => {
    service = await openTestService();
    pki = new TestPki(service.dir);
  });
  after(() => service.close());

  test('describing an unknown CA is ResourceNotFoundException; a malformed id is InvalidRequestException', async () => {
    const missing = await service.failure(DescribeCACertificate, { certificateId: 'd'.repeat(64) });
    assert.equal(missing.code, 'ResourceNotFoundException');
    assert.equal(missing.status, 404);
    const malformed = await service.failure(DescribeCACertificate, { certificateId: 'nope' });
    assert.equal(malformed.code, 'InvalidRequestException');
    assert.match(malformed.message, /Value 'nope' at 'certificateId'/);
  });

  test('ACTIVE ⇄ INACTIVE, each change versioned; asking for the current state changes nothing', async () => {
    const { id } = await newCa();
    const first = await descriptionOf(id);
    await service.call(UpdateCACertificate, { certificateId: id, newStatus: 'ACTIVE' });
    const active = await descriptionOf(id);
    assert.equal(active.status, 'ACTIVE');
    assert.equal(active.customerVersion, 2);
    assert.notEqual(active.generationId, first.generationId);
    assert.ok(Number(active.lastModifiedDate) >= Number(first.lastModifiedDate));
    assert.equal(active.creationDate, first.creationDate);

    await service.call(UpdateCACertificate, { certificateId: id, newStatus: 'ACTIVE' });
    await service.call(UpdateCACertificate, { certificateId: id });
    assert.deepEqual(await descriptionOf(id), active);

    await service.call(UpdateCACertificate, { certificateId: id, newStatus: 'INACTIVE' });
    const inactive = await descriptionOf(id);
    assert.equal(inactive.status, 'INACTIVE');
    assert.equal(inactive.customerVersion, 3);

    const revoked = await service.failure(UpdateCACertificate, { certificateId: id, newStatus: 'REVOKED' });
    assert.equal(revoked.code, 'InvalidRequestException');
    assert.match(revoked.message, /Member must satisfy enum value set: \[ACTIVE, INACTIVE\]/);
  });

  test('auto registration status and registration configuration: set, replace, remove', async () => {
    const { id } = await newCa({ registrationConfig: { templateName: 'first-template' } });
    assert.deepEqual((await describeCa(id)).registrationConfig, { templateName: 'first-template' });

    await service.call(UpdateCACertificate, { certificateId: id, newAutoRegistrationStatus: 'ENABLE' });
    assert.equal((await descriptionOf(id)).autoRegistrationStatus, 'ENABLE');

    const replacement = { templateBody: '{"Resources":{}}', roleArn: 'arn:aws:iam::123456789012:role/Provision' };
    await service.call(UpdateCACertificate, { certificateId: id, registrationConfig: replacement });
    assert.deepEqual((await describeCa(id)).registrationConfig, replacement);

    const both = await service.failure(UpdateCACertificate, {
      certificateId: id,
      registrationConfig: { templateName: 'x' },
      removeAutoRegistration: true,
    });
    assert.equal(both.code, 'InvalidRequestException');

    await service.call(UpdateCACertificate, { certificateId: id, removeAutoRegistration: true });
    const removed = await describeCa(id);
    assert.ok(!('registrationConfig' in removed));
    assert.equal((removed.certificateDescription as Record<string, unknown>).customerVersion, 4);
    // Removing what is not there is a no-op.
    await service.call(UpdateCACertificate, { certificateId: id, removeAutoRegistration: true });
    assert.equal((await descriptionOf(id)).customerVersion, 4);
  });

  test('updating or deleting an unknown CA is ResourceNotFoundException', async () => {
    for (const model of [UpdateCACertificate, DeleteCACertificate]) {
      const error = await service.failure(model, { certificateId: 'c'.repeat(64) });
      assert.equal(error.code, 'ResourceNotFoundException');
    }
  });

  test('an ACTIVE CA cannot be deleted; once INACTIVE it can, and its device certificates stay', async () => {
    const { ca, id } = await newCa({ setAsActive: true });
    const device = pki.leaf(`device-of-${ca.name}`, ca);
    const { certificateId } = await service.call(RegisterCertificate, { certificatePem: device.pem });

    const refused = await service.failure(DeleteCACertificate, { certificateId: id });
    assert.equal(refused.code, 'CertificateStateException');
    assert.equal(refused.status, 406);
    assert.equal(refused.message, `Certificate must be deactivated (not ACTIVE) before deletion. Id: ${id}`);
    assert.equal((await descriptionOf(id)).status, 'ACTIVE');

    await service.call(UpdateCACertificate, { certificateId: id, newStatus: 'INACTIVE' });
    assert.deepEqual(await service.call(DeleteCACertificate, { certificateId: id }), {});
    assert.equal(
      (await service.failure(DescribeCACertificate, { certificateId: id })).code,
      'ResourceNotFoundException',
    );

    const d = (await service.call(DescribeCertificate, { certificateId })).certificateDescription as Record<
      string,
      unknown
    >;
    assert.equal(d.caCertificateId, id);
    const byCa = await service.call(ListCertificatesByCA, { caCertificateId: id });
    assert.deepEqual(
      (byCa.certificates as { certificateId: string }[]).map((c) => c.certificateId),
      [certificateId],
    );
    // Deleted, the CA can be registered again.
    await service.call(RegisterCACertificate, { caCertificate: ca.pem, certificateMode: 'SNI_ONLY' });
  });

  test('another account cannot see, change or delete the CA', async () => {
    const { id } = await newCa();
    for (const model of [DescribeCACertificate, UpdateCACertificate, DeleteCACertificate]) {
      const error = await service.failure(model, { certificateId: id }, OTHER_ACCOUNT);
      assert.equal(error.code, 'ResourceNotFoundException', model.name);
    }
    assert.equal((await descriptionOf(id)).customerVersion, 1);
  });
});

describe('ListCACertificates', () => {
  let service: TestService;
  let pki: TestPki;
  const registered: { id: string; created: number; template?: string }[] = [];

  before(async () => {
    service = await openTestService();
    pki = new TestPki(service.dir);
    for (let i = 0; i < 5; i++) {
      const template = i % 2 === 0 ? 'even-template' : undefined;
      const ca = pki.ca(`list-ca-${i}`);
      const out = await service.call(RegisterCACertificate, {
        caCertificate: ca.pem,
        certificateMode: 'SNI_ONLY',
        ...(template && { registrationConfig: { templateName: template } }),
      });
      const d = (await service.call(DescribeCACertificate, { certificateId: out.certificateId }))
        .certificateDescription as Record<string, unknown>;
      registered.push({
        id: String(out.certificateId),
        created: Number(d.creationDate),
        ...(template && { template }),
      });
    }
    await service.call(
      RegisterCACertificate,
      { caCertificate: pki.ca('other-account-ca').pem, certificateMode: 'SNI_ONLY' },
      OTHER_ACCOUNT,
    );
  });
  after(() => service.close());

  const listAll = async (input: Record<string, unknown>) => {
    const items: Record<string, unknown>[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await service.call(ListCACertificates, { ...input, ...(marker && { marker }) });
      items.push(...(page.certificates as Record<string, unknown>[]));
      marker = page.nextMarker as string | undefined;
      if (marker) assert.match(marker, /^[A-Za-z0-9+/]+={0,2}$/);
      pages += 1;
    } while (marker && pages < 50);
    return { items, pages };
  };
  const order = (ascending: boolean, list = registered) =>
    [...list].sort((a, b) => (a.created - b.created || (a.id < b.id ? -1 : 1)) * (ascending ? 1 : -1)).map((r) => r.id);

  test('pages in either order, each item in model member order', async () => {
    for (const ascendingOrder of [false, true]) {
      const { items, pages } = await listAll({ pageSize: 2, ascendingOrder });
      assert.equal(pages, 3);
      assert.deepEqual(
        items.map((c) => c.certificateId),
        order(ascendingOrder),
      );
      for (const item of items) {
        assert.deepEqual(Object.keys(item), ['certificateArn', 'certificateId', 'status', 'creationDate']);
        assert.equal(item.certificateArn, `arn:aws:iot:us-east-1:123456789012:cacert/${item.certificateId}`);
      }
    }
  });

  test('templateName keeps only the CAs whose registration uses that template', async () => {
    const { items } = await listAll({ pageSize: 1, templateName: 'even-template' });
    assert.deepEqual(
      items.map((c) => c.certificateId),
      order(
        false,
        registered.filter((r) => r.template === 'even-template'),
      ),
    );
    assert.deepEqual((await service.call(ListCACertificates, { templateName: 'nobody' })).certificates, []);
    const bad = await service.failure(ListCACertificates, { templateName: 'bad name' });
    assert.equal(bad.code, 'InvalidRequestException');
  });

  test('25 per page by default, at most 250', async () => {
    const fresh = await openTestService();
    try {
      for (let i = 0; i < 27; i++) {
        await fresh.registry.caCertificates.registerCaCertificate(
          makeCaRecord(`bulk-${i}`, { creationDate: 1_700_000_000_000 + i }),
          () => {},
        );
      }
      const first = await fresh.call(ListCACertificates, {});
      assert.equal((first.certificates as unknown[]).length, 25);
      const second = await fresh.call(ListCACertificates, { marker: first.nextMarker });
      assert.equal((second.certificates as unknown[]).length, 2);
      assert.equal(second.nextMarker, undefined);
      const tooBig = await fresh.failure(ListCACertificates, { pageSize: 251 });
      assert.match(tooBig.message, /less than or equal to 250/);
      const badMarker = await fresh.failure(ListCACertificates, { marker: 'bm90IGEgbWFya2Vy' });
      assert.equal(badMarker.code, 'InvalidRequestException');
    } finally {
      await fresh.close();
    }
  });

  test('lists nothing of other accounts', async () => {
    const { items } = await listAll({ pageSize: 250 });
    assert.equal(items.length, registered.length);
    assert.equal(((await service.call(ListCACertificates, {}, OTHER_ACCOUNT)).certificates as unknown[]).length, 1);
  });
});
