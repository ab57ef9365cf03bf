import assert from 'node:assert/strict';
import { createPublicKey, X509Certificate } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { IoTClient } from '@aws-sdk/client-iot';
import type { Page } from 'puppeteer-core';
import { type ConsoleBrowser, openConsoleBrowser } from '../helpers/browser.js';
import { eventuallyPasses } from '../helpers/eventually.js';
import { createFleetTemplate } from '../helpers/fleet-provisioning.js';
import {
  type AccountCredentials,
  type AwsCli,
  awsCliAgainst,
  awsClientEnv,
  createAccount,
  iotClientFor,
  type RunningServer,
  startServer,
  withWrongSecret,
} from '../helpers/fleetca-server.js';
import { registerOwnCa } from '../helpers/just-in-time.js';
import { mosquittoSub } from '../helpers/mosquitto-sub.js';
import { requireTool, TOOLS } from '../helpers/required-tool.js';
import { cliEnv, runCli, runTool, tempHome } from '../helpers/run-cli.js';
import { TestPki } from '../helpers/test-pki.js';

// The web console in Debian's Chromium against the real `fleetca serve`: the flows of issue 20, each view
// photographed into the folder printed first (FLEETCA_SCREENSHOTS chooses it).

let home: string;
let server: RunningServer;
let credentials: AccountCredentials;
let iot: IoTClient;
let cli: AwsCli;
let browser: ConsoleBrowser;
let page: Page;

/** Browser lines that a refused sign-in causes by design: Chromium logs every non-2xx fetch. */
const REFUSED_FETCH = /Failed to load resource: the server responded with a status of 403/;

const byTestId = (id: string) => `[data-testid="${id}"]`;

async function textOf(selector: string): Promise<string> {
  await page.waitForSelector(selector, { visible: true });
  return page.$eval(selector, (element) => element.textContent ?? '');
}

async function fill(testId: string, value: string): Promise<void> {
  const selector = byTestId(testId);
  await page.waitForSelector(selector, { visible: true });
  // Select what the field holds, so that typing replaces it.
  await page.click(selector, { count: 3 });
  await page.type(selector, value);
}

async function click(testId: string): Promise<void> {
  const selector = byTestId(testId);
  await page.waitForSelector(selector, { visible: true });
  await page.click(selector);
}

async function signIn(secret: string): Promise<void> {
  await page.goto(`${server.url}/console/`, { waitUntil: 'networkidle0' });
  await fill('signin-access-key-id', credentials.accessKeyId);
  await fill('signin-secret-access-key', secret);
  await click('signin-submit');
}

function deviceTls(files: { cert: string; key: string }): string[] {
  return ['-h', '127.0.0.1', '-p', String(server.mqttPort), '--cafile', join(home, 'chain.pem')].concat([
    '--tls-alpn',
    'x-amzn-mqtt-ca',
    '--cert',
    files.cert,
    '--key',
    files.key,
  ]);
}

before(async () => {
  requireTool(TOOLS.awsV1);
  home = await tempHome('fleetca-console-');
  const env = cliEnv(home);
  // A refused device gets CONNACK 5, so that mosquitto_sub ends instead of reconnecting forever.
  server = await startServer(env, ['--mqtt-refusal', 'connack']);
  credentials = await createAccount(env, '123456789012');
  iot = iotClientFor(server, credentials);
  cli = awsCliAgainst(() => ({ url: server.url, env: awsClientEnv(home, credentials) }));
  await writeFile(join(home, 'chain.pem'), (await runCli(['ca', 'export'], env)).stdout);
  browser = await openConsoleBrowser();
  page = browser.page;
  console.log(`console screenshots: ${browser.screenshots}`);
});

after(async () => {
  await browser?.close();
  iot?.destroy();
  assert.equal(await server.stop(), 0);
});

