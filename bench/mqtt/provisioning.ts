/**
 * Fleet provisioning at once: `count` devices connect with one provisioning claim (each its own client id), each
 * subscribes to its answers, asks `$aws/certificates/create/json` for keys and a certificate, then registers with
 * `$aws/provisioning-templates/NAME/provision/json`. A `Throttled` answer is retried after an exponential backoff
 * with full jitter (AWS's retry shape), for up to two minutes; any other refusal, a lost connection or a missing answer is a
 * failure. Reported: the time until every device is done, the throttled answers, the retries and the failures.
 */

import { createSecureContext, type SecureContext } from 'node:tls';
import type { SigV4Client } from '../sigv4-client.js';
import { type LatencySummary, summarizeLatencies } from '../stats.js';
import { DEVICE_POLICY } from './device-fixture.js';
import { DeviceLink } from './device-link.js';
import { sourceAddresses } from './load-generator.js';
import type { Endpoint } from './protocol.js';

const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 8_000;
/**
 * How long a device keeps retrying a throttled request. A device provisioning once in its life keeps trying rather
 * than give up; two minutes is well inside the claim certificate's five (and the whole fleet's key generation at this
 * machine's rate).
 */
const RETRY_WINDOW_MS = 120_000;
const ANSWER_TIMEOUT_MS = 60_000;
const ROLE_ARN = 'arn:aws:iam::123456789012:role/FleetProvisioningRole';

export interface ProvisioningResult {
  readonly devices: number;
  readonly done: number;
  readonly failed: number;
  readonly firstFailure?: string;
  readonly throttled: number;
  /** Devices that were throttled at least once. */
  readonly devicesThrottled: number;
  readonly elapsedS: number;
  /** Per device, from its first connect attempt to its RegisterThing accepted. */
  readonly perDevice: LatencySummary;
}

/** AWS's documented template shape: a thing per serial number, the certificate ACTIVE, the bench's policy. */
function templateBody(): string {
  return JSON.stringify({
    Parameters: { SerialNumber: { Type: 'String' } },
    Resources: {
      thing: {
        Type: 'AWS::IoT::Thing',
        Properties: { ThingName: { 'Fn::Join': ['', ['bench-', { Ref: 'SerialNumber' }]] } },
      },
      certificate: {
        Type: 'AWS::IoT::Certificate',
        Properties: { CertificateId: { Ref: 'AWS::IoT::Certificate::Id' }, Status: 'ACTIVE' },
      },
      policy: { Type: 'AWS::IoT::Policy', Properties: { PolicyName: DEVICE_POLICY } },
    },
  });
}

/** A template and a claim of it through the REST door; the claim's certificate and key. */
export async function prepareClaim(iot: SigV4Client, templateName: string): Promise<{ cert: string; key: string }> {
  const template = await iot.send({
    method: 'POST',
    path: '/provisioning-templates',
    body: JSON.stringify({ templateName, templateBody: templateBody(), enabled: true, provisioningRoleArn: ROLE_ARN }),
  });
  if (template.status !== 200) throw new Error(`CreateProvisioningTemplate: ${template.status} ${template.body}`);
  const claim = await iot.send({
    method: 'POST',
    path: `/provisioning-templates/${encodeURIComponent(templateName)}/provisioning-claim`,
  });
  if (claim.status !== 200) throw new Error(`CreateProvisioningClaim: ${claim.status} ${claim.body}`);
  const body = JSON.parse(claim.body) as { certificatePem: string; keyPair: { PrivateKey: string } };
  return { cert: body.certificatePem, key: body.keyPair.PrivateKey };
}

/** Full jitter: a uniform wait up to the exponentially growing ceiling. */
export function backoffMs(attempt: number, random = Math.random): number {
  return Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
}

interface Answer {
  readonly accepted: boolean;
  readonly body: Record<string, unknown>;
}

/** One device's provisioning: connect, subscribe, create, register; throttled steps retried. */
class ProvisioningDevice {
  throttled = 0;
  #answer: ((answer: Answer) => void) | undefined;

