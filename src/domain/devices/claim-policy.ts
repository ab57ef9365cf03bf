import { partitionOf, type Scope } from '../scope.js';

/** The name a claim's rights go by in decisions and explanations; `$` keeps it apart from any real policy's name. */
export const CLAIM_POLICY_NAME = '$fleetca-provisioning-claim';

/**
 * What a provisioning claim may do, written as a policy so that the device door decides claims with the same
 * machinery as devices: connect, and use the fleet-provisioning topics — send requests, subscribe to their answers,
 * receive them. Which templates it may use is decided before any policy, by its grant (the device door's
 * reserved-topic rule), exactly as for AWS's claim certificates whose policy names the template.
 */
export function claimPolicyDocument(scope: Scope): string {
  const arn = (type: string, name: string) =>
    `arn:${partitionOf(scope.region)}:iot:${scope.region}:${scope.accountId}:${type}/${name}`;
  const requests = [
    '$aws/certificates/create/*',
    '$aws/certificates/create-from-csr/*',
    '$aws/provisioning-templates/*',
  ];
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: arn('client', '*') },
      { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: requests.map((t) => arn('topic', t)) },
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: requests.map((t) => arn('topicfilter', t)) },
    ],
  });
}
