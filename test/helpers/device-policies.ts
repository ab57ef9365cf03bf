import { AttachPolicyCommand, CreatePolicyCommand, type IoTClient } from '@aws-sdk/client-iot';

/** A policy that lets a device connect and use every topic: for tests whose subject is not authorization. */
export const ALLOW_ALL_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }],
});

/** Attaches the account's allow-all policy (made on first use) to a certificate, as an operator would. */
export async function allowAll(iot: IoTClient, certificateArn: string, policyName = 'test-allow-all'): Promise<void> {
  try {
    await iot.send(new CreatePolicyCommand({ policyName, policyDocument: ALLOW_ALL_POLICY }));
  } catch (err) {
    if ((err as Error).name !== 'ResourceAlreadyExistsException') throw err;
  }
  await iot.send(new AttachPolicyCommand({ policyName, target: certificateArn }));
}