  constructor(
    readonly index: number,
    readonly link: DeviceLink,
  ) {
    link.onMessage = (topic, payload) => {
      const accepted = topic.endsWith('/accepted');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
      } catch {
        body = { errorCode: 'UndecodableAnswer' };
      }
      this.#answer?.({ accepted, body });
    };
  }

  /** Publishes a request and waits for its answer, retrying while it is Throttled. */
  async request(topic: string, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
    const giveUpAt = Date.now() + RETRY_WINDOW_MS;
    for (let attempt = 0; ; attempt++) {
      const answer = await new Promise<Answer>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no answer on ${topic} within ${ANSWER_TIMEOUT_MS} ms`)),
          ANSWER_TIMEOUT_MS,
        );
        this.#answer = (got) => {
          clearTimeout(timer);
          resolve(got);
        };
        if (this.link.isClosed) {
          clearTimeout(timer);
          reject(new Error('connection closed'));
        }
        this.link.publishRaw(topic, Buffer.from(JSON.stringify(payload)), 1);
      });
      if (answer.accepted) return answer.body;
      if (answer.body.errorCode !== 'Throttled' || Date.now() >= giveUpAt) {
        throw new Error(`${topic} rejected: ${JSON.stringify(answer.body)}`);
      }
      this.throttled++;
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
    }
  }
}

export async function provisionAtOnce(
  endpoint: Endpoint,
  claim: { cert: string; key: string },
  templateName: string,
  options: { count: number; runId: string; log: (line: string) => void },
): Promise<ProvisioningResult> {
  const context: SecureContext = createSecureContext({ ca: endpoint.ca, cert: claim.cert, key: claim.key });
  const addresses = sourceAddresses(32);
  const createTopic = '$aws/certificates/create/json';
  const provisionTopic = `$aws/provisioning-templates/${templateName}/provision/json`;
  const perDevice: number[] = [];
  const failures: string[] = [];
  const devices: ProvisioningDevice[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.count }, async (_, index) => {
      const began = performance.now();
      let link: DeviceLink | undefined;
      try {
        const opened = await DeviceLink.open(
          {
            port: endpoint.port,
            servername: endpoint.servername,
            context,
            localAddress: addresses[index % 32] as string,
          },
          `prov-${options.runId}-${index}`,
          1200,
          ANSWER_TIMEOUT_MS,
        );
        link = opened.link;
        if (opened.returnCode !== 0) throw new Error(`CONNACK ${opened.returnCode}`);
        const device = new ProvisioningDevice(index, link);
        devices.push(device);
        const granted = await link.subscribe(
          [
            `${createTopic}/accepted`,
            `${createTopic}/rejected`,
            `${provisionTopic}/accepted`,
            `${provisionTopic}/rejected`,
          ],
          1,
        );
        if (granted.length !== 4 || granted.some((qos) => qos !== 1)) throw new Error(`SUBACK ${granted.join(',')}`);
        const created = await device.request(createTopic, {});
        const token = created.certificateOwnershipToken;
        if (typeof token !== 'string') throw new Error('no certificateOwnershipToken');
        const registered = await device.request(provisionTopic, {
          certificateOwnershipToken: token,
          parameters: { SerialNumber: `${options.runId}-${index}` },
        });
        if (registered.thingName !== `bench-${options.runId}-${index}`) {
          throw new Error(`RegisterThing answered thing ${String(registered.thingName)}`);
        }
        perDevice.push(performance.now() - began);
      } catch (err) {
        failures.push(`device ${index}: ${(err as Error).message}`);
      } finally {
        await link?.close();
      }
    }),
  );
  const result: ProvisioningResult = {
    devices: options.count,
    done: perDevice.length,
    failed: failures.length,
    firstFailure: failures[0],
    throttled: devices.reduce((total, device) => total + device.throttled, 0),
    devicesThrottled: devices.filter((device) => device.throttled > 0).length,
    elapsedS: (performance.now() - started) / 1000,
    perDevice: summarizeLatencies(perDevice),
  };
  options.log(
    `provisioning: ${result.done} of ${result.devices} provisioned in ${result.elapsedS.toFixed(1)} s, ${result.throttled} Throttled answers (${result.devicesThrottled} devices) retried with backoff, ${result.failed} failed${result.firstFailure ? ` (${result.firstFailure})` : ''}; per device p50 ${(result.perDevice.p50 / 1000).toFixed(2)} s, p99 ${(result.perDevice.p99 / 1000).toFixed(2)} s`,
  );
  return result;
}