describe('the web console in Chromium', () => {
  test('a wrong secret key is refused in plain words, and nothing is entered', async () => {
    await signIn(withWrongSecret(credentials).secretAccessKey);
    assert.match(await textOf(byTestId('error-alert')), /secret access key is wrong/i);
    assert.equal(await page.$(byTestId('sign-out')), null, 'still signed out');
    await browser.screenshot('sign-in-refused');
    const unexpected = browser.seen.problems.filter((line) => !REFUSED_FETCH.test(line));
    assert.deepEqual(unexpected, []);
    browser.seen.problems.length = 0;
  });

  test('signs in with the right key and shows the dashboard', async () => {
    await signIn(credentials.secretAccessKey);
    await page.waitForSelector(byTestId('issuance-chart'), { visible: true });
    await page.waitForSelector(byTestId('sign-out'), { visible: true });
    assert.match(await textOf(byTestId('stat-total')), /^\s*0\D/);
    await browser.screenshot('dashboard-empty');
  });

  test('finds a certificate made with the aws CLI, deactivates it, and its mosquitto device is dropped', async () => {
    const created = await cli.ok(
      'create-keys-and-certificate',
      '--set-as-active',
      '--certificate-pem-outfile',
      join(home, 'device.crt'),
      '--private-key-outfile',
      join(home, 'device.key'),
    );
    const id: string = created.certificateId;
    await cli.ok('create-policy', '--policy-name', 'console-all', '--policy-document', ALLOW_ALL);
    await cli.aws('attach-policy', '--policy-name', 'console-all', '--target', created.certificateArn);
    const device = mosquittoSub([
      ...deviceTls({ cert: join(home, 'device.crt'), key: join(home, 'device.key') }),
      '-t',
      'console/device',
      '-i',
      'console-device',
    ]);
    await device.subscribed;

    await click('nav-certificates');
    await fill('search-id-prefix', id.slice(0, 12));
    await click('search-submit');
    const row = `${byTestId('certificate-row')}[data-certificate-id="${id}"]`;
    await page.waitForSelector(row, { visible: true });
    await browser.screenshot('certificates-search');
    await page.click(`${row} a`);
    assert.equal(await textOf(byTestId('certificate-id')), id);
    await eventuallyPasses('the live connection shown', async () => {
      assert.match(await textOf(byTestId('certificate-connections')), /console-device/);
    });
    await page.waitForSelector(byTestId('chain-verification'), { visible: true });
    await browser.screenshot('certificate');

    await click('action-deactivate');
    assert.match(await textOf(byTestId('confirm-dialog')), /drop/i, 'the confirmation names the dropped device');
    await browser.screenshot('deactivate-confirmation');
    await click('dialog-confirm');
    await page.waitForSelector(`${byTestId('status-badge')}[data-status="INACTIVE"]`, { visible: true });

    const dropped = await device.done;
    assert.equal(dropped.code, 5, `mosquitto_sub was dropped, then refused: ${dropped.stderr}`);
    assert.match(dropped.stderr, /not authori[sz]ed/i);
    const described = await cli.ok('describe-certificate', '--certificate-id', id);
    assert.equal(described.certificateDescription.status, 'INACTIVE');
    await browser.screenshot('certificate-deactivated');
  });

  test('creates a certificate and downloads its private key, shown once', async () => {
    await click('nav-create-certificate');
    const setAsActive = byTestId('create-set-as-active');
    await page.waitForSelector(setAsActive, { visible: true });
    if (!(await page.$eval(setAsActive, (box) => (box as unknown as { checked: boolean }).checked))) {
      await page.click(setAsActive);
    }
    await click('create-submit');
    await page.waitForSelector(byTestId('private-key-warning'), { visible: true });
    const id = (await textOf(byTestId('issued-certificate-id'))).trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    await browser.screenshot('certificate-created');
    await click('private-key-download');
    const keyFile = join(browser.downloads, `${id.slice(0, 10)}-private.pem.key`);
    await eventuallyPasses('the private key downloaded', async () => {
      assert.ok((await readdir(browser.downloads)).includes(`${id.slice(0, 10)}-private.pem.key`));
    });
    const privateKey = await readFile(keyFile, 'utf8');
    assert.match(privateKey, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    const described = await cli.ok('describe-certificate', '--certificate-id', id);
    assert.equal(described.certificateDescription.status, 'ACTIVE');
    const certificateKey = new X509Certificate(described.certificateDescription.certificatePem).publicKey;
    assert.equal(
      createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }),
      certificateKey.export({ type: 'spki', format: 'pem' }),
      'the downloaded key is the certificate’s',
    );
    // Leaving the page forgets the key: coming back shows a fresh form.
    await click('nav-dashboard');
    await click('nav-create-certificate');
    await page.waitForSelector(byTestId('create-submit'), { visible: true });
    assert.equal(await page.$(byTestId('private-key')), null);
  });

  test('the other views: the dashboard with data and what expires first, things, templates, policies, CAs', async () => {
    // A certificate of the operator's own that expires in 5 days, registered without its CA by the aws CLI.
    await runTool(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'].concat([
        '-keyout',
        join(home, 'short.key'),
        '-out',
        join(home, 'short.crt'),
        '-days',
        '5',
        '-subj',
        '/CN=short',
      ]),
    );
    const shortLived = await cli.ok(
      'register-certificate-without-ca',
      '--certificate-pem',
      `file://${join(home, 'short.crt')}`,
      '--status',
      'ACTIVE',
    );
    await cli.ok('create-thing', '--thing-name', 'console-sensor-1');
    await createFleetTemplate(iot, 'console-template');
    await click('nav-dashboard');
    await page.waitForSelector(byTestId('issuance-chart'), { visible: true });
    await eventuallyPasses('the dashboard counts the three certificates, one expiring soon', async () => {
      assert.match(await textOf(byTestId('stat-total')), /^\s*3\D/);
      assert.match(await textOf(byTestId('stat-expiring-soon')), /^\s*1\D/);
    });
    await page.waitForSelector(`${byTestId('expiring-soon')} tr[data-certificate-id="${shortLived.certificateId}"]`, {
      visible: true,
    });
    await browser.screenshot('dashboard');
    for (const [nav, row, name, detail, expected] of [
      ['nav-things', 'thing-row', 'things', 'thing-facts', /console-sensor-1/],
      ['nav-templates', 'template-row', 'templates', 'template-body', /provisioningRoleArn|Resources/],
      ['nav-policies', 'policy-row', 'policies', 'policy-document', /iot:\*/],
    ] as const) {
      await click(nav);
      await page.waitForSelector(byTestId(row), { visible: true });
      await browser.screenshot(name);
      await page.click(`${byTestId(row)} a`);
      assert.match(await textOf(byTestId(detail)), expected);
      await browser.screenshot(`${name}-one`);
    }
    await registerOwnCa(cli, new TestPki(home), 'console-factory-ca');
    await click('nav-ca-certificates');
    await page.waitForSelector(byTestId('ca-certificate-row'), { visible: true });
    await browser.screenshot('ca-certificates');
    await page.click(`${byTestId('ca-certificate-row')} a`);
    assert.match(await textOf(byTestId('ca-certificate-pem')), /BEGIN CERTIFICATE/);
    await browser.screenshot('ca-certificates-one');
  });

  test('phone width and keyboard: the menu folds and opens, the first Tab reaches the skip link, a dialog by keys', async () => {
    await page.setViewport({ width: 390, height: 844 });
    await click('nav-toggle');
    await click('nav-certificates');
    await page.waitForSelector(byTestId('certificate-table'), { visible: true });
    await browser.screenshot('certificates-phone');
    await page.setViewport({ width: 1280, height: 800 });
    await page.reload({ waitUntil: 'networkidle0' });
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement?.dataset.testid'), 'skip-link');

    // A confirmation by keyboard: Enter opens it with the focus on Cancel, Escape closes it and changes nothing,
    // and the focus is back on the button that opened it.
    const active = `${byTestId('certificate-row')}:has([data-status="ACTIVE"]) a`;
    await click('nav-certificates');
    await page.waitForSelector(active, { visible: true });
    await page.click(active);
    await page.waitForSelector(byTestId('action-revoke'), { visible: true });
    await page.focus(byTestId('action-revoke'));
    await page.keyboard.press('Enter');
    await page.waitForSelector(byTestId('confirm-dialog'), { visible: true });
    assert.equal(await page.evaluate('document.activeElement?.dataset.testid'), 'dialog-cancel');
    await page.keyboard.press('Escape');
    await page.waitForSelector(byTestId('confirm-dialog'), { hidden: true });
    assert.equal(await page.evaluate('document.activeElement?.dataset.testid'), 'action-revoke');
    assert.notEqual(
      await page.$eval(byTestId('status-badge'), (badge) => badge.getAttribute('data-status')),
      'REVOKED',
    );
  });

  test('the browser saw no console error, page error or failed request', () => {
    assert.deepEqual(browser.seen.problems, []);
  });
});

const ALLOW_ALL = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }],
});
