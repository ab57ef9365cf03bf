import { readFile } from 'node:fs/promises';
import { CreateCertificateFromCsr } from '../../../src/model/certificates.js';
import { makeEcCsr } from '../../helpers/run-cli.js';
import { SCOPE, type TestService } from '../operation-context.js';

/** A policy document allowing `actions` on `resources` (one Allow statement). */
export function allowDocument(actions: string | string[], resources: string | string[], sid?: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ ...(sid !== undefined && { Sid: sid }), Effect: 'Allow', Action: actions, Resource: resources }],
  });
}

/** A policy document denying `actions` on `resources`. */
export function denyDocument(actions: string | string[], resources: string | string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Action: actions, Resource: resources }],
  });
}

/** A resource ARN of SCOPE. */
export const arnOf = (resource: string, scope = SCOPE) => `arn:aws:iot:${scope.region}:${scope.accountId}:${resource}`;

/** A real certificate signed by the test service's CA (from an openssl EC CSR with `subject`); its ARN and id. */
export async function realCertificate(
  service: TestService,
  name: string,
  subject = `/CN=${name}`,
  scope = SCOPE,
): Promise<{ certificateArn: string; certificateId: string }> {
  const csr = await readFile(await makeEcCsr(service.dir, name, subject), 'utf8');
  const created = await service.call(CreateCertificateFromCsr, { certificateSigningRequest: csr }, scope);
  return { certificateArn: String(created.certificateArn), certificateId: String(created.certificateId) };
}
