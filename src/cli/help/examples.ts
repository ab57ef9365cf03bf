import { PROG } from '../prog.js';

/** One example of a help page: a title, what it does, the command, and optionally its output. */
export interface HelpExample {
  readonly title: string;
  readonly description: string;
  readonly command: string;
  readonly output?: string;
}

const ID = 'f2d4b0a0c0e59d3c3a2b5d0c3d7f2e1a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e';
const CA_ID = '9b1e8f3c2d5a7e6f4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a';

/**
 * Examples for every `fleetca iot` operation's help page, written for fleetca (keyed by CLI
 * operation name). Commands are shown with `fleetca`; they work the same with `aws` pointed at a
 * fleetca server through `--endpoint-url`.
 */
export const EXAMPLES: Readonly<Record<string, readonly HelpExample[]>> = {
  'create-certificate-from-csr': [
    {
      title: 'To issue a certificate for a key that stays on the device',
      description:
        'The device made a key pair and a certificate signing request; the CA signs it and the certificate is saved next to it. The private key never leaves the device.',
      command: `${PROG} iot create-certificate-from-csr --certificate-signing-request file://device.csr --set-as-active --certificate-pem-outfile device.pem`,
    },
  ],
  'create-keys-and-certificate': [
    {
      title: 'To create a key pair and an active certificate',
      description:
        'Generates a 2048-bit RSA key pair, issues a certificate for it and writes the three PEM files. The private key is returned only in this response: save it now, it cannot be retrieved later.',
      command: `${PROG} iot create-keys-and-certificate --set-as-active --certificate-pem-outfile cert.pem --public-key-outfile public.key --private-key-outfile private.key`,
    },
  ],
  'delete-ca-certificate': [
    {
      title: 'To delete a registered CA certificate',
      description: 'The CA certificate must have been deactivated first (update-ca-certificate --new-status INACTIVE).',
      command: `${PROG} iot delete-ca-certificate --certificate-id ${CA_ID}`,
    },
  ],
  'delete-certificate': [
    {
      title: 'To delete a device certificate',
      description: 'Deletes an INACTIVE or REVOKED certificate. The command prints nothing when it succeeds.',
      command: `${PROG} iot delete-certificate --certificate-id ${ID}`,
    },
  ],
  'describe-ca-certificate': [
    {
      title: 'To show a registered CA certificate',
      description: 'Prints the CA certificate, its status, its auto-registration setting and its validity.',
      command: `${PROG} iot describe-ca-certificate --certificate-id ${CA_ID}`,
    },
  ],
  'describe-certificate': [
    {
      title: 'To show a certificate and its status',
      description: 'Prints the certificate PEM with its ARN, status, owner, issuing CA and validity dates.',
      command: `${PROG} iot describe-certificate --certificate-id ${ID} --query certificateDescription.status`,
      output: '"ACTIVE"',
    },
  ],
  'describe-endpoint': [
    {
      title: 'To get the data endpoint of the account',
      description: 'Returns the host name devices connect to; ATS endpoints are the ones to use today.',
      command: `${PROG} iot describe-endpoint --endpoint-type iot:Data-ATS`,
    },
  ],
  'get-registration-code': [
    {
      title: 'To get the code for a CA verification certificate',
      description:
        'The registration code goes into the common name of the verification certificate that proves you hold the key of a CA you register.',
      command: `${PROG} iot get-registration-code --output text`,
    },
  ],
  'list-ca-certificates': [
    {
      title: 'To list the registered CA certificates',
      description: 'Lists every CA certificate of the account, newest first unless --ascending-order is given.',
      command: `${PROG} iot list-ca-certificates --output table`,
    },
  ],
  'list-certificates': [
    {
      title: 'To list the certificates of the account',
      description:
        'Fetches every page and prints one merged list; --max-items limits it and prints a NextToken to continue.',
      command: `${PROG} iot list-certificates --max-items 2`,
    },
    {
      title: 'To list only the ids of active certificates',
      description: 'A JMESPath filter on the merged list.',
      command: `${PROG} iot list-certificates --query "certificates[?status=='ACTIVE'].certificateId" --output text`,
    },
  ],
  'list-certificates-by-ca': [
    {
      title: 'To list the certificates signed by a registered CA',
      description: 'Lists the device certificates whose issuer is the given CA certificate.',
      command: `${PROG} iot list-certificates-by-ca --ca-certificate-id ${CA_ID}`,
    },
  ],
  'register-ca-certificate': [
    {
      title: 'To register your own CA with proof of possession',
      description:
        'Registers a CA certificate together with a verification certificate it signed, whose common name is the registration code.',
      command: `${PROG} iot register-ca-certificate --ca-certificate file://rootCA.pem --verification-certificate file://verification.pem --set-as-active --allow-auto-registration`,
    },
  ],
  'register-certificate': [
    {
      title: 'To register a device certificate made by your own CA',
      description: 'The issuing CA must already be registered; the certificate starts in the status given.',
      command: `${PROG} iot register-certificate --certificate-pem file://device.pem --ca-certificate-pem file://rootCA.pem --status ACTIVE`,
    },
  ],
  'register-certificate-without-ca': [
    {
      title: 'To register a certificate whose CA is not registered',
      description: 'Useful for certificates from a CA you do not control; only the certificate itself is checked.',
      command: `${PROG} iot register-certificate-without-ca --certificate-pem file://device.pem --status INACTIVE`,
    },
  ],
  'update-ca-certificate': [
    {
      title: 'To deactivate a CA certificate',
      description: 'Devices with certificates from an inactive CA can no longer register automatically.',
      command: `${PROG} iot update-ca-certificate --certificate-id ${CA_ID} --new-status INACTIVE`,
    },
  ],
  'update-certificate': [
    {
      title: 'To revoke a certificate',
      description:
        'Marks the certificate REVOKED: it can no longer be used to connect. The command prints nothing when it succeeds.',
      command: `${PROG} iot update-certificate --certificate-id ${ID} --new-status REVOKED`,
    },
  ],
  'attach-thing-principal': [
    {
      title: 'To attach a certificate to a thing',
      description:
        'The principal is the certificate ARN. While attached, the certificate cannot be deleted. The command prints nothing when it succeeds.',
      command: `${PROG} iot attach-thing-principal --thing-name sensor-42 --principal arn:aws:iot:us-east-1:123456789012:cert/${ID}`,
    },
  ],
  'create-thing': [
    {
      title: 'To create a thing with attributes',
      description:
        'Creates the thing, or answers the existing one when it has the same attributes. A thing without a thing type has at most three attributes.',
      command: `${PROG} iot create-thing --thing-name sensor-42 --attribute-payload "attributes={site=lyon,floor=3}"`,
    },
  ],
  'delete-thing': [
    {
      title: 'To delete a thing at a known version',
      description:
        'Its certificates must be detached first. Deleting a thing that does not exist succeeds and prints nothing.',
      command: `${PROG} iot delete-thing --thing-name sensor-42 --expected-version 1`,
    },
  ],
  'describe-thing': [
    {
      title: 'To show a thing',
      description: 'Prints its name, id, ARN, attributes and version.',
      command: `${PROG} iot describe-thing --thing-name sensor-42`,
    },
  ],
  'detach-thing-principal': [
    {
      title: 'To detach a certificate from a thing',
      description: 'The command prints nothing when it succeeds.',
      command: `${PROG} iot detach-thing-principal --thing-name sensor-42 --principal arn:aws:iot:us-east-1:123456789012:cert/${ID}`,
    },
  ],
  'list-principal-things': [
    {
      title: 'To list the things a certificate is attached to',
      description: 'Prints the thing names, in name order.',
      command: `${PROG} iot list-principal-things --principal arn:aws:iot:us-east-1:123456789012:cert/${ID} --output text`,
    },
  ],
  'list-thing-principals': [
    {
      title: 'To list the certificates of a thing',
      description: 'Prints the certificate ARNs attached to the thing.',
      command: `${PROG} iot list-thing-principals --thing-name sensor-42`,
    },
  ],
  'list-things': [
    {
      title: 'To list the things with a given attribute value',
      description: 'Things are listed by name; without the filter every thing of the account is listed.',
      command: `${PROG} iot list-things --attribute-name site --attribute-value lyon --query "things[].thingName"`,
    },
  ],
  'create-provisioning-template': [
    {
      title: 'To create an enabled fleet-provisioning template',
      description:
        'The template body is checked by the template engine. The role ARN is stored and returned; fleetca does not call IAM.',
      command: `${PROG} iot create-provisioning-template --template-name FleetTemplate --template-body file://template.json --provisioning-role-arn arn:aws:iam::123456789012:role/FleetProvisioningRole --enabled`,
    },
  ],
  'describe-provisioning-template': [
    {
      title: 'To describe a provisioning template',
      description: 'Prints the template body, whether it is enabled, its role ARN and its dates.',
      command: `${PROG} iot describe-provisioning-template --template-name FleetTemplate`,
    },
  ],
  'list-provisioning-templates': [
    {
      title: 'To list the provisioning templates',
      description: 'Templates are listed by name; every page is followed unless --no-paginate.',
      command: `${PROG} iot list-provisioning-templates --query "templates[].templateName"`,
    },
  ],
  'update-provisioning-template': [
    {
      title: 'To disable a provisioning template',
      description: 'A disabled template gives no new provisioning claims. The command prints nothing when it succeeds.',
      command: `${PROG} iot update-provisioning-template --template-name FleetTemplate --no-enabled`,
    },
  ],
  'delete-provisioning-template': [
    {
      title: 'To delete a provisioning template',
      description: 'Deletes the template and every provisioning claim for it.',
      command: `${PROG} iot delete-provisioning-template --template-name FleetTemplate`,
    },
  ],
  'create-provisioning-claim': [
    {
      title: 'To create a five-minute provisioning claim',
      description:
        "Issues a key pair and a claim certificate that may only use the template's fleet-provisioning topics, for five minutes. The private key is returned only in this response.",
      command: `${PROG} iot create-provisioning-claim --template-name FleetTemplate`,
    },
  ],
};
