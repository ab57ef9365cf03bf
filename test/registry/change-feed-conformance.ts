import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, type TestContext, test } from 'node:test';
import {
  policyAttachRule,
  policyCreationRule,
  policyDeletionRule,
  versionCreationRule,
  versionDeletionRule,
} from '../../src/domain/policies/policy-lifecycle.js';
import { thingAttachRule, thingDeletionRule, thingDetachRule } from '../../src/domain/things/thing-rules.js';
import type { Registry } from '../../src/registry/registry.js';
import type { RegistryChange } from '../../src/registry/registry-changes.js';
import { StoreError } from '../../src/registry/store-error.js';
import { AccessKeyCache } from '../../src/server/auth/access-key-cache.js';
import { EVENTUALLY_MS, eventually } from '../helpers/eventually.js';
import { makeRecord, SCOPE, T0 } from './certificate-fixtures.js';

/** What an engine hands the suite for one test: registries on one fresh, empty database. */
export interface ChangeFeedFixture {
  /**
   * Another registry on the same database, as another process would open it: `watch` → one that hears every
   * process's changes (the server), otherwise one that does not listen (a CLI run). Closed by cleanup.
   */
  open(options: { readonly watch: boolean }): Promise<Registry>;
  readonly cleanup: () => Promise<void>;
}

/**
 * What a registry hears from now on, kept to the changes `ours` accepts: on PostgreSQL other test files'
 * registries share the server, so each test picks its own certificate and key ids and listens for those only.
 */
