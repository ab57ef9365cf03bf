import type { SigV4Client } from '../sigv4-client.js';

const POLICY_NAME = 'bench-allow-all';
const ALLOW_ALL = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }],
});

/**
 * Lets a device certificate connect and use every topic, through the REST door as an operator would (CreatePolicy
 * once per account, then AttachPolicy): these runs test robustness, and devices without a policy are refused.
 */
export async function allowEverything(iot: SigV4Client, certificateArn: string): Promise<void> {
  const created = await iot.send({
    method: 'POST',
    path: `/policies/${POLICY_NAME}`,
    body: JSON.stringify({ policyDocument: ALLOW_ALL }),
  });
  if (created.status !== 200 && created.status !== 409) throw new Error(`CreatePolicy answered ${created.status}`);
  const attached = await iot.send({
    method: 'PUT',
    path: `/target-policies/${POLICY_NAME}`,
    body: JSON.stringify({ target: certificateArn }),
  });
  if (attached.status !== 200) throw new Error(`AttachPolicy answered ${attached.status}: ${attached.body}`);
}
