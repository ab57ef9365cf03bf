import { partitionOf, type Scope } from '../../domain/scope.js';
import { serviceErrors } from '../../errors.js';

const CERTIFICATE_ARN = /^arn:([^:]*):iot:([^:]*):([^:]*):cert\/(.*)$/;
const CERTIFICATE_ID = /^[0-9a-f]{64}$/;

/**
 * The id of the certificate a thing principal names: the ARN of a certificate of the caller's account and
 * region (arn:aws:iot:REGION:ACCOUNT:cert/ID). A certificate ARN of any other account, region or partition
 * names no certificate the caller has: ResourceNotFoundException, as for an unknown id. Cognito identities and
 * other principals AWS accepts are not supported by fleetca: InvalidRequestException.
 */
export function certificateIdOfPrincipal(principal: string, scope: Scope): string {
  const match = CERTIFICATE_ARN.exec(principal);
  if (!match) {
    throw serviceErrors.invalidRequest(
      `Principal ${principal} is not supported: the principal must be the ARN of a certificate ` +
        '(arn:aws:iot:<region>:<account>:cert/<certificateId>)',
    );
  }
  const [, partition, region, accountId, certificateId = ''] = match;
  const here = partition === partitionOf(scope.region) && region === scope.region && accountId === scope.accountId;
  if (!here || !CERTIFICATE_ID.test(certificateId)) throw serviceErrors.notFound();
  return certificateId;
}
