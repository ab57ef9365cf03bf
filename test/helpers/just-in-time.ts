import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromPem } from '../../src/ca/pem.js';
import type { AwsCli } from './fleetca-server.js';
import type { DeviceIdentity } from './mqtt-devices.js';
import type { Issued, TestPki } from './test-pki.js';

/** The SHA-256 of a PEM certificate's DER: its id, in fleetca as on AWS. */
export function certificateIdOf(pem: string): string {
  return createHash('sha256')
    .update(fromPem(pem, ['CERTIFICATE']).der)
    .digest('hex');
}

/** A certificate made by openssl, as MQTT.js takes it. */
export function identityOf(issued: Issued): DeviceIdentity {
  return { certificatePem: issued.pem, privateKey: readFileSync(issued.keyFile, 'utf8') };
}

export interface CaRegistration {
  readonly active?: boolean;
  readonly autoRegistration?: boolean;
  /** A registration config (templateBody, roleArn, or templateName), written to a file for --registration-config. */
  readonly registrationConfig?: object;
}

/**
 * Makes a CA with openssl and registers it with the aws CLI as a user would: get-registration-code, a verification
 * certificate with the code as CN, register-ca-certificate with the flags asked for. Returns the CA and its id.
 */
export async function registerOwnCa(
  cli: AwsCli,
  pki: TestPki,
  name: string,
  options: CaRegistration = {},
): Promise<{ ca: Issued; caCertificateId: string }> {
  const ca = pki.ca(name, { subject: `/O=Factory/CN=${name}` });
  const { registrationCode } = await cli.ok('get-registration-code');
  const verification = pki.verification(`${name}-verification`, ca, registrationCode);
  const args = [
    'register-ca-certificate',
    '--ca-certificate',
    `file://${ca.certFile}`,
    '--verification-certificate',
    `file://${verification.certFile}`,
  ];
  if (options.active !== false) args.push('--set-as-active');
  if (options.autoRegistration !== false) args.push('--allow-auto-registration');
  if (options.registrationConfig !== undefined) {
    const file = join(pki.dir, `${name}-registration-config.json`);
    writeFileSync(file, JSON.stringify(options.registrationConfig));
    args.push('--registration-config', `file://${file}`);
  }
  const registered = await cli.ok(...args);
  return { ca, caCertificateId: registered.certificateId };
}

/** JITP's documented template: the thing named by the certificate's CommonName, confined to its own topics. */
export function confiningTemplate(accountId: string, region = 'us-east-1'): string {
  const arn = `arn:aws:iot:${region}:${accountId}`;
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: `${arn}:client/\${iot:Connection.Thing.ThingName}` },
      {
        Effect: 'Allow',
        Action: ['iot:Publish', 'iot:Receive'],
        Resource: `${arn}:topic/things/\${iot:Connection.Thing.ThingName}/*`,
      },
      {
        Effect: 'Allow',
        Action: 'iot:Subscribe',
        Resource: `${arn}:topicfilter/things/\${iot:Connection.Thing.ThingName}/*`,
      },
    ],
  };
  return JSON.stringify({
    Parameters: {
      'AWS::IoT::Certificate::CommonName': { Type: 'String' },
      'AWS::IoT::Certificate::Organization': { Type: 'String' },
      'AWS::IoT::Certificate::Id': { Type: 'String' },
    },
    Resources: {
      thing: {
        Type: 'AWS::IoT::Thing',
        Properties: {
          ThingName: { Ref: 'AWS::IoT::Certificate::CommonName' },
          AttributePayload: { maker: { Ref: 'AWS::IoT::Certificate::Organization' } },
        },
      },
      certificate: {
        Type: 'AWS::IoT::Certificate',
        Properties: { CertificateId: { Ref: 'AWS::IoT::Certificate::Id' }, Status: 'ACTIVE' },
      },
      policy: { Type: 'AWS::IoT::Policy', Properties: { PolicyDocument: JSON.stringify(policy) } },
    },
  });
}