export function recorder(registry: Registry, ours: (change: RegistryChange) => boolean) {
  const heard: RegistryChange[] = [];
  const waiters: { predicate: (change: RegistryChange) => boolean; resolve: () => void }[] = [];
  registry.changes.subscribe((change) => {
    if (!ours(change)) return;
    heard.push(change);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(change)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  return {
    heard,
    /** Resolves once a change matching `predicate` is (or was) heard; rejects after `ms`. */
    until(predicate: (change: RegistryChange) => boolean, ms = EVENTUALLY_MS): Promise<void> {
      if (heard.some(predicate)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not heard within ${ms} ms: ${JSON.stringify(heard)}`)), ms);
        waiters.push({
          predicate,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
  };
}

/** A seed no other test (or test file running alongside) uses. */
export const unique = (label: string) => `${label}-${randomBytes(6).toString('hex')}`;

/** An account id no other test uses. */
const uniqueAccountId = () => String(Math.floor(Math.random() * 1e12)).padStart(12, '0');

export const isCertificate = (id: string) => (change: RegistryChange) =>
  change.kind === 'certificate' && change.certificateId === id;

const certificateChange = (certificateId: string, status: 'ACTIVE' | 'INACTIVE' | 'DELETED'): RegistryChange => ({
  kind: 'certificate',
  ...SCOPE,
  certificateId,
  status,
});

const setStatus = (status: 'ACTIVE' | 'INACTIVE', at: number) => () => ({
  status,
  lastModifiedDate: at,
  generationId: `g${at}`,
});

/**
 * The change feed's contract, whatever the engine: a registry opened to watch hears every status change,
 * deletion and deleted access key any registry on the same database commits, in commit order, each once, and
 * nothing that was refused or changed nothing. Engine-specific cases (SQLite's pruning and resync, PostgreSQL's
 * reconnect and schema isolation) stay in the engines' own tests.
 */
export function changeFeedConformance(name: string, open: () => Promise<ChangeFeedFixture>): void {
  const withFixture = (fn: (fixture: ChangeFeedFixture, t: TestContext) => Promise<void>) => async (t: TestContext) => {
    const fixture = await open();
    try {
      await fn(fixture, t);
    } finally {
      await fixture.cleanup();
    }
  };

  /**
   * A certificate `writer` inserts (ACTIVE) after everything else a test commits: changes are heard in commit
   * order, so hearing its creation means having read (and dropped or heard once) everything before.
   * Made before the test listens, so that its id is among the ones the recorder keeps.
   */
  function marker(label: string) {
    const record = makeRecord(unique(label), { status: 'ACTIVE' });
    return {
      is: isCertificate(record.certificateId),
      change: certificateChange(record.certificateId, 'ACTIVE'),
      async commit(writer: Registry): Promise<void> {
        await writer.certificates.insertCertificate(record);
      },
    };
  }

  describe(`${name}: change feed conformance`, () => {
    test(
      'only a watching registry claims to hear the whole database',
      withFixture(async ({ open }) => {
        assert.equal((await open({ watch: true })).changes.reach, 'database');
        assert.equal((await open({ watch: false })).changes.reach, 'process');
      }),
    );

    test(
      'a creation, status changes, a deletion and a deleted access key committed elsewhere are heard in commit order, each once',
      withFixture(async ({ open }, t) => {
        const watcher = await open({ watch: true });
        const writer = await open({ watch: false });
        const after = marker('after-all');
        const record = makeRecord(unique('heard-elsewhere'));
        const { certificateId } = record;
        const accountId = uniqueAccountId();
        await writer.accounts.createAccount(accountId);
        const key = await writer.accounts.createAccessKey(accountId);
        const heard = recorder(
          watcher,
          (c) =>
            isCertificate(certificateId)(c) ||
            (c.kind === 'access-key-deleted' && c.accessKeyId === key.accessKeyId) ||
            after.is(c),
        );
        const started = performance.now();
        // The insert is heard with the status the certificate was created with (CRLs list one created on hold).
        await writer.certificates.insertCertificate(record);
        await writer.certificates.updateStatus(SCOPE, certificateId, setStatus('ACTIVE', T0 + 1));
        await writer.certificates.updateStatus(SCOPE, certificateId, setStatus('INACTIVE', T0 + 2));
        await writer.certificates.deleteCertificate(SCOPE, certificateId, () => ({ detachPolicies: false }));
        await writer.accounts.deleteAccessKey(key.accessKeyId);
        await heard.until((c) => c.kind === 'access-key-deleted');
        t.diagnostic(`all heard after ${(performance.now() - started).toFixed(0)} ms`);
        // Anything heard twice would have arrived before a marker committed after all of them.
        await after.commit(writer);
        await heard.until(after.is);
        assert.deepEqual(heard.heard, [
          certificateChange(certificateId, 'INACTIVE'),
          certificateChange(certificateId, 'ACTIVE'),
          certificateChange(certificateId, 'INACTIVE'),
          certificateChange(certificateId, 'DELETED'),
          { kind: 'access-key-deleted', accessKeyId: key.accessKeyId },
          after.change,
        ]);
      }),
    );

    test(
      'a watching registry hears its own changes once; another watcher hears them once too',
      withFixture(async ({ open }) => {
        const here = await open({ watch: true });
        const there = await open({ watch: true });
        const writer = await open({ watch: false });
        const record = makeRecord(unique('own-change'));
        const { certificateId } = record;
        const after = marker('own-change-marker');
        const ours = (c: RegistryChange) => isCertificate(certificateId)(c) || after.is(c);
        const heardHere = recorder(here, ours);
        const heardThere = recorder(there, ours);
        await here.certificates.insertCertificate(record);
        await here.certificates.updateStatus(SCOPE, certificateId, setStatus('ACTIVE', T0 + 1));
        await here.certificates.updateStatus(SCOPE, certificateId, setStatus('INACTIVE', T0 + 2));
        await here.certificates.deleteCertificate(SCOPE, certificateId, () => ({ detachPolicies: false }));
        await heardThere.until((c) => c.kind === 'certificate' && c.status === 'DELETED');
        // Another registry's change committed after these: once both heard it, they have read past their own
        // rows, so a change heard both in-process and through the feed would show up twice by now.
        await after.commit(writer);
        await heardHere.until(after.is);
        await heardThere.until(after.is);
        const expected = [
          certificateChange(certificateId, 'INACTIVE'),
          certificateChange(certificateId, 'ACTIVE'),
          certificateChange(certificateId, 'INACTIVE'),
          certificateChange(certificateId, 'DELETED'),
          after.change,
        ];
        assert.deepEqual(heardHere.heard, expected);
        assert.deepEqual(heardThere.heard, expected);
      }),
    );

    test(
      'refused and no-op changes are never announced',
      withFixture(async ({ open }) => {
        const watcher = await open({ watch: true });
        const writer = await open({ watch: false });
        const quiet = makeRecord(unique('quiet'), { status: 'ACTIVE' });
        const missing = makeRecord(unique('missing'));
        const after = marker('refused-marker');
        const heard = recorder(
          watcher,
          (c) => isCertificate(quiet.certificateId)(c) || isCertificate(missing.certificateId)(c) || after.is(c),
        );
        await writer.certificates.insertCertificate(quiet);
        const refusal = new Error('refused');
        await assert.rejects(
          writer.certificates.updateStatus(SCOPE, quiet.certificateId, () => {
            throw refusal;
          }),
          (error: unknown) => error === refusal,
        );
        // A rule that changes nothing.
        await writer.certificates.updateStatus(SCOPE, quiet.certificateId, () => undefined);
        await assert.rejects(
          writer.certificates.deleteCertificate(SCOPE, quiet.certificateId, () => {
            throw refusal;
          }),
          (error: unknown) => error === refusal,
        );
        // Deleting a certificate that is not there deletes nothing.
        await writer.certificates.deleteCertificate(SCOPE, missing.certificateId, () => ({ detachPolicies: false }));
        // A rule that breaks its contract is refused by the store: nothing is deleted, nothing announced.
        await writer.certificates.attach(SCOPE, quiet.certificateId, { kind: 'thing', name: 'pinned' });
        await assert.rejects(
          writer.certificates.deleteCertificate(SCOPE, quiet.certificateId, () => ({ detachPolicies: true })),
          StoreError,
        );
        await assert.rejects(writer.accounts.deleteAccessKey('AKIAAAAAAAAAAAAAAAAA'));
        // Changes are heard in commit order: once a marker committed after all of these is heard, any of them
        // would have been.
        await after.commit(writer);
        await heard.until(after.is);
        // Only the creation of the certificate that was then left as it was.
        assert.deepEqual(heard.heard, [certificateChange(quiet.certificateId, 'ACTIVE'), after.change]);
      }),
    );

    test(
      'policy, attachment, thing and thing-principal changes committed elsewhere are heard in commit order, each once',
      withFixture(async ({ open }) => {
        const watcher = await open({ watch: true });
        const writer = await open({ watch: false });
        const record = makeRecord(unique('authorization'));
        const { certificateId } = record;
        const policyName = unique('policy');
        const thingName = unique('thing');
        const after = marker('authorization-marker');
        const heard = recorder(
          watcher,
          (c) =>
            after.is(c) ||
            (c.kind === 'policy' && c.policyName === policyName) ||
            (c.kind === 'policy-attachment' && c.certificateId === certificateId) ||
            (c.kind === 'thing' && c.thingName === thingName) ||
            (c.kind === 'thing-principal' && c.certificateId === certificateId) ||
            isCertificate(certificateId)(c),
        );
        await writer.certificates.insertCertificate(record);
        const policy = {
          ...SCOPE,
          policyName,
          defaultVersionId: '1',
          creationDate: T0,
          lastModifiedDate: T0,
          generationId: 'g',
        };
        await writer.policies.createPolicy(policy, '{}', policyCreationRule(SCOPE, policyName));
        await writer.policies.attachPolicy(SCOPE, policyName, certificateId, policyAttachRule());
        await writer.policies.createPolicyVersion(
          SCOPE,
          policyName,
          '{"v":2}',
          true,
          T0 + 1,
          versionCreationRule(policyName),
        );
        await writer.things.createThing({
          ...SCOPE,
          thingName,
          thingId: 'id',
          attributes: {},
          version: 1,
          creationDate: T0,
        });
        await writer.things.attachPrincipal(SCOPE, thingName, certificateId, thingAttachRule(false, 'arn', thingName));
        await writer.things.detachPrincipal(SCOPE, thingName, certificateId, thingDetachRule());
        await writer.things.deleteThing(SCOPE, thingName, thingDeletionRule(thingName, undefined));
        // Deleting the certificate with its policies detaches them: each detachment is heard before the deletion.
        await writer.certificates.deleteCertificate(SCOPE, certificateId, () => ({ detachPolicies: true }));
        // Deleting a version that is not the default changes nobody's authorization: not announced.
        await writer.policies.deletePolicyVersion(SCOPE, policyName, '1', versionDeletionRule('1'));
        await writer.policies.deletePolicy(SCOPE, policyName, policyDeletionRule(policyName));
        await after.commit(writer);
        await heard.until(after.is);
        const scoped = { ...SCOPE };
        assert.deepEqual(heard.heard, [
          certificateChange(certificateId, 'INACTIVE'),
          { kind: 'policy', ...scoped, policyName },
          { kind: 'policy-attachment', ...scoped, policyName, certificateId },
          { kind: 'policy', ...scoped, policyName },
          {
            kind: 'thing',
            ...scoped,
            thingName,
            event: { operation: 'CREATED', thingId: 'id', versionNumber: 1, attributes: {} },
          },
          { kind: 'thing-principal', ...scoped, thingName, certificateId },
          { kind: 'thing-principal', ...scoped, thingName, certificateId },
          {
            kind: 'thing',
            ...scoped,
            thingName,
            event: { operation: 'DELETED', thingId: 'id', versionNumber: 1, attributes: {} },
          },
          { kind: 'policy-attachment', ...scoped, policyName, certificateId },
          certificateChange(certificateId, 'DELETED'),
          { kind: 'policy', ...scoped, policyName },
          after.change,
        ]);
      }),
    );

    test(
      "a watching server's access-key cache forgets a key another process deleted",
      withFixture(async ({ open }) => {
        const watcher = await open({ watch: true });
        const writer = await open({ watch: false });
        const accountId = uniqueAccountId();
        await writer.accounts.createAccount(accountId);
        const key = await writer.accounts.createAccessKey(accountId);
        const cache = new AccessKeyCache(watcher.accounts, watcher.changes);
        assert.equal((await cache.findAccessKey(key.accessKeyId))?.accountId, accountId);
        await writer.accounts.deleteAccessKey(key.accessKeyId);
        await eventually('the key forgotten', async () => (await cache.findAccessKey(key.accessKeyId)) === undefined);
      }),
    );
  });
}
