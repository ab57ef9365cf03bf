/** The AWS IoT client of a session: SigV4 with the operator's key, against the origin that served the console. */
import { IoTClient } from '@aws-sdk/client-iot';
import type { Credentials } from '../state/credentials.js';

export function createIotClient(credentials: Credentials, endpoint: string): IoTClient {
  return new IoTClient({
    region: credentials.region,
    endpoint,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    // One retry for a dropped connection or a 5xx; the operator sees the error soon and can retry.
    maxAttempts: 2,
  });
}
