import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DescribeEndpoint } from '../../../src/model/endpoint.js';
import { newEndpointPrefix } from '../../../src/operations/endpoint/describe-endpoint.js';
import { newRegistrationCode } from '../../../src/operations/endpoint/get-registration-code.js';
import { openSqliteRegistry } from '../../../src/registry/sqlite/sqlite-registry.js';
import { OTHER_ACCOUNT, OTHER_REGION, openTestService, SCOPE, type TestService } from '../operation-context.js';

describe('DescribeEndpoint', () => {
  let service: TestService;
  before(async () => {
    service = await openTestService();
  });
  after(() => service.close());

  const endpoint = async (endpointType?: string, scope = SCOPE) =>
    String(
      (await service.call(DescribeEndpoint, endpointType === undefined ? {} : { endpointType }, scope)).endpointAddress,
    );

  test('every type shares one AWS-shaped prefix; without a type the legacy data endpoint', async () => {
    const legacy = await endpoint();
    const match = /^(a[a-z0-9]{13})\.iot\.us-east-1\.amazonaws\.com$/.exec(legacy);
    assert.ok(match, legacy);
    const prefix = match[1];
    assert.equal(await endpoint('iot:Data'), legacy);
    assert.equal(await endpoint('iot:Data-ATS'), `${prefix}-ats.iot.us-east-1.amazonaws.com`);
    assert.equal(await endpoint('iot:CredentialProvider'), `${prefix}.credentials.iot.us-east-1.amazonaws.com`);
    assert.equal(await endpoint('iot:Jobs'), `${prefix}.jobs.iot.us-east-1.amazonaws.com`);
  });

  test('stable across calls and across reopening the registry', async () => {
    const first = await endpoint('iot:Data-ATS');
    assert.equal(await endpoint('iot:Data-ATS'), first);
    const reopened = await openSqliteRegistry(join(service.dir, 'registry.db'));
    try {
      const prefix = await reopened.scopeIdentifiers.get(SCOPE, 'endpoint-prefix');
      assert.equal(first, `${prefix}-ats.iot.us-east-1.amazonaws.com`);
    } finally {
      await reopened.close();
    }
  });

  test('each account and region has its own prefix; China regions use amazonaws.com.cn', async () => {
    const mine = await endpoint('iot:Data-ATS');
    const theirs = await endpoint('iot:Data-ATS', OTHER_ACCOUNT);
    const otherRegion = await endpoint('iot:Data-ATS', OTHER_REGION);
    assert.match(otherRegion, /-ats\.iot\.eu-west-1\.amazonaws\.com$/);
    assert.equal(new Set([mine.split('-')[0], theirs.split('-')[0], otherRegion.split('-')[0]]).size, 3);
    const china = await endpoint('iot:Data-ATS', { accountId: SCOPE.accountId, region: 'cn-north-1' });
    assert.match(china, /^a[a-z0-9]{13}-ats\.iot\.cn-north-1\.amazonaws\.com\.cn$/);
  });

  test('an unknown type is InvalidRequestException', async () => {
    for (const type of ['foo', 'iot:data-ats', '', 'toString', '__proto__']) {
      const error = await service.failure(DescribeEndpoint, { endpointType: type });
      assert.equal(error.code, 'InvalidRequestException');
      assert.equal(error.message, `Endpoint type ${type} not recognized.`);
    }
    const tooLong = await service.failure(DescribeEndpoint, { endpointType: 'x'.repeat(129) });
    assert.match(tooLong.message, /length less than or equal to 128/);
  });
});

test('generated identifiers have the documented shapes and do not repeat', () => {
  const prefixes = new Set<string>();
  const codes = new Set<string>();
  for (let i = 0; i < 500; i++) {
    const prefix = newEndpointPrefix();
    assert.match(prefix, /^a[a-z0-9]{13}$/);
    prefixes.add(prefix);
    const code = newRegistrationCode();
    assert.match(code, /^[0-9a-f]{64}$/);
    codes.add(code);
  }
  assert.equal(prefixes.size, 500);
  assert.equal(codes.size, 500);
});
